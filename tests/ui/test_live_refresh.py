"""Colleagues' changes appear on an open screen (ui/live.py): without a restart, with the cursor on the same row,
and never under an open dialog. On a SQLite file (`PRAGMA data_version`) and on PostgreSQL (the audit count). A lost
server connection is said on screen, refuses edits until it is back, and keeps what is shown and typed."""

from __future__ import annotations

from textual.widgets import Input

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.store.connection import open_board
from boardtui.store.copy import copy_board
from boardtui.store.tx import writing
from boardtui.ui import live
from boardtui.ui.modals.prompt import PromptDialog
from boardtui.ui.screens import board_edits
from boardtui.ui.screens.actions import ActionsScreen
from tests.conftest import DEMO_TODAY
from tests.pgserver import allow_connections, drop_connections

OWNER = 4  # the Owner column of the actions list


async def _settle(pilot, table) -> None:
    await pilot.pause()
    while table.counting:
        await pilot.pause(0.05)


def _colleague_sets_owner(source, key: str, owner: str) -> None:
    """A second connection to the same board, as a colleague's boardtui would have, changes one action."""
    colleague = open_board(source, who="colleague")
    try:
        row = colleague.one("SELECT version FROM actions WHERE id = :i", {"i": key})
        with writing(colleague, reason="colleague's edit") as w:
            w.update("actions", key, row["version"], {"owner": owner}, entity="action")
    finally:
        colleague.close()


async def test_a_colleagues_change_shows_with_the_cursor_on_the_same_row(any_demo_source):
    board = open_board(any_demo_source, who="tester")
    app = make_app(board, Config(), screen="actions", today=DEMO_TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        table = screen.table
        await _settle(pilot, table)
        watcher = live.watch(app)
        for _ in range(3):
            await pilot.press("down")
        key, index = table.cursor_key, table.cursor_index
        assert index == 3
        other = table.get_row(5).key

        watcher.poll()  # nothing changed yet: nothing reloaded
        assert table.get_row(3).cells[OWNER] != "Somebody Else"

        _colleague_sets_owner(any_demo_source, key, "Somebody Else")
        _colleague_sets_owner(any_demo_source, other, "Another Colleague")
        watcher.poll()
        await _settle(pilot, table)
        assert (table.cursor_key, table.cursor_index) == (key, index)
        assert table.get_row(index).cells[OWNER] == "Somebody Else"
        assert table.get_row(5).cells[OWNER] == "Another Colleague"
    board.close()


async def test_nothing_reloads_under_an_open_dialog_and_the_change_shows_after_it_closes(demo_path):
    board = open_board(demo_path, who="tester")
    app = make_app(board, Config(), screen="actions", today=DEMO_TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        table = app.screen.table
        await _settle(pilot, table)
        watcher = live.watch(app)
        key = table.cursor_key
        before = table.get_row(0).cells[OWNER]
        answers = []
        app.push_screen(PromptDialog("Owner", "who owns it now"), answers.append)
        await pilot.pause()
        await pilot.press(*"half typ")
        dialog = app.screen

        _colleague_sets_owner(demo_path, key, "Somebody Else")
        watcher.poll()
        await pilot.pause()
        assert app.screen is dialog and dialog.query_one(Input).value == "half typ"  # untouched
        assert watcher.pending
        assert table.get_row(0).cells[OWNER] == before

        await pilot.press("escape")
        await pilot.pause()
        assert answers == [None] and app.screen is not dialog
        watcher.poll()
        await _settle(pilot, table)
        assert not watcher.pending
        assert table.cursor_key == key
        assert table.get_row(0).cells[OWNER] == "Somebody Else"


async def test_a_lost_server_is_said_edits_wait_and_nothing_typed_or_shown_is_lost(pg_url, demo_path):
    copy_board(demo_path, pg_url)
    board = open_board(pg_url, who="tester")
    app = make_app(board, Config(), screen="actions", today=DEMO_TODAY)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        table = app.screen.table
        await _settle(pilot, table)
        watcher = live.watch(app)
        shown = [table.get_row(i) for i in range(5)]
        app.push_screen(PromptDialog("Owner", "who owns it now"))
        await pilot.pause()
        await pilot.press(*"half typ")
        dialog = app.screen

        drop_connections(pg_url, refuse_new=True)
        watcher.poll()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(n.title == "Connection lost" and "was lost" in n.message for n in app._notifications)
        assert app.screen is dialog and dialog.query_one(Input).value == "half typ"
        assert "connection to the server was lost" in board_edits.write_refusal(dialog)
        assert [table.get_row(i) for i in range(5)] == shown

        allow_connections(pg_url)
        watcher.poll()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert watcher.lost is None and not board.read_only
        assert any(n.title == "Connection back" for n in app._notifications)
        assert dialog.query_one(Input).value == "half typ"
    board.close()
