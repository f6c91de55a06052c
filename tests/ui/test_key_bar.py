"""The key bar: the keys that work on the screen, on one line, the screen's own first and help always in sight."""

from __future__ import annotations

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.ui.screens.programmes import ProgrammesScreen
from boardtui.ui.widgets.key_bar import KeyBar
from tests.conftest import DEMO_TODAY


def _app(board, screen: str = "dashboard"):
    return make_app(board, Config(), screen=screen, today=DEMO_TODAY)


def _line(app) -> str:
    return app.screen.query_one(KeyBar).render().plain.rstrip()


async def test_the_screens_own_keys_come_first_and_help_is_always_last(demo_board):
    app = _app(demo_board, "programmes")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = _line(app)
        assert line.split()[:4] == ["/", "Filter", "y", "Year"]
        assert line.endswith("? Help")
        assert len(line) <= 80


async def test_the_areas_share_one_entry_only_when_the_line_is_short(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "1/2/3/4/5/6 Areas" in _line(app)
    wide = _app(demo_board)
    async with wide.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        line = _line(wide)
        assert "1 Dashboard  2 Programmes  3 Standards  4 Milestones  5 Meetings  6 Actions" in line
        assert line.endswith("? Help")


async def test_a_click_on_a_key_presses_it(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        line = _line(app)
        await pilot.click(KeyBar, offset=(line.index("2 Programmes") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, ProgrammesScreen)


async def test_the_bar_follows_the_bindings_as_they_change(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        assert _line(app).endswith("? Help")
        app.set_keymap({"app.help": "f2"})  # Textual tells the screen its bindings changed
        await pilot.pause()
        assert _line(app).endswith("f2 Help")
