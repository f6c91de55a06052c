"""Capturing in the runner: a declared interest that makes an item inquorate shows the warning; an action
without an owner is refused naming the field; a due date before the meeting asks first; pasted notes lose
their control characters; the Part 2 banner; ending the meeting writes the minutes."""

from __future__ import annotations

from datetime import datetime, timezone

from textual import events

from boardtui.store import actions, meetings, notes
from boardtui.ui.modals.confirm import ConfirmScreen
from boardtui.ui.modals.declarations import DeclarationsScreen
from boardtui.ui.modals.form import FormScreen
from boardtui.ui.screens.runner import RunnerScreen
from tests.ui.meeting_steps import app_for, fill, screen_text

FIXED = datetime(2016, 11, 8, 14, 0, tzinfo=timezone.utc)


def th(board):
    return meetings.find(board, "2016-11-08")["id"]


async def _runner_at(pilot, app, mid, number: int):
    app.push_screen(RunnerScreen(mid, now=lambda: FIXED))
    await pilot.pause()
    for _ in range(number - 1):
        await pilot.press("right")
    await pilot.pause()
    assert f"Item {number} of" in screen_text(app.screen)


async def test_a_declaration_that_makes_the_item_inquorate_shows_the_warning(demo_board):
    mid = th(demo_board)
    app = app_for(demo_board)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _runner_at(pilot, app, mid, 8)
        assert "WARNING" not in screen_text(app.screen)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        await pilot.press("n")
        await pilot.pause()
        fill(app.screen, member="Lay member (illus.)", interest="Trustee of a provider", handling="withdrew")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        assert "WARNING — inquorate" in screen_text(app.screen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        text = screen_text(app.screen)
        assert "WARNING — inquorate" in text and "no Lay member present" in text
        assert "THIS ITEM IS INQUORATE" in text
        # The next item is quorate again: the member only stepped back from item 8.
        await pilot.press("right")
        await pilot.pause()
        assert "WARNING" not in screen_text(app.screen)


async def test_an_action_needs_an_owner_and_a_late_due_date_asks_first(demo_board):
    mid = th(demo_board)
    before = actions.count(demo_board)
    app = app_for(demo_board)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _runner_at(pilot, app, mid, 7)
        await pilot.press("a")
        await pilot.pause()
        fill(app.screen, text="Test the urgent care scheme first", due="2016-12-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "Owner is required" in screen_text(app.screen)
        assert app.screen.focused.id == "field-owner"
        fill(app.screen, owner="Head of PMO", due="")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Due date is required" in screen_text(app.screen)
        fill(app.screen, due="2016-11-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "before the meeting it was raised at (8 Nov 2016)" in screen_text(app.screen)
        assert actions.count(demo_board) == before
        await pilot.press("ctrl+s")  # saving again accepts the warning
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert actions.count(demo_board) == before + 1


async def test_pasted_notes_lose_terminal_control_characters(demo_board):
    mid = th(demo_board)
    app = app_for(demo_board)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _runner_at(pilot, app, mid, 6)
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.focused.id == "field-text"
        # As a terminal delivers a paste: to the app, which hands it to the focused field.
        app.post_message(events.Paste("Chair's report\x1b]52;c;aGk=\x07 noted\x1b[2J\r\nsecond line"))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
    item6 = next(i for i in meetings.agenda(demo_board, mid) if i["number"] == "6")
    saved = [n["text"] for n in notes.of_meeting(demo_board, mid, item6["id"])]
    assert saved == ["Chair's report]52;c;aGk= noted[2J\nsecond line"]


async def test_part_2_shows_the_closed_session_banner(demo_board):
    mid = th(demo_board)
    app = app_for(demo_board)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _runner_at(pilot, app, mid, 12)
        assert not app.screen.has_class("part2")
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.has_class("part2")
        assert "PART 2 — CLOSED SESSION: press and public excluded under PBAMA 1960" in screen_text(app.screen)
        assert app.screen.query_one("#banner").display


async def test_the_action_log_item_lists_public_actions_in_public_session(demo_board):
    mid = th(demo_board)
    app = app_for(demo_board)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _runner_at(pilot, app, mid, 4)  # "Action log"
        text = screen_text(app.screen)
        assert "Action log: open actions carried forward" in text


async def test_ending_the_meeting_offers_the_minutes(demo_board, tmp_path):
    mid = th(demo_board)
    out = tmp_path / "out"
    out.mkdir()
    app = app_for(demo_board)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _runner_at(pilot, app, mid, 13)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "The meeting has ended" in screen_text(app.screen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Choose the audience" in screen_text(app.screen)  # no default audience
        fill(app.screen, audience="public", format="md", path=str(out / "minutes.md"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert "meeting ended" in screen_text(app.screen)
    m = meetings.get(demo_board, mid)
    assert m["ended_at"] and m["status"] == "held"
    text = (out / "minutes.md").read_text()
    assert "CHS procurement" not in text and "System Transformation" in text


async def test_a_read_only_board_can_be_stepped_through_but_not_changed(demo_path):
    from boardtui.store.connection import open_board

    board = open_board(demo_path, read_only=True, who="reader")
    try:
        mid = th(board)
        app = app_for(board)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await _runner_at(pilot, app, mid, 3)
            await pilot.press("space")
            await pilot.pause()
            assert "paused" in screen_text(app.screen)
            assert any("read-only" in str(n.message) for n in app._notifications)
            assert app.return_code is None
    finally:
        board.close()


async def test_a_tiny_terminal_and_a_resize_mid_meeting(demo_board):
    mid = th(demo_board)
    app = app_for(demo_board)
    async with app.run_test(size=(20, 5), notifications=True) as pilot:
        await _runner_at(pilot, app, mid, 7)
        await pilot.resize_terminal(1, 1)
        await pilot.press("right")
        await pilot.resize_terminal(30, 8)
        await pilot.press("right", "space", "space")
        await pilot.pause()
        assert "Item 9 of 13" in screen_text(app.screen)
        assert app.return_code is None
