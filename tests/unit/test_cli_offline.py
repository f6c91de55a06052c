"""`boardtui checkout`, `checkin` and `copy` from the command line, and a check-in killed part way."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date

from click.testing import CliRunner

from boardtui.cli import cli
from boardtui.domain.rag import Rag
from boardtui.store import offline
from boardtui.store.connection import open_board
from boardtui.store.rag import set_rag


def _run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _scheme(board):
    return board.query("SELECT id, ref, version FROM schemes ORDER BY ref LIMIT 2")


def test_an_offline_rag_change_on_an_untouched_row_arrives_with_its_commentary(demo_path, tmp_path):
    laptop = tmp_path / "laptop.db"
    out = _run("checkout", str(demo_path), "-o", str(laptop))
    assert out.exit_code == 0, out.output
    assert oct(laptop.stat().st_mode & 0o777) == oct(0o600)
    lap = open_board(laptop, who="chair")
    s = _scheme(lap)[0]
    set_rag(lap, "scheme", s["id"], s["version"], Rag.R, "Chair: recovery plan not credible", Rag.G)
    lap.close()

    out = _run("checkin", str(laptop))
    assert out.exit_code == 0, out.output
    assert "0 new, 1 changed" in out.output
    assert not (tmp_path / "laptop.db.base").exists()
    src = open_board(demo_path)
    assert src.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": s["id"]}) == "R"
    src.close()
    report = _run("report", "changes", "--db", str(demo_path), "--format", "json",
                  "--since", date.today().isoformat(), "--as-at", "2199-12-31")
    rows = json.loads(report.output)
    rows = rows if isinstance(rows, list) else rows.get("changes", rows)
    mine = [r for r in rows if r["ref"] == s["ref"] and r["field"] == "rag_override"]
    assert mine and mine[0]["new"] == "R" and mine[0]["who"] == "chair"
    assert mine[0]["reason"] == "Chair: recovery plan not credible"


def test_conflicts_are_listed_one_line_each_with_exit_status_3(demo_path, tmp_path):
    laptop = tmp_path / "laptop.db"
    _run("checkout", str(demo_path), "-o", str(laptop))
    lap = open_board(laptop, who="chair")
    s = _scheme(lap)[0]
    set_rag(lap, "scheme", s["id"], s["version"], Rag.R, "Red from the chair", Rag.G)
    lap.close()
    src = open_board(demo_path, who="pmo.lead")
    set_rag(src, "scheme", s["id"], s["version"], Rag.G, "Green from the office", Rag.G)
    src.close()
    out = _run("checkin", str(laptop))
    assert out.exit_code == 3
    lines = [line for line in out.output.splitlines() if "you set" in line]
    assert len(lines) == 2
    assert any(f"{s['ref']} rag_override: you set R; pmo.lead set G at " in line for line in lines)
    src = open_board(demo_path)
    assert src.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": s["id"]}) == "G"
    src.close()
    again = _run("checkin", str(laptop))
    assert again.exit_code == 1 and "checked in already" in again.output


def test_refusals_are_one_sentence(demo_path, tmp_path):
    out = _run("checkin", str(tmp_path / "nothing.db"))
    assert out.exit_code == 1 and "not found" in out.output
    out = _run("checkin", str(demo_path))
    assert out.exit_code == 1 and "not an offline copy" in out.output
    assert "Traceback" not in out.output


def test_copy_checks_counts_and_refuses_a_board_that_is_not_empty(demo_path, tmp_path):
    dest = tmp_path / "archive.db"
    out = _run("copy", str(demo_path), str(dest))
    assert out.exit_code == 0, out.output
    assert "counts checked" in out.output
    a, b = sqlite3.connect(demo_path), sqlite3.connect(dest)
    for table in ("schemes", "actions", "audit", "meetings", "standard_periods"):
        q = f"SELECT * FROM {table} ORDER BY id"
        assert a.execute(q).fetchall() == b.execute(q).fetchall()
    a.close()
    b.close()
    out = _run("copy", str(demo_path), str(dest))
    assert out.exit_code == 1 and "not empty" in out.output


_KILL_SCRIPT = """
import sys, time
from boardtui.store import offline, tx
real = tx.Writer.update
def slow(self, *a, **k):
    time.sleep(0.05)
    return real(self, *a, **k)
tx.Writer.update = slow
print("go", flush=True)
offline.checkin(sys.argv[1])
print("done", flush=True)
"""


def test_killing_a_checkin_leaves_the_source_untouched_or_fully_merged(demo_path, tmp_path):
    laptop = tmp_path / "laptop.db"
    co = offline.checkout(demo_path, laptop)
    lap = open_board(laptop, who="chair")
    lap.conn.execute("BEGIN")
    lap.conn.execute("UPDATE schemes SET lead = 'offline lead', version = version + 1")
    lap.conn.execute("COMMIT")
    changed = lap.scalar("SELECT count(*) FROM schemes")
    lap.close()
    before = sqlite3.connect(demo_path).execute("SELECT count(*) FROM schemes WHERE lead = 'offline lead'").fetchone()
    assert before[0] == 0
    proc = subprocess.Popen([sys.executable, "-c", _KILL_SCRIPT, str(co.file)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ})
    assert proc.stdout.readline().strip() == "go"
    time.sleep(0.4)  # part way through the updates
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL  # it did not get to the end
    src = open_board(demo_path)  # opening recovers the rolled-back journal
    n = src.scalar("SELECT count(*) FROM schemes WHERE lead = 'offline lead'")
    assert n == 0  # killed inside the transaction: nothing of it is in the source
    src.close()
    out = _run("checkin", str(laptop))  # and it can simply be run again
    assert out.exit_code == 0, out.output
    src = open_board(demo_path)
    assert src.scalar("SELECT count(*) FROM schemes WHERE lead = 'offline lead'") == changed
    src.close()
