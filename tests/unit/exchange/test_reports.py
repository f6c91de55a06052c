"""Reports: the demo's seed figures, Part 2 left out, as-at rebuilt from the audit, plain text and inert CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from boardtui.domain.errors import ValidationError
from boardtui.exchange import reports
from boardtui.store import tx
from boardtui.store.tx import writing


def _json(board, kind, **kw):
    return json.loads(reports.render(board, kind, "json", **kw))


def test_savings_json_has_the_seed_figures_in_pounds(demo_board):
    d = _json(demo_board, "savings")
    assert d["year"] == "2017/18"
    assert (d["requirement"], d["identified"], d["gap"], d["tbc"], d["na"]) == (15_000_000, 10_816_000, 4_184_000, 9, 1)
    subtotals = {p["name"]: (p["identified"], p["tbc"], p["na"], len(p["schemes"])) for p in d["programmes"]}
    assert subtotals == {
        "Adults": (3_841_000, 2, 0, 4),
        "Children": (0, 3, 0, 3),
        "Complex Adults": (1_019_000, 4, 1, 6),
        "Transactional/ Productivity Savings": (3_383_000, 0, 0, 3),
        "Transforming Services Together": (2_573_000, 0, 0, 2),
    }
    tbc = [s for p in d["programmes"] for s in p["schemes"] if s["status"] == "TBC"]
    assert len(tbc) == 9 and all(s["value"] is None for s in tbc)


def test_savings_text_is_plain_fixed_width(demo_board):
    text = reports.render(demo_board, "savings", "text")
    lines = text.splitlines()
    assert lines[0] == "Savings 2017/18 (£000s)"
    assert "Requirement                           15,000" in lines
    assert "Not in the totals: 9 scheme(s) TBC, 1 NA" in lines
    assert not set("┃━│─┌┐└┘╭╮") & set(text)


def test_savings_for_a_year_with_nothing_is_a_plain_error(empty_board):
    with pytest.raises(ValidationError, match="no savings schemes"):
        reports.render(empty_board, "savings", "json")


def test_savings_as_at_rebuilds_figures_from_the_audit(demo_board, monkeypatch):
    today = datetime.now(timezone.utc)
    later = today + timedelta(days=10)
    monkeypatch.setattr(tx, "now_iso", lambda: later.isoformat(timespec="microseconds").replace("+00:00", "Z"))
    scheme = demo_board.one("SELECT id, version FROM schemes WHERE ref = 'TH-CHI-01'")
    with writing(demo_board, reason="quantified at last") as w:
        w.update("schemes", scheme["id"], scheme["version"], {"value_status": "quantified", "plan_pence": 50_000_000},
                 entity="scheme", ref="TH-CHI-01")
    now = _json(demo_board, "savings")
    assert (now["identified"], now["tbc"]) == (11_316_000, 8)
    before = _json(demo_board, "savings", as_at=today.date().isoformat())
    assert before["as_at"] == today.date().isoformat()
    assert (before["identified"], before["gap"], before["tbc"]) == (10_816_000, 4_184_000, 9)
    assert _json(demo_board, "savings", as_at=later.date().isoformat())["identified"] == 11_316_000


def test_standards_rows(demo_board):
    rows = {r["code"]: r for r in _json(demo_board, "standards")}
    assert len(rows) == 24
    ae = rows["AE4HR"]
    assert (ae["threshold"], ae["comparator"], ae["unit"], ae["period"]) == (95, ">=", "%", "2016-10")
    assert ae["rag"] == "A" and ae["rag_reason"]


def test_actions_report_leaves_out_part_2(demo_board):
    rows = _json(demo_board, "actions")
    refs = [r["ref"] for r in rows]
    assert "TH-06" not in refs and len(refs) == 8
    overdue = {r["ref"] for r in rows if r["overdue"]}
    assert overdue == {"HWB-02", "HWB-03"}  # judged on the demo's reference date, 8 Nov 2016


def test_actions_overdue_follows_as_at(demo_board):
    rows = _json(demo_board, "actions", as_at="2017-01-01")
    assert {r["ref"] for r in rows if r["overdue"]} == {"HWB-02", "HWB-03", "TH-01", "TH-02"}


def test_changes_leave_out_confidential_business_and_use_pounds(demo_board):
    rows = _json(demo_board, "changes", since="2000-01-01")
    assert rows
    assert "TH-06" not in {r["ref"] for r in rows}
    scheme = demo_board.one("SELECT id, version FROM schemes WHERE ref = 'TH-ADU-01'")
    with writing(demo_board, reason="revised") as w:
        w.update("schemes", scheme["id"], scheme["version"], {"plan_pence": 170_000_000}, entity="scheme",
                 ref="TH-ADU-01")
    [change] = [r for r in _json(demo_board, "changes", since="2000-01-01") if r["reason"] == "revised"]
    assert (change["entity"], change["ref"], change["field"], change["old"], change["new"]) == (
        "scheme", "TH-ADU-01", "plan", 1_651_000, 1_700_000,
    )


def test_changes_since_a_future_day_are_none(demo_board):
    assert reports.render(demo_board, "changes", "text", since="2199-01-01") == "No changes in that period.\n"


def test_csv_cells_that_look_like_formulas_are_made_inert(demo_board):
    aid = demo_board.one("SELECT id, version FROM actions WHERE ref = 'TH-01'")
    with writing(demo_board) as w:
        w.update("actions", aid["id"], aid["version"], {"text": "=HYPERLINK(\"http://x\")", "owner": "@CFO"})
    rows = list(csv.DictReader(io.StringIO(reports.render(demo_board, "actions", "csv"))))
    th01 = next(r for r in rows if r["ref"] == "TH-01")
    assert th01["text"].startswith("'=") and th01["owner"] == "'@CFO"


def test_milestone_text_and_csv(demo_board):
    text = reports.render(demo_board, "milestones", "text")
    assert text.splitlines()[0].startswith("Ref    Milestone")
    rows = list(csv.DictReader(io.StringIO(reports.render(demo_board, "milestones", "csv"))))
    w10 = next(r for r in rows if r["ref"] == "W10")
    assert w10["depends_on"] == "W09"


@pytest.mark.parametrize("bad", ["2016-11", "tomorrow"])
def test_a_bad_as_at_is_a_plain_error(demo_board, bad):
    with pytest.raises(ValidationError):
        reports.render(demo_board, "milestones", "json", as_at=bad)
