"""A scheme: RAG through the dialog, the month grid, stale edits, forms — read back through the store."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.domain.rag import Rag
from boardtui.store import history, savings, savings_edit
from boardtui.store.connection import open_board
from boardtui.store.rag import set_rag
from boardtui.ui.modals.confirm import ConfirmScreen
from boardtui.ui.modals.form import FormScreen
from boardtui.ui.modals.rag import RagDialog
from boardtui.ui.screens.programme_detail import ProgrammeDetailScreen
from boardtui.ui.screens.scheme_detail import SchemeDetailScreen, cumulative_series
from boardtui.ui.widgets.linechart import LineChart, grid_text, plot
from boardtui.ui.widgets.month_grid import MonthGrid
from boardtui.ui.widgets.paged_table import PagedTable
from tests.conftest import DEMO_TODAY
from tests.ui.test_savings_programmes import go_to, static_text, type_text

SIZE = (100, 30)
K = 100_000


def _app(board):
    return make_app(board, Config(), screen="programmes", today=DEMO_TODAY)


def _scheme_id(board, ref: str) -> str:
    return board.scalar("SELECT id FROM schemes WHERE ref = :r", {"r": ref})


async def open_programme(pilot, name: str) -> ProgrammeDetailScreen:
    await pilot.pause()
    await go_to(pilot, name)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ProgrammeDetailScreen)
    return pilot.app.screen


async def open_scheme(pilot, programme: str, ref: str) -> SchemeDetailScreen:
    screen = await open_programme(pilot, programme)
    table = screen.query_one(PagedTable)
    table.cursor_index = next(i for i in range(table.row_count) if table.get_row(i).cells[0] == ref)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SchemeDetailScreen)
    return pilot.app.screen


async def to_cell(pilot, grid: MonthGrid, row: int, col: int) -> None:
    grid.row, grid.col = row, col
    await pilot.pause()


# ---- RAG ----------------------------------------------------------------------------------------------------------

async def test_scheme_rag_through_the_dialog_is_saved_with_its_audit_row(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_programme(pilot, "Adults")
        screen.table.cursor_index = 3
        await pilot.press("r")
        dialog = app.screen
        assert isinstance(dialog, RagDialog)
        assert "Derived: Amber — forecast 77.6% of plan: amber below 95%" in [
            str(w.render()) for w in dialog.query(Static)]
        await pilot.press("r")
        await type_text(pilot, "SPA via 111 late; recovery plan due M7")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProgrammeDetailScreen)
        row = screen.query_one(PagedTable).render_line(4).text
        assert row.startswith(" TH-ADU-04") and row.rstrip().endswith("R")
    line = savings.scheme_line(demo_board, savings.get_scheme(demo_board, sid))
    assert line.override is Rag.R and line.derived.rag is Rag.A and line.rag is Rag.R
    assert savings.get_scheme(demo_board, sid)["rag_commentary"] == "SPA via 111 late; recovery plan due M7"
    change = next(c for c in history.row_history(demo_board, "scheme", sid) if c.field == "rag_override")
    assert (change.op, change.old, change.new, change.who, change.ref) == ("update", None, "R", "tester", "TH-ADU-04")
    assert change.reason == "SPA via 111 late; recovery plan due M7"


async def test_a_stale_rag_edit_is_refused_and_the_commentary_kept(demo_board, demo_path):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_scheme(pilot, "Adults", "TH-ADU-04")
        await pilot.press("r")
        dialog = app.screen
        assert isinstance(dialog, RagDialog)
        # A colleague saves a RAG for the same scheme from another connection first.
        colleague = open_board(demo_path, who="colleague")
        try:
            set_rag(colleague, "scheme", sid, savings.get_scheme(colleague, sid)["version"], Rag.R, "Too late", Rag.A)
        finally:
            colleague.close()
        await pilot.press("g")
        await type_text(pilot, "Hub model now live")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        message = static_text(dialog, "#message")
        assert message.startswith("Not saved: changed by colleague at ")
        assert dialog.query_one("#commentary", Input).value == "Hub model now live"
    row = savings.get_scheme(demo_board, sid)
    assert row["rag_override"] == "R" and row["rag_commentary"] == "Too late"


# ---- the month grid -----------------------------------------------------------------------------------------------

async def test_grid_refuses_a_bad_amount_keeping_the_typing_then_accepts_a_good_one(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_scheme(pilot, "Adults", "TH-ADU-04")
        grid = screen.query_one(MonthGrid)
        assert app.focused is grid
        await to_cell(pilot, grid, 1, 6)  # Actual, M7 (Oct 2017)
        await type_text(pilot, "£1,2k")
        await pilot.press("enter")
        await pilot.pause()
        assert grid.editing and grid.buffer == "£1,2k"
        plain = grid.render().plain
        assert "✗ Not saved: '£1,2k' is not an amount: commas must separate groups of three digits" in plain
        assert "Actual, Oct 2017 (M7): £1,2k" in plain
        assert savings.scheme_periods(demo_board, sid).get("2017-10") is None
        for _ in "£1,2k":
            await pilot.press("backspace")
        await type_text(pilot, "£1.2k")
        await pilot.press("enter")
        await pilot.pause()
        assert not grid.editing and "Not saved" not in grid.render().plain
    period = savings.scheme_periods(demo_board, sid)["2017-10"]
    assert period["actual_pence"] == 120_000  # £1.2k is £1,200
    row = savings.get_scheme(demo_board, sid)
    assert row["latest_month"] == "2017-10" and row["ytd_actual_pence"] == 820 * K + 120_000
    audit = demo_board.query("SELECT op, ref FROM audit WHERE entity = 'scheme_period' AND entity_id = :i",
                             {"i": period["id"]})
    assert [tuple(a) for a in audit] == [("create", "TH-ADU-04 2017-10")]


async def test_grid_enter_edits_the_current_figure_and_escape_cancels(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_scheme(pilot, "Adults", "TH-ADU-04")
        grid = screen.query_one(MonthGrid)
        await to_cell(pilot, grid, 2, 5)  # Forecast, M6
        await pilot.press("enter")
        assert grid.editing and grid.buffer == "1,700"
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "1.8m")
        await pilot.press("escape")
        assert not grid.editing
        assert isinstance(app.screen, SchemeDetailScreen)  # escape cancelled the edit, not the screen
        await pilot.press("enter", "backspace", "backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "1,750")
        await pilot.press("enter")
        await pilot.pause()
        assert "forecast 79.9% of plan" in static_text(screen, "#summary")
        await pilot.press("escape")
        assert isinstance(app.screen, ProgrammeDetailScreen)
    assert savings.get_scheme(demo_board, sid)["fot_pence"] == 1_750 * K


async def test_grid_refuses_a_forecast_before_the_scheme_starts(demo_board):
    adults = demo_board.scalar("SELECT id FROM programmes WHERE name = 'Adults'")
    sid = savings_edit.create_scheme(demo_board, {"ref": "TH-ADU-05", "programme": adults, "title": "Frailty",
                                                  "year": "2017/18", "plan": "300", "start_month": "2017-07"})
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_scheme(pilot, "Adults", "TH-ADU-05")
        grid = screen.query_one(MonthGrid)
        await to_cell(pilot, grid, 2, 1)  # Forecast, M2 (May 2017)
        await type_text(pilot, "250")
        await pilot.press("enter")
        await pilot.pause()
        assert grid.editing and grid.buffer == "250"
        assert "May 2017 is before the scheme starts (Jul 2017)" in grid.render().plain
    assert savings.scheme_periods(demo_board, sid) == {}


async def test_a_stale_month_edit_is_refused_keeping_the_typing_then_saved_over(demo_board, demo_path):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_scheme(pilot, "Adults", "TH-ADU-04")
        grid = screen.query_one(MonthGrid)
        colleague = open_board(demo_path, who="colleague")
        try:
            version = savings.scheme_periods(colleague, sid)["2017-09"]["version"]
            savings_edit.set_month(colleague, sid, "2017-09", "actual", 152 * K, version)
        finally:
            colleague.close()
        await to_cell(pilot, grid, 1, 5)  # Actual, M6
        await type_text(pilot, "151")
        await pilot.press("enter")
        await pilot.pause()
        assert grid.editing and grid.buffer == "151"
        assert "colleague changed this record at" in grid.render().plain
        assert savings.scheme_periods(demo_board, sid)["2017-09"]["actual_pence"] == 152 * K
        await pilot.press("enter")  # their figures are on screen now: saving again goes over them
        await pilot.pause()
        assert not grid.editing
    assert savings.scheme_periods(demo_board, sid)["2017-09"]["actual_pence"] == 151 * K


async def test_grid_on_a_read_only_board_says_why(demo_path):
    board = open_board(demo_path, read_only=True)
    try:
        app = _app(board)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            screen = await open_scheme(pilot, "Adults", "TH-ADU-04")
            grid = screen.query_one(MonthGrid)
            await type_text(pilot, "200")
            await pilot.press("enter")
            await pilot.pause()
            assert grid.editing and "open read-only" in grid.render().plain
            assert "Read-only" not in static_text(screen, ".area-title")
            assert "read-only" in static_text(screen, ".read-only")
    finally:
        board.close()


async def test_rag_strip_and_cumulative_chart_are_drawn(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_scheme(pilot, "Adults", "TH-ADU-04")
        strip = screen.query_one(MonthGrid).render().plain.splitlines()[-1]  # the grid's last line, under the months
        assert strip.split() == ["RAG", "G", "G", "A", "A", "A", "A"] + ["·"] * 6
        fields = str(screen.query_one("#fields", Static).render())
        for label in ("Ref:", "Programme:", "Components:", "Impact:", "Lead:", "SRO:", "Stage:", "Value status:",
                      "Plan £000s:", "Recurrent £000s:", "Non-recurrent £000s:", "Start month:", "Confidence:",
                      "Commentary:"):
            assert label in fields


async def test_a_scheme_with_nothing_to_chart_says_so_until_it_has_a_plan(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-02")  # TBC: no plan, no monthly figures
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_scheme(pilot, "Adults", "TH-ADU-02")
        assert not screen.query("#cumulative")
        assert "nothing to chart until the scheme has a plan" in str(screen.query_one("#no-chart", Static).render())
        row = savings.get_scheme(demo_board, sid)
        savings_edit.update_scheme(demo_board, sid, row["version"],
                                   savings_edit.scheme_form_values(row) | {"plan": "1,200"})
        screen.reload()  # as the edit form does when it saves
        await pilot.pause()
        chart = screen.query_one("#cumulative", LineChart)
        assert not screen.query("#no-chart")
        assert chart.series[0].values[-1] == 1_200  # the plan line ends at the full-year plan, in £000s
        assert "P Plan (months not entered phased evenly)" in grid_text(plot(chart.series, chart.x_labels))[0]


async def test_a_scheme_deleted_before_its_detail_opens_says_so(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await app.push_screen(SchemeDetailScreen("no-such-scheme"))
        await pilot.pause()
        screen = app.screen
        assert "This scheme no longer exists" in "\n".join(str(w.render()) for w in screen.query(Static))
        assert not screen.query(MonthGrid) and app.focused is screen.query_one(VerticalScroll)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SchemeDetailScreen)


def test_cumulative_series_phases_missing_plan_months_and_walks_the_forecast():
    months = [f"2017-{m:02d}" for m in range(4, 13)] + [f"2018-{m:02d}" for m in range(1, 4)]
    periods = {m: {"plan_pence": 100, "actual_pence": 90} for m in months[:6]}
    plan, actual, forecast, phased = cumulative_series(months, periods, 1_200, 1_000, months[5])
    assert phased and plan[5] == 600 and plan[-1] == 1_200
    assert actual[5] == 540 and actual[6] is None
    assert forecast[5] == 540 and forecast[-1] == 1_000 and forecast[0] is None


# ---- forms ---------------------------------------------------------------------------------------------------------

async def test_edit_scheme_form_shows_the_reason_on_the_field_and_keeps_the_typing(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_scheme(pilot, "Adults", "TH-ADU-04")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-plan", Input).value == "2,190"
        form.query_one("#field-plan", Input).value = "-2,000"
        form.query_one("#field-start_month", Input).value = "Smarch"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "cannot be negative" in static_text(form, "#error-plan")
        assert "is not a month" in static_text(form, "#error-start_month")
        assert str(form.query_one("#error-title", Static).render()) == ""
        assert app.focused is form.query_one("#field-plan", Input)
        assert form.query_one("#field-plan", Input).value == "-2,000"
        form.query_one("#field-plan", Input).value = "2,000"
        form.query_one("#field-start_month", Input).value = "2017-04"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SchemeDetailScreen)
        assert "Plan 2,000" in static_text(app.screen, "#summary")
    assert savings.get_scheme(demo_board, sid)["plan_pence"] == 2_000 * K


async def test_stale_scheme_form_keeps_the_typing_and_saves_over_on_a_second_go(demo_board, demo_path):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_scheme(pilot, "Adults", "TH-ADU-04")
        await pilot.press("e")
        form = app.screen
        form.query_one("#field-lead", Input).value = "Dr Ahmed"
        colleague = open_board(demo_path, who="colleague")
        try:
            row = savings.get_scheme(colleague, sid)
            savings_edit.update_scheme(colleague, sid, row["version"],
                                       savings_edit.scheme_form_values(row) | {"sro": "COO"})
        finally:
            colleague.close()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "colleague changed this record" in static_text(form, "#form-message")
        assert form.query_one("#field-lead", Input).value == "Dr Ahmed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SchemeDetailScreen)
    assert savings.get_scheme(demo_board, sid)["lead"] == "Dr Ahmed"


async def test_new_scheme_in_a_programme_and_delete_it(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_programme(pilot, "Children")
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-programme", Input).value == "Children"
        assert form.query_one("#field-year", Input).value == "2017/18"
        form.query_one("#field-ref", Input).value = "TH-CHI-04"
        form.query_one("#field-title", Input).value = "[RED] Transition to adult services [/]"
        form.query_one("#field-plan", Input).value = "£0.25m"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        lines = [screen.query_one(PagedTable).render_line(y).text for y in range(6)]
        assert any("TH-CHI-04" in line and "[RED] Transitio" in line and "250" in line for line in lines)
        table = screen.query_one(PagedTable)
        table.cursor_index = 3
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert _scheme_id(demo_board, "TH-CHI-04") is None
    assert demo_board.scalar("SELECT count(*) FROM audit WHERE entity = 'scheme' AND op = 'delete' "
                             "AND ref = 'TH-CHI-04'") == 1
