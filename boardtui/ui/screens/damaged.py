"""The damaged-database screen, and the small app that shows it (RELIABILITY A8/A9).

When a board file fails SQLite's `quick_check`, the factory opens it read-only and builds `DamagedApp` instead
of the full `BoardApp`: no area screen runs a query against the damaged file, and nothing is written to it. The
screen says what SQLite found and offers the two ways out: copy what can be read with `boardtui backup`, or put
back the last good backup. When the TUI's check ran in the background and failed after the app had started, the
app closes and `launch.run_tui` shows this one in its place (ui/integrity.py), with the same words.
"""

from __future__ import annotations

import shlex
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from boardtui.store.connection import Board
from boardtui.ui.literal import lit
from boardtui.ui.safety import TERMINAL_SAFE
from boardtui.ui.widgets.key_bar import KeyBar


def damaged_message(board: Board) -> str:
    """The plain-English explanation, with the commands to type; the path is quoted for the shell."""
    path = shlex.quote(str(board.path))
    copy = shlex.quote(str(board.path.with_name(board.path.stem + "-rescued.db")))
    return (
        f"The board file {board.path} is damaged: SQLite's check says \u201c{board.damaged}\u201d.\n\n"
        "It has been opened read-only and nothing will be written to it.\n\n"
        "What to do:\n"
        f"  1. Save a copy of what can still be read:  boardtui backup --db {path} -o {copy}\n"
        "  2. Restore the last good backup: put it in place of this file (ask whoever keeps the backups),\n"
        "     after everyone has closed boardtui.\n"
        f"  3. Run  boardtui check --db {path}  on the restored file before anyone edits it.\n\n"
        "Press ctrl+q to quit."
    )


class DamagedScreen(Screen):
    """Explains that the board is damaged and offers backup and restore; it has no action that writes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "app.quit", "Quit", id="damaged.quit"),
    ]

    DEFAULT_CSS = """
    DamagedScreen > .damaged-title {
        height: 1;
        background: $error;
        color: $background;
        text-style: bold;
        padding: 0 1;
    }
    DamagedScreen VerticalScroll {
        padding: 1 2;
    }
    """

    def __init__(self, board: Board) -> None:
        super().__init__()
        self.board = board

    def compose(self) -> ComposeResult:
        yield Static("Damaged board: opened read-only", classes="damaged-title")
        with VerticalScroll():
            yield Static(lit(damaged_message(self.board)), id="damaged-message")
        yield KeyBar()


class DamagedApp(App[None]):
    """The whole app while the board is damaged: one screen, read-only, quit with ctrl+q."""

    TITLE = "boardtui — damaged board"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, board: Board) -> None:
        super().__init__()
        self.board = board

    def on_mount(self) -> None:
        self.push_screen(DamagedScreen(self.board))

    def get_line_filters(self):
        return [*super().get_line_filters(), TERMINAL_SAFE]
