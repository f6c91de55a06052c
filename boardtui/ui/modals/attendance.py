"""Attendance (`p`): the body's members with what was recorded for each; every key press is saved at once.

`p` present, `a` apologies, `s` a substitute stands in (asks their name), `delete` clears the line, `n` adds
someone else in attendance. The quorum line under the title is re-checked after every change.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from boardtui.domain.errors import BoardError
from boardtui.store import attendance as attendance_store
from boardtui.store import meetings as meetings_store
from boardtui.store.connection import Board
from boardtui.ui.literal import lit, lit_text
from boardtui.ui.modals.form import FormField, FormScreen


def quorum_text(check: attendance_store.QuorumCheck) -> Text:
    """The quorum in words, with a warning style when inquorate (the words say it without colour too)."""
    if check.quorate is False:
        return lit_text(f"WARNING — {check.words}", style="bold reverse")
    return lit_text(f"Quorum: {check.words}")


class AttendanceScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "mark('present')", "Present", id="attendance.present"),
        Binding("a", "mark('apologies')", "Apologies", id="attendance.apologies"),
        Binding("s", "substitute", "Substitute", id="attendance.substitute"),
        Binding("delete,backspace", "clear", "Clear", id="attendance.clear"),
        Binding("n", "add_other", "Someone else", id="attendance.other"),
        Binding("escape", "close", "Close", id="attendance.close"),
    ]

    DEFAULT_CSS = """
    AttendanceScreen {
        align: center middle;
    }
    AttendanceScreen > Vertical {
        width: 96;
        max-width: 100%;
        height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    AttendanceScreen .title { text-style: bold; }
    AttendanceScreen OptionList { height: 1fr; }
    AttendanceScreen .hint { color: $text-muted; }
    """

    def __init__(self, board: Board, meeting_id: str) -> None:
        super().__init__()
        self.board = board
        self.meeting_id = meeting_id
        self.lines: list[attendance_store.RosterLine] = []

    def compose(self) -> ComposeResult:
        m = meetings_store.get(self.board, self.meeting_id)
        with Vertical():
            yield Static(lit(f"Attendance: {meetings_store.label(m)}"), classes="title")
            yield Static(id="quorum")
            yield OptionList(id="roster")
            yield Static(lit("p present · a apologies · s substitute · delete clear · n someone else · "
                                 "escape close"), classes="hint")

    def on_mount(self) -> None:
        self.refresh_roster()
        self.query_one(OptionList).focus()

    def refresh_roster(self) -> None:
        roster = self.query_one(OptionList)
        keep = roster.highlighted
        self.lines = attendance_store.roster(self.board, self.meeting_id)
        options = []
        for line in self.lines:
            role = f" — {line.role}" if line.role else ""
            vote = "" if line.voting else " (non-voting)"
            options.append(Option(lit_text(f"{line.status_text:<28} {line.name}{role}{vote}")))
        roster.set_options(options)
        if options:
            roster.highlighted = min(keep or 0, len(options) - 1)
        check = attendance_store.quorum(self.board, self.meeting_id)
        self.query_one("#quorum", Static).update(quorum_text(check))

    def _current(self) -> attendance_store.RosterLine | None:
        index = self.query_one(OptionList).highlighted
        return self.lines[index] if index is not None and 0 <= index < len(self.lines) else None

    def _do(self, fn, *args) -> None:
        try:
            fn(self.board, self.meeting_id, *args)
        except BoardError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self.refresh_roster()

    def action_mark(self, status: str) -> None:
        line = self._current()
        if line is None:
            return
        if line.substitute_for:
            self.notify("That is a substitute: clear the line, or mark the member they stand in for.",
                        severity="warning", markup=False)
            return
        self._do(attendance_store.set_status, line.name, status)

    def action_clear(self) -> None:
        line = self._current()
        if line is not None:
            self._do(attendance_store.clear, line.name)

    def action_substitute(self) -> None:
        line = self._current()
        if line is None or line.substitute_for or line.member_id is None:
            return

        def save(values: dict[str, str], confirmed: bool) -> None:
            attendance_store.set_substitute(self.board, self.meeting_id, line.name, values["substitute"])

        self.app.push_screen(
            FormScreen(f"Substitute for {line.name}", [FormField("substitute", "Substitute's name")], save),
            lambda _: self.refresh_roster(),
        )

    def action_add_other(self) -> None:
        def save(values: dict[str, str], confirmed: bool) -> None:
            attendance_store.set_status(self.board, self.meeting_id, values["name"], "present")

        self.app.push_screen(
            FormScreen("Someone else in attendance", [FormField("name", "Name (and role, e.g. 'J Smith, Head of PMO')")],
                       save),
            lambda _: self.refresh_roster(),
        )

    def action_close(self) -> None:
        self.dismiss(None)
