"""Action writes: owner and due date required, refs in the body's style, re-dating that keeps every earlier
due date, dated updates, and the open actions a body's next meeting carries forward."""

from __future__ import annotations

import pytest

from boardtui.domain.errors import Conflict, ValidationError
from boardtui.store import actions, agenda, lookups, meetings

TH = "NHS Tower Hamlets CCG Governing Body"


@pytest.fixture
def th(demo_board):
    return meetings.find(demo_board, "2016-11-08")


@pytest.mark.parametrize("values, field", [
    ({"text": "Do it", "owner": "", "due": "2016-12-01"}, "owner"),
    ({"text": "Do it", "owner": "CFO", "due": ""}, "due"),
    ({"text": "Do it", "owner": "CFO", "due": "soon"}, "due"),
    ({"text": "  ", "owner": "CFO", "due": "2016-12-01"}, "text"),
])
def test_an_action_without_owner_or_due_is_refused_naming_the_field(demo_board, values, field):
    before = actions.count(demo_board)
    with pytest.raises(ValidationError) as err:
        actions.create(demo_board, values)
    assert err.value.field == field
    assert field.replace("text", "action") in str(err.value).lower()
    assert actions.count(demo_board) == before


def test_a_due_date_before_the_meeting_is_a_warning_not_a_refusal(demo_board, th):
    _, warnings = actions.check(demo_board, {"text": "x", "owner": "CFO", "due": "2016-11-01"}, th["id"])
    assert warnings and "before the meeting" in warnings[0]
    _, warnings = actions.check(demo_board, {"text": "x", "owner": "CFO", "due": "2016-12-01"}, th["id"])
    assert warnings == []


def test_new_refs_follow_the_bodys_style(demo_board, th):
    item = next(i for i in meetings.agenda(demo_board, th["id"]) if i["number"] == "7")
    aid = actions.create(demo_board, {"text": "Report back", "owner": "CFO", "due": "14/12/2016"},
                         meeting_id=th["id"], item_id=item["id"])
    a = actions.get(demo_board, aid)
    assert a["ref"] == "TH-07" and a["due"] == "2016-12-14" and a["original_due"] == "2016-12-14"
    assert a["body"] == TH and a["item_number"] == "7" and a["status"] == "open"
    standalone = actions.get(demo_board, actions.create(demo_board, {"text": "x", "owner": "y", "due": "2017-01-01"}))
    assert standalone["ref"] == "A-01"


def test_redating_keeps_every_earlier_due_date(demo_board):
    aid = lookups.by_ref(demo_board, "actions", "HWB-02")
    a = actions.get(demo_board, aid)
    actions.redate(demo_board, aid, a["version"], "2016-11-30", "comments late")
    a = actions.get(demo_board, aid)
    actions.redate(demo_board, aid, a["version"], "2016-12-31")
    a = actions.get(demo_board, aid)
    assert a["due"] == "2016-12-31" and a["original_due"] == "2016-10-14"
    assert actions.due_history(demo_board, aid) == ["2016-10-14", "2016-11-30", "2016-12-31"]
    assert actions.slip_text(demo_board, a) == "slipped twice, originally 14 Oct 2016"
    assert a["latest_update"] == "comments late"
    with pytest.raises(ValidationError):
        actions.redate(demo_board, aid, a["version"], "2016-12-31")
    with pytest.raises(Conflict):
        actions.redate(demo_board, aid, a["version"] - 1, "2017-01-31")


def test_updates_are_dated_notes(demo_board):
    aid = lookups.by_ref(demo_board, "actions", "TH-02")
    a = actions.get(demo_board, aid)
    actions.add_update(demo_board, aid, a["version"], "Two of five quantified\x1b[2J")
    ups = actions.updates(demo_board, aid)
    assert len(ups) == 1 and ups[0]["text"] == "Two of five quantified[2J" and ups[0]["at"][:4].isdigit()
    assert ups[0]["who"] == "tester"
    assert actions.get(demo_board, aid)["latest_update"] == "Two of five quantified[2J"


def test_edit_and_status(demo_board):
    aid = lookups.by_ref(demo_board, "actions", "TH-05")
    a = actions.get(demo_board, aid)
    actions.edit(demo_board, aid, a["version"], {"text": a["text"], "owner": "Chief Officer", "status": "proposed"})
    a = actions.get(demo_board, aid)
    assert a["status"] == "proposed for closure"
    actions.set_status(demo_board, aid, a["version"], "closed")
    assert actions.get(demo_board, aid)["status"] == "closed"
    with pytest.raises(ValidationError) as err:
        actions.edit(demo_board, aid, None, {"text": "x", "owner": ""})
    assert err.value.field == "owner"


def test_a_new_meeting_carries_forward_the_bodys_open_actions(demo_board):
    body = lookups.body_id(demo_board, TH)
    mid = meetings.create_meeting(demo_board, body, {"date": "2017-03-14"})
    m = meetings.get(demo_board, mid)
    every = [a["ref"] for a in actions.carried_forward(demo_board, body, m["date"])]
    assert sorted(every) == ["TH-01", "TH-02", "TH-03", "TH-04", "TH-05", "TH-06"]
    public = [a["ref"] for a in actions.carried_forward(demo_board, body, m["date"], public_only=True)]
    assert "TH-06" not in public  # raised on a Part 2 item
    assert actions.count_carried_forward(demo_board, body, m["date"], part2_only=True) == 1
    # Closed actions and those raised at the meeting itself are not carried forward.
    actions.set_status(demo_board, lookups.by_ref(demo_board, "actions", "TH-01"), None, "closed")
    item = agenda.add_item(demo_board, mid, {"title": "New business"})
    actions.create(demo_board, {"text": "x", "owner": "y", "due": "2017-04-01"}, meeting_id=mid, item_id=item)
    refs = [a["ref"] for a in actions.carried_forward(demo_board, body, m["date"])]
    assert "TH-01" not in refs and "TH-07" not in refs


def test_the_action_log_for_minutes(demo_board, th):
    refs = [a["ref"] for a in actions.log_for_meeting(demo_board, th["id"], public_only=True)]
    assert refs == ["TH-01", "TH-02", "TH-03", "TH-04", "TH-05"]
    refs = [a["ref"] for a in actions.log_for_meeting(demo_board, th["id"], public_only=False)]
    assert "TH-06" in refs


def test_owner_suggestions(demo_board):
    body = lookups.body_id(demo_board, TH)
    names = actions.owner_names(demo_board, body)
    assert names[0] == "CCG Chair (illus.)" or "CCG Chair (illus.)" in names
    assert "Head of PMO" in names
