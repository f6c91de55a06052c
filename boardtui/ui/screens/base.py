"""What every area screen shares: a title line, the read-only banner, the filter box and `/` to open it, and
showing colleagues' changes when ui/live.py reports them (`board_changed`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from boardtui.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from boardtui.ui.widgets.paged_table import PagedTable

WARM_AFTER = 0.2  # seconds after a screen is shown: its first frames are out by then


def import_soon(screen: Screen, *modules: str) -> None:
    """Import what a screen's next keys open shortly after it shows, so that the key does not wait for it (a
    detail screen with its charts and dialogs: ~4–6 ms of import)."""

    def run() -> None:
        from importlib import import_module

        for module in modules:
            import_module(module)

    screen.set_timer(WARM_AFTER, run)


class AreaScreen(Screen):
    """A screen for one area of the board, with a PagedTable that `/` filters."""

    TITLE_TEXT: ClassVar[str] = ""
    FILTERABLE: ClassVar[bool] = True
    """False for a screen with no table to narrow (the dashboard): no filter box, and `/` does nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "open_filter", "Filter", id="area.filter"),
        Binding("escape", "close_filter", "Back", show=False, id="area.escape"),
    ]

    DEFAULT_CSS = """
    AreaScreen {
        layout: vertical;
    }
    AreaScreen > .area-title {
        height: 1;
        background: $primary;
        color: $foreground;
        text-style: bold;
        padding: 0 1;
    }
    AreaScreen > .read-only {
        height: auto;
        background: $warning;
        color: $background;
        padding: 0 1;
    }
    AreaScreen > .summary {
        height: auto;
        padding: 0 1;
    }
    AreaScreen > #filter {
        dock: bottom;
        display: none;
        margin-bottom: 1;
    }
    AreaScreen > #filter.open {
        display: block;
    }
    """

    def compose_header(self) -> ComposeResult:
        board = self.app.board
        yield Static(Content(f"{self.TITLE_TEXT} — {board.path.name}"), classes="area-title")
        if board.read_only:
            reason = board.read_only_reason or "read-only"
            yield Static(Content(f"Read-only ({reason}): browsing only, nothing can be changed."), classes="read-only")
        for warning in board.warnings:
            yield Static(Content(warning), classes="read-only")

    def compose_footer(self) -> ComposeResult:
        if self.FILTERABLE:
            yield Input(placeholder="Filter: type to narrow the table, enter to keep, escape to clear", id="filter")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_filter", "close_filter") and not self.FILTERABLE:
            return False
        return True

    @property
    def table(self) -> PagedTable:
        from boardtui.ui.widgets.paged_table import PagedTable  # the dashboard has none: not on its start path

        return self.query_one(PagedTable)

    def board_changed(self) -> None:
        """A colleague changed the board (ui/live.py noticed; no dialog is open): show it, cursor on the same row.

        A screen that re-reads its data when it comes back into view (`on_screen_resume`, which judges staleness
        by the edit counter the watcher has just moved) does that; any other reloads its table, keeping the
        cursor on the same key and the filter as typed. Override to also redraw what sits beside the table."""
        resume = getattr(self, "on_screen_resume", None)
        if resume is not None:
            resume()
            return
        invalidate = getattr(self.table.source, "invalidate", None)
        if invalidate is not None:
            invalidate()  # SQL-backed sources keep counts and pages: forget them
        self.table.reload(keep_cursor=True)

    def action_open_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("open")
        box.focus()
        ready = getattr(self.table.source, "ready_to_filter", None)
        if ready is not None:  # a source that searches SQL may get ready while the first letter is on its way
            ready()

    def action_close_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("open"):
            if box.value:
                box.value = ""
            box.remove_class("open")
            self.table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.table.source.set_filter(event.value)
            self.table.reload(keep_cursor=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            if not event.value:
                event.input.remove_class("open")
            self.table.focus()
