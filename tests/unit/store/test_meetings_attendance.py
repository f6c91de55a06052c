"""Attendance, substitutes, declarations, and the quorum re-checked per item (DOMAIN.md §4.9)."""

from __future__ import annotations

import pytest

from boardtui.domain.errors import ValidationError
from boardtui.store import attendance, meetings

TH_DATE = "2016-11-08"


@pytest.fixture
def th(any_demo_board):
    return meetings.find(any_demo_board, TH_DATE)


def item_no(board, mid, number):
    return next(i for i in meetings.agenda(board, mid) if i["number"] == number)


def test_the_demo_meeting_is_quorate_and_stays_so_on_each_item(any_demo_board, th):
    assert attendance.quorum(any_demo_board, th["id"]).quorate is True
    item7 = item_no(any_demo_board, th["id"], "7")
    check = attendance.quorum(any_demo_board, th["id"], item7["id"])
    assert check.quorate is True
    assert len(check.stepped_back) == 2  # the two hub GPs take no part in the vote


def test_a_declaration_that_removes_the_only_lay_member_makes_the_item_inquorate(any_demo_board, th):
    item8 = item_no(any_demo_board, th["id"], "8")
    attendance.declare(any_demo_board, th["id"], item8["id"], "Lay member (illus.)", "Trustee of a bidder", "withdrew")
    check = attendance.quorum(any_demo_board, th["id"], item8["id"])
    assert check.quorate is False
    assert "no Lay member present" in check.words
    # The meeting as a whole, and the other items, are unaffected.
    assert attendance.quorum(any_demo_board, th["id"]).quorate is True
    assert attendance.quorum(any_demo_board, th["id"], item_no(any_demo_board, th["id"], "9")["id"]).quorate is True


def test_a_noted_interest_does_not_change_the_quorum(any_demo_board, th):
    item8 = item_no(any_demo_board, th["id"], "8")
    attendance.declare(any_demo_board, th["id"], item8["id"], "Lay member (illus.)", "Knows a bidder", "noted")
    assert attendance.quorum(any_demo_board, th["id"], item8["id"]).quorate is True


def test_apologies_can_make_the_meeting_inquorate(any_demo_board, th):
    for name in ("Lay member (illus.)",):
        attendance.set_status(any_demo_board, th["id"], name, "apologies")
    check = attendance.quorum(any_demo_board, th["id"])
    assert check.quorate is False and "no Lay member present" in check.words


def test_a_substitute_counts_with_the_members_role(any_demo_board, th):
    attendance.set_substitute(any_demo_board, th["id"], "Lay member (illus.)", "Deputy lay member")
    roster = {line.name: line for line in attendance.roster(any_demo_board, th["id"])}
    assert roster["Lay member (illus.)"].status == "apologies"
    assert roster["Lay member (illus.)"].substitute == "Deputy lay member"
    assert roster["Deputy lay member"].substitute_for == "Lay member (illus.)"
    assert roster["Deputy lay member"].role == "Lay member"
    assert attendance.quorum(any_demo_board, th["id"]).quorate is True
    attendance.clear(any_demo_board, th["id"], "Lay member (illus.)")
    names = {line.name for line in attendance.roster(any_demo_board, th["id"])}
    assert "Deputy lay member" not in names


def test_a_member_cannot_be_their_own_substitute(any_demo_board, th):
    with pytest.raises(ValidationError):
        attendance.set_substitute(any_demo_board, th["id"], "GP member (illus.)", "GP member (illus.)")
    with pytest.raises(ValidationError):
        attendance.set_substitute(any_demo_board, th["id"], "GP member (illus.)", "Lay member (illus.)")


def test_declarations_on_part_2_items_are_confidential_and_left_out_for_the_public(any_demo_board, th):
    item13 = item_no(any_demo_board, th["id"], "13")
    decl = attendance.declare(any_demo_board, th["id"], item13["id"], "CCG Chair (illus.)", "Relative at a bidder",
                              "no vote")
    assert any_demo_board.scalar("SELECT confidential FROM audit WHERE entity_id = :d", {"d": decl}) == 1
    public = attendance.declarations(any_demo_board, th["id"], public_only=True)
    assert all(d["part"] != 2 for d in public)
    assert len(attendance.declarations(any_demo_board, th["id"])) == len(public) + 2
    attendance.remove_declaration(any_demo_board, decl)
    assert len(attendance.declarations(any_demo_board, th["id"], item13["id"])) == 1


def test_a_bad_handling_names_its_field(any_demo_board, th):
    with pytest.raises(ValidationError) as err:
        attendance.declare(any_demo_board, th["id"], None, "CCG Chair (illus.)", "x", "shrugged")
    assert err.value.field == "handling"
