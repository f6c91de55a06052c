"""The meetings screen (key 5) and the agenda builder: a new meeting from the standard agenda lists the last
meeting's open actions under its action-log item; items are added, moved, renumbered and deleted (asking
first when decisions or actions hang off them); a body with no members says "no quorum rule"."""

from __future__ import annotations

from boardtui.store import actions, agenda, lookups, meetings
from boardtui.ui.modals.confirm import ConfirmScreen
from boardtui.ui.modals.form import FormScreen
from boardtui.ui.screens.meeting_detail import MeetingScreen
from boardtui.ui.screens.meetings import MeetingsScreen
from boardtui.ui.widgets.paged_table import PagedTable
from tests.ui.meeting_steps import app_for, fill, screen_text

TH = "NHS Tower Hamlets CCG Governing Body"


async def test_a_meeting_built_from_the_template_lists_the_open_actions(demo_board):
    body = lookups.body_id(demo_board, TH)
    app = app_for(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app.screen, body=body, date="2017-03-14", venue="Board room")
        app.screen.query_one("#field-start_time").focus()
        await pilot.press("1", "3", "colon", "3", "0", "enter")  # enter in a one-line field saves
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        builder = app.screen
        titles = [r["title"] for r in meetings.agenda(demo_board, builder.meeting_id)]
        assert titles[4] == "Matters arising and action log"
        assert "planned 54 min · starts 13:30, planned finish 14:24" in screen_text(builder)
        table = builder.query_one(PagedTable)
        for _ in range(4):
            await pilot.press("down")
        await pilot.pause()
        assert table.cursor_index == 4
        text = screen_text(builder)
        assert "Open actions carried forward (6)" in text
        for ref in ("TH-01", "TH-02", "TH-03", "TH-04", "TH-05"):
            assert ref in text
        assert "TH-06" in text and "[Part 2]" in text  # the chair's view marks the Part 2 one
        assert "HWB-02" not in text  # another body's action


async def test_items_are_added_moved_and_renumbered(demo_board):
    body = lookups.body_id(demo_board, TH)
    mid = meetings.create_meeting(demo_board, body, {"date": "2017-03-14", "start_time": "13:30"})
    app = app_for(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.push_screen(MeetingScreen(mid))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        fill(app.screen, title="QIPP plan 2017/18", purpose="decision", minutes="25",
             recommendations="Approve the plan\nNote the gap", links="programme:Adults; standard:AE4HR")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        rows = meetings.agenda(demo_board, mid)
        assert [r["title"] for r in rows][6] == "QIPP plan 2017/18"
        table = app.screen.query_one(PagedTable)
        assert table.cursor_key == rows[6]["id"]
        await pilot.press("shift+up")
        await pilot.pause()
        rows = meetings.agenda(demo_board, mid)
        assert (rows[5]["number"], rows[5]["title"]) == ("6", "QIPP plan 2017/18")
        assert table.cursor_key == rows[5]["id"]
        assert "planned 79 min · starts 13:30, planned finish 14:49" in screen_text(app.screen)
        # A bad link is refused with the field named, and what was typed stays in the form.
        await pilot.press("e")
        await pilot.pause()
        fill(app.screen, links="scheme:NOPE")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "no scheme 'NOPE'" in screen_text(app.screen)
        assert app.screen.focused.id == "field-links"
        await pilot.press("escape")
        await pilot.pause()
        assert agenda.links(demo_board, rows[5]["id"]) == [("programme", "Adults"), ("standard", "AE4HR")]


async def test_deleting_an_item_with_decisions_asks_first(demo_board):
    th = meetings.find(demo_board, "2016-11-08")
    item7 = next(r for r in meetings.agenda(demo_board, th["id"]) if r["number"] == "7")
    app = app_for(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.push_screen(MeetingScreen(th["id"], item_id=item7["id"]))
        await pilot.pause()
        assert app.screen.query_one(PagedTable).cursor_key == item7["id"]
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "3 decisions, 5 actions" in screen_text(app.screen)
        await pilot.press("n")
        await pilot.pause()
        assert agenda.item(demo_board, item7["id"]) is not None
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert agenda.item(demo_board, item7["id"]) is None
        assert actions.get(demo_board, lookups.by_ref(demo_board, "actions", "TH-01") or "") is None
        kept = demo_board.scalar("SELECT count(*) FROM audit WHERE op = 'delete' AND entity IN ('decision', 'action')")
        assert kept == 8
        assert [r["number"] for r in meetings.agenda(demo_board, th["id"])] == [str(n) for n in range(1, 13)]


async def test_a_body_with_no_members_shows_no_quorum_rule(empty_board):
    bid = meetings.save_body(empty_board, None, None, {"name": "Brand new board"})
    mid = meetings.create_meeting(empty_board, bid, {"date": "2024-05-01"})
    app = app_for(empty_board)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.push_screen(MeetingScreen(mid))
        await pilot.pause()
        assert "no quorum rule" in screen_text(app.screen)
        await pilot.press("g")
        await pilot.pause()
        assert "no quorum rule" in screen_text(app.screen)
        await pilot.press("p")
        await pilot.pause()
        assert "no quorum rule" in screen_text(app.screen)
        assert app.return_code is None


async def test_bodies_and_members_from_the_meetings_screen(demo_board):
    app = app_for(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("5", "b")
        await pilot.pause()
        text = screen_text(app.screen)
        table = app.screen.query_one(PagedTable)
        assert table.row_count == 2
        await pilot.press("n")
        await pilot.pause()
        fill(app.screen, name="Primary Care Commissioning Committee", quorum_min="3", quorum_roles="Chair; Lay member")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("enter")
        await pilot.pause()
        assert "at least 3 voting members, including Chair, Lay member" in screen_text(app.screen)
        await pilot.press("n")
        await pilot.pause()
        fill(app.screen, name="Dr A Lay", role="Lay member")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one(PagedTable).row_count == 1
        assert text  # the bodies list rendered
