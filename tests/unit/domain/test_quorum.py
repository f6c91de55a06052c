"""Quorum: counts of voting members, required roles with alternatives, and re-checks after withdrawals."""

from decimal import Decimal

import pytest

from boardtui.domain.errors import ValidationError
from boardtui.domain.quorum import Attendee, QuorumRule, check_quorum, holds_role, parse_fraction

# BCP HWB: 7 members including a councillor, an NHS representative and the Director of Public Health [50].
BCP = QuorumRule(min_present=7, required_roles=("Councillor", "NHS representative", "Director of Public Health"))

# Tower Hamlets CCG Governing Body (illus.): half the voting members, incl. chair or vice-chair, a GP, a lay member.
TOWER_HAMLETS = QuorumRule(fraction=Decimal("0.5"), required_roles=("Chair|Vice-chair", "GP", "Lay member"))


def _bcp_attendance(*, without=()):
    people = [
        Attendee("Cllr Ann Bell", "Councillor", True),
        Attendee("Cllr Ben Carr", "Councillor", True),
        Attendee("Cllr Cath Dee", "Councillor", True),
        Attendee("Dr Dev Eke", "NHS representative", True),
        Attendee("Ed Fox", "NHS representative", True),
        Attendee("Dr Fay Gill", "Director of Public Health", True),
        Attendee("Gus Hart", "Healthwatch", True),
        Attendee("Hal Ives", "Council officer", False),
    ]
    return [p for p in people if p.name not in without]


def test_bcp_hwb_quorate():
    result = check_quorum(BCP, 12, _bcp_attendance())
    assert result.quorate is True
    assert result.reason == ("quorate: 7 voting members present (7 needed); "
                             "Councillor, NHS representative and Director of Public Health present")


def test_bcp_hwb_non_voting_attendees_do_not_count():
    result = check_quorum(BCP, 12, _bcp_attendance(without={"Gus Hart"}))
    assert result.quorate is False
    assert result.reason == "inquorate: 6 of 7 voting members needed are present"


def test_bcp_hwb_without_the_director_of_public_health():
    people = _bcp_attendance(without={"Dr Fay Gill"}) + [Attendee("Ivy Jay", "Voluntary sector", True)]
    result = check_quorum(BCP, 12, people)
    assert result.quorate is False
    assert result.reason == "inquorate: no Director of Public Health present"


def _tower_hamlets_attendance():
    return [
        Attendee("Dr Sam Everington", "Chair (GP)", True),
        Attendee("Dr Two", "GP", True),
        Attendee("Lay One", "Lay member", True),
        Attendee("Chief Officer", "Chief Officer", True),
        Attendee("Secretary", "Board secretary", False),
    ]


def test_tower_hamlets_quorate_then_inquorate_when_the_gps_withdraw():
    people = _tower_hamlets_attendance()
    assert check_quorum(TOWER_HAMLETS, 8, people).quorate is True
    # Item 2: GPs whose practices run the hubs withdraw; the chair (a GP) withdraws too and leaves no GP.
    result = check_quorum(TOWER_HAMLETS, 8, people, withdrawn={"Dr Two", "Dr Sam Everington"})
    assert result.quorate is False
    assert result.reason == ("inquorate: 2 of 4 voting members needed are present; "
                             "no Chair or Vice-chair present; no GP present")


def test_tower_hamlets_one_gp_withdrawing_needs_another_member():
    result = check_quorum(TOWER_HAMLETS, 8, _tower_hamlets_attendance(), withdrawn={"Dr Two"})
    assert result.quorate is False
    assert result.reason == "inquorate: 3 of 4 voting members needed are present"
    people = _tower_hamlets_attendance() + [Attendee("Dr Three", "GP member", True)]
    assert check_quorum(TOWER_HAMLETS, 8, people, withdrawn={"Dr Two"}).quorate is True


def test_the_spec_example_reason():
    rule = QuorumRule(min_present=4, required_roles=("GP",))
    people = [Attendee("A", "Chair", True), Attendee("B", "Lay member", True), Attendee("C", "GP", True)]
    result = check_quorum(rule, 8, people, withdrawn={"C"})
    assert result.reason == "inquorate: 2 of 4 voting members needed are present; no GP present"
    result = check_quorum(rule, 8, people + [Attendee("D", "Nurse", True)], withdrawn={"C"})
    assert result.reason == "inquorate: 3 of 4 voting members needed are present; no GP present"


def test_vice_chair_is_an_alternative_for_chair():
    people = [Attendee("V", "Vice-chair", True), Attendee("G", "GP", True), Attendee("L", "Lay member", True)]
    assert check_quorum(TOWER_HAMLETS, 6, people).quorate is True


def test_role_must_be_held_by_a_voting_member_unless_the_rule_says_otherwise():
    people = [Attendee("C", "Chair", True), Attendee("G", "GP adviser", False), Attendee("L", "Lay member", True)]
    assert check_quorum(TOWER_HAMLETS, 4, people).quorate is False
    relaxed = QuorumRule(fraction=Decimal("0.5"), required_roles=TOWER_HAMLETS.required_roles, roles_need_vote=False)
    assert check_quorum(relaxed, 4, people).quorate is True


@pytest.mark.parametrize(
    "role, wanted, holds",
    [
        ("GP", "GP", True),
        ("GP member", "GP", True),
        ("Chair (GP)", "GP", True),
        ("Chair (GP)", "Chair|Vice-chair", True),
        ("Vice-chair", "Chair", False),
        ("vice-chair", "Chair|Vice-chair", True),
        ("Lay member for governance", "Lay member", True),
        ("Layperson", "Lay member", False),
        ("GPwSI", "GP", False),
        (None, "GP", False),
    ],
)
def test_holds_role(role, wanted, holds):
    assert holds_role(role, wanted) is holds


def test_no_rule():
    assert check_quorum(None, 10, []).quorate is None
    assert check_quorum(None, 10, []).reason == "no quorum rule"
    assert check_quorum(QuorumRule(), 10, []).quorate is None


def test_fraction_rounds_up_and_needs_at_least_one():
    half = QuorumRule(fraction="half")
    assert half.fraction == Decimal("0.5")
    assert [half.needed(n) for n in (0, 1, 7, 8)] == [1, 1, 4, 4]
    two_thirds = QuorumRule(fraction="two thirds")
    assert [two_thirds.needed(n) for n in (3, 4, 6, 9)] == [2, 3, 4, 6]
    both = QuorumRule(min_present=5, fraction=Decimal("0.5"))
    assert both.needed(8) == 5 and both.needed(12) == 6


@pytest.mark.parametrize("text", ["half", "0.5", "50%", "1/2", 0.5, Decimal("0.5"), "Half the voting members"])
def test_parse_fraction(text):
    assert parse_fraction(text) == Decimal("0.5")


@pytest.mark.parametrize("text", ["0", "1.5", "most", "1/0", -0.5, "", True])
def test_parse_fraction_rejects(text):
    with pytest.raises(ValidationError, match="is not a quorum fraction"):
        parse_fraction(text)


def test_min_present_must_be_positive():
    with pytest.raises(ValidationError):
        QuorumRule(min_present=0)


def test_from_columns():
    rule = QuorumRule.from_columns(None, 0.5, "Chair|Vice-chair; GP; Lay member")
    assert rule == TOWER_HAMLETS
    assert QuorumRule.from_columns(7, None, None).min_present == 7
    assert QuorumRule.from_columns(None, None, "") is None


def test_roles_only_rule():
    rule = QuorumRule(required_roles=("Chair",))
    assert check_quorum(rule, 5, [Attendee("C", "Chair", True)]).reason == "quorate: Chair present"
