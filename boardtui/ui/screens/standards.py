"""Standards (key 3): each standard's latest month against its threshold and trajectory, with a 12-month trend.

Filters by key: `o` off target (misses the national threshold), `t` off trajectory, `m` steps through the
must-dos, `a` shows all again; `/` narrows by text as everywhere. `enter` opens the standard's months and chart.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from boardtui.domain.periods import month_label
from boardtui.domain.standards import format_measure, format_threshold
from boardtui.store.standards import StandardLine, last_complete_month, standard_lines
from boardtui.ui.list_source import ListSource
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.screens.standard_detail import StandardDetailScreen, StandardKeys
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row
from boardtui.ui.widgets.rag import rag_cell
from boardtui.ui.widgets.sparkline import sparkline

COLUMNS = (  # only the name gives up width on a narrow screen: the newest months of the trend are on its right
    Column("must_do", "MD", 3, "right", min_width=3),
    Column("code", "Code", 10, min_width=10),
    Column("name", "Standard", 30, min_width=12),
    Column("target", "Target", 9, "right", min_width=9),
    Column("period", "Month", 8, min_width=8),
    Column("actual", "Actual", 8, "right", min_width=8),
    Column("trajectory", "Traj.", 8, "right", min_width=8),
    Column("rag", "RAG", 4, "center", min_width=4),
    Column("trend", "12 months", 12, min_width=12),
)

NOT_A_MUST_DO = "none"


def standard_row(s: StandardLine) -> Row:
    """The table row of one standard."""
    return Row(s.code, (
        str(s.must_do or ""), s.code, s.name, format_threshold(s.threshold, s.comparator, s.unit),
        month_label(s.period) if s.period else "—", format_measure(s.actual, s.unit),
        format_measure(s.trajectory, s.unit), rag_cell(s.rag, s.override), sparkline(s.recent),
    ))


class StandardsScreen(StandardKeys, AreaScreen):
    TITLE_TEXT = "Standards"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "toggle_off_target", "Off target", id="standards.off_target"),
        Binding("t", "toggle_off_trajectory", "Off trajectory", id="standards.off_trajectory"),
        Binding("m", "next_must_do", "By must-do", id="standards.must_do"),
        Binding("a", "show_all", "All", id="standards.all"),
        Binding("n", "new_month", "Enter month", id="standards.new_month"),
        Binding("r", "rag", "RAG", id="standards.rag"),
        Binding("h", "history", "History", id="standards.history"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[StandardLine] = []
        self.off_target = False
        self.off_trajectory = False
        self.must_do: int | str | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static(Content(""), classes="summary", id="filters")
        self.lines = standard_lines(self.app.board, self.app.today)
        yield PagedTable(ListSource(COLUMNS, self._rows()))
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._show_filters()

    def on_screen_resume(self) -> None:
        self.reload_data()

    def current_code(self) -> str | None:
        return self.table.cursor_key

    def _shown(self) -> list[StandardLine]:
        out = self.lines
        if self.off_target:
            out = [s for s in out if s.off_target]
        if self.off_trajectory:
            out = [s for s in out if s.off_trajectory]
        if self.must_do == NOT_A_MUST_DO:
            out = [s for s in out if s.must_do is None]
        elif self.must_do is not None:
            out = [s for s in out if s.must_do == self.must_do]
        return out

    def _rows(self) -> list[Row]:
        return [standard_row(s) for s in self._shown()]

    def _show_filters(self) -> None:
        parts = []
        if self.off_target:
            parts.append("off target")
        if self.off_trajectory:
            parts.append("off trajectory")
        if self.must_do == NOT_A_MUST_DO:
            parts.append("not a must-do")
        elif self.must_do is not None:
            parts.append(f"must-do {self.must_do}")
        shown = len(self._shown())
        what = ", ".join(parts) if parts else "all"
        self.query_one("#filters", Static).update(Content(
            f"Showing {shown} of {len(self.lines)} standards ({what}) · each judged on its latest month "
            f"up to {month_label(last_complete_month(self.app.today))}"
        ))

    def reload_data(self) -> None:
        """Re-read the standards (after an edit) and redraw, keeping the filters and the cursor's row."""
        self.lines = standard_lines(self.app.board, self.app.today)
        self._refilter()

    def _refilter(self) -> None:
        table = self.table
        keep = table.cursor_key
        source = ListSource(COLUMNS, self._rows())
        source.set_filter(table.source.filter_text)
        table.set_source(source)
        keys = [r.key for r in source.rows(0, source.count())]
        if keep in keys:
            table.cursor_index = keys.index(keep)
        self._show_filters()

    def action_toggle_off_target(self) -> None:
        self.off_target = not self.off_target
        self._refilter()

    def action_toggle_off_trajectory(self) -> None:
        self.off_trajectory = not self.off_trajectory
        self._refilter()

    def action_next_must_do(self) -> None:
        numbers = sorted({s.must_do for s in self.lines if s.must_do is not None})
        steps: list[int | str | None] = [None, *numbers]
        if any(s.must_do is None for s in self.lines):
            steps.append(NOT_A_MUST_DO)
        at = steps.index(self.must_do) if self.must_do in steps else 0
        self.must_do = steps[(at + 1) % len(steps)]
        self._refilter()

    def action_show_all(self) -> None:
        self.off_target = self.off_trajectory = False
        self.must_do = None
        self._refilter()

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        if event.key is not None:
            self.app.push_screen(StandardDetailScreen(event.key))
