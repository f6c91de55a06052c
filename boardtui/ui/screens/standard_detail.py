"""One standard (enter on the standards screen): its months, a chart of actual against trajectory with the
threshold drawn, the commentary of each month, and entry of a month's figures from the keyboard.

`StandardKeys` holds the keys the standards list and this screen share (enter a month, RAG, history).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from boardtui.domain.periods import MONTH_ABBR, add_months, month_label
from boardtui.domain.standards import format_measure, format_threshold
from boardtui.store import standards as store
from boardtui.store.rag import set_rag
from boardtui.ui.list_source import ListSource
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.screens import board_edits
from boardtui.ui.modals.rag import RagDialog, RagTarget
from boardtui.ui.modals.standard_period_form import StandardPeriodForm
from boardtui.ui.widgets.linechart import LineChart, Series
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row
from boardtui.ui.widgets.rag import rag_cell
from boardtui.ui.widgets.key_bar import KeyBar

MONTH_COLUMNS = (
    Column("period", "Month", 9),
    Column("numerator", "Numerator", 10, "right"),
    Column("denominator", "Denominator", 11, "right"),
    Column("actual", "Actual", 9, "right"),
    Column("trajectory", "Traj.", 9, "right"),
    Column("rag", "RAG", 5, "center"),
    Column("commentary", "Commentary", 30, min_width=10),
)

CHART_MONTHS = 12


def short_month(month: str) -> str:
    """"2016-10" → "Oct 16", for chart labels."""
    return f"{MONTH_ABBR[int(month[5:7]) - 1]} {month[2:4]}"


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


class StandardKeys:
    """Keys shared by the standards list and a standard's detail: `n` new month, `r` RAG, `h` history.

    The screen provides `current_code()` and `reload_data()`.
    """

    def current_code(self) -> str | None:  # pragma: no cover - provided by the screen
        raise NotImplementedError

    def reload_data(self) -> None:  # pragma: no cover - provided by the screen
        raise NotImplementedError

    def _writable(self) -> bool:
        return not board_edits.refuse_if_read_only(self)

    def _after_save(self, message: str):
        return board_edits.after_save(self, message)

    def open_month(self, period: str | None) -> None:
        """The month entry form for `period` (None: the next month to enter)."""
        code = self.current_code()
        if code is None or not self._writable():
            return
        form = StandardPeriodForm(self.app.board, code, period, self.app.today)
        self.app.push_screen(form, self._after_save(f"Saved the figures of {code}."))

    def action_new_month(self) -> None:
        self.open_month(None)

    def action_rag(self) -> None:
        code = self.current_code()
        if code is None or not self._writable():
            return
        board = self.app.board
        line = store.standard_line(board, code, self.app.today)
        target = RagTarget("standard", line.id, line.version, f"{line.code} {line.name}", line.derived,
                           line.override, line.rag_commentary or "")

        def save(rag, commentary):
            return set_rag(board, "standard", line.id, line.version, rag, commentary, line.derived.rag)

        self.app.push_screen(RagDialog(target, save), self._after_save(f"Saved the RAG of {code}."))

    def action_history(self) -> None:
        code = self.current_code()
        if code is None:
            return
        board = self.app.board
        versions = store.definitions(board, code)
        fields = [(f"Definition {i + 1}", f"{format_threshold(v['threshold'], v['comparator'], v['unit'])} "
                   f"({v['planning_round'] or 'no round'}), in force {store.effective_range(v)}")
                  for i, v in enumerate(versions)]
        self.app.push_screen(DetailScreen(f"History of {code}", fields, store.standard_history(board, code)))


class StandardDetailScreen(StandardKeys, Screen):
    """The months of one standard, its chart and its commentary."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit_month", "Correct month", id="standard_detail.edit"),
        Binding("n", "new_month", "New month", id="standard_detail.new"),
        Binding("r", "rag", "RAG", id="standard_detail.rag"),
        Binding("h", "history", "History", id="standard_detail.history"),
        Binding("escape", "back", "Back", id="standard_detail.back"),
    ]

    DEFAULT_CSS = """
    StandardDetailScreen {
        layout: vertical;
    }
    StandardDetailScreen > .area-title {
        height: 1;
        background: $primary;
        color: $foreground;
        text-style: bold;
        padding: 0 1;
    }
    StandardDetailScreen > .info {
        height: auto;
        padding: 0 1;
    }
    StandardDetailScreen > LineChart {
        height: 12;
    }
    StandardDetailScreen > #commentary {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.months: list[store.PeriodLine] = []

    def current_code(self) -> str | None:
        return self.code

    def compose(self) -> ComposeResult:
        yield Static(Content(""), classes="area-title", id="title")
        yield Static(Content(""), classes="info", id="definition")
        yield Static(Content(""), classes="info", id="status")
        yield LineChart(id="chart")
        yield PagedTable(ListSource(MONTH_COLUMNS, []), id="months")
        yield Static(Content(""), id="commentary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload_data()
        self.query_one("#months", PagedTable).focus()

    def reload_data(self) -> None:
        board, today = self.app.board, self.app.today
        line = store.standard_line(board, self.code, today)
        versions = store.definitions(board, self.code)
        self.months = list(reversed(store.period_lines(board, self.code)))
        must_do = f"must-do {line.must_do} · " if line.must_do else ""
        self.query_one("#title", Static).update(Content(f"Standard {self.code} — {line.name}"))
        ranges = "; ".join(f"{format_threshold(v['threshold'], v['comparator'], v['unit'])} "
                           f"in force {store.effective_range(v)}" for v in versions)
        self.query_one("#definition", Static).update(Content(f"{must_do}{ranges}"))
        latest = month_label(line.period) if line.period else "no month yet"
        manual = f" · manual {line.override.word}" if line.override else ""
        self.query_one("#status", Static).update(
            Content(f"Latest {latest}: {line.derived.rag.word} — {line.derived.reason}{manual}")
        )
        self._draw_chart(line)
        table = self.query_one("#months", PagedTable)
        keep = table.cursor_key
        rows = [
            Row(p.period, (
                month_label(p.period), _count(p.numerator), _count(p.denominator),
                format_measure(p.actual, p.unit),
                format_measure(p.trajectory, p.unit), rag_cell(p.derived.rag), p.commentary or "",
            ))
            for p in self.months
        ]
        table.set_source(ListSource(MONTH_COLUMNS, rows))
        keys = [r.key for r in rows]
        start = keep if keep in keys else (line.period if line.period in keys else None)
        if start is not None:
            table.cursor_index = keys.index(start)
        self._show_commentary(table.cursor_key)

    def _draw_chart(self, line: store.StandardLine) -> None:
        """Twelve months from the first with figures (or the twelve up to the latest actual, when there are more):
        actuals up to the latest month judged as at today, the trajectory for every month, the threshold."""
        chart = self.query_one("#chart", LineChart)
        label = f"Standard {format_threshold(line.threshold, line.comparator, line.unit)}"
        known = sorted(p.period for p in self.months)
        if not known:
            chart.set_data([], [], line.threshold, label)
            return
        end = line.period or known[-1]
        start = max(known[0], add_months(end, 1 - CHART_MONTHS))
        window = [add_months(start, i) for i in range(CHART_MONTHS)]
        by_month = {p.period: p for p in self.months}
        actual = [by_month[m].actual if m in by_month and m <= end else None for m in window]
        path = [by_month[m].trajectory if m in by_month else None for m in window]
        chart.set_data(
            [Series("Actual", actual, "●", "bold cyan"), Series("Trajectory", path, "○", "magenta")],
            [short_month(m) for m in window],
            line.threshold,
            label,
        )

    def _show_commentary(self, period: str | None) -> None:
        p = next((m for m in self.months if m.period == period), None)
        text = ""
        if p is not None:
            text = f"{month_label(p.period)}: {p.derived.reason}"
            if p.commentary:
                text += f" · {p.commentary}"
        self.query_one("#commentary", Static).update(Content(text))

    def on_paged_table_cursor_moved(self, event: PagedTable.CursorMoved) -> None:
        self._show_commentary(event.key)

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        self.open_month(event.key)

    def action_edit_month(self) -> None:
        key = self.query_one("#months", PagedTable).cursor_key
        self.open_month(key)

    def action_back(self) -> None:
        self.dismiss()

