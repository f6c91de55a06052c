"""A read-only detail view of one record: its fields, then its history from the audit trail."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from boardtui.store.history import Change
from boardtui.ui.modals.panel import PanelScreen


class DetailScreen(PanelScreen):
    """Fields of one record (label, value pairs shown literally) and its changes, newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="detail.close"),
    ]

    DEFAULT_CSS = """
    DetailScreen .detail-title {
        text-style: bold;
        margin-bottom: 1;
    }
    """

    def __init__(self, title: str, fields: list[tuple[str, str]], history: list[Change] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.history = history or []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content(self.title_text), classes="detail-title")
            width = max((len(label) for label, _ in self.fields), default=0) + 2
            for label, value in self.fields:
                yield Static(Content(f"{label + ':':<{width}}{value}"))
            yield Static(Content("History (newest first)"), classes="panel-heading")
            if not self.history:
                yield Static(Content("No recorded changes."))
            for c in self.history:
                if c.op == "update":
                    what = f"{c.field}: {c.old if c.old is not None else '—'} → {c.new if c.new is not None else '—'}"
                else:
                    what = c.op
                why = f" ({c.reason})" if c.reason else ""
                yield Static(Content(f"{c.at[:16].replace('T', ' ')}  {c.who}  {what}{why}"))
            yield Static(Content("escape closes"), classes="panel-heading")
