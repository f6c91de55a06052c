"""The actions list: the sort key, and a text filter's count made on a worker thread after its first page has
painted ("counting…" until then, never an earlier filter's figure, `end` waiting for it)."""

from __future__ import annotations

import threading

from textual.widgets import Static

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.store import actions as actions_store
from boardtui.store.connection import open_board
from boardtui.ui.screens.actions import ActionsScreen
from boardtui.ui.sources import ActionsSource
from boardtui.ui.widgets.paged_table import PagedTable
from tests.conftest import DEMO_TODAY


def _app(board):
    return make_app(board, Config(), today=DEMO_TODAY)


def _shown_refs(table: PagedTable) -> list[str]:
    return [table.get_row(i).cells[0] for i in range(table.row_count)]


def _store_refs(board, flt: actions_store.ActionFilter) -> list[str]:
    return [r["ref"] for r in actions_store.page(board, 0, 100, flt)]


def _status_line(screen) -> str:
    return str(screen.query_one("#counts", Static).render())


async def test_the_sort_key_steps_through_the_orders_as_the_store_reads_them(any_demo_board):
    demo_board = any_demo_board  # on SQLite and on PostgreSQL
    actions_store.create(demo_board, {"text": "Early", "owner": "zed", "due": "2016-01-04"})
    app = _app(demo_board)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        assert _shown_refs(screen.table) == _store_refs(demo_board, actions_store.ActionFilter(order="due"))
        assert "sorted by due date" in _status_line(screen)
        seen = []
        for order in ("owner", "status", "ref", "due"):
            await pilot.press("S")
            await pilot.pause()
            refs = _shown_refs(screen.table)
            assert refs == _store_refs(demo_board, actions_store.ActionFilter(order=order)), order
            assert f"sorted by {actions_store.ORDER_NAMES[order]}" in _status_line(screen)
            assert screen.table.cursor_index == 0
            seen.append(tuple(refs))
        assert len(set(seen)) == 4


async def test_the_sort_keeps_the_filters(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "o", "S")
        await pilot.pause()
        flt = actions_store.ActionFilter(statuses=("open", "proposed for closure"), order="owner")
        assert _shown_refs(app.screen.table) == _store_refs(demo_board, flt)
        assert "HWB-01" not in _shown_refs(app.screen.table)  # the closed one stays out


async def test_a_text_filter_paints_its_first_page_then_its_count(demo_board, monkeypatch):
    # Four rows a block, so the demo's six TH actions need a count; the count waits until the test lets it go.
    monkeypatch.setattr(PagedTable, "BLOCK_SIZE", 4)
    gate = threading.Event()
    prepared = actions_store.Counter.prepare

    def held(self, flt):
        run = prepared(self, flt)

        def job():
            assert gate.wait(10)
            return run()

        return job

    monkeypatch.setattr(actions_store.Counter, "prepare", held)
    app = _app(demo_board)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "slash", *"TH-0", "enter")  # each letter a new filter, each count held
        await pilot.pause()
        screen = app.screen
        table = screen.table
        flt = actions_store.ActionFilter(text="TH-0")
        refs = _store_refs(demo_board, flt)
        assert len(refs) == 6
        assert table.counting and _shown_refs(table) == refs[:4]
        assert "counting…" in _status_line(screen) and "shown" not in _status_line(screen)
        await pilot.press("end")  # the last row is not known yet: the cursor goes there once it is
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not table.counting
        assert table.row_count == actions_store.count(demo_board, flt) == 6
        assert _shown_refs(table) == refs
        assert table.cursor_index == 5 and table.get_row(5).cells[0] == refs[-1]
        assert "6 shown (text: TH-0)" in _status_line(screen)


async def test_a_count_for_an_earlier_filter_is_never_shown(demo_board, monkeypatch):
    monkeypatch.setattr(PagedTable, "BLOCK_SIZE", 4)
    gates: dict[str, threading.Event] = {"TH": threading.Event(), "-0": threading.Event()}
    prepared = actions_store.Counter.prepare

    def held(self, flt):
        run = prepared(self, flt)

        def job():
            assert gates[flt.text].wait(10)
            return run()

        return job

    monkeypatch.setattr(actions_store.Counter, "prepare", held)
    app = _app(demo_board)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "slash")
        screen = app.screen
        screen.query_one("#filter").value = "TH"
        await pilot.pause()
        screen.query_one("#filter").value = "-0"
        await pilot.pause()
        gates["TH"].set()  # the earlier filter's count arrives first, and must not be taken for "-0"'s
        await pilot.pause(0.1)
        assert screen.table.counting and "counting…" in _status_line(screen)
        gates["-0"].set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        everything = actions_store.count(demo_board, actions_store.ActionFilter(text="-0"))
        assert screen.table.row_count == everything == actions_store.count(demo_board)
        assert f"{everything} shown (text: -0)" in _status_line(screen)


async def test_going_back_to_a_filter_reuses_its_count_until_the_board_changes(demo_board, demo_path, monkeypatch):
    monkeypatch.setattr(PagedTable, "BLOCK_SIZE", 4)
    monkeypatch.setattr(ActionsSource, "FEW", 0)  # every count made on the worker (the demo's are all few)
    made = []
    prepared = actions_store.Counter.prepare

    def recorded(self, flt):
        made.append(flt.text)
        return prepared(self, flt)

    monkeypatch.setattr(actions_store.Counter, "prepare", recorded)
    app = _app(demo_board)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "slash")
        for key in ("T", "H", "backspace", "H"):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert made == ["T", "TH"]  # "T" again and "TH" again were known
        th = actions_store.ActionFilter(text="TH")
        before = actions_store.count(demo_board, th)
        assert f"{before} shown (text: TH)" in _status_line(app.screen)
        # Someone else adds an action that matches, on another connection: the counts made before are dropped.
        other = open_board(demo_path, who="someone else")
        actions_store.create(other, {"text": "New TH work", "owner": "CFO", "due": "2017-05-01"})
        other.close()
        for key in ("backspace", "H"):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert made[2:] == ["T", "TH"]
        assert app.screen.table.row_count == actions_store.count(demo_board, th) == before + 1
        assert f"{before + 1} shown (text: TH)" in _status_line(app.screen)


async def test_a_text_filter_counts_on_either_engine(any_demo_board, monkeypatch):
    # On PostgreSQL there is no second connection to count on (its URL is kept without the password): the
    # count is made on the UI thread's connection, as before; on SQLite on a worker thread.
    monkeypatch.setattr(PagedTable, "BLOCK_SIZE", 4)
    app = _app(any_demo_board)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "slash", *"th")
        await app.workers.wait_for_complete()
        await pilot.pause()
        flt = actions_store.ActionFilter(text="th")
        expected = actions_store.count(any_demo_board, flt)
        assert expected > PagedTable.BLOCK_SIZE
        assert not app.screen.table.counting and app.screen.table.row_count == expected
        assert _shown_refs(app.screen.table) == _store_refs(any_demo_board, flt)
        assert f"{expected} shown (text: th)" in _status_line(app.screen)


async def test_typing_a_word_shows_the_stores_rows_and_count_at_every_letter(demo_board, monkeypatch):
    # Small blocks, so the demo's counts take every path: a count on the worker beside the first block, a text
    # bounded by a shorter one already counted (read whole, or known to match none), a count kept (backspace).
    monkeypatch.setattr(PagedTable, "BLOCK_SIZE", 4)
    app = _app(demo_board)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "slash")
        typed = ""
        for key in [*"th-01", "backspace", "backspace", *"zq", "backspace", "backspace", "backspace"]:
            await pilot.press(key)
            typed = typed[:-1] if key == "backspace" else typed + key
            await app.workers.wait_for_complete()
            await pilot.pause()
            flt = actions_store.ActionFilter(text=typed)
            table = app.screen.table
            assert not table.counting and table.row_count == actions_store.count(demo_board, flt), typed
            assert _shown_refs(table) == [r["ref"] for r in actions_store.page(demo_board, 0, 1000, flt)], typed
            if typed:
                assert f"{table.row_count} shown (text: {typed})" in _status_line(app.screen), typed


async def test_opening_the_filter_gets_a_count_connection_ready_and_the_first_letter_counts_on_it(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "slash")
        for thread in threading.enumerate():
            if thread.name == "action-count-warm":
                thread.join(10)
        counter = app.screen.table.source._counter
        warmed = list(counter._idle)
        assert len(warmed) == 1
        await pilot.press("c", "f", "o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.table.row_count == actions_store.count(demo_board, actions_store.ActionFilter(text="cfo"))
        assert warmed[0] in counter._idle  # counted on it, and kept again
