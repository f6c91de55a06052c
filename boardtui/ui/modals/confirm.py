"""A yes/no question in a dialog: `y` answers yes, `n` or `escape` no, `enter` presses the focused button.

For a question that destroys something (`destructive=True`) the no button starts focused, so a stray enter
keeps everything; otherwise yes does, so `enter` answers yes. `left` and `right` move between the buttons.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from boardtui.ui.literal import lit


class ConfirmScreen(ModalScreen[bool]):
    """Returns True for yes. The title, message and answer words are shown literally."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
        Binding("left,right", "switch_button", "Switch button", show=False, id="confirm.switch"),
    ]

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    ConfirmScreen .confirm-title { text-style: bold; }
    ConfirmScreen .question { margin-bottom: 1; }
    ConfirmScreen Horizontal { height: auto; align-horizontal: center; }
    ConfirmScreen Button { margin: 0 2; }
    """

    def __init__(self, title: str, message: str, yes: str = "yes", no: str = "no", *,
                 destructive: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes
        self.no = no
        self.destructive = destructive

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.title_text:
                yield Static(lit(self.title_text), classes="confirm-title")
            yield Static(lit(self.message), classes="question")
            with Horizontal():
                yield Button(lit(f"{self.yes.capitalize()} (y)"), id="yes",
                             variant="error" if self.destructive else "primary")
                yield Button(lit(f"{self.no.capitalize()} (n)"), id="no",
                             variant="primary" if self.destructive else "default")

    def on_mount(self) -> None:
        self.query_one("#no" if self.destructive else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_switch_button(self) -> None:
        target = "#yes" if self.focused is None or self.focused.id == "no" else "#no"
        self.query_one(target, Button).focus()
