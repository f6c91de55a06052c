"""The six areas on keys 1–6, help, filter and detail, driven with Pilot through the real factory."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.store import actions as actions_store
from boardtui.store import meetings as meetings_store
from boardtui.store import savings
from boardtui.store.standards import standard_lines
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.modals.help import HelpScreen
from boardtui.ui.screens.actions import ActionsScreen
from boardtui.ui.screens.dashboard import DashboardScreen
from boardtui.ui.screens.meetings import MeetingsScreen
from boardtui.ui.screens.milestones import MilestonesScreen
from boardtui.ui.screens.programmes import ProgrammesScreen
from boardtui.ui.screens.standards import StandardsScreen
from boardtui.ui.widgets.key_bar import KeyBar
from tests.conftest import DEMO_TODAY

AREAS = {
    "1": DashboardScreen,
    "2": ProgrammesScreen,
    "3": StandardsScreen,
    "4": MilestonesScreen,
    "5": MeetingsScreen,
    "6": ActionsScreen,
}


def _app(board):
    return make_app(board, Config(), today=DEMO_TODAY)


def _texts(screen) -> list[str]:
    return [str(w.render()) for w in screen.query(Static)]


def _expected_rows(board) -> dict[type, int]:
    """How many rows each list screen should show, asked of the store directly."""
    return {
        ProgrammesScreen: len(savings.programme_lines(board, savings.years(board)[0])),
        StandardsScreen: len(standard_lines(board, DEMO_TODAY)),
        MilestonesScreen: board.scalar("SELECT count(*) FROM milestones"),
        MeetingsScreen: meetings_store.count(board),
        ActionsScreen: actions_store.count(board),
    }


async def test_each_area_key_opens_its_screen_with_rows_from_the_database(demo_board):
    expected = _expected_rows(demo_board)
    assert expected[ActionsScreen] == 9 and expected[MilestonesScreen] == 19
    audit_before = demo_board.scalar("SELECT count(*) FROM audit")
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        for key in "234561":
            await pilot.press(key)
            await pilot.pause()
            screen = app.screen
            assert type(screen) is AREAS[key], key
            if type(screen) in expected:
                assert screen.table.row_count == expected[type(screen)], type(screen).__name__
        assert app.return_code is None
    assert demo_board.scalar("SELECT count(*) FROM audit") == audit_before  # browsing writes nothing


async def test_the_dashboard_shows_the_savings_headline(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True):
        text = "\n".join(_texts(app.screen))
        assert "Requirement 15,000" in text
        assert "Identified 10,816" in text
        assert "Gap 4,184" in text
        assert "9 TBC, 1 NA not counted" in text
        assert "2 overdue" in text


async def test_the_actions_table_shows_the_stores_first_page_in_order(demo_board):
    first_page = actions_store.page(demo_board, 0, 20)
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6")
        await pilot.pause()
        table = app.screen.table
        shown = [table.get_row(i) for i in range(table.row_count)]
        assert [r.key for r in shown] == [a["id"] for a in first_page]
        assert [r.cells[0] for r in shown] == [a["ref"] for a in first_page]
        overdue = {r.cells[0] for r in shown if r.cells[3] == "OVERDUE"}
        assert overdue == {"HWB-02", "HWB-03"}


async def test_help_lists_every_binding_of_the_screen(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6")
        await pilot.pause()
        under = app.screen
        bindings = dict(under.active_bindings)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = _texts(app.screen)
        assert "Keys on Actions" in lines
        for key, active in bindings.items():
            b = active.binding
            description = b.description or b.action
            displays = {key, app.get_key_display(b), b.key_display or key}
            assert any(description in line and any(d in line for d in displays) for line in lines), (
                f"{key} ({description}) is missing from help"
            )
        for needed in ("Dashboard", "Actions", "Filter", "Open", "Quit", "Help"):
            assert any(needed in line for line in lines), needed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is under


async def test_f1_opens_help_too(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Keys on Dashboard" in _texts(app.screen)


async def test_slash_filters_the_actions_to_matching_rows(demo_board):
    from boardtui.store.actions import ActionFilter

    want = actions_store.count(demo_board, ActionFilter(text="CFO"))
    assert want == 2
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6", "slash")
        await pilot.press(*"CFO")
        await pilot.pause()
        table = app.screen.table
        assert table.row_count == want
        assert sorted(table.get_row(i).cells[0] for i in range(table.row_count)) == ["TH-03", "TH-06"]
        await pilot.press("enter")  # keep the filter, back to the table
        await pilot.pause()
        assert app.focused is table and table.row_count == want
        await pilot.press("slash", "escape")  # escape clears it
        await pilot.pause()
        assert table.row_count == 9


async def test_digits_typed_into_the_filter_stay_in_the_box(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6", "slash")
        await pilot.press(*"HWB-0")
        await pilot.pause()
        screen = app.screen
        box = screen.query_one("#filter", Input)
        assert isinstance(screen, ActionsScreen)
        assert box.value == "HWB-0"
        assert screen.table.row_count == 3
        await pilot.press("2", "?")
        await pilot.pause()
        assert app.screen is screen and box.value == "HWB-02?"
        assert screen.table.row_count == 0
        await pilot.press("escape")  # clears and closes the filter; the digits switch areas again
        await pilot.pause()
        assert screen.table.row_count == 9
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_enter_opens_the_rows_detail_and_escape_closes_it(demo_board):
    first = actions_store.page(demo_board, 0, 1)[0]
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6")
        await pilot.pause()
        area = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        lines = _texts(app.screen)
        assert lines[0] == f"Action {first['ref']}"
        assert any(line.startswith("Owner:") and first["owner"] in line for line in lines)
        assert "History (newest first)" in lines
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is area


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_the_area_tour_survives_each_size(demo_board, size):
    app = _app(demo_board)
    async with app.run_test(size=size, notifications=True) as pilot:
        for key in "123456":
            await pilot.press(key)
            await pilot.pause()
            area = app.screen
            assert type(area) is AREAS[key]
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is area
            if key != "1":
                await pilot.press("down", "enter")  # the row's detail: a dialog or a screen of its own
                await pilot.pause()
                assert app.screen is not area, key
                await pilot.press("escape")
                await pilot.pause()
            assert app.screen is area, key
        assert app.return_code is None


async def test_the_start_screen_option(demo_board):
    app = make_app(demo_board, Config(), screen="actions", today=DEMO_TODAY)
    async with app.run_test(size=(120, 40), notifications=True):
        assert isinstance(app.screen, ActionsScreen)
        assert app.today == DEMO_TODAY


async def test_ctrl_q_quits(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_dashboard_has_no_filter_so_slash_does_nothing(demo_board):
    # It has no table to narrow: `/` used to open a box whose first letter crashed the app.
    app = _app(demo_board)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("slash", "a", "b")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert not app.screen.query(Input)
        assert "Filter" not in "".join(k.description for k in app.screen.query_one(KeyBar).keys)
        assert app.return_code is None
