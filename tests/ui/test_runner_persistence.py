"""The runner survives quitting mid-meeting: step through five items with `right`, record an action and a
decision on the third, quit, start a new app on the same file, and find the runner on the same item with both
saved (RELIABILITY F11)."""

from __future__ import annotations

from boardtui.store import actions, decisions, lookups, meetings, runner
from boardtui.store.connection import open_board
from boardtui.ui.modals.form import FormScreen
from boardtui.ui.screens.runner import RunnerScreen
from tests.ui.meeting_steps import app_for, fill, screen_text

TH = "NHS Tower Hamlets CCG Governing Body"


async def test_quit_and_restart_mid_meeting(demo_path):
    board = open_board(demo_path, who="chair")
    mid = meetings.create_meeting(board, lookups.body_id(board, TH), {"date": "2017-03-14", "start_time": "13:30"})
    items = meetings.agenda(board, mid)
    app = app_for(board)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("5")
        await pilot.pause()
        # The new meeting is the newest, so the first row.
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert "Item 1 of 9" in screen_text(app.screen)
        await pilot.press("space")  # start the clock
        await pilot.press("right", "right")
        await pilot.pause()
        assert "Item 3 of 9" in screen_text(app.screen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app.screen, text="Publish the public questions and answers", due="2017-03-31")
        app.screen.query_one("#field-owner").focus()
        await pilot.press(*"Clerk", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        await pilot.press("d")
        await pilot.pause()
        fill(app.screen, resolution="Noted the questions received", outcome="noted")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        text = screen_text(app.screen)
        assert "Publish the public questions and answers" in text and "Noted the questions received" in text
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert "Item 6 of 9" in screen_text(app.screen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code in (0, None)
    board.close()

    again = open_board(demo_path, who="chair")
    try:
        st = runner.state(again, mid)
        assert st.item_id == items[5]["id"] and st.running  # the clock kept its start time
        third = items[2]["id"]
        saved = actions.for_meeting(again, mid, third)
        assert [(a["text"], a["owner"], a["due"]) for a in saved] == [
            ("Publish the public questions and answers", "Clerk", "2017-03-31")]
        assert [d["resolution"] for d in decisions.of_meeting(again, mid, third)] == ["Noted the questions received"]
        app2 = app_for(again)
        async with app2.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.press("5")
            await pilot.pause()
            assert "in progress" in str(app2.screen.query_one("PagedTable").get_row(0).cells)
            await pilot.press("g")
            await pilot.pause()
            assert isinstance(app2.screen, RunnerScreen)
            text = screen_text(app2.screen)
            assert "Item 6 of 9" in text and "RUNNING" in text
            await pilot.press("left", "left", "left")
            await pilot.pause()
            text = screen_text(app2.screen)
            assert "Item 3 of 9" in text
            assert "Action TH-07: Publish the public questions and answers — Clerk — due 31 Mar 2017" in text
            assert "Decision TH-D05 (noted): Noted the questions received" in text
    finally:
        again.close()


async def test_the_clock_is_never_written_as_it_ticks(demo_board):
    th = meetings.find(demo_board, "2016-11-08")["id"]
    app = app_for(demo_board)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.push_screen(RunnerScreen(th))
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        audit_rows = demo_board.scalar("SELECT count(*) FROM audit")
        await pilot.pause(1.2)  # at least one tick of the on-screen clock
        assert demo_board.scalar("SELECT count(*) FROM audit") == audit_rows
        assert meetings.agenda(demo_board, th)[0]["elapsed_seconds"] == 0
