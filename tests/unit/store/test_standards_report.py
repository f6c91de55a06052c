"""`boardtui report standards --format json` on the demo board, checked against the standard RAG rule."""

import json
import operator

import pytest
from click.testing import CliRunner

from boardtui.cli import cli

MUST_DO_CODES = {"AE4HR", "AMBCATA8", "AMBCATA19", "RTT18", "CAN62", "CAN62SCR", "CAN2WW", "CAN31", "CAN31SURG",
                 "CAN31DRUG", "CAN31RADIO", "EIP2WK", "IAPT6WK", "IAPT18WK"}
OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


def expected_rag(row):
    """The rule of DOMAIN.md §4.7, written out independently of the code under test."""
    if row["actual"] is None:
        return "U"
    meets = OPS[row["comparator"]]
    if meets(row["actual"], row["threshold"]):
        return "G"
    if row["trajectory"] is not None and meets(row["actual"], row["trajectory"]):
        return "A"
    return "R"


@pytest.fixture
def report(demo_path):
    def run(*args):
        result = CliRunner().invoke(cli, ["report", "standards", "--db", str(demo_path), "--format", "json", *args])
        assert result.exit_code == 0, result.output
        return {r["code"]: r for r in json.loads(result.output)}
    return run


def test_every_must_do_standard_is_listed_with_its_figures(report):
    rows = report()
    must_dos = {code for code, r in rows.items() if r["must_do"] is not None}
    assert must_dos == MUST_DO_CODES
    for code in MUST_DO_CODES:
        r = rows[code]
        assert set(r) >= {"threshold", "comparator", "unit", "period", "actual", "trajectory", "rag", "rag_reason"}
        assert r["actual"] is not None and r["trajectory"] is not None and r["period"] == "2016-10"
        assert r["rag"] == expected_rag(r), code


def test_the_rule_holds_for_greater_and_less_than_comparators(report):
    rows = report()
    comparators = {r["comparator"] for r in rows.values() if r["actual"] is not None}
    assert {">=", "<=", ">"} <= comparators
    for r in rows.values():
        assert r["rag"] == expected_rag(r), r["code"]
    ae, dm = rows["AE4HR"], rows["DM01"]
    assert (ae["comparator"], ae["threshold"], ae["actual"], ae["trajectory"], ae["rag"]) == (">=", 95, 91.3, 91, "A")
    assert (dm["comparator"], dm["threshold"], dm["actual"], dm["rag"]) == ("<=", 1, 0.8, "G")
    assert rows["AMBCATA8"]["rag"] == "R"


def test_a_later_date_judges_a_later_month(report):
    rows = report("--as-at", "2016-12-31")
    dm = rows["DM01"]
    assert (dm["period"], dm["actual"], dm["trajectory"], dm["rag"]) == ("2016-12", 1.59, 1.5, "R")
    assert dm["rag_reason"] == "1.6% misses the 1% standard (≤) and the 1.5% trajectory"
    for r in rows.values():
        assert r["rag"] == expected_rag(r), r["code"]


def test_minutes_standards_after_they_come_into_force(report):
    rows = report("--as-at", "2018-03-31")
    arp = rows["ARPC290"]
    assert (arp["comparator"], arp["unit"], arp["actual"], arp["trajectory"], arp["rag"]) == ("<=", "min", 43.9, 45, "A")
    assert arp["rag_reason"] == "43.9 min misses the 40 min standard (≤) but meets the 45.0 min trajectory"
    for r in rows.values():
        assert r["rag"] == expected_rag(r), r["code"]
