"""What changed since a date, or since the last meeting of a board (from the command palette).

Everything that moved, oldest first, from the audit trail: RAG moves, value and monthly figure changes, new
and deleted records. Paged from SQL, so a long history opens as fast as a short one. Part 2 changes are left
out, as in every report.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from boardtui.store import savings_history
from boardtui.ui.money import money
from boardtui.ui.savings_format import when_text
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row

COLUMNS = (
    Column("at", "When (UTC)", 17),
    Column("who", "Who", 10),
    Column("what", "What", 22, min_width=8),
    Column("change", "Change", 30, min_width=10),
    Column("reason", "Reason", 14, min_width=6),
)
OPS = {"create": "created", "delete": "deleted"}


def _value(field: str | None, text: str | None) -> str:
    if text is None:
        return "—"
    if field and field.endswith("_pence"):
        try:
            return money(int(text))
        except ValueError:
            return text
    return text


def change_row(c) -> Row:
    field = c.field or ""
    shown_field = field[: -len("_pence")] if field.endswith("_pence") else field
    if c.op == "update":
        change = f"{shown_field}: {_value(field, c.old)} → {_value(field, c.new)}"
    else:
        change = OPS.get(c.op, c.op)
    what = f"{c.entity.replace('_', ' ')} {c.ref or ''}".strip()
    return Row(f"{c.at}|{what}|{field}", (when_text(c.at).removesuffix(" UTC"), c.who, what, change, c.reason or ""))


class ChangesSource:
    """Audit entries after `since`, from SQL: a COUNT and one LIMIT/OFFSET page per block."""

    def __init__(self, board, since: str) -> None:
        self.board = board
        self.since = since
        self.columns = COLUMNS
        self.filter_text = ""
        self._count: int | None = None

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = savings_history.changes_count(self.board, self.since, text=self.filter_text)
        return self._count

    def rows(self, offset: int, limit: int) -> list[Row]:
        return [change_row(c) for c in
                savings_history.changes_page(self.board, self.since, offset, limit, text=self.filter_text)]


class ChangesScreen(AreaScreen):
    """The changes after a moment; `label` says which ("since 1 Oct 2016", "since the last meeting of …")."""

    TITLE_TEXT = "Changes"

    def __init__(self, since: str, label: str) -> None:
        super().__init__()
        self.since = since
        self.label = label

    def compose(self) -> ComposeResult:
        self.TITLE_TEXT = f"Changes {self.label}"
        yield from self.compose_header()
        self.source = ChangesSource(self.app.board, self.since)
        count = self.source.count()
        summary = (f"{count:,} change{'s' if count != 1 else ''} {self.label}, oldest first (Part 2 left out). "
                   "escape goes back." if count else f"Nothing has changed {self.label}. escape goes back.")
        yield Static(Content(summary), classes="summary")
        yield PagedTable(self.source)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.table.focus()

    def action_close_filter(self) -> None:
        if self.query_one("#filter", Input).has_class("open"):
            super().action_close_filter()
        else:
            self.app.pop_screen()
