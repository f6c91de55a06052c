"""RELIABILITY F1/F2: hostile names in every kind of record show literally on every screen and detail view, in
notifications and in the command palette; clicking them does nothing; no control character reaches the screen.

The board holds nothing but hostile records (tests/ui/hostile_data.py), so every row on every list is one.
"""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Static
from textual.widgets._toast import Toast

from boardtui.cli import make_app
from boardtui.config import Config, load_config
from boardtui.store.connection import create_board
from tests.conftest import DEMO_TODAY
from tests.ui.hostile_data import HOSTILE, LONG, MARKUP, seed, visible

SIZES = [(120, 40), (80, 24), (20, 5)]
CONTROL = ("\x1b", "\x07", "\x9b", "\x00")
CLICK_BAIT = "[@click=app.quit]x[/]"


@pytest.fixture
def hostile_board(tmp_path):
    board = create_board(tmp_path / "hostile.db", who="tester")
    seed(board)
    yield board
    board.close()


def _app(board, config: Config | None = None):
    return make_app(board, config or Config(), today=DEMO_TODAY)


def screen_lines(app) -> list[str]:
    """What the terminal would show, line by line, and a check that no control character is in it."""
    lines = []
    for strip in app.screen._compositor.render_strips():
        text = "".join(segment.text for segment in strip)
        assert not any(c in text for c in CONTROL), repr(text)
        lines.append(text)
    return lines


def widget_texts(app) -> list[str]:
    """The plain text of every Static on the screen (whole, before wrapping or cropping)."""
    return [str(w.render()) for w in app.screen.query(Static)]


async def wait_lines(pilot, found, seconds: float = 5.0) -> list[str]:
    """The screen's lines once `found(lines)`: the palette searches in a worker, slower on a busy machine."""
    for _ in range(int(seconds * 10)):
        lines = screen_lines(pilot.app)
        if found(lines):
            return lines
        await pilot.pause(0.1)
    pytest.fail("not on screen:\n" + "\n".join(screen_lines(pilot.app)))


async def click_bait(pilot) -> None:
    """Click every `x` that a `[@click=app.quit]x[/]` would have turned into a link."""
    for y, line in enumerate(screen_lines(pilot.app)):
        start = line.find(CLICK_BAIT)
        while start != -1:
            await pilot.click(offset=(start + CLICK_BAIT.index("]x") + 1, y))
            await pilot.pause()
            assert pilot.app.return_code is None and pilot.app.is_running
            start = line.find(CLICK_BAIT, start + 1)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_screen_and_detail_shows_hostile_names_literally(hostile_board, size):
    app = _app(hostile_board)
    seen: list[str] = []
    async with app.run_test(size=size, notifications=True, tooltips=True) as pilot:
        for key in "123456":
            await pilot.press(key)
            await pilot.pause()
            area = app.screen
            seen += screen_lines(app) + widget_texts(app)
            await click_bait(pilot)
            assert app.screen is area or app.return_code is None
            for _ in range(3 if size == (120, 40) else 2):  # the detail of the first rows
                await pilot.press("enter")
                await pilot.pause()
                seen += screen_lines(app) + widget_texts(app)
                await click_bait(pilot)
                while app.screen is not area and len(app.screen_stack) > 1:
                    await pilot.press("escape")
                    await pilot.pause()
                await pilot.press("down")
                await pilot.pause()
            assert app.return_code is None, key
        await pilot.press("5", "g")  # the chair's runner on the first meeting
        await pilot.pause()
        assert type(app.screen).__name__ == "RunnerScreen"
        seen += screen_lines(app) + widget_texts(app)
        await click_bait(pilot)
        for _ in range(3):
            await pilot.press("right")
            await pilot.pause()
            seen += screen_lines(app) + widget_texts(app)
        assert app.return_code is None
        assert app.is_running
    everything = "\n".join(seen)
    for text in HOSTILE:
        assert visible(text) in everything, text
    if size == (120, 40):
        on_screen = "\n".join(line for line in seen)
        for text in MARKUP:
            assert text in on_screen, text


async def test_the_whole_long_title_is_kept_in_the_detail(hostile_board):
    app = _app(hostile_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("end", "enter")
        await pilot.pause()
        assert any(LONG in text for text in widget_texts(app))
        assert app.return_code is None


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
async def test_notifications_show_hostile_text_literally(hostile_board, text):
    app = _app(hostile_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.notify(text, title=text, markup=False)
        await pilot.pause()
        toasts = list(app.screen.query(Toast))
        assert toasts
        rendered = str(toasts[-1].render())
        assert visible(text)[:40] in rendered
        screen_lines(app)  # what reaches the terminal holds no control character
        await click_bait(pilot)
        assert app.return_code is None


async def test_the_apps_own_notices_show_a_hostile_path_literally(hostile_board, tmp_path, monkeypatch):
    folder = tmp_path / "[RED] [@click=app.quit]x[b] [link=evil]x"  # a folder name cannot hold a slash
    folder.mkdir()
    monkeypatch.setenv("BOARDTUI_CONFIG_DIR", str(folder))
    (folder / "config.toml").write_text('theme = "[/]"\n', encoding="utf-8")
    app = _app(hostile_board, load_config())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 1
        assert f"{folder / 'config.toml'}: theme: must be a theme name" in str(toasts[0].render())
        await click_bait(pilot)
        assert app.return_code is None


@pytest.mark.parametrize("query, expected", [
    ("[RED]", "[RED]"),
    ("click", CLICK_BAIT),
    ("link=", "[link=https://evil]x[/link]"),
    ("[/]", "[/]"),
    ("52;c", "]52;c;aGk="),
    ("外来", "外来"),
    ("a[0]", "[type=x, v={'a[0]'}]"),
])
async def test_the_palette_lists_hostile_names_literally(hostile_board, query, expected):
    app = _app(hostile_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*query)
        await wait_lines(pilot, lambda lines: any(expected in line for line in lines))
        await click_bait(pilot)
        assert app.return_code is None


async def test_choosing_a_hostile_record_in_the_palette_opens_it_and_does_not_quit(hostile_board):
    app = _app(hostile_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"click=app")
        lines = await wait_lines(pilot, lambda lines: any("Action  HA-03" in line for line in lines))
        y, line = next((y, line) for y, line in enumerate(lines) if "Action  HA-03" in line)
        await pilot.click(offset=(line.index("HA-03") + 2, y))
        await pilot.pause(0.3)
        assert app.return_code is None
        assert app.current_mode == "actions"
        assert any(CLICK_BAIT in text for text in widget_texts(app) + screen_lines(app))
