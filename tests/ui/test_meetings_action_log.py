"""The action log (key 6): filters by keys (open, overdue, body, owner, clear), re-dating that keeps the
earlier due date, dated updates and status changes — each read back through the store."""

from __future__ import annotations

from boardtui.store import actions, lookups
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.modals.form import FormScreen
from boardtui.ui.screens.actions import ActionsScreen
from boardtui.ui.widgets.paged_table import PagedTable
from tests.ui.meeting_steps import app_for, fill, screen_text


def refs(table: PagedTable) -> list[str]:
    return [table.get_row(i).cells[0] for i in range(table.row_count)]


async def test_filters_narrow_the_log(demo_board):
    app = app_for(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        table = app.screen.query_one(PagedTable)
        assert table.row_count == 9
        await pilot.press("o")
        await pilot.pause()
        assert "HWB-01" not in refs(table) and table.row_count == 8
        await pilot.press("l")
        await pilot.pause()
        assert refs(table) == ["HWB-02", "HWB-03"]  # overdue on 8 Nov 2016
        assert "2 shown (open only; overdue only)" in screen_text(app.screen)
        await pilot.press("c")
        await pilot.pause()
        assert table.row_count == 9
        await pilot.press("b")  # the first body by name: NHS Tower Hamlets CCG Governing Body
        await pilot.pause()
        assert all(r.startswith("TH-") for r in refs(table)) and table.row_count == 6
        await pilot.press("b")
        await pilot.pause()
        assert all(r.startswith("HWB-") for r in refs(table))
        await pilot.press("b")
        await pilot.pause()
        assert table.row_count == 9
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app.screen, owner="cfo")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sorted(refs(table)) == ["TH-03", "TH-06"]
        assert "owner: cfo" in screen_text(app.screen)


async def test_redating_and_updates_from_the_log(demo_board):
    app = app_for(demo_board)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await pilot.press("6")
        await pilot.pause()
        table = app.screen.query_one(PagedTable)
        await pilot.press("down")  # HWB-02, due 14 Oct 2016
        await pilot.pause()
        assert table.cursor_key == lookups.by_ref(demo_board, "actions", "HWB-02")
        for new_due in ("2016-11-30", "2016-12-16"):
            await pilot.press("t")
            await pilot.pause()
            fill(app.screen, due=new_due, reason="members asked for more time")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ActionsScreen)
        aid = lookups.by_ref(demo_board, "actions", "HWB-02")
        a = actions.get(demo_board, aid)
        assert (a["due"], a["original_due"]) == ("2016-12-16", "2016-10-14")
        row = next(table.get_row(i) for i in range(table.row_count) if table.get_row(i).key == aid)
        assert "slipped twice, originally 14 Oct 2016" in row.cells
        table.cursor_index = next(i for i in range(table.row_count) if table.get_row(i).key == aid)
        await pilot.press("u")
        await pilot.pause()
        fill(app.screen, text="Three of nine members have replied")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert actions.get(demo_board, aid)["latest_update"] == "Three of nine members have replied"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app.screen)
        assert "14 Oct 2016 → 30 Nov 2016 → 16 Dec 2016" in text
        assert "due 14 Oct 2016 → 30 Nov 2016: members asked for more time" in text
        assert "Three of nine members have replied" in text
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert actions.get(demo_board, aid)["status"] == "proposed for closure"


async def test_a_new_action_on_the_log_needs_an_owner(demo_board):
    before = actions.count(demo_board)
    app = app_for(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6", "n")
        await pilot.pause()
        fill(app.screen, text="Refresh the BAF", due="2016-12-31")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Owner is required" in screen_text(app.screen)
        fill(app.screen, owner="Board secretary")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
    assert actions.count(demo_board) == before + 1
    assert actions.get(demo_board, lookups.by_ref(demo_board, "actions", "A-01"))["owner"] == "Board secretary"


async def test_the_text_filter_updates_the_counts(demo_board):
    app = app_for(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6", "slash")
        await pilot.press(*"STP")
        await pilot.pause()
        table = app.screen.query_one(PagedTable)
        assert sorted(refs(table)) == ["HWB-01", "HWB-03"]
        assert "2 shown (text: STP)" in screen_text(app.screen)
