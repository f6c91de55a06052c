"""Showing data literally and safely: never as markup, never with a control character.

`lit` and `lit_text` make the Content or rich Text a widget shows from any string that may hold data, with the
terminal controls and bidi overrides removed first (`domain.text.terminal_safe`). The app's line filter is the
last line of defence; these keep the layout right too (a control character has no width).
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from boardtui.domain.text import terminal_safe


def lit(text: object) -> Content:
    return Content(terminal_safe(text))


def lit_text(text: object, style: str = "") -> Text:
    return Text(terminal_safe(text), style=style)


def add(text: Text, more: object, style: str = "") -> Text:
    """Append data to a Text, cleaned; returns the Text."""
    return text.append(terminal_safe(more), style=style or None)
