"""Agenda items: placement, reordering with automatic renumbering, links, and deletion kept in the audit."""

from __future__ import annotations

import json

import pytest

from boardtui.domain.errors import ValidationError
from boardtui.store import actions, agenda, decisions, lookups, meetings, notes

TH = "NHS Tower Hamlets CCG Governing Body"


@pytest.fixture
def meeting(any_demo_board):
    return meetings.create_meeting(any_demo_board, lookups.body_id(any_demo_board, TH), {"date": "2017-03-14",
                                                                                  "start_time": "13:30"})


def titles(board, mid):
    return [(i["number"], i["title"]) for i in meetings.agenda(board, mid)]


def test_part_1_business_goes_before_aob_and_part_2_at_the_end(any_demo_board, meeting):
    agenda.add_item(any_demo_board, meeting, {"title": "Secret contract", "part": "2", "minutes": "15"})
    agenda.add_item(any_demo_board, meeting, {"title": "QIPP plan", "purpose": "for decision", "minutes": "20"})
    got = titles(any_demo_board, meeting)
    assert got[6] == ("7", "QIPP plan")
    assert got[7][1] == "Any other business"
    assert got[-2][1] == "Resolution to exclude the press and public"
    assert got[-1] == ("11", "Secret contract")
    assert meetings.agenda(any_demo_board, meeting)[6]["purpose"] == "decision"


def test_moving_an_item_renumbers_the_agenda(any_demo_board, meeting):
    item = agenda.add_item(any_demo_board, meeting, {"title": "QIPP plan"})
    assert agenda.move_item(any_demo_board, item, -1)
    assert titles(any_demo_board, meeting)[5] == ("6", "QIPP plan")
    first = meetings.agenda(any_demo_board, meeting)[0]["id"]
    assert agenda.move_item(any_demo_board, first, -1) is False
    numbers = [i["number"] for i in meetings.agenda(any_demo_board, meeting)]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


def test_recommendations_one_per_line_and_links_checked(any_demo_board, meeting):
    item = agenda.add_item(any_demo_board, meeting, {
        "title": "Plans", "recommendations": "Note the gap\nApprove the next steps\n",
        "links": "programme:Children; standard:ae4hr; scheme:TH-PRO-01; milestone:W07",
    })
    row = agenda.item(any_demo_board, item)
    assert agenda.recommendations(row) == ["Note the gap", "Approve the next steps"]
    assert ("programme", "Children") in agenda.links(any_demo_board, item)
    with pytest.raises(ValidationError) as err:
        agenda.update_item(any_demo_board, item, row["version"], {"title": "Plans", "links": "scheme:NOPE"})
    assert err.value.field == "links"
    with pytest.raises(ValidationError) as err:
        agenda.update_item(any_demo_board, item, row["version"], {"title": "Plans", "links": "budget:1"})
    assert err.value.field == "links"
    with pytest.raises(ValidationError) as err:
        agenda.update_item(any_demo_board, item, row["version"], {"title": "  "})
    assert err.value.field == "title"


def test_deleting_an_item_keeps_what_hung_off_it_in_the_audit(any_demo_board, meeting):
    item = agenda.add_item(any_demo_board, meeting, {"title": "Doomed item"})
    action = actions.create(any_demo_board, {"text": "Do it", "owner": "CFO", "due": "2017-04-30"},
                            meeting_id=meeting, item_id=item)
    decision = decisions.record(any_demo_board, meeting, item, {"resolution": "Resolved to proceed"})
    notes.add(any_demo_board, meeting, item, "Discussed")
    counts = agenda.dependents(any_demo_board, item)
    assert (counts.actions, counts.decisions, counts.notes) == (1, 1, 1)
    agenda.delete_item(any_demo_board, item, None)
    assert agenda.item(any_demo_board, item) is None
    assert actions.get(any_demo_board, action) is None
    deleted = {r["entity"]: r["old"] for r in any_demo_board.query(
        "SELECT entity, old FROM audit WHERE op = 'delete' AND entity_id IN (:a, :d)", {"a": action, "d": decision})}
    assert json.loads(deleted["action"])["text"] == "Do it"
    assert json.loads(deleted["decision"])["resolution"] == "Resolved to proceed"
    numbers = [i["number"] for i in meetings.agenda(any_demo_board, meeting)]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


def test_changes_to_part_2_items_are_audited_as_confidential(any_demo_board, meeting):
    item = agenda.add_item(any_demo_board, meeting, {"title": "Secret", "part": "2"})
    row = agenda.item(any_demo_board, item)
    agenda.update_item(any_demo_board, item, row["version"], {"title": "Still secret", "part": "2"})
    rows = any_demo_board.query("SELECT confidential FROM audit WHERE entity_id = :i", {"i": item})
    assert rows and all(r["confidential"] == 1 for r in rows)


def test_titles_are_stored_without_control_characters(any_demo_board, meeting):
    item = agenda.add_item(any_demo_board, meeting, {"title": "Plan\x1b]52;c;aGk=\x07 \u202eevil"})
    assert agenda.item(any_demo_board, item)["title"] == "Plan]52;c;aGk= evil"
