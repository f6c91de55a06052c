"""The first screen's stylesheet is parsed once, and skipping Textual's refresh for a new area's screen never
leaves that screen styled for an earlier theme (BoardApp._area_screen)."""

from __future__ import annotations

from collections import Counter

from textual.css import stylesheet

from boardtui.cli import make_app
from boardtui.config import Config
from tests.conftest import DEMO_TODAY


def _app(board, theme: str | None = None):
    return make_app(board, Config(), theme=theme, today=DEMO_TODAY)


async def test_the_first_screen_parses_each_stylesheet_source_once(demo_board, monkeypatch):
    parsed: Counter = Counter()
    real_parse = stylesheet.parse

    def counting_parse(scope, css, read_from, *args, **kwargs):
        parsed[read_from] += 1
        return real_parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(stylesheet, "parse", counting_parse)
    app = _app(demo_board)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query(".dash-section")
    assert parsed and max(parsed.values()) == 1, parsed.most_common(3)


async def test_the_first_screen_is_styled_as_a_full_css_refresh_styles_it(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = _look(app)
        app.refresh_css()
        await pilot.pause()
        assert _look(app) == first


def _look(app) -> tuple:
    """How the current area looks: its title bar's colours, and every widget's own rendering style."""
    screen = app.screen
    title = screen.query_one(".area-title")
    return (title.styles.background, title.visual_style,
            [(type(w).__name__, str(w.visual_style)) for w in screen.walk_children()])


async def _programmes_look(board, theme: str) -> tuple:
    app = _app(board, theme=theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        return _look(app)


async def test_an_area_first_opened_after_a_theme_change_is_styled_for_the_new_theme(demo_board):
    expected = await _programmes_look(demo_board, "dark")
    app = _app(demo_board, theme="nhs")
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "dark"
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert _look(app) == expected


async def test_an_area_made_before_the_theme_change_is_refreshed_is_styled_for_the_new_theme(demo_board):
    expected = await _programmes_look(demo_board, "light")
    app = _app(demo_board, theme="dark")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # Textual refreshes the CSS on its next turn, for the screens then shown: the programmes screen is made
        # before that and is out of sight when it happens.
        app.theme = "light"
        app.action_area("programmes")
        app.action_area("dashboard")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert _look(app) == expected
