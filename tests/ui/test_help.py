"""Help (? / f1): every key of the current screen, read from the live bindings after the user's keymap, with
binding ids for remapping; and what the RAG letters and the rules behind them mean, with this board's
thresholds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import Static

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.domain.thresholds import Thresholds
from boardtui.store.connection import open_board
from boardtui.ui.keys import own_bindings
from boardtui.ui.modals.help import HelpScreen, key_name, rag_meanings
from boardtui.ui.widgets.paged_table import PagedTable
from tests.conftest import DEMO_TODAY


def _app(board, config: Config | None = None):
    return make_app(board, config or Config(), today=DEMO_TODAY)


def _texts(screen) -> list[str]:
    return [str(w.render()) for w in screen.query(Static)]


@pytest.mark.parametrize("key, shown", [
    ("question_mark", "?"), ("slash", "/"), ("ctrl+q", "ctrl+q"), ("f1", "f1"), ("up", "up"),
    ("escape", "escape"), ("enter", "enter"), ("pageup", "pageup"), ("space", "space"), ("1", "1"),
    ("ctrl+shift+a", "ctrl+shift+a"), ("full_stop", "."),
])
def test_key_names_are_shown_as_typed(key, shown):
    assert key_name(key) == shown


@pytest.mark.parametrize("area", "123456")
async def test_help_lists_every_binding_of_the_screen_its_table_and_the_app(demo_board, area):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press(area)
        await pilot.pause()
        under = app.screen
        classes = [type(under), type(app)] + [type(t) for t in under.query(PagedTable)]
        expected = [b for cls in classes for klass in cls.__mro__ if klass.__module__.startswith("boardtui.")
                    for b in own_bindings(klass)]
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = _texts(app.screen)
        for binding in expected:
            keys = [key_name(k.strip()) for k in binding.key.split(",")]
            row = [line for line in lines if f"({binding.id})" in line]
            assert row, f"{binding.id} is missing from help"
            assert all(k in row[0] for k in keys), (binding.id, keys, row[0])
            assert binding.description in row[0]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is under


async def test_help_shows_the_rag_legend_with_letters(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n".join(_texts(app.screen))
        for letter, word in [("R", "Red"), ("A", "Amber"), ("G", "Green"), ("B", "Blue"), ("U", "Unrated")]:
            assert f" {letter}   {word}" in text, letter
        assert "forecast under 75% of plan" in text and "more than 28 days" in text
        assert "--format text" in text


async def test_help_uses_this_boards_thresholds(demo_path):
    thresholds = Thresholds(scheme_green_pct=Decimal("90"), scheme_amber_pct=Decimal("70"),
                            milestone_red_slip_days=21, milestone_due_soon_days=7)
    board = open_board(demo_path, who="tester", thresholds=thresholds)
    try:
        app = _app(board)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.press("f1")
            await pilot.pause()
            text = "\n".join(_texts(app.screen))
            assert "forecast under 70% of plan" in text
            assert "forecast 70% to 90% of plan" in text
            assert "more than 21 days" in text and "due within 7 days" in text
    finally:
        board.close()


def test_rag_meanings_cover_every_letter():
    letters = {rag for rag, _ in rag_meanings() if rag is not None}
    assert {r.value for r in letters} == {"R", "A", "G", "B", "U"}


async def test_a_remapped_key_is_what_help_shows_and_what_works(demo_board):
    app = _app(demo_board, Config(keymap={"app.help": "f2", "area.filter": "ctrl+f"}))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = _texts(app.screen)
        help_row = next(line for line in lines if "(app.help)" in line)
        assert help_row.startswith("f2 ")
        filter_row = next(line for line in lines if "(area.filter)" in line)
        assert filter_row.startswith("ctrl+f ")
        assert list(app._notifications) == []


async def test_help_fits_80x24_and_scrolls(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("6", "f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        scroller = help_screen.query_one("VerticalScroll")
        assert scroller.region.right <= 80 and scroller.region.bottom <= 24
        assert scroller.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert app.return_code is None
