"""The command palette (ctrl+p): jump to any record by name, run any key command of the screen; the search
behind it asks SQL for a LIMITed page per kind, never the whole board."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.store import search
from boardtui.store.tx import writing
from boardtui.ui.palette import KIND_LABELS
from tests.conftest import DEMO_TODAY


def _app(board):
    return make_app(board, Config(), today=DEMO_TODAY)


def _lines(app) -> list[str]:
    return ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]


async def _open_palette(pilot, query: str):
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.4)


async def _wait_for(pilot, found, seconds: float = 5.0) -> list[str]:
    """The screen's lines once `found(lines)` is true: the palette searches in a worker, slower on a busy box."""
    for _ in range(int(seconds * 10)):
        lines = _lines(pilot.app)
        if found(lines):
            return lines
        await pilot.pause(0.1)
    pytest.fail("not on screen:\n" + "\n".join(_lines(pilot.app)))


async def _choose(pilot, starts: str) -> None:
    """Click the palette line that starts with `starts` (after the palette's margin)."""
    lines = await _wait_for(pilot, lambda lines: any(line.strip().startswith(starts) for line in lines))
    y, line = next((y, line) for y, line in enumerate(lines) if line.strip().startswith(starts))
    await pilot.click(offset=(line.index(starts) + 1, y))
    await pilot.pause(0.3)


# --- the store search ----------------------------------------------------------------------------------


def test_find_returns_each_kind_by_name(demo_board):
    found = search.find(demo_board, "mental health")
    assert {f.kind for f in found} >= {"scheme"}
    scheme = next(f for f in found if f.kind == "scheme")
    assert "Mental Health" in scheme.label and scheme.area == "programmes"
    assert scheme.key == demo_board.scalar("SELECT programme_id FROM schemes WHERE id = :id", {"id": scheme.id})


def test_every_word_must_match_in_any_case(demo_board):
    one = search.find(demo_board, "MENTAL")
    both = search.find(demo_board, "mental pilot")
    assert len(both) < len(one)
    assert all("mental" in f.label.lower() and "pilot" in f.label.lower() for f in both)


def test_like_wildcards_are_taken_literally(demo_board):
    percent = search.find(demo_board, "%")
    assert percent and all("%" in f.label or "%" in f.context for f in percent)
    assert all("_" in f.label for f in search.find(demo_board, "_"))
    assert search.find(demo_board, "") == []


def test_find_asks_for_at_most_limit_rows_of_each_kind(empty_board):
    with writing(empty_board) as w:
        for n in range(300):
            w.insert("actions", {"ref": f"Z-{n:04d}", "text": f"chase zebra {n}", "owner": "Ann", "due": "2017-01-01"},
                     audit=False)
    statements: list[str] = []
    empty_board.conn.set_trace_callback(statements.append)
    try:
        found = search.find(empty_board, "zebra", limit=5)
    finally:
        empty_board.conn.set_trace_callback(None)
    assert [f.label for f in found] == [f"Z-{n:04d} chase zebra {n}" for n in range(5)]
    assert len(statements) == len(search.KINDS)
    assert all("LIMIT" in sql for sql in statements)


@pytest.mark.parametrize("kind, sql, area", [
    ("programme", "SELECT name FROM programmes ORDER BY name LIMIT 1", "programmes"),
    ("scheme", "SELECT title FROM schemes ORDER BY ref LIMIT 1", "programmes"),
    ("standard", "SELECT name FROM standards ORDER BY code LIMIT 1", "standards"),
    ("milestone", "SELECT title FROM milestones ORDER BY ref LIMIT 1", "milestones"),
    ("meeting", "SELECT b.name || ' ' || m.date FROM meetings m JOIN bodies b ON b.id = m.body_id LIMIT 1",
     "meetings"),
    ("agenda item", "SELECT title FROM agenda_items ORDER BY title LIMIT 1", "meetings"),
    ("action", "SELECT text FROM actions ORDER BY ref LIMIT 1", "actions"),
])
def test_every_kind_can_be_found(demo_board, kind, sql, area):
    name = demo_board.scalar(sql)
    found = [f for f in search.find(demo_board, name, limit=50) if f.kind == kind]
    assert found and found[0].area == area
    assert any(name in f.label for f in found)


# --- in the app ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, sql, area", [
    ("programme", "SELECT name FROM programmes ORDER BY name LIMIT 1", "programmes"),
    ("scheme", "SELECT ref || ' ' || title FROM schemes ORDER BY ref LIMIT 1", "programmes"),
    ("standard", "SELECT code || ' ' || name FROM standards ORDER BY code LIMIT 1", "standards"),
    ("milestone", "SELECT ref || ' ' || title FROM milestones ORDER BY ref LIMIT 1", "milestones"),
    ("meeting", "SELECT b.name || ' ' || m.date FROM meetings m JOIN bodies b ON b.id = m.body_id "
                "ORDER BY m.date LIMIT 1", "meetings"),
    ("agenda item", "SELECT number || ' ' || title FROM agenda_items WHERE title LIKE 'Apolog%' LIMIT 1",
     "meetings"),
    ("action", "SELECT ref || ' ' || text FROM actions ORDER BY ref LIMIT 1", "actions"),
])
async def test_choosing_a_record_opens_it_in_its_area(demo_board, kind, sql, area):
    label = demo_board.scalar(sql)
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        words = label.split()
        await _open_palette(pilot, " ".join(words[:4])[:40])
        await _choose(pilot, f"{KIND_LABELS[kind]}  {label[:30]}")
        assert app.current_mode == area
        assert len(app.screen_stack) > 1, "the record's detail is open"
        assert app.return_code is None


async def test_the_palette_jumps_from_inside_a_detail_view(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.screen_stack) > 1
        label = demo_board.scalar("SELECT code || ' ' || name FROM standards ORDER BY code LIMIT 1")
        await _open_palette(pilot, label[:20])
        await _choose(pilot, f"Standard  {label[:20]}")
        assert app.current_mode == "standards"
        assert app.return_code is None


async def test_the_palette_lists_the_screens_commands_with_their_keys(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause(0.4)
        assert "key: " in "\n".join(_lines(app))  # before typing: the screen's commands are offered
        for query, name, key in [("filter", "Filter", "/"), ("programmes", "Programmes", "2"), ("quit", "Quit", "^q")]:
            await pilot.press("escape")
            await _open_palette(pilot, query)
            # The line after the command's name is its help: the key (Textual's own Quit has a sentence).
            await _wait_for(pilot, lambda lines: any(
                line.strip() == name and after.strip() == f"key: {key}" for line, after in zip(lines, lines[1:])
            ))


async def test_running_a_screen_command_from_the_palette(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await _open_palette(pilot, "filter")
        await _choose(pilot, "Filter")
        box = app.screen.query_one("#filter", Input)
        assert box.has_class("open") and box.has_focus


async def test_a_short_query_does_not_search_the_board(demo_board):
    statements: list[str] = []
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        demo_board.conn.set_trace_callback(statements.append)
        try:
            await _open_palette(pilot, "m")
        finally:
            demo_board.conn.set_trace_callback(None)
    assert not any("agenda_items" in s and "LIKE" in s for s in statements)
