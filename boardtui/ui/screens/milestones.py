"""Milestones (key 4): dates against baseline, slip in days, RAG and dependencies."""

from __future__ import annotations

from textual.app import ComposeResult

from boardtui.domain.periods import display_date
from boardtui.store import history
from boardtui.store.milestones import milestone_lines
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.sources import ListSource
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row
from boardtui.ui.widgets.rag import rag_cell

COLUMNS = (
    Column("ref", "Ref", 6),
    Column("title", "Milestone", 34, min_width=12),
    Column("owner", "Owner", 14),
    Column("baseline", "Baseline", 12),
    Column("forecast", "Forecast", 12),
    Column("actual", "Actual", 12),
    Column("slip", "Slip", 5, "right"),
    Column("rag", "RAG", 5, "center"),
    Column("deps", "Depends on", 12),
)


def _date(value) -> str:
    return display_date(value) if value else "—"


class MilestonesScreen(AreaScreen):
    TITLE_TEXT = "Milestones"

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        self.lines = milestone_lines(self.app.board, self.app.today)
        rows = [
            Row(m.id, (
                m.ref, m.title, m.owner or "", _date(m.baseline), _date(m.forecast), _date(m.actual),
                str(m.slip), rag_cell(m.rag, m.override), ", ".join(m.depends_on),
            ))
            for m in self.lines
        ]
        yield PagedTable(ListSource(COLUMNS, rows))
        yield from self.compose_footer()

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        m = next((x for x in self.lines if x.id == event.key), None)
        if m is None:
            return
        fields = [
            ("Ref", m.ref), ("Milestone", m.title), ("Plan", m.plan or "—"), ("Owner", m.owner or "—"),
            ("Baseline", _date(m.baseline)), ("Forecast", _date(m.forecast)), ("Actual", _date(m.actual)),
            ("Slip (days)", str(m.slip)), ("Depends on", ", ".join(m.depends_on) or "—"),
            ("RAG", f"{m.rag.word}: {m.derived.reason}"),
        ]
        self.app.push_screen(
            DetailScreen(f"Milestone {m.ref}", fields, history.row_history(self.app.board, "milestone", m.id))
        )
