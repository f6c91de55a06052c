"""RAG cells: always the letter (or word), with colour only as a second cue (never colour alone)."""

from __future__ import annotations

from rich.text import Text

from boardtui.domain.rag import Rag

# Styles name theme-independent ANSI colours so they survive 16-colour terminals; under NO_COLOR the letter
# remains, which is the point.
STYLES = {
    Rag.R: "bold white on red",
    Rag.A: "bold black on yellow",
    Rag.G: "bold white on green",
    Rag.B: "bold white on blue",
    Rag.U: "dim",
}


def rag_cell(rag: Rag, override: Rag | None = None) -> Text:
    """A table cell: ` A ` styled, with `*` after it when a manual override is in force."""
    text = Text(f" {rag.value} ", style=STYLES[rag])
    if override is not None:
        text.append("*")
    return text


def rag_word(rag: Rag) -> Text:
    return Text(f" {rag.word} ", style=STYLES[rag])
