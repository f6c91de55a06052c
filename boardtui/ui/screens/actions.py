"""Actions (key 6): the whole action log, paged from SQL, so 100k actions open as fast as ten."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from boardtui.domain.actions import is_overdue
from boardtui.store import actions as actions_store
from boardtui.store import history
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.sources import ActionsSource
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row

COLUMNS = (
    Column("ref", "Ref", 10),
    Column("due", "Due", 10),
    Column("status", "Status", 9),
    Column("overdue", "Overdue", 7),
    Column("owner", "Owner", 20, min_width=8),
    Column("text", "Action", 40, min_width=12),
    Column("meeting", "Raised", 18),
)

STATUS_SHORT = {"open": "open", "proposed for closure": "proposed", "closed": "closed"}


class ActionsScreen(AreaScreen):
    TITLE_TEXT = "Actions"

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static(Content(""), classes="summary", id="counts")
        today = self.app.today

        def to_row(a) -> Row:
            raised = f"{a['meeting_date']} item {a['item_number']}" if a["meeting_date"] else ""
            if a["part"] == 2:
                raised += " (Part 2)"
            overdue = "OVERDUE" if is_overdue(a["status"], a["due"], today) else ""
            return Row(a["id"], (a["ref"], a["due"], STATUS_SHORT.get(a["status"], a["status"]), overdue,
                                 a["owner"], a["text"], raised))

        yield PagedTable(ActionsSource(self.app.board, COLUMNS, to_row, actions_store.ActionFilter()))
        yield from self.compose_footer()

    def on_mount(self) -> None:
        c = actions_store.counts(self.app.board, self.app.today)
        self.query_one("#counts", Static).update(
            Content(f"{c.open:,} open, {c.overdue:,} overdue, {c.proposed:,} proposed for closure, {c.closed:,} closed")
        )

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        board = self.app.board
        a = actions_store.get(board, event.key)
        if a is None:
            return
        fields = [
            ("Ref", a["ref"]), ("Action", a["text"]), ("Owner", a["owner"]), ("Due", a["due"]),
            ("Originally due", a["original_due"] or a["due"]), ("Status", a["status"]),
            ("Raised at", f"{a['body'] or '—'} {a['meeting_date'] or ''} item {a['item_number'] or '—'}"),
            ("Latest update", a["latest_update"] or "—"),
        ]
        self.app.push_screen(
            DetailScreen(f"Action {a['ref']}", fields, history.row_history(board, "action", a["id"]))
        )
