"""A read-only panel over the screen: lines in a scrolling box, with bold headings; it only closes."""

from __future__ import annotations

from textual.screen import ModalScreen


class PanelScreen(ModalScreen[None]):
    """Subclasses compose their lines inside one `VerticalScroll`; headings have the class `panel-heading`."""

    DEFAULT_CSS = """
    PanelScreen {
        align: center middle;
    }
    PanelScreen > VerticalScroll {
        width: 90%;
        max-width: 110;
        height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    PanelScreen .panel-heading {
        text-style: bold;
        margin-top: 1;
    }
    """

    def action_close(self) -> None:
        self.dismiss(None)
