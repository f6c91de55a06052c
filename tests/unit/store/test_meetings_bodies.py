"""Bodies, members and meetings: the writes of the meetings screens, and finding a meeting by date."""

from __future__ import annotations

import pytest

from boardtui.domain.agenda import ItemKind
from boardtui.domain.errors import BoardError, NotFound, ValidationError
from boardtui.store import attendance, lookups, meetings

TH = "NHS Tower Hamlets CCG Governing Body"
HWB = "Worcestershire Health and Well-being Board"


def test_a_new_meeting_starts_from_the_standard_agenda(any_demo_board):
    body = lookups.body_id(any_demo_board, TH)
    mid = meetings.create_meeting(any_demo_board, body, {"date": "2017-03-14", "start_time": "1330", "venue": "Room 1"})
    m = meetings.get(any_demo_board, mid)
    assert (m["date"], m["start_time"], m["venue"], m["status"]) == ("2017-03-14", "13:30", "Room 1", "planned")
    items = meetings.agenda(any_demo_board, mid)
    kinds = [i["kind"] for i in items]
    assert kinds == [ItemKind.APOLOGIES, ItemKind.DECLARATIONS, ItemKind.PUBLIC_QUESTIONS, ItemKind.MINUTES,
                     ItemKind.ACTION_LOG, ItemKind.REPORT, ItemKind.AOB, ItemKind.NEXT_MEETING, ItemKind.EXCLUSION]
    assert [i["number"] for i in items] == [str(n) for n in range(1, 10)]
    assert all(i["part"] == 1 for i in items)
    # The minutes item names the last meeting; the exclusion cites the body's legal basis.
    assert "10 Jan 2017" in items[3]["recommendations"]
    assert "Public Bodies (Admission to Meetings) Act 1960" in items[-1]["recommendations"]


def test_a_council_board_cites_schedule_12a(any_demo_board):
    mid = meetings.create_meeting(any_demo_board, lookups.body_id(any_demo_board, HWB), {"date": "2017-01-17"})
    assert "Schedule 12A" in meetings.agenda(any_demo_board, mid)[-1]["recommendations"]


def test_an_empty_agenda_when_asked(any_demo_board):
    mid = meetings.create_meeting(any_demo_board, lookups.body_id(any_demo_board, TH), {"date": "2017-03-14"},
                                  template=False)
    assert meetings.agenda(any_demo_board, mid) == []


@pytest.mark.parametrize("values, field", [
    ({"date": ""}, "date"),
    ({"date": "14/13/2017"}, "date"),
    ({"date": "2016-11-08"}, "date"),  # that body already met that day
    ({"date": "2017-03-14", "start_time": "25:99"}, "start_time"),
])
def test_bad_meeting_values_name_their_field(any_demo_board, values, field):
    with pytest.raises(ValidationError) as err:
        meetings.create_meeting(any_demo_board, lookups.body_id(any_demo_board, TH), values)
    assert err.value.field == field


def test_find_a_meeting_by_id_or_date(any_demo_board):
    m = meetings.find(any_demo_board, "2016-11-08")
    assert m["body"] == TH
    assert meetings.find(any_demo_board, m["id"])["id"] == m["id"]
    with pytest.raises(NotFound):
        meetings.find(any_demo_board, "2016-11-09")
    with pytest.raises(NotFound):
        meetings.find(any_demo_board, "not a meeting")


def test_two_bodies_on_one_day_need_the_body(any_demo_board):
    meetings.create_meeting(any_demo_board, lookups.body_id(any_demo_board, HWB), {"date": "2016-11-08"})
    with pytest.raises(ValidationError) as err:
        meetings.find(any_demo_board, "2016-11-08")
    assert "--body" in str(err.value)
    assert meetings.find(any_demo_board, "2016-11-08", "worcestershire")["body"] == HWB


def test_update_meeting_checks_the_version(any_demo_board):
    m = meetings.find(any_demo_board, "2017-01-10")
    meetings.update_meeting(any_demo_board, m["id"], m["version"], {"date": "2017-01-10", "status": "published",
                                                                 "venue": "Hall"})
    assert meetings.get(any_demo_board, m["id"])["status"] == "published"
    with pytest.raises(BoardError):
        meetings.update_meeting(any_demo_board, m["id"], m["version"], {"date": "2017-01-10", "venue": "Other"})


def test_body_quorum_rule_from_what_people_type(board):
    bid = meetings.save_body(board, None, None, {"name": "Board", "kind": "committee",
                                                        "quorum_fraction": "two thirds",
                                                        "quorum_roles": "Chair|Vice-chair; GP"})
    rule = meetings.quorum_rule(meetings.body(board, bid))
    assert meetings.describe_rule(rule) == ("two thirds of the voting members (rounded up), including Chair or "
                                            "Vice-chair, GP")
    with pytest.raises(ValidationError) as err:
        meetings.save_body(board, None, None, {"name": "X", "quorum_fraction": "lots"})
    assert err.value.field == "quorum_fraction"


def test_a_meeting_of_a_body_with_no_members_says_no_quorum_rule(board):
    bid = meetings.save_body(board, None, None, {"name": "New board"})
    mid = meetings.create_meeting(board, bid, {"date": "2024-05-01"})
    check = attendance.quorum(board, mid)
    assert check.quorate is None and check.words == "no quorum rule"
    assert attendance.roster(board, mid) == []
    # A rule but nobody on the body yet: still no crash, and it says why it cannot check.
    b = meetings.body(board, bid)
    meetings.save_body(board, bid, b["version"], {"name": "New board", "quorum_min": "3"})
    assert "no quorum rule" in attendance.quorum(board, mid).words


def test_members_are_added_changed_and_removed(board):
    bid = meetings.save_body(board, None, None, {"name": "Board"})
    mid = meetings.save_member(board, None, None, bid, {"name": "A Chair", "role": "Chair", "voting": "yes"})
    with pytest.raises(ValidationError) as err:
        meetings.save_member(board, None, None, bid, {"name": "A Chair"})
    assert err.value.field == "name"
    m = meetings.member(board, mid)
    meetings.save_member(board, mid, m["version"], bid, {"name": "A Chair", "role": "Chair", "voting": "no"})
    assert meetings.member(board, mid)["voting"] == 0
    meetings.delete_member(board, mid, None)
    assert meetings.members(board, bid) == []


def test_a_member_with_a_record_is_not_removed(any_demo_board):
    body = lookups.body_id(any_demo_board, TH)
    member = meetings.members(any_demo_board, body)[0]
    with pytest.raises(BoardError, match="set the date they left"):
        meetings.delete_member(any_demo_board, member["id"], None)
