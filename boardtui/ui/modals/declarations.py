"""Declarations of interest on one agenda item (`i`): who declared what, and how it was handled.

A member who withdrew, or takes no part in the vote, no longer counts towards the item's quorum; the quorum
line is re-checked after each change and warns when the item has become inquorate.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from boardtui.domain.entities import Handling
from boardtui.domain.errors import BoardError
from boardtui.store import attendance as attendance_store
from boardtui.store.connection import Board
from boardtui.ui.literal import lit, lit_text
from boardtui.ui.modals.attendance import quorum_text
from boardtui.ui.modals.form import FormField, FormScreen

HANDLING_OPTIONS = [("noted (takes part)", Handling.NOTED.value),
                    ("no vote (may speak, does not vote or count to quorum)", Handling.NO_VOTE.value),
                    ("withdrew (left the room for this item)", Handling.WITHDREW.value)]


def declaration_form(board: Board, meeting_id: str, item) -> FormScreen:
    names = [(line.name, line.name) for line in attendance_store.roster(board, meeting_id)]

    def save(values: dict[str, str], confirmed: bool) -> str:
        return attendance_store.declare(board, meeting_id, item["id"] if item else None, values["member"],
                                        values["interest"], values["handling"])

    where = f"item {item['number']}: {item['title']}" if item else "the whole meeting"
    return FormScreen("Declare an interest", [
        FormField("member", "Member", names[0][1] if names else "", kind="select", options=names),
        FormField("interest", "Interest"),
        FormField("handling", "Handling", Handling.NOTED.value, kind="select", options=HANDLING_OPTIONS,
                  allow_blank=False),
    ], save, note=f"On {where}")


class DeclarationsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "Declare", id="declarations.new"),
        Binding("delete,backspace", "remove", "Remove", id="declarations.remove"),
        Binding("escape", "close", "Close", id="declarations.close"),
    ]

    DEFAULT_CSS = """
    DeclarationsScreen {
        align: center middle;
    }
    DeclarationsScreen > Vertical {
        width: 96;
        max-width: 100%;
        height: 80%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    DeclarationsScreen .title { text-style: bold; }
    DeclarationsScreen OptionList { height: 1fr; }
    DeclarationsScreen .hint { color: $text-muted; }
    """

    def __init__(self, board: Board, meeting_id: str, item) -> None:
        super().__init__()
        self.board = board
        self.meeting_id = meeting_id
        self.item = item
        self.rows: list = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(lit(f"Declarations on item {self.item['number']}: {self.item['title']}"),
                         classes="title")
            yield Static(id="quorum")
            yield OptionList(id="declared")
            yield Static(lit("n declare an interest · delete remove · escape close"), classes="hint")

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one(OptionList).focus()

    def refresh_list(self) -> None:
        self.rows = attendance_store.declarations(self.board, self.meeting_id, self.item["id"])
        options = [Option(lit_text(f"{r['handling'] or 'noted':<9} {r['member_name']}: {r['interest'] or '—'}"))
                   for r in self.rows]
        if not options:
            options = [Option(lit_text("No interests declared on this item."), disabled=True)]
        self.query_one(OptionList).set_options(options)
        check = attendance_store.quorum(self.board, self.meeting_id, self.item["id"])
        self.query_one("#quorum", Static).update(quorum_text(check))

    def action_add(self) -> None:
        self.app.push_screen(declaration_form(self.board, self.meeting_id, self.item), lambda _: self.refresh_list())

    def action_remove(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.rows):
            return
        try:
            attendance_store.remove_declaration(self.board, self.rows[index]["id"])
        except BoardError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self.refresh_list()

    def action_close(self) -> None:
        self.dismiss(None)
