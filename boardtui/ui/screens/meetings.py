"""Meetings (key 5): every meeting of every body, newest first; enter shows its agenda."""

from __future__ import annotations

from textual.app import ComposeResult

from boardtui.store import meetings as meetings_store
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.sources import MeetingsSource
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row

COLUMNS = (
    Column("date", "Date", 10),
    Column("time", "Time", 5),
    Column("body", "Body", 40, min_width=12),
    Column("status", "Status", 16),
    Column("items", "Items", 5, "right"),
    Column("venue", "Venue", 24),
)


def to_row(m) -> Row:
    return Row(m["id"], (m["date"], m["start_time"] or "", m["body"], m["status"], str(m["items"]), m["venue"] or ""))


class MeetingsScreen(AreaScreen):
    TITLE_TEXT = "Meetings"

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield PagedTable(MeetingsSource(self.app.board, COLUMNS, to_row))
        yield from self.compose_footer()

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        board = self.app.board
        m = meetings_store.get(board, event.key)
        if m is None:
            return
        fields = [("Body", m["body"]), ("Date", f"{m['date']} {m['start_time'] or ''}"), ("Status", m["status"]),
                  ("Venue", m["venue"] or "—")]
        for item in meetings_store.agenda(board, m["id"]):
            part = " [Part 2]" if item["part"] == 2 else ""
            purpose = f" ({item['purpose']})" if item["purpose"] else ""
            fields.append((f"Item {item['number']}", f"{item['title']}{purpose}{part}"))
        self.app.push_screen(DetailScreen(f"{m['body']}, {m['date']}", fields))
