"""One programme (enter on the programmes screen): its schemes with the same measures, the savings bridge, and
plan vs forecast by scheme as bars.

The scheme table is paged from SQL (a programme of a 10k-scheme board may hold thousands); the bars show the
largest plans. On a scheme row: enter opens it, `r` RAG, `e` edit, `n` new scheme, `h` history, `delete`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, Static

from boardtui.domain.money import ValueStatus
from boardtui.domain.periods import fy_label
from boardtui.store import savings, scheme_pages
from boardtui.ui.money import money, money_label, money_width
from boardtui.ui.savings_format import money_or_dash, pct
from boardtui.ui.screens import savings_actions as act
from boardtui.ui.screens.base import AreaScreen, import_soon
from boardtui.ui.list_source import ListSource
from boardtui.ui.widgets.bars import PlanBar, TextChart, bridge_lines, plan_forecast_lines, side_by_side
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row
from boardtui.ui.widgets.rag import rag_cell

if TYPE_CHECKING:  # an as-at snapshot is built by the programmes screen; this one only reads it (~2 ms of import)
    from boardtui.store.savings_history import SavingsAsAt


def columns() -> tuple[Column, ...]:
    """The scheme table's columns, the money ones wide enough for the display unit."""
    w = money_width
    return (
        Column("ref", "Ref", 10),
        Column("title", "Scheme", 22, min_width=10),
        Column("value", "Plan", w(7), "right"),
        Column("ytd_plan", "YTD pl.", w(7), "right"),
        Column("ytd_actual", "YTD act", w(7), "right"),
        Column("fot", "Fcst", w(7), "right"),
        Column("variance", "Var.", w(6), "right"),
        Column("delivery", "Del.", 5, "right"),
        Column("risk", "Risk-adj", w(8), "right"),
        Column("rag", "RAG", 3, "center"),
        Column("manual", "Man", 3, "center"),
    )

BARS_SHOWN = 6
CHART_GAP = 2  # cells between the bridge and the bars


def scheme_cells(s: savings.SchemeLine) -> tuple:
    value = money(s.plan) if s.status is ValueStatus.QUANTIFIED and s.plan is not None else s.status.value
    variance = None if s.fot is None or s.plan is None else s.fot - s.plan
    return (
        s.ref, s.title, value, money_or_dash(s.ytd_plan), money_or_dash(s.ytd_actual), money_or_dash(s.fot),
        money_or_dash(variance), pct(s.fot, s.plan), money(s.risk_adjusted), rag_cell(s.derived.rag),
        rag_cell(s.override) if s.override else "—",
    )


def scheme_row(s: savings.SchemeLine) -> Row:
    return Row(s.id, scheme_cells(s))


class SchemeCells(Sequence):
    """A scheme row's cells, judged (RAG rule, risk adjustment) and formatted when the table first paints the row.

    The table reads 100 rows a block and shows about twenty: judging and formatting all 100 as they were read was
    ~4 ms of opening a programme on a 10k-scheme board (a third judging, the rest eleven figures a row).
    """

    def __init__(self, board, row) -> None:
        self._board = board
        self._row = row
        self._cells: tuple | None = None

    def _made(self) -> tuple:
        if self._cells is None:
            self._cells = scheme_cells(savings.scheme_line(self._board, self._row))
            self._board = self._row = None
        return self._cells

    def __getitem__(self, index):
        return self._made()[index]

    def __iter__(self):
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


class SchemeSource:
    """A programme's schemes for one year from SQL: a COUNT and one LIMIT/OFFSET block of rows at a time."""

    def __init__(self, board, fy: int, programme_id: str) -> None:
        self.board = board
        self.fy = fy
        self.programme_id = programme_id
        self.columns = columns()
        self.filter_text = ""

    def set_filter(self, text: str) -> None:
        self.filter_text = text

    def count(self) -> int:
        return scheme_pages.count(self.board, self.fy, self.programme_id, self.filter_text)

    def rows(self, offset: int, limit: int) -> list[Row]:
        return [Row(r["id"], SchemeCells(self.board, r)) for r in
                scheme_pages.rows(self.board, self.fy, self.programme_id, offset, limit, self.filter_text)]

    def index_of(self, key: str) -> int | None:
        return scheme_pages.index(self.board, self.fy, self.programme_id, key, self.filter_text)


class ProgrammeDetailScreen(AreaScreen):
    """A programme's schemes and charts for one year; with a snapshot, as the board stood at a past moment."""

    TITLE_TEXT = "Programme"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rag", "RAG", id="programme_detail.rag"),
        Binding("e", "edit", "Edit", id="programme_detail.edit"),
        Binding("n", "new", "New scheme", id="programme_detail.new"),
        Binding("h", "history", "History", id="programme_detail.history"),
        Binding("delete", "delete", "Delete", id="programme_detail.delete"),
    ]

    DEFAULT_CSS = """
    ProgrammeDetailScreen > #summary { height: auto; padding: 0 1; }
    ProgrammeDetailScreen > #note { height: auto; padding: 0 1; color: $warning; }
    ProgrammeDetailScreen > #note.empty { display: none; }
    ProgrammeDetailScreen > #charts { padding: 0 1; }
    ProgrammeDetailScreen > PagedTable { min-height: 5; }
    """

    def __init__(self, programme_id: str, fy: int, *, snapshot: SavingsAsAt | None = None,
                 lines: list[savings.ProgrammeLine] | None = None, totals: savings.Totals | None = None) -> None:
        """`lines` and `totals` may be handed over by the programmes screen (the same year, just computed), so a
        10k-scheme board is not rolled up twice on the way in."""
        super().__init__()
        self.programme_id = programme_id
        self.fy = fy
        self.snapshot = snapshot
        self.loaded_generation = -1
        self._given = (lines, totals) if lines is not None and totals is not None else None

    # ---- data -------------------------------------------------------------------------------------------

    def _load(self) -> None:
        board = self.app.board
        snap = self.snapshot
        if self._given is not None:
            lines, self.totals = self._given
            self._given = None
        else:
            lines = savings.programme_lines(board, self.fy, programme_rows=snap.programmes if snap else None,
                                            scheme_rows=snap.schemes if snap else None)
            self.totals = savings.totals(board, self.fy, lines, snap.targets if snap else None)
        self.line = next((p for p in lines if p.id == self.programme_id), None)
        if snap is not None:
            rows = sorted((r for r in snap.schemes if r["programme_id"] == self.programme_id and r["fy"] == self.fy),
                          key=lambda r: r["ref"])
            self.scheme_lines = [savings.scheme_line(board, r) for r in rows]
            quantified = [s for s in self.scheme_lines if s.status is ValueStatus.QUANTIFIED and s.plan is not None]
            self.bars = sorted(quantified, key=lambda s: (-(s.plan or 0), s.ref))[:BARS_SHOWN]
            self.quantified = len(quantified)
        else:
            self.scheme_lines = None
            self.bars = savings.largest_plans(board, self.fy, self.programme_id, BARS_SHOWN)
            self.quantified = self.line.schemes - self.line.tbc - self.line.na if self.line else 0
        self.loaded_generation = act.generation(self.app)

    def _source(self):
        if self.scheme_lines is not None:
            return ListSource(columns(), [scheme_row(s) for s in self.scheme_lines])
        return SchemeSource(self.app.board, self.fy, self.programme_id)

    def compose(self) -> ComposeResult:
        self._load()
        name = self.line.name if self.line else "(deleted)"
        self.TITLE_TEXT = f"Programme: {name}, {fy_label(self.fy)}"
        if self.snapshot is not None:
            self.TITLE_TEXT += f" as at {self.snapshot.at.label}"
        yield from self.compose_header()
        # Composed with their text, not filled in on mount: an update then laid the screen out again.
        summary, note = self._summary()
        yield Static(Content(summary), id="summary")
        yield Static(Content(note), id="note", classes="" if note else "empty")
        yield TextChart(self._draw_charts, id="charts")
        yield PagedTable(self._source())
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.table.focus()
        # What enter and `r` on a scheme open (the grid, the line chart, the RAG history and dialog; ~6 ms).
        import_soon(self, "boardtui.ui.modals.rag", "boardtui.ui.screens.scheme_detail")

    def _draw_charts(self, width: int) -> list[str]:
        """The bridge and the bars side by side, the width shared as two equal columns would share it."""
        bridge = (width - CHART_GAP) // 2
        return side_by_side(self._draw_bridge(max(20, bridge)), self._draw_bars(max(20, width - CHART_GAP - bridge)),
                            bridge, CHART_GAP)

    def _draw_bridge(self, width: int) -> list[str]:
        t = self.totals
        lines = bridge_lines(t.requirement, t.identified, t.risk_adjusted, width,
                             title=f"Savings bridge {fy_label(self.fy)}, all programmes ({money_label()})")
        if self.line is not None:
            share = f"This programme: {money(self.line.identified)} ({pct(self.line.identified, t.identified)}"
            whole = f"{share} of identified)"
            lines.insert(-1, whole if len(whole) <= width else f"{share})"[:width])  # at 80 columns, the short one
        return lines

    def _draw_bars(self, width: int) -> list[str]:
        bars = [PlanBar(s.ref, s.plan or 0, s.fot) for s in self.bars]
        return plan_forecast_lines(bars, width, more=max(0, self.quantified - len(bars)))

    def _summary(self) -> tuple[str, str]:
        """The programme's measures in a sentence, and the note under them ("" when there is nothing to say)."""
        p = self.line
        if p is None:
            return "This programme no longer exists: someone may have deleted it. escape goes back.", ""
        text = (f"Identified {money(p.identified)} ({p.tbc} TBC, {p.na} NA not counted) · YTD plan "
                f"{money(p.ytd_plan)} · actual {money(p.ytd_actual)} · Forecast {money(p.fot)} "
                f"(var. {money(p.fot - p.identified)}, {pct(p.fot, p.identified)}) · Risk-adjusted "
                f"{money(p.risk_adjusted)} · RAG {p.rag.word}: {p.derived.reason}"
                + (f" (manual {p.override.word}; derived {p.derived.rag.word})" if p.override else ""))
        ending = "." if self.snapshot else ": press n to add one."
        return text, "" if p.schemes else f"No schemes in this programme for {fy_label(self.fy)}{ending}"

    def _show_summary(self) -> None:
        summary, note = self._summary()
        self.query_one("#summary", Static).update(Content(summary))
        box = self.query_one("#note", Static)
        box.update(Content(note))
        box.set_class(not note, "empty")

    def reload(self) -> None:
        self._load()
        key = self.table.cursor_key
        source = self._source()
        source.set_filter(self.table.source.filter_text)
        self.table.set_source(source)
        if key is not None:
            index = getattr(source, "index_of", None)
            found = index(key) if index else next(
                (i for i in range(source.count()) if source.rows(i, 1)[0].key == key), None)
            if found is not None:
                self.table.cursor_index = found
        self.query_one("#charts", TextChart).set_draw(self._draw_charts)
        self._show_summary()

    def on_screen_resume(self) -> None:
        if self.loaded_generation != act.generation(self.app) and self.is_mounted:
            self.reload()

    # ---- keys -------------------------------------------------------------------------------------------

    def action_close_filter(self) -> None:
        if self.query_one("#filter", Input).has_class("open"):
            super().action_close_filter()
        else:
            self.app.pop_screen()

    def _label(self) -> str | None:
        return self.snapshot.at.label if self.snapshot else None

    def _current(self) -> savings.SchemeLine | None:
        key = self.table.cursor_key
        if key is None:
            self.notify("There is no scheme here: press n to add one.", severity="warning", markup=False)
            return None
        if self.scheme_lines is not None:
            return next((s for s in self.scheme_lines if s.id == key), None)
        row = savings.get_scheme(self.app.board, key)
        return savings.scheme_line(self.app.board, row) if row is not None else None

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        from boardtui.ui.screens.scheme_detail import SchemeDetailScreen

        if event.key is not None:
            self.app.push_screen(SchemeDetailScreen(event.key, snapshot=self.snapshot))

    def action_rag(self) -> None:
        if act.refuse_if_read_only(self, self._label()):
            return
        s = self._current()
        if s is not None:
            act.open_rag(self, "scheme", s.id, s.version, f"scheme {s.ref} {s.title}", s.derived, s.override,
                         self.reload)

    def action_edit(self) -> None:
        if act.refuse_if_read_only(self, self._label()):
            return
        s = self._current()
        if s is not None:
            act.edit_scheme(self, s.id, self.reload)

    def action_new(self) -> None:
        if not act.refuse_if_read_only(self, self._label()):
            act.new_scheme(self, self.line.name if self.line else None, fy_label(self.fy), self.reload)

    def action_delete(self) -> None:
        if act.refuse_if_read_only(self, self._label()):
            return
        s = self._current()
        if s is not None:
            act.delete_scheme(self, s.id, s.version, s.ref, self.reload)

    def action_history(self) -> None:
        s = self._current()
        if s is not None:
            act.open_history(self, "scheme", s.id, f"scheme {s.ref}")
