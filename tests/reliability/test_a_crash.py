"""RELIABILITY group A: transactions, crash safety and integrity.

A1/A2 (kill -9 during an import, and during its commit) are in test_import_kill.py; the rest are here.
"""

from __future__ import annotations

import csv
import errno
import os
import re
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from boardtui.cli import make_app
from boardtui.domain.errors import BoardError, ReadOnly
from boardtui.domain.rag import Rag
from boardtui.exchange.canonical import ImportRefused, import_file
from boardtui.exchange.files import write_atomic
from boardtui.store import connection, health
from boardtui.store.connection import backup_to, open_board
from boardtui.store.rag import set_rag
from boardtui.store.tx import writing
from boardtui.ui.screens.damaged import DamagedApp, DamagedScreen
from tests.reliability.helpers import corrupt_copy, python_child, reap, sha256, wait_for_line

APP_CODE = Path(__file__).resolve().parents[2] / "boardtui"


def _app_sources():
    return sorted(APP_CODE.rglob("*.py"))


def _a_scheme(path: Path) -> tuple[str, int]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, version FROM schemes ORDER BY ref LIMIT 1").fetchone()
    finally:
        conn.close()


# ---- A2: a crash loop: kill -9 at random points of an import, through and past its commit ---------------------

IMPORT_AND_SAY_MIDWAY = """
import sys
from boardtui.exchange.canonical import import_file
from boardtui.store import tx
from boardtui.store.connection import open_board

original, seen = tx.Writer.upsert, [0]
def upsert(self, *args, **kw):
    seen[0] += 1
    if seen[0] == int(sys.argv[3]):
        print("midway", flush=True)
    return original(self, *args, **kw)
tx.Writer.upsert = upsert
import_file(open_board(sys.argv[1], who="crash loop"), "actions", sys.argv[2])
print("committed", flush=True)
"""


@pytest.mark.slow
def test_a2_a_crash_loop_of_random_kill_points_always_leaves_all_or_nothing(tmp_path):
    import random
    import shutil

    rows = 2_000
    source = _actions_csv(tmp_path / "actions.csv", rows)
    template = tmp_path / "template.db"
    connection.create_board(template).close()
    rng = random.Random(20261124)
    outcomes = []
    for i in range(10):
        path = tmp_path / f"loop{i}.db"
        shutil.copyfile(template, path)
        child = python_child(IMPORT_AND_SAY_MIDWAY, path, source, rows // 2)
        try:
            wait_for_line(child, "midway")
            time.sleep(rng.uniform(0, 0.4))  # anywhere from mid-rows, through the audit flush and the commit, to after
            os.kill(child.pid, signal.SIGKILL)
        finally:
            reap(child)
        board = open_board(path)
        try:
            assert board.scalar("PRAGMA integrity_check") == "ok"
            n = board.scalar("SELECT count(*) FROM actions")
            logged = board.scalar("SELECT count(*) FROM audit WHERE op = 'import'")
        finally:
            board.close()
        assert (n, logged) in ((0, 0), (rows, 1)), (i, n, logged)
        outcomes.append(n)
    assert 0 in outcomes  # at least some kills landed before the commit


# ---- A3: kill -9 between the RAG update and its audit row ------------------------------------------------------

KILL_BETWEEN_UPDATE_AND_AUDIT = """
import sys, time
from boardtui.domain.rag import Rag
from boardtui.store import tx
from boardtui.store.connection import open_board
from boardtui.store.rag import set_rag

original = tx.Writer.audit
def audit(self, *args, **kw):
    print("midway", flush=True)  # the UPDATE has run inside the transaction; the audit insert has not
    time.sleep(30)
    return original(self, *args, **kw)
tx.Writer.audit = audit
board = open_board(sys.argv[1], who="killed")
set_rag(board, "scheme", sys.argv[2], int(sys.argv[3]), Rag.R, "about to be killed", Rag.G)
print("committed", flush=True)
"""


@pytest.mark.slow
def test_a3_kill_between_the_rag_update_and_its_audit_row_keeps_neither(demo_path):
    scheme_id, version = _a_scheme(demo_path)
    audits_before = sqlite3.connect(demo_path).execute("SELECT count(*) FROM audit").fetchone()[0]
    child = python_child(KILL_BETWEEN_UPDATE_AND_AUDIT, demo_path, scheme_id, version)
    try:
        wait_for_line(child, "midway")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        reap(child)
    board = open_board(demo_path, who="next")
    try:
        assert board.scalar("PRAGMA integrity_check") == "ok"
        row = board.one("SELECT version, rag_override FROM schemes WHERE id = ?", (scheme_id,))
        assert (row["version"], row["rag_override"]) == (version, None)
        assert board.scalar("SELECT count(*) FROM audit") == audits_before
        # the next user's change goes through
        assert set_rag(board, "scheme", scheme_id, version, Rag.R, "after the crash", Rag.G) == version + 1
    finally:
        board.close()


# ---- A4: `with conn:` is not a transaction around sqlite-utils' batch inserts ----------------------------------

def test_a4_with_conn_around_insert_all_leaves_partial_rows_the_trap_we_avoid(tmp_path):
    db = Database(tmp_path / "trap.db")
    db["t"].create({"n": int})

    def rows():
        for n in range(500):
            if n == 250:
                raise RuntimeError("killed half-way")
            yield {"n": n}

    with pytest.raises(RuntimeError):
        with db.conn:
            db["t"].insert_all(rows(), batch_size=100)
    assert db["t"].count > 0  # earlier batches were committed: `with db.conn:` is not all-or-nothing
    db.close()


def test_a4_the_write_helper_around_the_same_inserts_leaves_nothing(empty_board):
    def rows():
        for n in range(500):
            if n == 250:
                raise RuntimeError("killed half-way")
            yield n

    with pytest.raises(RuntimeError):
        with writing(empty_board, reason="test") as w:
            for n in rows():
                w.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{n}", str(n)))
    assert empty_board.scalar("SELECT count(*) FROM meta WHERE key LIKE 'k%'") == 0


def test_a4_no_app_code_uses_a_connection_as_a_context_manager():
    pattern = re.compile(r"^\s*(async\s+)?with\s+[^\n]*\bconn\s*:", re.MULTILINE)
    offenders = [f"{p.relative_to(APP_CODE.parent)}:{m.group(0).strip()}" for p in _app_sources()
                 for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []


# ---- A5: a validation error on row 57 of 100 writes nothing -----------------------------------------------------

def _actions_csv(path: Path, rows: int, bad_row: int | None = None, wide: int = 0) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["ref", "text", "owner", "due", "status"])
        for i in range(1, rows + 1):
            due = "not a date" if i == bad_row else f"2017-{1 + i % 12:02d}-{1 + i % 28:02d}"
            w.writerow([f"R-{i:05d}", f"Action {i} " + "x" * wide, f"Owner {i % 7}", due, "open"])
    return path


def test_a5_a_bad_row_57_of_100_writes_nothing_and_names_the_row_and_column(empty_board, tmp_path):
    source = _actions_csv(tmp_path / "actions.csv", 100, bad_row=57)
    with pytest.raises(ImportRefused) as refused:
        import_file(empty_board, "actions", source)
    message = str(refused.value)
    # row 57 of the data is line 58 of the file (after the header); either way the row and column are named
    assert re.search(r"row 5[78]\b", message), message
    assert "due" in message
    assert empty_board.scalar("SELECT count(*) FROM actions") == 0
    assert empty_board.scalar("SELECT count(*) FROM audit") == 0


# ---- A6: disk full during an import ----------------------------------------------------------------------------

def test_a6_disk_full_during_an_import_says_so_and_leaves_the_board_as_it_was(empty_board, tmp_path):
    source = _actions_csv(tmp_path / "wide.csv", 2_000, wide=400)
    path = empty_board.path
    pages = empty_board.scalar("PRAGMA page_count")
    empty_board.conn.execute(f"PRAGMA max_page_count = {pages + 5}")
    with pytest.raises(BoardError) as full:
        import_file(empty_board, "actions", source)
    assert "disk is full" in str(full.value)
    assert "Traceback" not in str(full.value)
    assert empty_board.scalar("SELECT count(*) FROM actions") == 0
    assert empty_board.scalar("PRAGMA integrity_check") == "ok"
    assert not empty_board.conn.in_transaction
    # still usable: a small import fits, and the file reopens cleanly
    assert import_file(empty_board, "actions", _actions_csv(tmp_path / "one.csv", 1)).rows == 1
    empty_board.close()
    again = open_board(path)
    assert again.scalar("SELECT count(*) FROM actions") == 1
    again.close()


# ---- A7: disk full while exporting -----------------------------------------------------------------------------

@pytest.mark.parametrize("existing", [None, b"last month's pack"])
def test_a7_disk_full_while_exporting_leaves_no_partial_file(tmp_path, monkeypatch, existing):
    target = tmp_path / "pack.csv"
    if existing is not None:
        target.write_bytes(existing)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(BoardError) as err:
        write_atomic(target, b"x" * 100_000, confidential=False)
    assert "disk is full" in str(err.value)
    assert (target.read_bytes() if target.exists() else None) == existing
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a7_a_real_device_that_is_full_is_refused_cleanly(tmp_path, monkeypatch):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    real_open = os.fdopen

    def onto_dev_full(fd, *args, **kw):
        return real_open(os.open("/dev/full", os.O_WRONLY), *args, **kw)

    monkeypatch.setattr(os, "fdopen", onto_dev_full)
    target = tmp_path / "minutes.md"
    with pytest.raises(BoardError) as err:
        write_atomic(target, b"x" * 100_000, confidential=True)
    assert "disk is full" in str(err.value)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


# ---- A8/A9: a damaged file opens read-only on the damaged screen, and nothing is written -------------------------

@pytest.mark.parametrize("how", ["page 4", "half"])
async def test_a8_a_damaged_board_opens_read_only_on_the_damaged_screen(demo_template, tmp_path, how):
    path = corrupt_copy(demo_template, tmp_path / "damaged.db", how)
    before = sha256(path)
    board = open_board(path, who="chair")
    assert board.damaged and board.read_only
    app = make_app(board)
    assert isinstance(app, DamagedApp)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DamagedScreen)
        text = str(app.screen.query_one("#damaged-message").content)
        assert "damaged" in text and "read-only" in text
        assert "boardtui backup" in text and "backup" in text
        for key in ("1", "2", "r", "e", "ctrl+s", "enter"):
            await pilot.press(key)
        assert app.return_code is None and isinstance(app.screen, DamagedScreen)
        await pilot.press("ctrl+q")
    with pytest.raises(ReadOnly):
        with writing(board, reason="must not happen"):
            pass
    board.close()
    assert sha256(path) == before
    assert not Path(f"{path}-journal").exists()


def test_a9_a_check_that_raises_counts_as_damage_not_a_crash():
    class Exploding:
        def execute(self, sql):
            raise sqlite3.DatabaseError("database disk image is malformed")

    assert connection._damage(Exploding(), Path("x.db")) == "database disk image is malformed"


@pytest.mark.parametrize("how", ["page 4", "half"])
def test_a9_check_and_backup_on_a_damaged_board_say_so_and_write_nothing(demo_template, tmp_path, how):
    path = corrupt_copy(demo_template, tmp_path / "damaged.db", how)
    before = sha256(path)
    board = open_board(path)
    result = health.check(board)
    assert not result.ok and "DAMAGED" in result.lines[0]
    try:
        backup_to(board, tmp_path / "rescued.db")  # the page-4 damage copies; a half file may not
    except BoardError as exc:
        assert "failed" in str(exc)
    board.close()
    assert sha256(path) == before
    assert not (tmp_path / ".rescued.db.part").exists()


def test_a8_a_sound_board_is_not_marked_damaged(demo_board):
    assert demo_board.damaged is None and not demo_board.read_only


def test_a8_quick_check_cost_on_open_is_small(demo_path):
    started = time.perf_counter()
    open_board(demo_path).close()
    assert time.perf_counter() - started < 2  # under 1 ms of it is quick_check on the demo (about 0.26 s at 230 MB)


# ---- A10: a hot journal and a user who may not write ---------------------------------------------------------------

HOT_JOURNAL = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")  # spill to the file early, so the journal is hot when we die
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE actions SET text = text || ' changed'")
conn.execute("INSERT INTO meta (key, value) WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
             "WHERE n < 300) SELECT 'pad' || n, zeroblob(4000) FROM s")
print("midway", flush=True)
time.sleep(30)
"""


def _setpriv_available() -> bool:
    return os.geteuid() == 0 and Path("/usr/bin/setpriv").exists()


@pytest.mark.slow
@pytest.mark.skipif(not _setpriv_available(), reason="needs root and setpriv to act as another user")
def test_a10_a_hot_journal_and_a_read_only_user_gets_a_sentence_not_a_traceback(demo_template):
    import shutil
    import subprocess
    import sys
    import tempfile

    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        folder.chmod(0o755)
        path = folder / "board.db"
        shutil.copyfile(demo_template, path)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        child = python_child(HOT_JOURNAL, path)
        try:
            wait_for_line(child, "midway")
            os.kill(child.pid, signal.SIGKILL)
        finally:
            reap(child)
        journal = Path(f"{path}-journal")
        assert journal.exists() and journal.stat().st_size > 0
        path.chmod(0o644)
        journal.chmod(0o644)
        before = sha256(path)
        result = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "boardtui",
             "check", "--db", str(path)],
            capture_output=True, text=True, timeout=30,
            env={**os.environ, "HOME": str(folder), "BOARDTUI_CONFIG_DIR": str(folder / "c"),
                 "BOARDTUI_DATA_DIR": str(folder / "d")},
        )
        assert result.returncode != 0
        assert "Traceback" not in result.stderr + result.stdout
        assert "write access" in result.stderr or "read-only" in result.stderr.lower(), result.stderr
        assert sha256(path) == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---- A11: a backup taken while another process writes ------------------------------------------------------------

KEEP_WRITING = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
print("writing", flush=True)
deadline = time.monotonic() + 20
n = 0
while time.monotonic() < deadline:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"w{n}", "x" * 500))
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"v{n}", "y" * 500))
    conn.execute("COMMIT")
    n += 1
"""


@pytest.mark.slow
@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_a11_a_backup_while_another_process_writes_is_a_consistent_snapshot(demo_path, tmp_path, journal_mode):
    board = open_board(demo_path, journal_mode=journal_mode)
    child = python_child(KEEP_WRITING, demo_path)
    try:
        wait_for_line(child, "writing")
        time.sleep(0.2)
        for i in range(3):
            copy = backup_to(board, tmp_path / f"copy{i}.db")
            conn = sqlite3.connect(copy)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                w = conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'w%'").fetchone()[0]
                v = conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'v%'").fetchone()[0]
                assert w == v  # both rows of each transaction, or neither
            finally:
                conn.close()
            assert copy.stat().st_mode & 0o777 == 0o600
            open_board(copy, read_only=True).close()
    finally:
        reap(child)
        board.close()


# ---- A12: copies of a board are made with the backup API, never as files ---------------------------------------

def test_a12_app_code_never_copies_files_with_shutil():
    offenders = [f"{p.relative_to(APP_CODE.parent)}:{n}" for p in _app_sources()
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\b(shutil\.)?(copyfile|copy2|copy|copyfileobj)\(", line) and "shutil" in line]
    assert offenders == []


def test_a8_the_cli_on_a_damaged_board_says_damaged_and_offers_backup(demo_template, tmp_path):
    from click.testing import CliRunner

    from boardtui.cli import cli

    path = corrupt_copy(demo_template, tmp_path / "damaged.db", "page 4")
    before = sha256(path)
    checked = CliRunner().invoke(cli, ["check", "--db", str(path)])
    assert checked.exit_code == 1 and "DAMAGED" in checked.output and "boardtui backup" in checked.output
    source = _actions_csv(tmp_path / "a.csv", 1)
    imported = CliRunner().invoke(cli, ["import", "actions", str(source), "--db", str(path)])
    assert imported.exit_code != 0 and "damaged" in imported.output and "Traceback" not in imported.output
    assert sha256(path) == before
