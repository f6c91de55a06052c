"""RELIABILITY A1/A2: kill -9 in the middle of a 50k-row import leaves every row or none, and the board intact.

The real `boardtui import` runs in a child process; its progress lines on stderr say how far the writing has
gone, and the parent sends SIGKILL at a chosen point: half-way through writing the rows, just after the last
chunk (while the audit rows are flushed and the transaction commits), and at a random moment. Then the board
must hold either all 50,000 actions with their one import audit row, or nothing, and `boardtui check` must say
the database is intact.
"""

from __future__ import annotations

import csv
import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

ROWS = 50_000
DEADLINE = 90  # seconds: a hard limit for each child, whatever happens


def _actions_csv(path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["ref", "text", "owner", "due", "status"])
        for i in range(ROWS):
            w.writerow([f"K-{i:06d}", f"Action {i}", f"Owner {i % 40}", f"2017-{1 + i % 12:02d}-{1 + i % 28:02d}",
                        "open"])


def _cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "boardtui", *args], capture_output=True, text=True, timeout=60, **kw)


def _written(line: str) -> int | None:
    """Rows written so far, from a progress line such as "a.csv: writing 25,000 of 50,000 rows (…)"."""
    if ": writing " not in line:
        return None
    return int(line.split(": writing ", 1)[1].split(" of ", 1)[0].replace(",", ""))


def _import_and_kill(db, source, kill_when) -> list[str]:
    child = subprocess.Popen([sys.executable, "-m", "boardtui", "import", "actions", str(source), "--db", str(db)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    sel = selectors.DefaultSelector()
    sel.register(child.stderr, selectors.EVENT_READ)
    started = time.monotonic()
    try:
        while time.monotonic() - started < DEADLINE:
            if not sel.select(timeout=1):
                if child.poll() is not None:
                    break
                continue
            line = child.stderr.readline()
            if not line:
                break
            seen.append(line.strip())
            delay = kill_when(line)
            if delay is not None:
                time.sleep(delay)
                child.send_signal(signal.SIGKILL)
                break
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
        sel.close()
        child.stderr.close()
    return seen


def _at(rows: int):
    return lambda line: 0 if (_written(line) or 0) >= rows else None


def _random_after_checking(rng: random.Random):
    return lambda line: rng.uniform(0, 3) if ": checking 0 of" in line else None


@pytest.mark.slow
@pytest.mark.parametrize("point", ["half-way", "last chunk", "random"])
def test_kill_minus_nine_during_an_import_leaves_all_or_nothing(tmp_path, point):
    source = tmp_path / "actions.csv"
    _actions_csv(source)
    db = tmp_path / "board.db"
    assert _cli("init", str(db)).returncode == 0
    kill_when = {"half-way": _at(ROWS // 2), "last chunk": _at(ROWS),
                 "random": _random_after_checking(random.Random(os.getpid()))}[point]
    seen = _import_and_kill(db, source, kill_when)
    if point != "random":
        assert any("rows/s" in line for line in seen), seen  # the progress line a long import shows

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        actions = conn.execute("SELECT count(*) FROM actions").fetchone()[0]
        imports = conn.execute("SELECT count(*) FROM audit WHERE op = 'import'").fetchone()[0]
        created = conn.execute("SELECT count(*) FROM audit WHERE op = 'create' AND entity = 'action'").fetchone()[0]
    finally:
        conn.close()
    assert actions in (0, ROWS)
    assert (imports, created) == ((1, ROWS) if actions else (0, 0))
    if point == "half-way":
        assert actions == 0  # killed before the commit: nothing
    check = _cli("check", "--db", str(db))
    assert check.returncode == 0, check.stderr
    assert "Integrity: ok" in check.stdout
    assert f"Actions: {actions:,}" in check.stdout
