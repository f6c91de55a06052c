"""Hostile text (RELIABILITY F1) in meetings, agendas, attendance, declarations, decisions, notes and actions
is shown literally in the agenda builder, the runner and their dialogs, and never breaks them."""

from __future__ import annotations

import pytest

from boardtui.store import meetings
from boardtui.ui.modals.attendance import AttendanceScreen
from boardtui.ui.modals.declarations import DeclarationsScreen
from boardtui.ui.screens.meeting_detail import MeetingScreen
from boardtui.ui.screens.runner import RunnerScreen
from tests.ui.hostile_data import LONG, MARKUP, OSC52, seed, visible
from tests.ui.meeting_steps import app_for, screen_text


@pytest.fixture
def hostile_board(empty_board):
    seed(empty_board)
    return empty_board


# At the small size a few strings are enough: the markup that crashes, the escapes, the very long one.
SMALL = {"[/]", "[@click=app.quit]x[/]", OSC52, LONG}


@pytest.mark.parametrize("size", [(100, 30), (40, 12)])
async def test_builder_runner_and_dialogs_show_hostile_text_literally(hostile_board, size):
    app = app_for(hostile_board)
    async with app.run_test(size=size, notifications=True) as pilot:
        for row in meetings.page(hostile_board, 0, 100):
            text = row["body"]
            if size != (100, 30) and text not in SMALL:
                continue
            app.push_screen(MeetingScreen(row["id"]))
            await pilot.pause()
            if size == (100, 30) and text in MARKUP:
                assert visible(text) in screen_text(app.screen)
            await pilot.press("g")
            await pilot.pause()
            assert isinstance(app.screen, RunnerScreen)
            shown = screen_text(app.screen)
            if size == (100, 30):
                assert visible(text)[:30] in shown
            assert "\x1b" not in shown
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, AttendanceScreen)
            await pilot.press("escape", "i")
            await pilot.pause()
            assert isinstance(app.screen, DeclarationsScreen)
            await pilot.press("escape", "escape", "escape")
            await pilot.pause()
        assert app.return_code is None
