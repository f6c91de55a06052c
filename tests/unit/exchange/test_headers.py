"""Header matching: aliases, case and punctuation, units from the header, clear refusals."""

from __future__ import annotations

import pytest

from boardtui.domain.errors import ValidationError
from boardtui.exchange.headers import (
    ALIASES,
    UnitsNeeded,
    check_headers,
    find_unit,
    match_headers,
    normalise,
)
from boardtui.exchange.canonical import KINDS


@pytest.mark.parametrize(
    "header, unit",
    [
        ("Estimated Financial Impact (£000s)", "000s"),
        ("Saving £k", "000s"),
        ("saving (£K)", "000s"),
        ("Plan £'000", "000s"),
        ("plan_000s", "000s"),
        ("Funding £m", "m"),
        ("Funding (£ millions)", "m"),
        ("Cost (£)", "pounds"),
        ("Cost GBP", "pounds"),
        ("Saving", None),
        ("Plan", None),
        ("Programme", None),
    ],
)
def test_units_are_read_from_the_header(header, unit):
    assert find_unit(header) == unit


@pytest.mark.parametrize(
    "kind, header, column",
    [
        ("schemes", "Scheme", "title"),
        ("schemes", "Scheme name", "title"),
        ("schemes", "DESCRIPTION", "title"),
        ("schemes", "  Estimated  Financial Impact (£000s) ", "plan_000s"),
        ("schemes", "Saving £k", "plan_000s"),
        ("schemes", "Plan", "plan_000s"),
        ("schemes", "plan_000s", "plan_000s"),
        ("schemes", "CCG Programme Board", "programme"),
        ("schemes", "Lead", "lead"),
        ("schemes", "Owner", "lead"),
        ("schemes", "SRO", "sro"),
        ("actions", "Lead", "owner"),
        ("actions", "SRO", "owner"),
        ("actions", "Action owner", "owner"),
        ("actions", "Target date", "due"),
        ("actions", "Due", "due"),
        ("actions", "New date", "due"),
        ("actions", "Due Date:", "due"),
        ("milestones", "New date", "forecast"),
        ("milestones", "Target date", "baseline"),
        ("programmes", "Areas of Focus", "focus"),
        ("performance", "Actual (%)", "actual"),
    ],
)
def test_aliases_match_case_and_punctuation_insensitively(kind, header, column):
    (m,) = match_headers(kind, [header]).columns
    assert m.column == column


def test_every_alias_names_a_real_column():
    for kind, table in ALIASES.items():
        assert set(table) <= set(KINDS[kind].columns), kind


def test_normalise_folds_case_punctuation_apostrophes_and_units():
    assert normalise("  Children's  Programme — (£000s)  ") == "childrens programme"
    assert normalise("A&E") == "a and e"


def test_missing_unknown_and_duplicated_columns_are_one_clear_error():
    m = match_headers("schemes", ["Scheme", "Saving £k", "Scheme name", "Colour"])
    with pytest.raises(ValidationError) as err:
        check_headers(m, "plan.xlsx")
    text = str(err.value)
    assert "missing required column(s) programme" in text
    assert "unknown column(s) 'Colour'" in text
    assert "Scheme / Scheme name" in text
    assert "required: programme, title, plan_000s" in text  # the expected headers are listed


def test_columns_boardtui_works_out_are_ignored_and_named():
    m = check_headers(match_headers("schemes", ["Programme", "Scheme", "Value (£000s)", "RAG", "Forecast (£000s)"]),
                      "x.csv")
    assert m.ignored == ["RAG", "Forecast (£000s)"]
    assert [c.column for c in m.columns] == ["programme", "title", "plan_000s"]


def test_money_without_a_unit_needs_units():
    with pytest.raises(UnitsNeeded, match="'Saving'.*--units 000s"):
        check_headers(match_headers("schemes", ["Programme", "Scheme", "Saving"]), "x.xlsx")
    m = check_headers(match_headers("schemes", ["Programme", "Scheme", "Saving"]), "x.xlsx", units="£m")
    assert m.columns[2].unit == "m"
    with pytest.raises(ValidationError, match="--units must be"):
        check_headers(match_headers("schemes", ["Programme", "Scheme", "Saving"]), "x.xlsx", units="dollars")
