"""Shared steps for the meetings and runner Pilot tests: open the app, find text on screen, fill a form."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea

from boardtui.cli import make_app
from boardtui.config import Config
from tests.conftest import DEMO_TODAY


def app_for(board):
    return make_app(board, Config(), today=DEMO_TODAY)


def screen_text(screen) -> str:
    """Every Static's text on the screen, joined (what a person would read)."""
    return "\n".join(str(w.render()) for w in screen.query(Static))


def fill(screen, **values) -> None:
    """Put values in a FormScreen's fields by name (Input, TextArea or Select)."""
    for name, value in values.items():
        widget = screen.query_one(f"#field-{name}")
        if isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, Input):
            widget.value = value
        else:  # pragma: no cover - a new field kind
            raise TypeError(type(widget))
