"""Standards (key 3): each must-do standard's latest figure against threshold and trajectory."""

from __future__ import annotations

from textual.app import ComposeResult

from boardtui.domain.periods import month_label
from boardtui.store import history
from boardtui.store.standards import standard_lines
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.sources import ListSource
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row
from boardtui.ui.widgets.rag import rag_cell

COLUMNS = (
    Column("must_do", "MD", 3, "right"),
    Column("code", "Code", 10),
    Column("name", "Standard", 32, min_width=12),
    Column("target", "Target", 9, "right"),
    Column("period", "Period", 9),
    Column("actual", "Actual", 8, "right"),
    Column("trajectory", "Traj.", 8, "right"),
    Column("rag", "RAG", 5, "center"),
    Column("trend", "12 months", 12),
)

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    """A one-line trend: one bar per month, a gap for a month with no figure."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1
    return "".join(" " if v is None else BARS[int((v - lo) / span * (len(BARS) - 1))] for v in values)


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}%" if unit == "%" else f"{value:g}"


class StandardsScreen(AreaScreen):
    TITLE_TEXT = "Standards"

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        self.lines = standard_lines(self.app.board, self.app.today)
        rows = [
            Row(s.id, (
                str(s.must_do or ""), s.code, s.name, f"{s.comparator.symbol}{fmt(s.threshold, s.unit)}",
                month_label(s.period) if s.period else "—", fmt(s.actual, s.unit), fmt(s.trajectory, s.unit),
                rag_cell(s.rag, s.override), sparkline(s.recent),
            ))
            for s in self.lines
        ]
        yield PagedTable(ListSource(COLUMNS, rows))
        yield from self.compose_footer()

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        s = next((x for x in self.lines if x.id == event.key), None)
        if s is None:
            return
        fields = [
            ("Code", s.code), ("Standard", s.name), ("Must-do", str(s.must_do or "—")),
            ("Threshold", f"{s.comparator.symbol} {fmt(s.threshold, s.unit)}"),
            ("Latest period", month_label(s.period) if s.period else "no data"),
            ("Actual", fmt(s.actual, s.unit)), ("Trajectory", fmt(s.trajectory, s.unit)),
            ("RAG", f"{s.rag.word}: {s.derived.reason}"),
        ]
        self.app.push_screen(
            DetailScreen(f"Standard: {s.name}", fields, history.row_history(self.app.board, "standard", s.id))
        )
