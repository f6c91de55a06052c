"""A yes/no question in a dialog: `y` or `enter` answers yes, `n` or `escape` no."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from boardtui.ui.literal import lit


class ConfirmScreen(ModalScreen[bool]):
    """Returns True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
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
    ConfirmScreen .hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, title: str, message: str, yes: str = "yes", no: str = "no") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(lit(self.title_text), classes="confirm-title")
            yield Static(lit(self.message))
            yield Static(lit(f"y or enter: {self.yes} · n or escape: {self.no}"), classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
