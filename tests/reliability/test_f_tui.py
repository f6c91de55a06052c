"""RELIABILITY group F (and C5 through the UI): the TUI under hostile input, database errors and odd terminals.

F1/F2 are in tests/ui/test_hostile_text.py, F3 in tests/unit/test_markup_sinks.py, F8 in tests/snapshots/,
F11 in tests/ui/test_runner_persistence.py, F12 in tests/ui/test_paged_table.py and benchmarks/ (see
docs/reliability.md).
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import sys
import time
import unicodedata

import pytest
from textual import events
from textual.widgets import Input, Static

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.store import tx
from boardtui.store.connection import open_board
from boardtui.ui.modals.rag import RagDialog
from tests.conftest import DEMO_TODAY


def _messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _open_rag_dialog(pilot) -> RagDialog:
    await pilot.press("2")
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RagDialog), pilot.app.screen
    return pilot.app.screen


def _first_programme(board):
    return board.one("SELECT id, version, rag_override, rag_commentary FROM programmes ORDER BY name LIMIT 1")


# ---- C5: a read-only board: browsing works, a write is refused with a sentence -------------------------------

async def test_c5_a_read_only_board_browses_and_refuses_the_rag_edit_plainly(demo_path):
    board = open_board(demo_path, read_only=True)
    app = make_app(board, Config(), today=DEMO_TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        for key in ("1", "2", "3", "4", "5", "6", "2"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, RagDialog)
        assert any("read-only" in m.lower() for m in _messages(app)), _messages(app)
        assert app.return_code is None
    board.close()


# ---- F5: pasted control characters are cleaned before they are saved ------------------------------------------

async def test_f5_a_paste_with_control_characters_is_saved_clean(demo_board):
    app = make_app(demo_board, Config(), today=DEMO_TODAY)
    payload = "Paid\x1b]52;c;ZXZpbA==\x07 in\x00 full\x0b \u202eevil\x1b[2J"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        dialog = await _open_rag_dialog(pilot)
        await pilot.press("r")
        box = dialog.query_one("#commentary", Input)
        box.value = ""
        box.post_message(events.Paste(payload))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RagDialog)
    saved = _first_programme(demo_board)["rag_commentary"]
    assert saved and "Paid" in saved and "full" in saved
    bad = [c for c in saved if unicodedata.category(c) == "Cc" and c not in "\t\n"]
    assert bad == [] and "\u202e" not in saved


# ---- F6: tiny terminals and a resize mid-navigation --------------------------------------------------------------

@pytest.mark.parametrize("size", [(20, 5), (1, 1), (40, 10)])
async def test_f6_tiny_terminals_and_resizing_do_not_crash(demo_board, size):
    app = make_app(demo_board, Config(), today=DEMO_TODAY)
    async with app.run_test(size=size, notifications=True) as pilot:
        for key in ("1", "2", "enter", "escape", "3", "4", "5", "enter", "escape", "6"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.resize_terminal(30, 8)
        await pilot.press("2", "down", "enter")
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert app.return_code is None


# ---- F7: NO_COLOR: the RAG is readable without colour ----------------------------------------------------------

async def test_f7_no_color_keeps_the_rag_letters(demo_board, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(demo_board, Config(), today=DEMO_TODAY, screen="programmes")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert app.no_color
        screen_text = _svg_text(app.export_screenshot())
        import re

        letters = set(re.findall(r"(?<![\w/])([RAG])(?![\w/])", screen_text.split("RAG", 1)[1]))
        assert letters >= {"R", "A", "G"}, screen_text[:2000]


def _svg_text(svg: str) -> str:
    """The characters of a screenshot, in order, without the SVG around them."""
    import html
    import re

    return html.unescape(" ".join(re.findall(r">([^<>]*)</text>", svg)).replace("\xa0", " "))


# ---- F9: a database error during a save: a message, the app keeps running, the input is kept -----------------

@pytest.mark.parametrize(("error", "words"), [("database is locked", "busy"), ("database or disk is full", "disk is full"),
                                              ("attempt to write a readonly database", "read-only")])
async def test_f9_a_database_error_while_saving_keeps_the_app_and_the_form(demo_board, monkeypatch, error, words):
    before = _first_programme(demo_board)
    app = make_app(demo_board, Config(), today=DEMO_TODAY)

    def fail(self, *args, **kw):
        raise sqlite3.OperationalError(error)

    monkeypatch.setattr(tx.Writer, "update", fail)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        dialog = await _open_rag_dialog(pilot)
        await pilot.press("r")
        await pilot.press(*"Cash releasing slipped")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # still open, with what was typed
        assert dialog.query_one("#commentary", Input).value.endswith("Cash releasing slipped")
        message = str(dialog.query_one("#message", Static).content)
        assert "Not saved" in message and words in message, message
        assert app.return_code is None
    after = _first_programme(demo_board)
    assert tuple(after) == tuple(before)
    assert not demo_board.conn.in_transaction


# ---- F10: an exception inside a worker is reported and the app stays up ----------------------------------------

async def test_f10_an_exception_in_the_import_worker_is_reported_and_the_app_lives(demo_board, tmp_path, monkeypatch):
    from tests.ui.test_import_screen import _open, _settle, _summary

    def explode(*args, **kw):
        raise RuntimeError("worker blew up")

    monkeypatch.setattr("boardtui.exchange.importer.import_path", explode)
    source = tmp_path / "x.csv"
    source.write_text("ref,text\n1,a\n", encoding="utf-8")
    app = make_app(demo_board, Config(), today=DEMO_TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _open(pilot, source)
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert "failed unexpectedly" in _summary(app) and "nothing was imported" in _summary(app)
        assert app.return_code is None
        await pilot.press("escape")
        await pilot.press("2")
        await pilot.pause()
        assert app.return_code is None


# ---- F4: the real app in a pseudo-terminal never emits escapes that came from data -----------------------------

HOSTILE_TITLES = [
    "Clipboard \x1b]52;c;ZXZpbA==\x07 grab",
    "Title \x1b]0;pwned\x07 change",
    "Link \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\ here",
    "Null \x00 byte",
]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="pty behaviour is checked on Linux")
def test_f4_data_escapes_never_reach_the_terminal(demo_path, tmp_path):
    conn = sqlite3.connect(demo_path)
    names = conn.execute("SELECT id FROM programmes ORDER BY name").fetchall()
    for (pid,), title in zip(names, HOSTILE_TITLES):
        conn.execute("UPDATE programmes SET name = ? WHERE id = ?", (title, pid))
    conn.commit()
    conn.close()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40",
           "BOARDTUI_CONFIG_DIR": str(tmp_path / "c"), "BOARDTUI_DATA_DIR": str(tmp_path / "d")}
    env.pop("NO_COLOR", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real boardtui on the programmes screen
        try:
            os.execve(sys.executable, [sys.executable, "-m", "boardtui", "--db", str(demo_path),
                                       "--screen", "programmes"], env)
        finally:
            os._exit(127)
    out = bytearray()
    try:
        deadline = time.monotonic() + 4
        sent_quit = False
        while time.monotonic() < deadline + 6:
            if not sent_quit and time.monotonic() > deadline:
                os.write(fd, b"\x11")  # ctrl+q
                sent_quit = True
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            elif sent_quit:
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
    finally:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if not done:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        os.close(fd)
    assert b"Clipboard" in out or b"Title" in out or b"Link" in out, out[-2000:]  # the data was on screen
    assert b"\x1b]52" not in out
    assert b"pwned" not in out or b"\x1b]0;pwned" not in out
    assert b"\x1b]0;pwned" not in out and b"\x1b]2;pwned" not in out
    assert b"\x1b]8;;http://evil" not in out
    assert b"\x00" not in out
