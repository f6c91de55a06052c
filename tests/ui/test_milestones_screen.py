"""Milestones (key 4) with Pilot: moving a forecast, recording an actual, re-baselining, dependencies (a cycle
refused), the timeline view, RAG and history — each change read back through the store with its audit rows."""

from __future__ import annotations

from textual.widgets import Input, Static

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.domain.rag import Rag
from boardtui.store import milestones as ms
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.modals.form import FormScreen
from boardtui.ui.modals.rag import RagDialog
from boardtui.ui.screens.milestone_detail import MilestoneDetailScreen
from boardtui.ui.screens.milestones import MilestonesScreen
from boardtui.ui.widgets.timeline import Timeline
from tests.conftest import DEMO_TODAY

SIZE = (120, 36)


def _app(board):
    return make_app(board, Config(), screen="milestones", today=DEMO_TODAY)


def line(board, ref):
    return next(m for m in ms.milestone_lines(board, DEMO_TODAY) if m.ref == ref)


def _message(screen) -> str:
    """The refusal on the form: under the field it names, or at the foot when it names none."""
    shown = screen.query(".field-error.shown, #form-message")
    return " ".join(text for text in (str(w.render()) for w in shown) if text)


async def _type(pilot, form, field, text):
    box = form.query_one(f"#field-{field}", Input)
    box.focus()
    box.value = ""
    await pilot.press(*text)


async def _to(pilot, app, ref):
    """Put the cursor on a milestone by its ref."""
    table = app.screen.table
    refs = [table.get_row(i).cells[0] for i in range(table.row_count)]
    table.cursor_index = refs.index(ref)
    await pilot.pause()


async def test_move_a_forecast_and_read_it_back_with_its_audit_row(demo_board):
    before = line(demo_board, "W11")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert isinstance(app.screen, MilestonesScreen)
        await _to(pilot, app, "W11")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen) and form.values() == {"forecast": "", "actual": "", "reason": ""}
        await _type(pilot, form, "forecast", "Jan 2017")
        await _type(pilot, form, "reason", "contracts slipped nationally")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MilestonesScreen)
        row = screen.table.get_row(screen.table.cursor_index)
        assert row.cells[0] == "W11" and row.cells[5] == "Jan 2017" and row.cells[7] == "31"
        assert row.cells[8].plain.strip() == "R"
    after = line(demo_board, "W11")
    assert (str(after.forecast), after.slip, after.version) == ("2017-01", 31, before.version + 1)
    [audit] = [c for c in ms.milestone_history(demo_board, after.id) if c.field == "forecast"]
    assert (audit.old, audit.new, audit.reason, audit.who) == (None, "2017-01", "contracts slipped nationally", "tester")


async def test_bad_dates_are_refused_naming_the_field(demo_board):
    count = demo_board.scalar("SELECT count(*) FROM audit")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _to(pilot, app, "W11")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        await _type(pilot, form, "actual", "2016-11-20")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _message(form) == ("Actual (done): 20 Nov 2016 is in the future (today is 8 Nov 2016): an actual "
                                  "date records when it was done")
        await _type(pilot, form, "actual", "")
        await _type(pilot, form, "forecast", "2015-12")
        await pilot.press("enter")
        await pilot.pause()
        assert _message(form) == ("Forecast: Dec 2015 is before 2016, the year of the baseline Dec 2016: "
                                  "check the year")
        await _type(pilot, form, "forecast", "sometime")
        await pilot.press("enter")
        await pilot.pause()
        assert _message(form).startswith("Forecast: 'sometime' is not a date")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MilestonesScreen)
    assert demo_board.scalar("SELECT count(*) FROM audit") == count


async def test_record_an_actual(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _to(pilot, app, "W09")
        await pilot.press("e")
        await pilot.pause()
        await _type(pilot, app.screen, "actual", "21/10/2016")
        await pilot.press("ctrl+s")
        await pilot.pause()
    w09 = line(demo_board, "W09")
    assert (str(w09.actual), w09.rag) == ("2016-10-21", Rag.B)


async def test_a_dependency_cycle_is_refused_and_a_dependency_added(demo_board):
    count = demo_board.scalar("SELECT count(*) FROM audit")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _to(pilot, app, "W06")
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        await _type(pilot, form, "depends_on", "W13")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert _message(form) == "Add dependency on: W06 depending on W13 would make a cycle: W06 → W13 → W06"
        assert demo_board.scalar("SELECT count(*) FROM audit") == count
        await _type(pilot, form, "depends_on", "W04")
        await _type(pilot, form, "remove", "W05")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MilestonesScreen)
    assert line(demo_board, "W06").depends_on == ["W04"]
    trail = [(c.field, c.old, c.new) for c in ms.milestone_history(demo_board, line(demo_board, "W06").id)]
    assert trail[:2] == [("depends_on", None, "W04"), ("depends_on", "W05", None)]


async def test_rebaseline_needs_a_reason_and_the_detail_keeps_the_original(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _to(pilot, app, "W12")
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, MilestoneDetailScreen)
        await pilot.press("b")
        await pilot.pause()
        form = app.screen
        await _type(pilot, form, "baseline", "2017-06")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _message(form) == "Reason (required): say why the milestone is re-baselined: the board will ask"
        await _type(pilot, form, "reason", "planning guidance delayed")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is detail
        text = str(detail.query_one("#text", Static).render())
        assert "Baseline:   Jun 2017" in text
        assert "Re-baselined 1 time(s); original baseline Apr 2017:" in text
        assert "Apr 2017 → Jun 2017 (planning guidance delayed)" in text
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MilestonesScreen)
        row = screen.table.get_row(screen.table.cursor_index)
        assert row.cells[0] == "W12" and row.cells[4] == "Jun 2017*"
    assert [(c.old, c.new) for c in ms.baseline_changes(demo_board, line(demo_board, "W12").id)] == [
        ("2017-04", "2017-06")]


async def test_a_late_predecessor_shows_amber_naming_it(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _to(pilot, app, "W11")
        await pilot.press("e")
        await pilot.pause()
        await _type(pilot, app.screen, "forecast", "2017-05")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await _to(pilot, app, "W12")
        await pilot.press("enter")
        await pilot.pause()
        text = str(app.screen.query_one("#text", Static).render())
        assert "RAG:        Amber — predecessor W11 forecast May 2017 lands after this baseline Apr 2017" in text


async def test_the_timeline_view(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.screen
        await _to(pilot, app, "W06")
        await pilot.press("t")
        await pilot.pause()
        timeline = screen.query_one(Timeline)
        assert timeline.display and not screen.table.display and app.focused is timeline
        assert timeline.items[timeline.cursor].ref == "W06"
        first = timeline.first_month
        await pilot.press("right")
        assert timeline.first_month == first + 3
        await pilot.press("down", "r")
        await pilot.pause()
        assert isinstance(app.screen, RagDialog)
        assert app.screen.target.label.startswith("W08 ")
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MilestoneDetailScreen) and app.screen.line.ref == "W08"
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape", "escape", "t")
        await pilot.pause()
        assert screen.table.display and screen.table.get_row(screen.table.cursor_index).cells[0] == "W08"


async def test_rag_on_a_milestone(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _to(pilot, app, "W13")
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("r", *"No proposals to close the gap yet", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MilestonesScreen)
    w13 = line(demo_board, "W13")
    assert (w13.rag, w13.derived.rag, w13.rag_commentary) == (Rag.R, Rag.G, "No proposals to close the gap yet")


async def test_the_dashboard_catches_up_with_a_milestone_edit(demo_board):
    app = make_app(demo_board, Config(), today=DEMO_TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        text = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "0 slipping, 4 overdue, 0 due in the next 14 days" in text
        assert "W06    Programme-area budgets recommended: overdue: due 14 Oct 2016 and not done" in text
        await pilot.press("4")
        await pilot.pause()
        await _to(pilot, app, "W11")
        await pilot.press("e")
        await pilot.pause()
        await _type(pilot, app.screen, "forecast", "2017-01")
        await pilot.press("ctrl+s", "1")
        await pilot.pause()
        text = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "1 slipping, 4 overdue, 0 due in the next 14 days" in text
        assert "W11    Two-year contracts signed: forecast Jan 2017 is 31 days after the baseline" in text


async def test_the_filter_narrows_the_timeline_too(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"SWK", "enter", "t")
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        assert [i.ref for i in timeline.items] == ["SWK01", "SWK02", "SWK03", "SWK04"]


async def test_a_read_only_board_refuses_edits_with_a_notice(demo_path):
    from boardtui.store.connection import open_board

    board = open_board(demo_path, read_only=True, who="tester")
    try:
        app = _app(board)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            for key in "ebdr":
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, MilestonesScreen), key
            assert any("Read-only" in n.message for n in app._notifications)
    finally:
        board.close()
