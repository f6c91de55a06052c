"""Help (? or f1): every key of the screen underneath, read from its live bindings so it cannot drift, and what
the RAG letters and the rules behind them mean (with the thresholds this board is using).

Keys are listed from the bindings of the screen, of boardtui's own widgets on it (the table) and of the app,
after the user's `[keymap]` is applied, each with its binding id so it can be remapped in the config file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType, BindingsMap
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Static

from boardtui.domain.rag import Rag
from boardtui.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from boardtui.ui.modals.panel import PanelScreen
from boardtui.ui.widgets.rag import rag_content


@dataclass(frozen=True)
class KeyRow:
    """One command: its keys as typed (e.g. "ctrl+q", "?"), what it does, and its binding id."""

    keys: str
    description: str
    binding_id: str


def key_name(key: str) -> str:
    """A key as a person types it: `?` for question_mark, `/` for slash, `ctrl+q`, `pageup`, `escape`."""
    *modifiers, name = key.split("+")
    shown = format_key(name)
    if not (len(shown) == 1 and shown.isascii() and shown.isprintable() and shown != " "):
        shown = name
    return "+".join([*modifiers, shown])


def _rows(node: DOMNode, keymap: dict[str, str]) -> list[KeyRow]:
    bindings: BindingsMap = node._bindings.copy()
    if keymap:
        bindings.apply_keymap(keymap)
    grouped: dict[str, tuple[list[str], Binding]] = {}
    for key, binding in bindings:
        ident = binding.id or binding.action
        keys, _ = grouped.setdefault(ident, ([], binding))
        shown = binding.key_display or key_name(key)
        if shown not in keys:
            keys.append(shown)
    return [
        KeyRow(" ".join(keys), binding.description or _humane(binding.action), binding.id or "")
        for keys, binding in grouped.values()
        if binding.action not in ("command_palette", "app.command_palette") or binding.id
    ]


def _widget_words(name: str) -> str:
    """A widget class name as words: PagedTable -> "table", MonthGrid -> "month grid"."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name.removeprefix("Paged")).lower()


def _humane(action: str) -> str:
    """An action name as words, for Textual's own bindings that have no description ("help_quit")."""
    return action.split("(")[0].rsplit(".", 1)[-1].replace("_", " ").capitalize()


def key_sections(screen: Screen) -> list[tuple[str, list[KeyRow]]]:
    """(heading, rows) for the screen's own keys, its widgets' keys and the keys that work everywhere."""
    app = screen.app
    keymap = dict(getattr(app, "_keymap", {}) or {})
    name = screen_name(screen)
    sections: list[tuple[str, list[KeyRow]]] = [(f"Keys on {name}", _rows(screen, keymap))]
    seen: set[type] = set()
    for widget in screen.query("*"):
        cls = type(widget)
        if cls in seen or not cls.__module__.startswith("boardtui."):
            continue
        seen.add(cls)
        rows = _rows(widget, keymap)
        if rows:
            sections.append((f"In the {_widget_words(cls.__name__)}", rows))
    sections.append(("Everywhere", _rows(app, keymap)))
    return [(heading, sorted(rows, key=lambda r: r.description.lower())) for heading, rows in sections if rows]


def screen_name(screen: Screen) -> str:
    title = getattr(screen, "TITLE_TEXT", "") or type(screen).__name__.removesuffix("Screen")
    return str(title)


def describe_keys(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) for every key of `screen`, all sections together."""
    return [(row.keys, row.description) for _, rows in key_sections(screen) for row in rows]


def rag_meanings(t: Thresholds = DEFAULT_THRESHOLDS) -> list[tuple[Rag | None, str]]:
    """What each RAG letter means here, with the board's thresholds; (None, text) is a note."""
    green, amber = f"{t.scheme_green_pct.normalize():f}", f"{t.scheme_amber_pct.normalize():f}"
    red_days, soon = t.milestone_red_slip_days, t.milestone_due_soon_days
    return [
        (Rag.R, f"Red, off track. Savings: forecast under {amber}% of plan, or nothing delivered after the start "
                f"month. Standards: misses the threshold and the trajectory. Milestones: overdue, or slipped "
                f"more than {red_days} days."),
        (Rag.A, f"Amber, at risk. Savings: forecast {amber}% to {green}% of plan. Standards: misses the "
                f"threshold but meets the trajectory. Milestones: slipped up to {red_days} days, due within "
                f"{soon} days, or waiting on a predecessor that lands later."),
        (Rag.G, f"Green, on track. Savings: forecast at least {green}% of plan. Standards: meets the threshold."),
        (Rag.B, "Blue, complete: a scheme delivered, a milestone done."),
        (Rag.U, "Unrated: no figures yet, or the value is TBC or NA (not zero, and not counted in totals)."),
        (None, "A programme is rated the worst of its rated schemes."),
        (None, "*  after a letter: a manual RAG, with commentary, overrides the derived one (r sets it)."),
        (None, "The detail view (enter) gives the reason for every derived rating."),
        (None, "Thresholds come from the [thresholds] table of the config file."),
    ]


class HelpScreen(PanelScreen):
    """Every key of one screen, and the RAG legend."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1", "close", "Close help", id="help.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen .panel-heading {
        color: $accent;
    }
    """

    def __init__(self, sections: list[tuple[str, list[KeyRow]]], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
        super().__init__()
        self.sections = sections
        self.thresholds = thresholds

    @classmethod
    def for_screen(cls, screen: Screen) -> HelpScreen:
        """Help for `screen`, with the thresholds of the board the app has open."""
        board = getattr(screen.app, "board", None)
        return cls(key_sections(screen), getattr(board, "thresholds", None) or DEFAULT_THRESHOLDS)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for heading, rows in self.sections:
                yield Static(Content(heading), classes="panel-heading")
                for row in rows:
                    yield Static(self._key_line(row))
            yield Static(Content("RAG ratings: always a letter, colour is only a second cue"), classes="panel-heading")
            for rag, text in rag_meanings(self.thresholds):
                if rag is None:
                    yield Static(Content(text))
                else:
                    yield Static(Content.assemble(rag_content(rag), "  ", text))
            yield Static(Content("Plain text"), classes="panel-heading")
            yield Static(Content("boardtui report KIND --format text prints a screen's content as plain lines "
                                 "for a screen reader or a script (KIND: savings, standards, milestones, actions, "
                                 "changes)."))
            yield Static(Content("escape closes this help"), classes="panel-heading")

    @staticmethod
    def _key_line(row: KeyRow) -> Content:
        parts: Iterable = [(f"{row.keys:<18}", "bold"), " ", row.description]
        if row.binding_id:
            parts = [*parts, (f"  ({row.binding_id})", "$text-muted")]
        return Content.assemble(*parts)
