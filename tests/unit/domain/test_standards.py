"""Standards: comparators both ways (A&E ≥ 95%, diagnostics ≤ 1%), percentages, and the standard RAG."""

from decimal import Decimal

import pytest

from boardtui.domain.errors import ParseError, ValidationError
from boardtui.domain.rag import Rag
from boardtui.domain.standards import Comparator, percentage, standard_rag


@pytest.mark.parametrize(
    "comparator, value, target, meets",
    [
        (Comparator.GE, 95, 95, True),
        (Comparator.GE, Decimal("94.99"), 95, False),
        (Comparator.LE, 1, 1, True),
        (Comparator.LE, Decimal("1.01"), 1, False),
        (Comparator.GT, 50, 50, False),
        (Comparator.GT, Decimal("50.1"), 50, True),
        (Comparator.LT, 0.99, 1, True),
        (Comparator.LT, 1, 1, False),
        (Comparator.GE, 0.1 + 0.2, Decimal("0.3"), True),  # floats judged by their shortest text
    ],
)
def test_meets(comparator, value, target, meets):
    assert comparator.meets(value, target) is meets


def test_symbols_and_parse():
    assert [c.symbol for c in Comparator] == ["≥", "≤", ">", "<"]
    assert Comparator.parse(">=") is Comparator.GE
    assert Comparator.parse("≥") is Comparator.GE
    assert Comparator.parse(" <= ") is Comparator.LE
    assert Comparator.parse("=<") is Comparator.LE
    assert Comparator("<") is Comparator.LT
    with pytest.raises(ParseError):
        Comparator.parse("==")


def test_ae_four_hour():
    green = standard_rag(Decimal("95.2"), 95, Comparator.GE, Decimal("93"))
    assert (green.rag, green.reason) == (Rag.G, "95.2% meets the 95% standard (≥)")
    amber = standard_rag(Decimal("94.1"), 95, Comparator.GE, Decimal("93.0"))
    assert (amber.rag, amber.reason) == (Rag.A, "94.1% misses the 95% standard (≥) but meets the 93.0% trajectory")
    red = standard_rag(Decimal("92.0"), 95, ">=", Decimal("93"))
    assert (red.rag, red.reason) == (Rag.R, "92.0% misses the 95% standard (≥) and the 93.0% trajectory")


def test_diagnostics_is_met_from_below():
    green = standard_rag(Decimal("0.8"), 1, Comparator.LE)
    assert (green.rag, green.reason) == (Rag.G, "0.8% meets the 1% standard (≤)")
    amber = standard_rag(Decimal("1.4"), 1, Comparator.LE, Decimal("1.5"))
    assert (amber.rag, amber.reason) == (Rag.A, "1.4% misses the 1% standard (≤) but meets the 1.5% trajectory")
    red = standard_rag(Decimal("1.6"), 1, Comparator.LE, Decimal("1.5"))
    assert red.rag is Rag.R
    # ≤ applied to the trajectory too: 1.4 is "above" 1.3, so it misses it
    assert standard_rag(Decimal("1.4"), 1, Comparator.LE, Decimal("1.3")).rag is Rag.R


def test_no_trajectory_and_no_data():
    red = standard_rag(Decimal("91"), 92, ">=")
    assert (red.rag, red.reason) == (Rag.R, "91.0% misses the 92% standard (≥) and there is no trajectory")
    none = standard_rag(None, 92, ">=", 90)
    assert (none.rag, none.reason) == (Rag.U, "no data for the period")


def test_rounding_never_contradicts_the_rating():
    near = standard_rag(Decimal("94.96"), 95, ">=", Decimal("93"))
    assert near.rag is Rag.A
    assert near.reason.startswith("94.96% misses")
    assert standard_rag(Decimal("92.96"), 95, ">=", Decimal("93")).reason.startswith("92.96% misses")


def test_floats_from_the_database_and_other_units():
    assert standard_rag(66.7, 66.7, ">=").reason == "66.7% meets the 66.7% standard (≥)"
    mean = standard_rag(Decimal("7.4"), 7, "<=", None, unit="min")
    assert mean.reason == "7.4 min misses the 7 min standard (≤) and there is no trajectory"


def test_percentage():
    assert percentage(941, 1000) == Decimal("94.1")
    assert percentage(0, 5) == 0
    assert percentage(5, 5) == 100


@pytest.mark.parametrize("num, den", [(1, 0), (1, -5), (-1, 5), (6, 5)])
def test_percentage_refuses_impossible_counts(num, den):
    with pytest.raises(ValidationError):
        percentage(num, den)
