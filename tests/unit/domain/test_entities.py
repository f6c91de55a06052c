"""Entity records and their enums stay plain and agree with the data formats."""

from datetime import date
from decimal import Decimal

import pytest

from boardtui.domain import entities as e
from boardtui.domain.errors import ParseError
from boardtui.domain.periods import PartialDate, Precision


@pytest.mark.parametrize(
    "enum, values",
    [
        (e.MeetingStatus, ["planned", "published", "held", "minutes approved"]),
        (e.Purpose, ["decision", "assurance", "discussion", "information"]),
        (e.AttendanceStatus, ["present", "apologies", "substitute"]),
        (e.Handling, ["noted", "no vote", "withdrew"]),
        (e.Outcome, ["approved", "noted", "deferred", "rejected"]),
        (e.Stage, ["idea", "prioritise", "business case", "implementation", "delivered"]),
        (e.ActionStatus, ["open", "proposed for closure", "closed"]),
        (e.ExclusionBasis, ["PBAMA 1960", "LGA 1972 Sch 12A"]),
    ],
)
def test_enum_values_match_the_csv_formats(enum, values):
    assert [m.value for m in enum] == values
    for member in enum:
        assert isinstance(member, str)
        assert f"{member}" == member.value
        if hasattr(enum, "parse"):
            assert enum.parse(member.value.upper()) is member


def test_enum_parse_refuses_unknown_words():
    with pytest.raises(ParseError, match="is not a purpose: use one of decision, assurance"):
        e.Purpose.parse("vibes")
    assert e.Purpose.parse("For Information") is e.Purpose.INFORMATION
    assert e.Handling.parse("No  Vote") is e.Handling.NO_VOTE


def test_records_are_plain_and_keyword_only():
    scheme = e.Scheme(id="s1", programme_id="p1", ref="TH-ADU-04", title="Integrated Urgent & Emergency Care",
                      fy=2017, plan_fy=219_000_000, confidence=e.Confidence.M)
    assert scheme.value_status is e.ValueStatus.QUANTIFIED
    assert scheme.rag_override is None
    with pytest.raises(TypeError):
        e.Scheme("s1", "p1", "ref", "title", 2017)  # type: ignore[misc]


def test_milestone_precision_comes_from_its_baseline():
    w10 = e.Milestone(id="m10", ref="W10", title="HWB public discussion", baseline=PartialDate("2016-11"),
                      depends_on=("W09",))
    assert w10.precision is Precision.MONTH


def test_part_two_items_are_confidential():
    item = e.AgendaItem(id="i9", meeting_id="m", number="9", title="BCF care-home contract", part=2)
    assert item.confidential
    assert not e.AgendaItem(id="i5", meeting_id="m", number="5", title="STP").confidential
    assert e.Part(2) is e.Part.CONFIDENTIAL


def test_other_records_construct():
    e.Meeting(id="m", body_id="b", date=date(2016, 9, 13))
    e.Action(id="a", ref="HWB-02", text="Return comments on draft", owner="All members", due=date(2016, 10, 14))
    e.Standard(id="s", code="AE4HR", name="A&E 4-hour", threshold=Decimal("95"), comparator=e.Comparator.GE)
    e.StandardPeriod(id="p", standard_code="DM01", period="2016-09", actual=Decimal("0.8"))
    e.SavingsTarget(id="t", org_id="o", fy=2017, requirement=1_500_000_000)
    e.Body(id="b", org_id=None, name="Worcestershire HWB", kind="HWB")
