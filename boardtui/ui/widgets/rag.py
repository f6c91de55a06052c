"""RAG cells: always the letter (or word), with colour only as a second cue (never colour alone).

The colours come from the current theme's `$rag-red`, `$rag-red-text`, … variables (see ui/themes.py), so a
colour-blind or monochrome theme changes them and the letters stay. Three shapes, for three kinds of sink:

- `rag_cell` / `rag_word` give a Rich `Text` (PagedTable cells, DataTable cells, `Static.update(Text)`).
  Its style is a plain Rich style string holding the default (nhs) colours, which any console can render;
  the app registers that same string as a *named style* in its console, mapped to the current theme's
  colours, so inside the app the cell follows the theme and a theme switch repaints it.
- `rag_content` gives a Textual `Content` styled with the theme variables themselves, resolved at render time.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style as RichStyle
from rich.text import Text
from textual.color import Color, ColorParseError
from textual.content import Content

from boardtui.domain.rag import Rag

# Theme variable names for each rating: (fill, text on the fill).
VARIABLES: dict[Rag, tuple[str, str]] = {
    Rag.R: ("rag-red", "rag-red-text"),
    Rag.A: ("rag-amber", "rag-amber-text"),
    Rag.G: ("rag-green", "rag-green-text"),
    Rag.B: ("rag-blue", "rag-blue-text"),
    Rag.U: ("rag-unrated", "rag-unrated-text"),
}

# The nhs theme's values: the defaults for any theme that leaves a RAG variable out.
DEFAULTS: dict[str, str] = {
    "rag-red": "#D5281B",
    "rag-red-text": "#FFFFFF",
    "rag-amber": "#FFB81C",
    "rag-amber-text": "#212B32",
    "rag-green": "#007F3B",
    "rag-green-text": "#FFFFFF",
    "rag-blue": "#005EB8",
    "rag-blue-text": "#FFFFFF",
    "rag-unrated": "#425563",
    "rag-unrated-text": "#FFFFFF",
}

# Valid Rich style strings (so any console renders them) that double as the console's named-style keys.
STYLES: dict[Rag, str] = {
    rag: f"bold {DEFAULTS[text].lower()} on {DEFAULTS[fill].lower()}" for rag, (fill, text) in VARIABLES.items()
}


def rag_cell(rag: Rag, override: Rag | None = None) -> Text:
    """A table cell: ` A ` styled, with `*` after it when a manual override is in force."""
    text = Text(f" {rag.value} ", style=STYLES[rag])
    if override is not None:
        text.append("*")
    return text


def rag_word(rag: Rag) -> Text:
    """The rating as a word (` Amber `), for labels and dialogs; the style is a span so it follows the theme."""
    return Text.assemble((f" {rag.word} ", STYLES[rag]))


def rag_content(rag: Rag, *, word: bool = False) -> Content:
    """The rating as Textual Content (` A ` or ` Amber `) coloured by the current theme's variables."""
    fill, text = VARIABLES[rag]
    label = rag.word if word else rag.value
    return Content.styled(f" {label} ", f"bold ${text} on ${fill}")


def console_styles(variables: Mapping[str, str]) -> dict[str, RichStyle]:
    """The named Rich styles that make `rag_cell`/`rag_word` follow a theme, from its CSS variables.

    A value that is not a plain colour (it should have been refused when the theme was loaded) keeps the
    default for that rating.
    """
    styles: dict[str, RichStyle] = {}
    for rag, (fill, text) in VARIABLES.items():
        try:
            bg = Color.parse(variables.get(fill, DEFAULTS[fill]))
            fg = Color.parse(variables.get(text, DEFAULTS[text]))
        except ColorParseError:
            continue
        styles[STYLES[rag]] = RichStyle(bold=True, color=fg.rich_color, bgcolor=bg.rich_color)
    return styles
