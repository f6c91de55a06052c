"""The command line, driven as a user drives it: CliRunner for most, a real `python -m boardtui` for a few."""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from boardtui.cli import cli
from boardtui.domain.milestones import milestone_rag, slip_days
from boardtui.store import migrations

README = Path(__file__).resolve().parents[2] / "README.md"

SAVINGS_KEYS = ["year", "as_at", "requirement", "identified", "gap", "risk_adjusted", "risk_adjusted_gap", "tbc",
                "na", "programmes"]
PROGRAMME_KEYS = ["name", "identified", "tbc", "na", "ytd_plan", "ytd_actual", "forecast", "risk_adjusted", "rag",
                  "rag_reason", "schemes"]
SCHEME_KEYS = ["ref", "title", "value", "status", "forecast", "rag", "rag_reason"]
LIST_KEYS = {
    "standards": ["code", "name", "must_do", "threshold", "comparator", "unit", "period", "actual", "trajectory",
                  "rag", "rag_reason"],
    "milestones": ["ref", "title", "plan", "baseline", "forecast", "actual", "slip_days", "depends_on", "rag",
                   "rag_reason"],
    "actions": ["ref", "text", "owner", "due", "status", "overdue", "meeting", "body", "item"],
    "changes": ["at", "who", "entity", "ref", "field", "old", "new", "reason"],
}


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def assert_one_sentence_failure(result, *fragments: str) -> str:
    """Non-zero exit, nothing on stdout, one line on stderr with no traceback."""
    assert result.exit_code != 0
    err = result.stderr.strip()
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr
    assert len(err.splitlines()) == 1, err
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in err, err
    return err


def _json(*args: str):
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _readme_keys(kind: str) -> list[str]:
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| `{kind}` |"):
            return re.findall(r"`([a-z_]+)(?:\[\])?`", line.split("|")[2])
    raise AssertionError(f"README has no JSON key row for {kind}")


# ---- reports ---------------------------------------------------------------------------------------------------

def test_report_savings_json_gives_the_seed_figures(demo_path):
    d = _json("report", "savings", "--db", str(demo_path), "--format", "json")
    assert (d["requirement"], d["identified"], d["gap"], d["tbc"], d["na"]) == (15_000_000, 10_816_000, 4_184_000, 9, 1)
    subtotals = {p["name"]: (p["identified"], p["tbc"], p["na"]) for p in d["programmes"]}
    assert subtotals == {
        "Adults": (3_841_000, 2, 0),
        "Children": (0, 3, 0),
        "Complex Adults": (1_019_000, 4, 1),
        "Transactional/ Productivity Savings": (3_383_000, 0, 0),
        "Transforming Services Together": (2_573_000, 0, 0),
    }
    assert isinstance(d["requirement"], int)  # pounds as numbers, not strings


def test_savings_json_keys_are_the_documented_ones(demo_path):
    d = _json("report", "savings", "--db", str(demo_path), "--format", "json")
    assert list(d) == SAVINGS_KEYS
    assert all(list(p) == PROGRAMME_KEYS for p in d["programmes"])
    assert all(list(s) == SCHEME_KEYS for p in d["programmes"] for s in p["schemes"])
    assert set(_readme_keys("savings")) == set(SAVINGS_KEYS + PROGRAMME_KEYS + SCHEME_KEYS)


@pytest.mark.parametrize("kind", sorted(LIST_KEYS))
def test_list_report_json_keys_are_the_documented_ones(demo_path, kind):
    rows = _json("report", kind, "--db", str(demo_path), "--format", "json", "--since", "2000-01-01")
    assert rows, f"the demo's {kind} report is empty"
    assert all(list(r) == LIST_KEYS[kind] for r in rows)
    assert _readme_keys(kind) == LIST_KEYS[kind]


def _expected_milestones(day: date) -> dict[str, tuple[int, str]]:
    """W01–W13 judged straight from the demo's CSV by the domain rules, without the store."""
    with resources.as_file(resources.files("boardtui") / "data" / "milestones.csv") as path:
        rows = {r["ref"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}
    out = {}
    for ref, r in rows.items():
        if not ref.startswith("W"):
            continue
        preds = [(d, rows[d]["actual"] or rows[d]["forecast"] or rows[d]["baseline"])
                 for d in sorted(filter(None, r["depends_on"].split(";")))]
        derived = milestone_rag(r["baseline"], r["forecast"] or None, r["actual"] or None, day, predecessors=preds)
        out[ref] = (slip_days(r["baseline"], r["forecast"] or None, r["actual"] or None), derived.rag.value)
    return out


@pytest.mark.parametrize("day", ["2016-09-20", "2016-10-20", "2016-11-08", "2017-01-15"])
def test_report_milestones_as_at_follows_the_domain_rules(demo_path, day):
    rows = _json("report", "milestones", "--db", str(demo_path), "--format", "json", "--as-at", day)
    got = {r["ref"]: (r["slip_days"], r["rag"]) for r in rows if r["ref"].startswith("W")}
    expected = _expected_milestones(date.fromisoformat(day))
    assert sorted(got) == [f"W{n:02d}" for n in range(1, 14)]
    assert got == expected


def test_milestones_on_the_reference_day(demo_path):
    rows = _json("report", "milestones", "--db", str(demo_path), "--format", "json", "--as-at", "2016-11-08")
    by_ref = {r["ref"]: r for r in rows}
    assert (by_ref["W06"]["slip_days"], by_ref["W06"]["rag"]) == (14, "R")
    assert (by_ref["W01"]["rag"], by_ref["W11"]["rag"]) == ("B", "G")
    assert by_ref["W10"]["baseline"] == "2016-11" and by_ref["W10"]["forecast"] == "2016-11-01"


def test_report_text_is_the_default(demo_path):
    result = run("report", "savings", "--db", str(demo_path))
    assert result.exit_code == 0
    assert result.stdout.startswith("Savings 2017/18 (£000s)\n")


def test_report_csv(demo_path):
    result = run("report", "actions", "--db", str(demo_path), "--format", "csv")
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [r["ref"] for r in rows][:3] == ["HWB-01", "HWB-02", "HWB-03"]
    assert list(rows[0]) == LIST_KEYS["actions"]


def test_report_does_not_write_to_the_board(demo_path):
    before = sqlite3.connect(demo_path).execute("SELECT count(*) FROM audit").fetchone()[0]
    run("report", "changes", "--db", str(demo_path))
    assert sqlite3.connect(demo_path).execute("SELECT count(*) FROM audit").fetchone()[0] == before


def test_the_db_can_come_from_the_environment(demo_path, monkeypatch):
    monkeypatch.setenv("BOARDTUI_DB", str(demo_path))
    d = _json("report", "savings", "--format", "json")
    assert d["gap"] == 4_184_000


# ---- failures: one sentence, no traceback, non-zero -----------------------------------------------------------

def test_a_missing_db_is_not_found_and_no_file_is_created(tmp_path):
    missing = tmp_path / "typo.db"
    assert_one_sentence_failure(run("report", "savings", "--db", str(missing)), "not found")
    assert_one_sentence_failure(run("check", "--db", str(missing)), "not found")
    assert_one_sentence_failure(run("--db", str(missing)), "not found")
    assert list(tmp_path.iterdir()) == []


def test_not_a_board(tmp_path):
    path = tmp_path / "pack.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    before = path.read_bytes()
    assert_one_sentence_failure(run("report", "actions", "--db", str(path)), "not a board database")
    assert path.read_bytes() == before


def test_a_newer_schema(demo_path):
    conn = sqlite3.connect(demo_path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(migrations.LATEST + 1),))
    conn.commit()
    conn.close()
    assert_one_sentence_failure(run("check", "--db", str(demo_path)), "newer version of boardtui")


def test_a_bad_csv_row_names_file_row_and_column_and_imports_nothing(demo_path, tmp_path):
    path = tmp_path / "schemes.csv"
    path.write_text('ref,programme,title,year,plan_000s\nX-1,Adults,One,2017/18,100\nX-2,Adults,Two,2017/18,"£1,65"\n')
    before = sqlite3.connect(demo_path).execute("SELECT count(*) FROM schemes").fetchone()[0]
    err = assert_one_sentence_failure(
        run("import", "schemes", str(path), "--db", str(demo_path)),
        "schemes.csv", "row 3, column plan_000s", "£1,65", "nothing was imported",
    )
    assert err.count("row 3") == 1
    conn = sqlite3.connect(demo_path)
    assert conn.execute("SELECT count(*) FROM schemes").fetchone()[0] == before
    assert conn.execute("SELECT count(*) FROM schemes WHERE ref LIKE 'X-%'").fetchone()[0] == 0


def test_dry_run_lists_every_problem(demo_path, tmp_path):
    path = tmp_path / "schemes.csv"
    path.write_text("ref,programme,title,year,plan_000s\nX-1,Adults,One,2017/18,1_651\nX-2,Adults,Two,2017/18,nan\n")
    result = run("import", "schemes", str(path), "--db", str(demo_path), "--dry-run")
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert "schemes.csv row 2, column plan_000s" in result.stderr
    assert "schemes.csv row 3, column plan_000s" in result.stderr


def test_dry_run_of_a_good_file_writes_nothing(demo_path, tmp_path):
    path = tmp_path / "schemes.csv"
    path.write_text("ref,programme,title,year,plan_000s\nX-1,Adults,One,2017/18,100\n")
    result = run("import", "schemes", str(path), "--db", str(demo_path), "--dry-run")
    assert result.exit_code == 0
    assert "would import 1 schemes row(s)" in result.stdout
    assert sqlite3.connect(demo_path).execute("SELECT count(*) FROM schemes WHERE ref = 'X-1'").fetchone()[0] == 0


def test_import_writes_a_good_file(demo_path, tmp_path):
    path = tmp_path / "schemes.csv"
    path.write_text("ref,programme,title,year,plan_000s\nX-1,Adults,One,2017/18,100\n")
    result = run("import", "schemes", str(path), "--db", str(demo_path))
    assert result.exit_code == 0, result.stderr
    assert "imported 1 schemes row(s)" in result.stdout
    conn = sqlite3.connect(demo_path)
    assert conn.execute("SELECT plan_pence FROM schemes WHERE ref = 'X-1'").fetchone()[0] == 10_000_000


def test_an_unknown_import_kind(demo_path, tmp_path):
    path = tmp_path / "budgets.csv"
    path.write_text("a\n1\n")
    assert_one_sentence_failure(run("import", "budgets", str(path), "--db", str(demo_path)), "no import kind 'budgets'")


def test_an_import_file_that_does_not_exist(demo_path, tmp_path):
    assert_one_sentence_failure(run("import", "schemes", str(tmp_path / "nope.csv"), "--db", str(demo_path)),
                                "not found")


def test_an_unknown_report_kind_is_a_usage_error(demo_path):
    result = run("report", "budgets", "--db", str(demo_path))
    assert result.exit_code == 2 and "Traceback" not in result.stderr


# ---- init, backup, check ---------------------------------------------------------------------------------------

def test_init_creates_an_empty_owner_only_board(tmp_path):
    path = tmp_path / "new board.db"
    result = run("init", str(path))
    assert result.exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(migrations.LATEST)
    assert conn.execute("SELECT count(*) FROM actions").fetchone()[0] == 0


def test_init_refuses_an_existing_file(tmp_path):
    path = tmp_path / "board.db"
    path.write_text("precious")
    assert_one_sentence_failure(run("init", str(path)), "already exists")
    assert path.read_text() == "precious"


def test_backup_writes_an_owner_only_sound_copy(demo_path, tmp_path):
    target = tmp_path / "copies" / "board backup.db"
    target.parent.mkdir()
    result = run("backup", "--db", str(demo_path), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM actions").fetchone()[0] == 9
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert list(target.parent.iterdir()) == [target]


def test_backup_into_a_missing_folder_fails_plainly(demo_path, tmp_path):
    assert_one_sentence_failure(run("backup", "--db", str(demo_path), "-o", str(tmp_path / "no" / "x.db")),
                                "does not exist")


def test_check_reports_integrity_and_the_stated_gap_flag(demo_path):
    result = run("check", "--db", str(demo_path))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Integrity: ok"
    assert f"Schema version: {migrations.LATEST} (this boardtui: {migrations.LATEST})" in lines
    assert "Actions: 9" in lines
    [flag] = [line for line in lines if "£84,000k" in line]
    assert flag.startswith("Flag: Herefordshire & Worcestershire STP") and "£85,000k" in flag


def test_demo_builds_a_board_without_opening_it(tmp_path):
    path = tmp_path / "demo.db"
    result = run("demo", "--db", str(path), "--no-open")
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'reference_date'").fetchone()[0] == "2016-11-08"
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]


# ---- the real module entry point -------------------------------------------------------------------------------

def _module(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **(env_extra or {}))
    env.pop("BOARDTUI_DB", None)
    return subprocess.run([sys.executable, "-m", "boardtui", *args], capture_output=True, text=True, timeout=60,
                          env=env)


@pytest.mark.slow
def test_python_dash_m_reports(demo_path):
    done = _module("report", "savings", "--db", str(demo_path), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["identified"] == 10_816_000


@pytest.mark.slow
def test_python_dash_m_fails_with_one_sentence(tmp_path):
    done = _module("--db", str(tmp_path / "missing.db"))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == f"{tmp_path / 'missing.db'} not found."
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.slow
def test_python_dash_m_bad_import_exits_non_zero(demo_path, tmp_path):
    path = tmp_path / "actions.csv"
    path.write_text("ref,text,owner\nA-1,Do it,CFO\n")
    done = _module("import", "actions", str(path), "--db", str(demo_path))
    assert done.returncode == 1
    assert "missing required column(s) due" in done.stderr
    assert "Traceback" not in done.stderr
