"""The last line of defence for terminal safety: a line filter that drops control characters from every
rendered line before it reaches the terminal.

Text is cleaned where it enters (imports, inputs: `domain.text.terminal_safe`), but a board can also arrive
from elsewhere (an old file, another tool writing the database), and Textual's `Content` keeps ESC: an OSC 52
clipboard write or a screen-clearing CSI in a name would reach the terminal from any `Static`. Every widget's
lines pass through the app's line filters, so this one filter covers every screen, dialog and notification.

It removes exactly what `terminal_safe` removes (C0/C1 controls and bidi overrides; Rich counts them as zero
cells wide, so removing them keeps every line's width).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from boardtui.domain.text import BIDI_CONTROLS

_DROP = {code: None for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))}
_DROP.update({ord(ch): None for ch in BIDI_CONTROLS})


class TerminalSafeFilter(LineFilter):
    """Remove control characters and bidi overrides from the text of every segment."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        # isprintable() is a fast C check that is True for nearly every segment; only the rest are rebuilt.
        if all(segment.text.isprintable() or segment.control for segment in segments):
            return segments
        return [
            segment if segment.control or segment.text.isprintable()
            else Segment(segment.text.translate(_DROP), segment.style, None)
            for segment in segments
        ]


TERMINAL_SAFE = TerminalSafeFilter()
"""The one instance the app uses (Strip caches filtered lines per filter instance)."""
