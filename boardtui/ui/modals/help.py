"""Help (? or f1): every key of the screen underneath, read from its live bindings so it cannot drift."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

RAG_MEANINGS = [
    "R  Red: off track (savings forecast under 75% of plan; standard misses threshold and trajectory;",
    "   milestone overdue or slipped more than 28 days)",
    "A  Amber: at risk (forecast 75–95% of plan; standard misses threshold but meets trajectory;",
    "   milestone slipped 1–28 days, due within 14 days, or waiting on a late predecessor)",
    "G  Green: on track",
    "B  Blue: complete or delivered",
    "U  Unrated: no data, or the value is TBC/NA",
    "*  after a letter: a manual RAG with commentary overrides the derived one",
]


def describe_keys(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) for every binding active on `screen`, de-duplicated by action."""
    seen: dict[str, tuple[list[str], str]] = {}
    for key, active in screen.active_bindings.items():
        b = active.binding
        name = b.description or b.action
        slot = seen.setdefault(b.action, ([], name))
        slot[0].append(screen.app.get_key_display(b) if key == b.key else key)
    return sorted(((" ".join(dict.fromkeys(keys)), desc) for keys, desc in seen.values()), key=lambda kd: kd[1])


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1", "close", "Close help", id="help.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .help-heading {
        text-style: bold;
        margin-top: 1;
    }
    """

    def __init__(self, keys: list[tuple[str, str]], screen_name: str) -> None:
        super().__init__()
        self.keys = keys
        self.screen_name = screen_name

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content(f"Keys on {self.screen_name}"), classes="help-heading")
            for keys, desc in self.keys:
                yield Static(Content(f"{keys:<22}{desc}"))
            yield Static(Content("RAG letters"), classes="help-heading")
            for line in RAG_MEANINGS:
                yield Static(Content(line))
            yield Static(Content("escape closes this help"), classes="help-heading")

    def action_close(self) -> None:
        self.dismiss(None)
