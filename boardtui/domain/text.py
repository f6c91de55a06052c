"""Text hygiene: make any string safe to put on a terminal, and fit it into one table cell.

Data reaches the screen from imports, pastes and other people's databases. Control characters in it (ESC
sequences that retitle the window, clear the screen or write to the clipboard) and bidi overrides (which
reorder what the reader sees) must never reach the terminal, so every edge runs text through
`terminal_safe` (RELIABILITY.md, design rule 4).
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI): they reorder
# how the rest of a line is displayed, the "Trojan Source" trick. The plain marks LRM/RLM (U+200E/F) cannot
# reorder anything, so names in Arabic or Hebrew keep them.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))

# Every Cc character except tab and newline: C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F).
# Carriage returns never reach this table: they are turned into newlines first.
_DROP = {c: None for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n"}
_DROP.update({ord(ch): None for ch in BIDI_CONTROLS})

# A lone surrogate (from bytes decoded with surrogateescape) cannot be encoded for the terminal at all.
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"[ \t]*[\n\t][ \t\n]*")


def terminal_safe(text: object) -> str:
    """Return `text` with nothing a terminal could act on; never raises.

    Removes every Unicode control character (category Cc) except tab and newline, turns CRLF and lone CR into
    a newline, removes bidi embedding/override/isolate characters (U+202A–U+202E, U+2066–U+2069) and replaces
    lone surrogates with U+FFFD. Everything else, including emoji, combining marks and right-to-left letters,
    is kept. `None` becomes "", and any other non-string is converted with `str()` first.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception:  # a hostile __str__ must not break the screen
            return ""
    if text.isprintable():
        return text  # no control, format (bidi), separator or surrogate characters: the common case, fast
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_DROP)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


def cell_width(text: str) -> int:
    """Return how many terminal cells `text` takes: wide East Asian characters count 2, combining marks 0.

    An approximation of what terminals do, good enough to truncate table cells without Rich.
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def one_line(text: object, width: int | None = None) -> str:
    """Return `text` made terminal-safe and put on one line, for a table cell.

    Runs of newlines and tabs (with the spaces around them) become one space and the ends are stripped.
    If `width` is given the result takes at most `width` terminal cells, ending with "…" when cut.
    """
    flat = _LINE_BREAKS.sub(" ", terminal_safe(text)).strip()
    if width is None:
        return flat
    if width <= 0:
        return ""
    if cell_width(flat) <= width:
        return flat
    kept: list[str] = []
    used = 0
    for ch in flat:
        w = cell_width(ch)
        if used + w > width - 1:  # leave one cell for the ellipsis
            break
        kept.append(ch)
        used += w
    return "".join(kept).rstrip() + "…"


def quoted(text: object, limit: int = 40) -> str:
    """Return `text` as it should appear inside an error message: safe, one line, short, in quotes."""
    return "'" + one_line(text, limit) + "'"
