"""`boardtui report milestones --format json --as-at 2016-11-08`: slip days and RAG of the STP milestones."""

import json

import pytest
from click.testing import CliRunner

from boardtui.cli import cli

# (slip days, RAG) as at 8 Nov 2016 by DOMAIN.md §4.6: blue when done; red when overdue or slipped over 28 days;
# amber when slipped 1–28 days, due within 14 days, or after a late predecessor; else green.
EXPECTED = {
    "W01": (0, "B"), "W02": (0, "B"), "W03": (0, "B"), "W04": (0, "B"), "W05": (0, "B"),
    "W06": (14, "R"),   # forecast 14 Oct 2016 has passed
    "W07": (0, "B"),
    "W08": (0, "R"),    # due 14 Oct 2016, not done
    "W09": (0, "R"),    # due 21 Oct 2016, not done
    "W10": (-29, "R"),  # forecast 1 Nov 2016 (29 days before the end of the Nov 2016 baseline) has passed
    "W11": (0, "G"), "W12": (0, "G"), "W13": (0, "G"),
}


@pytest.fixture
def report(demo_path):
    def run(*args):
        result = CliRunner().invoke(cli, ["report", "milestones", "--db", str(demo_path), "--format", "json", *args])
        assert result.exit_code == 0, result.output
        return {r["ref"]: r for r in json.loads(result.output)}
    return run


def test_w01_to_w13_at_the_demo_date(report):
    rows = report("--as-at", "2016-11-08")
    assert {ref: (rows[ref]["slip_days"], rows[ref]["rag"]) for ref in EXPECTED} == EXPECTED
    assert rows["W06"]["rag_reason"] == "overdue: due 14 Oct 2016 and not done"
    assert rows["W13"]["depends_on"] == ["W06"]


def test_earlier_date_shows_slip_and_due_soon(report):
    rows = report("--as-at", "2016-10-01")
    assert (rows["W06"]["rag"], rows["W06"]["rag_reason"]) == (
        "A", "forecast 14 Oct 2016 is 14 days after the baseline 30 Sep 2016: amber up to 28 days")
    assert (rows["W08"]["rag"], rows["W08"]["rag_reason"]) == ("A", "due 14 Oct 2016, in 13 days, and not done")
    assert rows["W11"]["rag"] == "G"
