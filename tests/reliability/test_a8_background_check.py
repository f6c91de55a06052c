"""RELIABILITY A8 when the TUI starts: `quick_check` runs in the background (store/connection.py IntegrityCheck).

A damaged board must still end on the damaged screen with nothing written, and no write may happen before the
check has passed. The check is held back in these tests (a gate around `_damage`), so "before the verdict" is
a state the test controls rather than a race it hopes to win.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from boardtui.cli import make_app
from boardtui.domain.errors import Busy, ReadOnly
from boardtui.domain.rag import Rag
from boardtui.store import connection
from boardtui.store.connection import open_board
from boardtui.store.rag import set_rag
from boardtui.store.tx import writing
from boardtui.ui.app import BoardApp
from boardtui.ui.integrity import IntegrityWatch
from boardtui.ui.screens.damaged import DamagedApp, DamagedScreen, damaged_message
from tests.reliability.helpers import corrupt_copy, sha256


def _journal_mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def _a_scheme(path: Path) -> tuple[str, int]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, version FROM schemes ORDER BY ref LIMIT 1").fetchone()
    finally:
        conn.close()


@pytest.fixture
def gate(monkeypatch):
    """Holds every background quick_check until `gate.set()`; the checks made at open are not held."""
    opened = threading.Event()
    real = connection._damage

    def held(conn, path):
        if threading.current_thread() is not threading.main_thread():
            opened.wait(30)
        return real(conn, path)

    monkeypatch.setattr(connection, "_damage", held)
    yield opened
    opened.set()


@pytest.fixture
def wal_demo(demo_template, tmp_path) -> Path:
    """A sound copy of the demo board in WAL mode, so that opening it switches nothing and the check can wait."""
    path = tmp_path / "board.db"
    path.write_bytes(demo_template.read_bytes())
    path.chmod(0o600)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    finally:
        conn.close()
    return path


def corrupt_table(source: Path, target: Path, table: str) -> Path:
    """A copy whose `table` has 64 bytes of 0xFF over its root page: the schema still reads, quick_check fails."""
    conn = sqlite3.connect(source)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = :t", {"t": table}).fetchone()[0]
    finally:
        conn.close()
    data = bytearray(source.read_bytes())
    data[(root - 1) * size : (root - 1) * size + 64] = b"\xff" * 64
    target.write_bytes(bytes(data))
    target.chmod(0o600)
    return target


@pytest.fixture
def damaged_wal(wal_demo, tmp_path) -> Path:
    """Damage in a table no screen reads at start-up (declared interests)."""
    return corrupt_table(wal_demo, tmp_path / "damaged.db", "interests")


def test_a8_a_write_before_the_verdict_waits_and_then_is_refused_on_a_damaged_board(damaged_wal, gate):
    before = sha256(damaged_wal)
    board = open_board(damaged_wal, who="chair", background_check=True)
    assert board.integrity is not None and board.damaged is None and not board.read_only
    with pytest.raises(Busy) as still:
        board.await_integrity(timeout=0.05)
    assert "still being checked" in str(still.value)
    gate.set()
    with pytest.raises(ReadOnly) as refused:
        with writing(board, reason="must not happen"):
            pass
    assert "the file is damaged" in str(refused.value) and "nothing was saved" in str(refused.value)
    assert board.damaged and board.read_only and board.integrity is None
    board.close()
    assert sha256(damaged_wal) == before
    assert not Path(f"{damaged_wal}-journal").exists()


def test_a8_a_write_after_the_verdict_is_refused_and_the_damage_reads_as_at_open(damaged_wal):
    board = open_board(damaged_wal, who="chair", background_check=True)
    assert board.integrity.wait(30)
    with pytest.raises(ReadOnly):
        with writing(board, reason="must not happen"):
            pass
    checked_at_open = open_board(damaged_wal, who="chair")
    try:
        assert board.damaged == checked_at_open.damaged
        assert damaged_message(board) == damaged_message(checked_at_open)
    finally:
        checked_at_open.close()
        board.close()


def test_a8_a_sound_board_writes_once_the_check_has_passed(wal_demo, gate):
    board = open_board(wal_demo, who="chair", background_check=True)
    scheme_id, version = _a_scheme(wal_demo)
    threading.Timer(0.1, gate.set).start()  # the write below waits for this verdict
    set_rag(board, "scheme", scheme_id, version, Rag.A, "checked first", Rag.G)
    assert board.integrity is None and board.damaged is None
    board.close()
    assert _a_scheme(wal_demo) == (scheme_id, version + 1)


def test_a8_opening_that_writes_checks_first_even_when_asked_to_check_later(demo_template, tmp_path):
    path = corrupt_copy(demo_template, tmp_path / "damaged.db", "page 4")
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # opening would switch it to WAL: a write to the header
    except sqlite3.DatabaseError:
        pytest.skip("this damage stops SQLite changing the journal mode")
    finally:
        conn.close()
    before = sha256(path)
    board = open_board(path, who="chair", background_check=True)
    assert board.damaged and board.read_only and board.integrity is None
    board.close()
    assert sha256(path) == before


def test_a8_the_app_watches_the_background_check():
    assert issubclass(BoardApp, IntegrityWatch)


async def test_a8_the_tui_ends_on_the_damaged_screen_when_the_background_check_fails(damaged_wal, gate):
    before = sha256(damaged_wal)
    board = open_board(damaged_wal, who="chair", background_check=True)
    app = BoardApp(board)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.closed_for_damage
        gate.set()
        for _ in range(100):
            await pilot.pause(0.05)
            if app.closed_for_damage:
                break
    assert app.closed_for_damage and board.damaged and board.read_only
    damaged = make_app(board)  # what cli._run_tui runs next
    assert isinstance(damaged, DamagedApp)
    async with damaged.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(damaged.screen, DamagedScreen)
        text = str(damaged.screen.query_one("#damaged-message").content)
        assert "damaged" in text and "read-only" in text and "boardtui backup" in text
        await pilot.press("ctrl+q")
    board.close()
    assert sha256(damaged_wal) == before


async def test_a8_a_read_that_trips_over_the_damage_first_ends_on_the_damaged_screen_too(wal_demo, tmp_path, gate):
    # The dashboard reads the milestones table, and fails on it while the verdict is held back.
    path = corrupt_table(wal_demo, tmp_path / "damaged.db", "milestones")
    before = sha256(path)
    board = open_board(path, who="chair", background_check=True)
    with pytest.raises(sqlite3.DatabaseError):
        board.query("SELECT * FROM milestones")
    app = BoardApp(board)
    threading.Timer(0.5, gate.set).start()  # the verdict arrives while the app waits on its failed read
    # As `app.run()` runs it (run_test would wait for the screen whose read failed, which never finishes
    # mounting): the app must end by itself, with no error left to report.
    await asyncio.wait_for(app.run_async(headless=True, size=(100, 30)), timeout=60)
    assert app.return_code == 0 and app._exception is None
    assert app.closed_for_damage and board.damaged
    assert isinstance(make_app(board), DamagedApp)
    board.close()
    assert sha256(path) == before


def test_a8_only_the_tui_checks_in_the_background(wal_demo, monkeypatch):
    from click.testing import CliRunner

    from boardtui import cli as cli_module

    seen = []

    def run_tui(ctx, board, screen, theme):
        seen.append(board.integrity is not None)
        board.close()

    monkeypatch.setattr(cli_module, "_run_tui", run_tui)
    opened = CliRunner().invoke(cli_module.cli, ["--db", str(wal_demo)])
    assert opened.exit_code == 0, opened.output
    assert seen == [True]
    commands: list[bool] = []
    real_open = connection.open_board

    def open_board_seen(*args, **kw):
        board = real_open(*args, **kw)
        commands.append(board.integrity is not None)
        return board

    monkeypatch.setattr(connection, "open_board", open_board_seen)
    checked = CliRunner().invoke(cli_module.cli, ["check", "--db", str(wal_demo)])
    assert checked.exit_code == 0, checked.output
    assert commands == [False]
