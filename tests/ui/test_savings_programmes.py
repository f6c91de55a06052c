"""The programmes screen and a programme's detail, driven with Pilot; results read back through the store."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input, Static

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.domain.rag import Rag
from boardtui.store import history, savings, savings_edit
from boardtui.store.savings_history import parse_as_at
from boardtui.store.connection import open_board
from boardtui.store.rag import set_rag
from boardtui.ui.modals.confirm import ConfirmScreen
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.modals.form import FormScreen
from boardtui.ui.modals.prompt import PromptDialog
from boardtui.ui.modals.rag import RagDialog
from boardtui.ui.savings_commands import ask_as_at
from boardtui.ui.screens.programme_detail import ProgrammeDetailScreen
from boardtui.ui.screens.programmes import ProgrammesScreen
from boardtui.ui.screens.scheme_detail import SchemeDetailScreen
from boardtui.ui.widgets.month_grid import MonthGrid
from boardtui.ui.widgets.bars import TextChart
from boardtui.ui.widgets.paged_table import PagedTable
from tests.conftest import DEMO_TODAY

SIZE = (100, 30)


def _app(board):
    return make_app(board, Config(), screen="programmes", today=DEMO_TODAY)


def table_lines(screen) -> list[str]:
    table = screen.query_one(PagedTable)
    return [table.render_line(y).text for y in range(table.size.height)]


def static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def type_text(pilot, text: str) -> None:
    """Type `text` key by key. Pilot cannot press "£" (it sends no character for it), so characters outside
    ASCII are sent as the key event a terminal would produce."""
    for ch in text:
        if ch.isascii():
            await pilot.press({" ": "space"}.get(ch, ch))
        else:
            pilot.app.post_message(events.Key(_character_to_key(ch), ch))
            await pilot.pause()


async def go_to(pilot, name: str) -> None:
    """Put the programmes table's cursor on the programme called `name`."""
    screen = pilot.app.screen
    for index, line in enumerate(screen.lines):
        if line.name == name:
            screen.table.cursor_index = index
    await pilot.pause()


async def test_programmes_show_the_measures_and_the_totals_band(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgrammesScreen)
        band = static_text(screen, "#totals")
        assert "Requirement 15,000" in band and "Identified 10,816" in band and "Gap 4,184" in band
        assert "9 TBC, 1 NA not counted" in band
        lines = table_lines(screen)
        assert "Man" in lines[0] and "Risk-adj" in lines[0]
        adults = next(line for line in lines if line.strip().startswith("Adults"))
        assert "3,841" in adults and "1,914" in adults and "3,351" in adults and " A " in adults
        assert "Adults: derived Amber" in static_text(screen, "#why")


async def test_y_changes_the_year_and_a_year_without_a_requirement_says_so(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("y")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "2018/19x")
        await pilot.press("enter")
        assert isinstance(app.screen, PromptDialog)
        assert "not a financial year" in static_text(app.screen, "#form-message")
        await pilot.press("backspace", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgrammesScreen) and screen.fy == 2018
        assert "2018/19 £000s  Requirement not set" in static_text(screen, "#totals")
        assert "No savings requirement is set for 2018/19" in static_text(screen, "#year-note")
        assert "No schemes are recorded for 2018/19" in static_text(screen, "#year-note")


async def test_rag_on_a_programme_row_is_saved_with_its_audit(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await go_to(pilot, "Children")
        await pilot.press("r")
        assert isinstance(app.screen, RagDialog)
        await pilot.press("a")
        await pilot.press("ctrl+s")
        assert "commentary is required" in static_text(app.screen, "#message")
        await type_text(pilot, "CAMHS case due in Q3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProgrammesScreen)
        children = next(line for line in table_lines(app.screen) if line.strip().startswith("Children"))
        assert children.rstrip().endswith("A")
    pid = demo_board.scalar("SELECT id FROM programmes WHERE name = 'Children'")
    row = savings.get_programme(demo_board, pid)
    assert row["rag_override"] == "A" and row["rag_commentary"] == "CAMHS case due in Q3"
    audit = [c for c in history.row_history(demo_board, "programme", pid) if c.field == "rag_override"]
    assert audit[0].new == "A" and audit[0].reason == "CAMHS case due in Q3" and audit[0].who == "tester"


async def test_the_rag_dialogs_hint_is_how_its_keys_work(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await go_to(pilot, "Children")
        await pilot.press("r")
        dialog = app.screen
        assert "then type the commentary" in static_text(dialog, ".hint")
        await pilot.press("a")  # the letter chosen, the cursor is in the commentary: typing goes there
        commentary = dialog.query_one("#commentary")
        assert app.focused is commentary
        await type_text(pilot, "bad debts")
        assert commentary.value == "bad debts" and "Amber" in static_text(dialog, "#choice")
        await pilot.press("tab")  # tab: back to the letters, where a letter chooses again
        await pilot.press("g")
        assert "Green" in static_text(dialog, "#choice") and commentary.value == "bad debts"
        assert app.focused is commentary


async def test_rag_change_redraws_its_row_in_the_filtered_table_and_a_second_change_is_not_stale(demo_board):
    pid = demo_board.scalar("SELECT id FROM programmes WHERE name = 'Complex Adults'")
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        band = static_text(screen, "#totals")
        await pilot.press("slash", *"Adults", "enter")
        await go_to(pilot, "Complex Adults")
        assert screen.table.cursor_key == pid
        await pilot.press("r", "g")
        await type_text(pilot, "Recovery plan agreed")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        shown = [line.split("  ")[0].strip() for line in table_lines(screen)[1:] if line.strip()]
        assert shown == ["Adults", "Complex Adults"]
        assert screen.table.cursor_key == pid
        row = next(line for line in table_lines(screen) if line.strip().startswith("Complex Adults"))
        assert row.rstrip().endswith("G")
        assert "Complex Adults: derived Red" in static_text(screen, "#why")
        assert "manual Green in force" in static_text(screen, "#why")
        assert static_text(screen, "#totals") == band
        await pilot.press("r", "d", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        row = next(line for line in table_lines(screen) if line.strip().startswith("Complex Adults"))
        assert row.rstrip().endswith("—")
        assert "manual" not in static_text(screen, "#why")
    assert savings.get_programme(demo_board, pid)["rag_override"] is None
    audit = [c for c in history.row_history(demo_board, "programme", pid) if c.field == "rag_override"]
    assert [(c.old, c.new) for c in audit] == [("G", None), (None, "G")]


async def test_enter_opens_the_programme_with_its_schemes_and_charts(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await go_to(pilot, "Adults")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgrammeDetailScreen)
        refs = [line.split()[0] for line in table_lines(screen)[1:] if line.strip()]
        assert refs == ["TH-ADU-01", "TH-ADU-02", "TH-ADU-03", "TH-ADU-04"]
        charts = screen.query_one("#charts", TextChart).lines(98)
        # Side by side, each in half the width: the bridge on the left, the bars two cells after it.
        bridge = "\n".join(line[:48] for line in charts)
        for label in ("Requirement", "Gap (to find)", "Identified", "Risk-adjusted", "Risk-adjusted gap"):
            assert label in bridge
        bars = "\n".join(line[50:] for line in charts)
        assert charts[0][50:].startswith("Plan vs forecast") and "TH-ADU-04" in bars and "1,700 /  2,190" in bars
        assert "Identified 3,841 (2 TBC, 0 NA not counted)" in static_text(screen, "#summary")
        await pilot.press("escape")
        assert isinstance(app.screen, ProgrammesScreen)


async def test_rag_change_that_takes_its_row_out_of_the_filter_redraws_the_filtered_table(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("slash")
        await type_text(pilot, "—")  # rows without a manual RAG (the Man column shows —)
        await pilot.press("enter")
        assert screen.table.source.filter_text == "—"
        before = [line.split("  ")[0].strip() for line in table_lines(screen)[1:] if line.strip()]
        assert "Complex Adults" in before
        await go_to(pilot, "Complex Adults")
        await pilot.press("r", "g")
        await type_text(pilot, "Recovery plan agreed")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        shown = [line.split("  ")[0].strip() for line in table_lines(screen)[1:] if line.strip()]
        assert shown == [name for name in before if name != "Complex Adults"]
        assert screen.table.row_count == len(shown)


async def test_a_programme_opened_from_the_palette_reuses_the_years_roll_up_unless_it_is_not_in_it(
        demo_board, demo_path):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        adults = next(line for line in screen.lines if line.name == "Adults")
        statements: list[str] = []
        demo_board.conn.set_trace_callback(statements.append)
        try:
            screen.open_record("programme", adults.id, adults.id)
            await pilot.pause()
        finally:
            demo_board.conn.set_trace_callback(None)
        detail = app.screen
        assert isinstance(detail, ProgrammeDetailScreen) and detail.line.name == "Adults"
        assert "Identified 3,841" in static_text(detail, "#summary")
        every_programme = [sql for sql in statements
                           if "FROM schemes" in sql and "programme_id =" not in sql and "WHERE id =" not in sql]
        assert every_programme == []
        colleague = open_board(demo_path, who="colleague")
        try:
            estates = savings_edit.create_programme(colleague, {"name": "Estates"})
        finally:
            colleague.close()
        await pilot.press("escape")
        await pilot.pause()
        screen.open_record("programme", estates, estates)
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, ProgrammeDetailScreen) and detail.line.name == "Estates"
        assert "No schemes in this programme" in static_text(detail, "#note")


async def test_new_programme_is_empty_then_deleted_with_confirmation(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        assert "needs a name" in static_text(app.screen, "#error-name")
        await type_text(pilot, "Estates")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProgrammesScreen)
        await go_to(pilot, "Estates")
        await pilot.press("enter")
        await pilot.pause()
        assert "No schemes in this programme for 2017/18" in static_text(app.screen, "#note")
        await pilot.press("escape")
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert demo_board.scalar("SELECT count(*) FROM programmes WHERE name = 'Estates'") == 1
        await pilot.press("delete", "y")
        await pilot.pause()
        assert all("Estates" not in line for line in table_lines(app.screen))
    assert demo_board.scalar("SELECT count(*) FROM programmes WHERE name = 'Estates'") == 0
    assert demo_board.scalar("SELECT count(*) FROM audit WHERE entity = 'programme' AND op = 'delete'") == 1


async def test_a_programme_with_schemes_is_not_deleted_and_says_why(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await go_to(pilot, "Adults")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ProgrammesScreen)
        assert any("still has 4 schemes" in str(n.message) for n in app._notifications)
    assert demo_board.scalar("SELECT count(*) FROM programmes WHERE name = 'Adults'") == 1


async def test_edit_a_programme_in_its_form(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await go_to(pilot, "Adults")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-name", Input).value == "Adults"
        form.query_one("#field-sro", Input).value = "Director of Primary Care"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProgrammesScreen)
    pid = demo_board.scalar("SELECT id FROM programmes WHERE name = 'Adults'")
    assert savings.get_programme(demo_board, pid)["sro"] == "Director of Primary Care"


async def test_history_lists_the_rows_changes_newest_first(demo_board):
    pid = demo_board.scalar("SELECT id FROM programmes WHERE name = 'Adults'")
    version = savings.get_programme(demo_board, pid)["version"]
    set_rag(demo_board, "programme", pid, version, Rag.R, "First", Rag.A)
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await go_to(pilot, "Adults")
        await pilot.press("h")
        assert isinstance(app.screen, DetailScreen)
        texts = [str(w.render()) for w in app.screen.query(Static)]
        entries = texts[texts.index("History (newest first)") + 1:-1]
        assert "rag_" in entries[0] and "→ R" in " ".join(entries[:2]) and "(First)" in entries[0]
        assert " create " in f"{entries[-1]} "


async def test_read_only_board_browses_and_says_why_writes_are_off(demo_path):
    board = open_board(demo_path, read_only=True, who="reader")
    try:
        app = _app(board)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            for key in ("r", "e", "n", "delete"):
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, ProgrammesScreen)
            messages = [str(n.message) for n in app._notifications]
            assert len(messages) == 4 and all("read-only" in m for m in messages)
            await pilot.press("enter")
            assert isinstance(app.screen, ProgrammeDetailScreen)
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, ProgrammeDetailScreen)
    finally:
        board.close()


async def test_as_at_a_moment_before_a_change_shows_the_old_value(demo_board):
    built = demo_board.scalar("SELECT max(at) FROM audit")
    pid = demo_board.scalar("SELECT id FROM programmes WHERE name = 'Adults'")
    set_rag(demo_board, "programme", pid, savings.get_programme(demo_board, pid)["version"], Rag.G,
            "Recovery plan agreed", Rag.A)
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        adults = next(line for line in table_lines(app.screen) if line.strip().startswith("Adults"))
        assert adults.rstrip().endswith("G")  # live: the manual Green
        ask_as_at(app)
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one(Input).value = built.replace("T", " ")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgrammesScreen) and screen.as_at is not None
        adults = next(line for line in table_lines(screen) if line.strip().startswith("Adults"))
        assert adults.rstrip().endswith("—")  # then: no manual RAG
        assert "rebuilt from the audit trail" in static_text(screen, "#as-at")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ProgrammesScreen)
        assert any("as at" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProgrammesScreen) and app.screen.as_at is None


async def test_as_at_opens_programmes_and_schemes_as_they_stood_and_refuses_changes(demo_board):
    built = demo_board.scalar("SELECT max(at) FROM audit")
    sid = demo_board.scalar("SELECT id FROM schemes WHERE ref = 'TH-ADU-04'")
    version = savings.scheme_periods(demo_board, sid)["2017-09"]["version"]
    savings_edit.set_month(demo_board, sid, "2017-09", "fot", 2_000 * 100_000, version)
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.push_screen(ProgrammesScreen(as_at=parse_as_at(built)))
        await pilot.pause()
        await go_to(pilot, "Adults")
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, ProgrammeDetailScreen) and detail.snapshot is not None
        adu04 = next(line for line in table_lines(detail) if "TH-ADU-04" in line)
        assert "1,700" in adu04 and "2,000" not in adu04
        detail.table.cursor_index = 3
        await pilot.press("enter")
        await pilot.pause()
        scheme = app.screen
        assert isinstance(scheme, SchemeDetailScreen)
        grid = scheme.query_one(MonthGrid)
        assert grid.value_at("fot", "2017-09") == 1_700 * 100_000
        assert grid.render().plain.splitlines()[-1] == "RAG history is not rebuilt in an as-at view."
        await type_text(pilot, "1")
        await pilot.press("enter")
        await pilot.pause()
        assert "This is the board as at" in grid.render().plain
    assert savings.scheme_periods(demo_board, sid)["2017-09"]["fot_pence"] == 2_000 * 100_000


async def test_stale_rag_on_a_programme_keeps_the_commentary(demo_board, demo_path):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await go_to(pilot, "Complex Adults")
        await pilot.press("r")
        dialog = app.screen
        assert isinstance(dialog, RagDialog)
        colleague = open_board(demo_path, who="colleague")
        try:
            pid = colleague.scalar("SELECT id FROM programmes WHERE name = 'Complex Adults'")
            set_rag(colleague, "programme", pid, savings.get_programme(colleague, pid)["version"], Rag.A,
                    "Colleague's view", Rag.R)
        finally:
            colleague.close()
        await pilot.press("g")
        await type_text(pilot, "Recovery plan agreed")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "colleague" in static_text(dialog, "#message")
        assert dialog.query_one("#commentary", Input).value == "Recovery plan agreed"
