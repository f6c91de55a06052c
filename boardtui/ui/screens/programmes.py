"""Programmes (key 2): one row per programme for the financial year, with the savings totals band always in view.

`y` changes the year; enter opens a programme; `r` sets its manual RAG, `e`/`n` edit or add a programme,
`delete` removes an empty one, `h` shows its history. The same screen shows the board "as at" a past moment
(from the command palette): then it is rebuilt from the audit trail and nothing can be changed from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, Static

from boardtui.domain.periods import fy_label, fy_of, parse_fy
from boardtui.domain.rag import Rag
from boardtui.store import savings
from boardtui.store.history import history_start
from boardtui.ui.list_source import ListSource
from boardtui.ui.money import money, money_width
from boardtui.ui.savings_format import pct, totals_band, when_text
from boardtui.ui.screens.base import AreaScreen, import_soon
from boardtui.ui.screens.board_edits import generation, refuse_if_read_only
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row
from boardtui.ui.widgets.rag import rag_cell

if TYPE_CHECKING:  # the as-at view's store is imported when a past moment is asked for (~2 ms of start-up)
    from boardtui.store.savings_history import AsAt, SavingsAsAt


def columns() -> tuple[Column, ...]:
    """The programme table's columns, the money ones wide enough for the display unit."""
    w = money_width
    return (
        Column("name", "Programme", 22, min_width=10),
        Column("identified", "Identif.", w(8), "right"),
        Column("tbc", "TBC", 3, "right"),
        Column("na", "NA", 3, "right"),
        Column("ytd_plan", "YTD plan", w(8), "right"),
        Column("ytd_actual", "YTD act.", w(8), "right"),
        Column("fot", "Forecast", w(8), "right"),
        Column("variance", "Var.", w(7), "right"),
        Column("delivery", "Deliv.", 6, "right"),
        Column("risk", "Risk-adj", w(8), "right"),
        Column("rag", "RAG", 3, "center"),
        Column("manual", "Man", 3, "center"),
    )


def year_note(t: savings.Totals, programmes: int, schemes: int) -> str:
    """What the year is missing, said plainly (no requirement, no schemes), or ""."""
    notes = []
    if t.requirement is None:
        notes.append(f"No savings requirement is set for {fy_label(t.fy)}, so there is no gap to work out.")
    if programmes == 0:
        notes.append("There are no programmes yet: press n to add one, or import programmes.")
    elif schemes == 0:
        notes.append(f"No schemes are recorded for {fy_label(t.fy)}.")
    return " ".join(notes)


class ProgrammeRows(ListSource):
    """The programme rows of one load; a RAG change swaps its programme's row in place."""

    def index_of(self, key: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.key == key), None)

    def replace(self, row: Row) -> int | None:
        """Swap in a programme's new row. Returns its index if the filtered rows are otherwise as they were (the
        table can repaint that one line), None if the change moved it into or out of the filter."""
        before, count = self.index_of(row.key), len(self._rows)
        self._all = [row if r.key == row.key else r for r in self._all]
        self.set_filter(self.filter_text)
        after = self.index_of(row.key)
        return after if after is not None and after == before and len(self._rows) == count else None


def _flows():
    """The savings edit flows (ui/screens/savings_actions.py), imported on the first key that needs one: the
    edit store behind them is not needed to show the list."""
    from boardtui.ui.screens import savings_actions

    return savings_actions


def programme_row(p: savings.ProgrammeLine) -> Row:
    return Row(p.id, (
        p.name, money(p.identified), str(p.tbc), str(p.na), money(p.ytd_plan),
        money(p.ytd_actual), money(p.fot), money(p.fot - p.identified),
        pct(p.fot, p.identified), money(p.risk_adjusted), rag_cell(p.derived.rag),
        rag_cell(p.override) if p.override else "—",
    ))


class ProgrammesScreen(AreaScreen):
    """The programmes of one financial year, live or as at a past moment."""

    TITLE_TEXT = "Programmes"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "year", "Year", id="programmes.year"),
        Binding("r", "rag", "RAG", id="programmes.rag"),
        Binding("e", "edit", "Edit", id="programmes.edit"),
        Binding("n", "new", "New", id="programmes.new"),
        Binding("h", "history", "History", id="programmes.history"),
        Binding("delete", "delete", "Delete", id="programmes.delete"),
    ]

    DEFAULT_CSS = """
    ProgrammesScreen > .as-at {
        height: auto;
        background: $accent;
        color: $background;
        padding: 0 1;
    }
    ProgrammesScreen > #totals { text-style: bold; }
    ProgrammesScreen > #year-note { color: $warning; height: auto; padding: 0 1; }
    ProgrammesScreen > #year-note.empty { display: none; }
    ProgrammesScreen > #why { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, as_at: AsAt | None = None, fy: int | None = None) -> None:
        super().__init__()
        self.as_at = as_at
        self.snapshot: SavingsAsAt | None = None
        self.fy = fy
        self.lines: list[savings.ProgrammeLine] = []
        self.loaded_generation = -1

    # ---- data -------------------------------------------------------------------------------------------

    def _load(self) -> ProgrammeRows:
        board = self.app.board
        if self.as_at is not None and self.snapshot is None:
            from boardtui.store.savings_history import savings_as_at

            self.snapshot = savings_as_at(board, self.as_at)
        if self.fy is None:
            years = savings.years(board)
            self.fy = years[0] if years else fy_of(self.app.today)
        snap = self.snapshot
        self.lines = savings.programme_lines(
            board, self.fy, programme_rows=snap.programmes if snap else None, scheme_rows=snap.schemes if snap else None
        )
        self.totals = savings.totals(board, self.fy, self.lines, snap.targets if snap else None)
        self.loaded_generation = generation(self.app)
        return ProgrammeRows(columns(), [programme_row(p) for p in self.lines])

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        if self.as_at is not None:
            yield Static(Content(""), classes="as-at", id="as-at")
        yield Static(Content(""), classes="summary", id="totals")
        yield Static(Content(""), id="year-note", classes="empty")
        yield PagedTable(self._load())
        yield Static(Content(""), id="why")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._show_bands()
        self.table.focus()
        # What enter opens (~4 ms of import), and the scrollbar its scheme table is the first here to need (Textual
        # imports it when a widget first overflows: ~1 ms).
        import_soon(self, "boardtui.ui.screens.programme_detail", "textual.scrollbar")

    def _show_bands(self) -> None:
        if self.as_at is not None and self.snapshot is not None:
            text = f"As at {self.as_at.label}: rebuilt from the audit trail; nothing can be changed here. " \
                   "escape returns to today."
            if self.snapshot.before_history:
                start = history_start(self.app.board)
                text += f" The trail starts {when_text(start)}: earlier records show their first recorded values."
            self.query_one("#as-at", Static).update(Content(text))
        self.query_one("#totals", Static).update(Content(totals_band(self.totals)))
        schemes = sum(p.schemes for p in self.lines)
        note = year_note(self.totals, len(self.lines), schemes)
        box = self.query_one("#year-note", Static)
        box.update(Content(note))
        box.set_class(not note, "empty")
        self._show_why(self.table.cursor_key)

    def _rag_saved(self, programme_id: str) -> None:
        """A programme's own RAG changed and none of its schemes did: re-read that one row, not every scheme.

        Only that row and the line under the table change: the totals band and the year's note do not depend on
        a manual RAG. Re-rolling 10,000 schemes took the RAG change from ~2 ms of commit and audit to ~100 ms;
        rebuilding every row and band, and moving the table back to its top, cost a few ms more and extra frames
        of layout after the dialog closed (the budget for the whole change is 30 ms).
        """
        row = savings.get_programme(self.app.board, programme_id)
        line = self.line(programme_id)
        if row is None or line is None:
            self.reload()
            return
        line.override = Rag(row["rag_override"]) if row["rag_override"] else None
        line.version = row["version"]
        self.loaded_generation = generation(self.app)
        index = self.table.source.replace(programme_row(line))
        if index is None:
            self.table.reload()
        else:
            self.table.refresh_row(index)
        if self.table.cursor_key == programme_id:
            self._show_why(programme_id)

    def reload(self) -> None:
        """Rebuild the lines (after a change, or another year) keeping the cursor on the same programme."""
        key = self.table.cursor_key
        filter_text = self.table.source.filter_text
        source = self._load()
        source.set_filter(filter_text)
        self.table.set_source(source)
        index = next((i for i in range(source.count()) if source.rows(i, 1)[0].key == key), None)
        if index is not None:
            self.table.cursor_index = index
        self._show_bands()

    def on_screen_resume(self) -> None:
        if self.loaded_generation != generation(self.app) and self.is_mounted:
            self.reload()

    def line(self, key: str | None) -> savings.ProgrammeLine | None:
        return next((p for p in self.lines if p.id == key), None)

    def _show_why(self, key: str | None) -> None:
        """The line under the table: why the row under the cursor has its RAG.

        It is one line high whatever it says, so changing it repaints that line without laying out the screen
        again (a layout is a full-screen frame, on every cursor move and after every RAG change).
        """
        p = self.line(key)
        why = self.query_one("#why", Static)
        if p is None:
            why.update(Content(""), layout=False)
            return
        text = f"{p.name}: derived {p.derived.rag.word} — {p.derived.reason}"
        if p.override:
            text += f"; manual {p.override.word} in force"
        why.update(Content(text), layout=False)

    def on_paged_table_cursor_moved(self, event: PagedTable.CursorMoved) -> None:
        self._show_why(event.key)

    # ---- keys -------------------------------------------------------------------------------------------

    def action_close_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("open") or self.as_at is None or len(self.app.screen_stack) <= 1:
            super().action_close_filter()
            return
        self.app.pop_screen()

    def _open_programme(self, programme_id: str) -> None:
        """Push a programme's detail, handing over this year's lines and totals while they are current, so a
        10k-scheme board is not rolled up a second time (~30 ms) on the way in."""
        from boardtui.ui.screens.programme_detail import ProgrammeDetailScreen

        fresh = self.loaded_generation == generation(self.app) and self.line(programme_id) is not None
        self.app.push_screen(ProgrammeDetailScreen(
            programme_id, self.fy, snapshot=self.snapshot, lines=self.lines if fresh else None,
            totals=self.totals if fresh else None))

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        if self.line(event.key) is not None:
            self._open_programme(event.key)

    def open_record(self, kind: str, record_id: str, key: str) -> None:
        """Open a programme or scheme chosen in the command palette."""
        from boardtui.ui.screens.scheme_detail import SchemeDetailScreen

        if kind == "scheme":
            self.app.push_screen(SchemeDetailScreen(record_id, snapshot=self.snapshot))
        elif kind == "programme":
            self._open_programme(record_id)

    def action_year(self) -> None:
        from boardtui.ui.modals.prompt import PromptDialog

        known = [fy_label(y) for y in savings.years(self.app.board)]
        hint = f"Years with schemes or a requirement: {', '.join(known) or 'none yet'}. Any other year shows empty."

        def check(text: str) -> None:
            parse_fy(text)

        def chosen(text: str | None) -> None:
            if text:
                self.fy = parse_fy(text)
                self.reload()

        self.app.push_screen(PromptDialog("Financial year", hint, fy_label(self.fy), check, known), chosen)

    def _label(self) -> str | None:
        return self.as_at.label if self.as_at else None

    def _current(self) -> savings.ProgrammeLine | None:
        line = self.line(self.table.cursor_key)
        if line is None:
            self.notify("There is no programme here: press n to add one.", severity="warning", markup=False)
        return line

    def action_rag(self) -> None:
        if refuse_if_read_only(self, self._label()):
            return
        p = self._current()
        if p is not None:
            _flows().open_rag(self, "programme", p.id, p.version, f"programme {p.name}", p.derived, p.override,
                              lambda: self._rag_saved(p.id))

    def action_edit(self) -> None:
        if refuse_if_read_only(self, self._label()):
            return
        p = self._current()
        if p is not None:
            _flows().edit_programme(self, p.id, self.reload)

    def action_new(self) -> None:
        if not refuse_if_read_only(self, self._label()):
            _flows().new_programme(self, self.reload)

    def action_delete(self) -> None:
        if refuse_if_read_only(self, self._label()):
            return
        p = self._current()
        if p is not None:
            _flows().delete_programme(self, p.id, p.version, p.name, self.reload)

    def action_history(self) -> None:
        p = self._current()
        if p is not None:
            _flows().open_history(self, "programme", p.id, f"programme {p.name}")

