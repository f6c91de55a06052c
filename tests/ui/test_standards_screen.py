"""Standards (key 3) with Pilot: filters, a standard's months and chart, month entry read back from the store."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Static

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.domain.rag import Rag
from boardtui.store import standards as st
from boardtui.store.history import row_history
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.modals.form import FormScreen
from boardtui.ui.modals.help import HelpScreen
from boardtui.ui.modals.rag import RagDialog
from boardtui.ui.screens.standard_detail import StandardDetailScreen
from boardtui.ui.screens.standards import StandardsScreen
from boardtui.ui.widgets.linechart import LineChart
from tests.conftest import DEMO_TODAY

SIZE = (110, 36)


def _app(board, today=DEMO_TODAY):
    return make_app(board, Config(), screen="standards", today=today)


def _codes(table) -> list[str]:
    return [table.get_row(i).key for i in range(table.row_count)]


def _message(screen) -> str:
    """The refusal on the form: under the field it names, or at the foot when it names none."""
    shown = screen.query(".field-error.shown, #form-message")
    return " ".join(text for text in (str(w.render()) for w in shown) if text)


async def _type(pilot, form, field, text):
    """Clear a form field and type into it, as a person would."""
    box = form.query_one(f"#field-{field}", Input)
    box.focus()
    box.value = ""
    await pilot.press(*text)


async def _open_detail(pilot, app, code):
    table = app.screen.table
    table.cursor_index = _codes(table).index(code)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, StandardDetailScreen)


async def test_the_filters_narrow_the_list(demo_board):
    lines = st.standard_lines(demo_board, DEMO_TODAY)
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.screen
        assert isinstance(screen, StandardsScreen)
        assert _codes(screen.table) == [s.code for s in lines]
        await pilot.press("o")
        await pilot.pause()
        assert _codes(screen.table) == [s.code for s in lines if s.off_target]
        assert set(_codes(screen.table)) == {"AE4HR", "AMBCATA19", "AMBCATA8", "IAPTREC"}
        await pilot.press("t")
        await pilot.pause()
        assert _codes(screen.table) == ["AMBCATA8"]
        await pilot.press("a", "m")
        await pilot.pause()
        assert _codes(screen.table) == ["AE4HR", "AMBCATA19", "AMBCATA8"]  # must-do 4
        await pilot.press("m")
        await pilot.pause()
        assert _codes(screen.table) == ["RTT18"]  # must-do 5
        await pilot.press("m", "m", "m")
        await pilot.pause()
        assert all(s.must_do is None for s in lines if s.code in _codes(screen.table))
        assert "not a must-do" in str(screen.query_one("#filters", Static).render())
        await pilot.press("a")
        await pilot.pause()
        assert len(_codes(screen.table)) == len(lines)


async def test_filter_keys_are_listed_in_help(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query(Static))
        for words in ("Off target", "Off trajectory", "By must-do", "Enter month", "RAG", "History"):
            assert words in text, words


async def test_the_detail_shows_months_chart_and_commentary(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _open_detail(pilot, app, "AE4HR")
        detail = app.screen
        chart = detail.query_one(LineChart)
        assert [s.label for s in chart.series] == ["Actual", "Trajectory"]
        assert chart.threshold == 95 and chart.x_labels[0] == "Apr 16" and chart.x_labels[-1] == "Mar 17"
        assert chart.series[0].values[6] == st.period_line(demo_board, "AE4HR", "2016-10").actual
        assert chart.series[0].values[7] is None  # November has not ended on 8 Nov 2016
        assert chart.series[1].values[8] == 89.0  # the trajectory runs on to the year end
        months = detail.query_one("#months")
        assert months.cursor_key == "2016-10" and months.row_count == 12
        months.cursor_index = [months.get_row(i).key for i in range(12)].index("2016-12")
        await pilot.pause()
        note = str(detail.query_one("#commentary", Static).render())
        assert note.startswith("Dec 2016: ") and "Winter pressures" in note
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StandardsScreen)


async def test_correct_a_months_counts_and_read_them_back_with_their_audit(demo_board):
    before = st.period_line(demo_board, "AE4HR", "2016-10")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _open_detail(pilot, app, "AE4HR")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.values()["numerator"] == "11257" and form.values()["denominator"] == "12330"
        await _type(pilot, form, "numerator", "11600")
        await _type(pilot, form, "commentary", "Validated return")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StandardDetailScreen)
        assert "94.1%" in str(app.screen.query_one("#status", Static).render())
    after = st.period_line(demo_board, "AE4HR", "2016-10")
    assert (after.numerator, after.denominator, after.commentary) == (11600, 12330, "Validated return")
    assert after.version == before.version + 1 and after.derived.rag is Rag.A
    changes = {c.field: (c.old, c.new, c.who) for c in row_history(demo_board, "standard_period", after.id)}
    assert changes["numerator"] == ("11257", "11600", "tester")
    assert changes["commentary"] == (None, "Validated return", "tester")


async def test_enter_a_new_month_as_a_percentage(demo_board):
    app = _app(demo_board, today=date(2017, 5, 3))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n")  # on the first row, AE4HR: the month after its latest actual
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen) and form.values()["period"] == "2017-04"
        await _type(pilot, form, "actual", "93.2%")
        await _type(pilot, form, "trajectory", "92")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StandardsScreen)
        row = app.screen.table.get_row(0)
        assert row.cells[4] == "Apr 2017" and row.cells[5] == "93.2%"
    line = st.period_line(demo_board, "AE4HR", "2017-04")
    assert (line.actual, line.trajectory, line.numerator) == (93.2, 92.0, None)
    assert [c.op for c in row_history(demo_board, "standard_period", line.id)] == ["create"]


async def test_bad_figures_are_refused_naming_the_field_and_nothing_is_saved(demo_board):
    audit = demo_board.scalar("SELECT count(*) FROM audit")
    before = st.period_lines(demo_board, "AE4HR")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _open_detail(pilot, app, "AE4HR")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        await _type(pilot, form, "denominator", "0")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert _message(form) == "Denominator: must be more than zero"
        assert app.focused is form.query_one("#field-denominator", Input)
        await _type(pilot, form, "denominator", "12330")
        await _type(pilot, form, "numerator", "12331")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _message(form) == "Numerator: 12331 is more than the denominator (12330)"
        await _type(pilot, form, "numerator", "-5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _message(form) == "Numerator: must not be negative, not -5"
        await _type(pilot, form, "numerator", "")
        await _type(pilot, form, "denominator", "")
        await _type(pilot, form, "actual", "-0.5")
        await pilot.press("enter")
        await pilot.pause()
        assert _message(form) == "Actual (%): must not be negative, not -0.5%"
        await _type(pilot, form, "actual", "100.1")
        await pilot.press("enter")
        await pilot.pause()
        assert _message(form) == "Actual (%): a percentage cannot be over 100, not 100.1%"
        await _type(pilot, form, "actual", "91")
        await _type(pilot, form, "trajectory", "101")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _message(form) == "Trajectory: a percentage cannot be over 100, not 101%"
        await _type(pilot, form, "trajectory", "91")
        await _type(pilot, form, "period", "2015-10")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _message(form) == "Month: Oct 2015 is outside the effective range of AE4HR (from 1 Apr 2016)"
        assert app.focused is form.query_one("#field-period", Input)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StandardDetailScreen)
    assert st.period_lines(demo_board, "AE4HR") == before
    assert demo_board.scalar("SELECT count(*) FROM audit") == audit


async def test_rag_and_history_on_a_standard(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        table = app.screen.table
        table.cursor_index = _codes(table).index("DM01")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RagDialog)
        await pilot.press("a", *"Endoscopy backlog expected over winter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StandardsScreen)
        line = st.standard_line(demo_board, "DM01", DEMO_TODAY)
        assert (line.override, line.rag_commentary) == (Rag.A, "Endoscopy backlog expected over winter")
        row = app.screen.table.get_row(_codes(app.screen.table).index("DM01"))
        assert row.cells[7].plain == " A *"
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "rag_override: — → A (Endoscopy backlog expected over winter)" in text
        assert "≤ 1% (2016/17), in force from 1 Apr 2016" in text
