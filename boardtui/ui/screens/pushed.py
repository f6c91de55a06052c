"""What the screens opened from an area share (a body's members, a meeting's agenda, the runner): a title
line, the read-only banner, a footer, `escape` to go back, and a way to run a store write that reports a
refusal as one plain sentence instead of failing."""

from __future__ import annotations

from typing import Any, Callable, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from boardtui.domain.errors import BoardError
from boardtui.ui.literal import lit
from boardtui.ui.widgets.key_bar import KeyBar


class PushedScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="pushed.back"),
    ]

    DEFAULT_CSS = """
    PushedScreen {
        layout: vertical;
    }
    PushedScreen > .area-title {
        height: 1;
        background: $primary;
        color: $foreground;
        text-style: bold;
        padding: 0 1;
    }
    PushedScreen > .read-only {
        height: auto;
        background: $warning;
        color: $background;
        padding: 0 1;
    }
    """

    def compose_header(self, title: str) -> ComposeResult:
        board = self.app.board
        yield Static(lit(title), classes="area-title", id="screen-title")
        if board.read_only:
            reason = board.read_only_reason or "read-only"
            yield Static(lit(f"Read-only ({reason}): browsing only, nothing can be changed."), classes="read-only")

    def compose_footer(self) -> ComposeResult:
        yield KeyBar()

    def attempt(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """Run a store call; a refusal (busy, read-only, changed by someone else) becomes a notice."""
        try:
            return fn(*args, **kwargs)
        except BoardError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return None

    def action_back(self) -> None:
        self.app.pop_screen()
