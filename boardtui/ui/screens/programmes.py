"""Programmes (key 2): one row per programme for the year, with the savings totals band always in view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from boardtui.domain.money import format_money
from boardtui.domain.periods import fy_label
from boardtui.store import history, savings
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.sources import ListSource
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row
from boardtui.ui.widgets.rag import rag_cell

COLUMNS = (
    Column("name", "Programme", 34, min_width=12),
    Column("identified", "Identified", 10, "right"),
    Column("tbc", "TBC", 4, "right"),
    Column("na", "NA", 3, "right"),
    Column("ytd_plan", "YTD plan", 9, "right"),
    Column("ytd_actual", "YTD act.", 9, "right"),
    Column("fot", "Forecast", 9, "right"),
    Column("variance", "Var.", 8, "right"),
    Column("delivery", "Deliv.", 7, "right"),
    Column("risk", "Risk-adj", 9, "right"),
    Column("rag", "RAG", 5, "center"),
)


def totals_band(t: savings.Totals) -> str:
    """The board's headline in one line, in £000s: requirement, identified, gap, risk-adjusted gap."""
    req = format_money(t.requirement) if t.requirement is not None else "not set"
    gap = format_money(t.gap) if t.gap is not None else "—"
    rgap = format_money(t.risk_adjusted_gap) if t.risk_adjusted_gap is not None else "—"
    return (
        f"{fy_label(t.fy)} £000s  Requirement {req}  Identified {format_money(t.identified)}  Gap {gap}  "
        f"Risk-adjusted gap {rgap}  ({t.tbc} TBC, {t.na} NA not counted)"
    )


class ProgrammesScreen(AreaScreen):
    TITLE_TEXT = "Programmes"

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static(Content(""), classes="summary", id="totals")
        yield PagedTable(self._source())
        yield from self.compose_footer()

    def _source(self) -> ListSource:
        board = self.app.board
        years = savings.years(board)
        self.fy = years[0] if years else None
        rows: list[Row] = []
        self.lines = []
        if self.fy is not None:
            self.lines = savings.programme_lines(board, self.fy)
            for p in self.lines:
                variance = p.fot - p.identified
                delivery = f"{p.fot * 100 / p.identified:.0f}%" if p.identified else "—"
                rows.append(Row(p.id, (
                    p.name, format_money(p.identified), str(p.tbc), str(p.na), format_money(p.ytd_plan),
                    format_money(p.ytd_actual), format_money(p.fot), format_money(variance), delivery,
                    format_money(p.risk_adjusted), rag_cell(p.rag, p.override),
                )))
        return ListSource(COLUMNS, rows)

    def on_mount(self) -> None:
        band = self.query_one("#totals", Static)
        if self.fy is None:
            band.update(Content("No savings schemes yet: import schemes to see the programmes."))
        else:
            band.update(Content(totals_band(savings.totals(self.app.board, self.fy, self.lines))))

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        line = next((p for p in self.lines if p.id == event.key), None)
        if line is None:
            return
        board = self.app.board
        fields = [("Derived RAG", f"{line.derived.rag.word}: {line.derived.reason}")]
        if line.override:
            fields.append(("Manual RAG", line.override.word))
        for s in savings.schemes_of(board, self.fy, line.id):
            value = s.status.value if s.plan is None else format_money(s.plan)
            fields.append((s.ref, f"{s.title} — {value} — {s.rag.value} ({s.derived.reason})"))
        self.app.push_screen(
            DetailScreen(f"Programme: {line.name}", fields, history.row_history(board, "programme", line.id))
        )
