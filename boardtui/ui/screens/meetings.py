"""Meetings (key 5): every meeting of every body, newest first.

`enter` opens the meeting's agenda, `g` runs it live, `n` makes a new meeting (from the standard agenda),
`e` changes its date, time, venue or status, `w` writes its minutes, `b` opens the bodies and their members.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from boardtui.domain.text import terminal_safe
from boardtui.store import history
from boardtui.store import meetings as meetings_store
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.modals.meeting_forms import edit_meeting, minutes_form, new_meeting
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.sources import MeetingsSource
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row

COLUMNS = (
    Column("date", "Date", 10, min_width=10),
    Column("time", "Time", 5, min_width=5),
    Column("body", "Body", 40, min_width=12),
    Column("status", "Status", 16, min_width=11),
    Column("items", "Items", 5, "right", min_width=5),
    Column("venue", "Venue", 24, min_width=5),
)


def to_row(m) -> Row:
    return Row(m["id"], (m["date"], m["start_time"] or "", m["body"], meetings_store.status_text(m),
                         str(m["items"]), m["venue"] or ""))


class MeetingsScreen(AreaScreen):
    TITLE_TEXT = "Meetings"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "run", "Run meeting", id="meetings.run"),
        Binding("n", "new", "New meeting", id="meetings.new"),
        Binding("e", "edit", "Edit meeting", id="meetings.edit"),
        Binding("w", "minutes", "Write minutes", id="meetings.minutes"),
        Binding("b", "bodies", "Bodies", id="meetings.bodies"),
        Binding("h", "history", "History", id="meetings.history"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield PagedTable(MeetingsSource(self.app.board, COLUMNS, to_row))
        yield from self.compose_footer()

    def on_screen_resume(self) -> None:
        self.table.reload()

    def _meeting(self):
        key = self.table.cursor_key
        return meetings_store.get(self.app.board, key) if key else None

    def open_meeting(self, meeting_id: str, item_id: str | None = None) -> None:
        from boardtui.ui.screens.meeting_detail import MeetingScreen

        self.app.push_screen(MeetingScreen(meeting_id, item_id=item_id))

    def open_record(self, kind: str, record_id: str, key: str) -> None:
        """The command palette's jump: a meeting opens its agenda; an agenda item opens it at that item."""
        if kind == "agenda item":
            self.open_meeting(key, record_id)
        else:
            self.open_meeting(record_id)

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        if event.key:
            self.open_meeting(event.key)

    def action_run(self) -> None:
        from boardtui.ui.screens.runner import RunnerScreen

        m = self._meeting()
        if m is None:
            return
        if not m["items"]:
            self.notify("This meeting has no agenda yet: press enter to build it.", severity="warning",
                        markup=False)
            return
        self.app.push_screen(RunnerScreen(m["id"]))

    def action_new(self) -> None:
        def created(meeting_id) -> None:
            self.table.reload()
            if isinstance(meeting_id, str):
                self.open_meeting(meeting_id)

        self.app.push_screen(new_meeting(self.app.board), created)

    def action_edit(self) -> None:
        m = self._meeting()
        if m is not None:
            self.app.push_screen(edit_meeting(self.app.board, m), lambda _: self.table.reload())

    def action_minutes(self) -> None:
        m = self._meeting()
        if m is None:
            return

        def written(path) -> None:
            if path and path is not True:
                self.notify(f"Minutes written to {path}", markup=False)

        self.app.push_screen(minutes_form(self.app.board, m), written)

    def action_bodies(self) -> None:
        from boardtui.ui.screens.bodies import BodiesScreen

        self.app.push_screen(BodiesScreen())

    def action_history(self) -> None:
        m = self._meeting()
        if m is None:
            return
        fields = [("Body", terminal_safe(m["body"])), ("Date", m["date"]), ("Status", meetings_store.status_text(m))]
        self.app.push_screen(DetailScreen(terminal_safe(meetings_store.label(m)), fields,
                                          history.row_history(self.app.board, "meeting", m["id"])))
