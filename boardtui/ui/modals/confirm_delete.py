"""Confirming a deletion: `y` deletes, `n` or escape keeps. Dismissed with True (delete) or False.

The Keep button has the focus and enter is not a shortcut for yes, so a stray enter never deletes anything.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDelete(ModalScreen[bool]):
    """Asks `question` (shown literally) with Delete (y) and Keep (n) buttons."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Delete", id="confirm_delete.yes"),
        Binding("n,escape", "answer(False)", "Keep", id="confirm_delete.no"),
        Binding("left,right", "switch_button", "Switch button", show=False, id="confirm_delete.switch"),
    ]

    DEFAULT_CSS = """
    ConfirmDelete { align: center middle; }
    ConfirmDelete > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ConfirmDelete .question { margin-bottom: 1; }
    ConfirmDelete Horizontal { height: auto; align-horizontal: center; }
    ConfirmDelete Button { margin: 0 2; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.question), classes="question")
            with Horizontal():
                yield Button(Content("Delete (y)"), id="yes", variant="error")
                yield Button(Content("Keep (n)"), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_switch_button(self) -> None:
        target = "#yes" if self.focused is None or self.focused.id == "no" else "#no"
        self.query_one(target, Button).focus()
