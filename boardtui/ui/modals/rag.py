"""The RAG dialog (`r` on a row): pick R/A/G/B (or back to derived), write a commentary, ctrl+s saves.

It shows the derived RAG and its one-sentence reason. A stale edit is refused with who changed the record and
when, and the commentary typed so far stays in the box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from boardtui.domain.errors import BoardError, ValidationError
from boardtui.domain.rag import Derived, Rag
from boardtui.ui.widgets.rag import rag_word


@dataclass
class RagTarget:
    """What the dialog edits: which record, at which version, its derived and current manual RAG."""

    entity: str
    row_id: str
    version: int
    label: str
    derived: Derived
    override: Rag | None
    commentary: str = ""


class RagDialog(ModalScreen[bool]):
    """Returns True when a RAG was saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('R')", "Red", id="rag.red"),
        Binding("a", "choose('A')", "Amber", id="rag.amber"),
        Binding("g", "choose('G')", "Green", id="rag.green"),
        Binding("b", "choose('B')", "Blue (complete)", id="rag.blue"),
        Binding("d", "choose('')", "Use derived", id="rag.derived"),
        Binding("ctrl+s", "save", "Save", id="rag.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="rag.cancel"),
    ]

    DEFAULT_CSS = """
    RagDialog {
        align: center middle;
    }
    RagDialog > Vertical {
        width: 80;
        max-width: 100%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    RagDialog .rag-title { text-style: bold; }
    RagDialog #choice { margin: 1 0; }
    RagDialog #message { color: $error; height: auto; }
    RagDialog .hint { color: $text-muted; }
    """

    def __init__(self, target: RagTarget, save: Callable[[Rag | None, str], object]) -> None:
        super().__init__()
        self.target = target
        self.save_fn = save
        self.chosen: Rag | None = target.override

    def compose(self) -> ComposeResult:
        t = self.target
        with Vertical():
            yield Static(Content(f"RAG for {t.label}"), classes="rag-title")
            yield Static(Content(f"Derived: {t.derived.rag.word} — {t.derived.reason}"))
            yield Static(id="choice")
            yield Input(value=t.commentary, placeholder="Commentary (required when it differs from derived or is Red)",
                        id="commentary")
            yield Static(id="message")
            # Choosing a letter puts the cursor in the commentary (`action_choose`): the hint says so, as a tab
            # there would take it back to the letters, where typing chooses again.
            yield Static(Content("r a g b choose, d use derived; then type the commentary · tab: letters ↔ "
                                 "commentary · ctrl+s or enter saves · escape cancels"), classes="hint")

    def on_mount(self) -> None:
        self._show_choice()
        self.query_one("#choice", Static).can_focus = True
        self.query_one("#choice", Static).focus()

    def _show_choice(self) -> None:
        shown = rag_word(self.chosen) if self.chosen else rag_word(self.target.derived.rag)
        label = "Manual: " if self.chosen else "Using derived: "
        choice = self.query_one("#choice", Static)
        from rich.text import Text

        choice.update(Text(label) + shown)

    def action_choose(self, letter: str) -> None:
        self.chosen = Rag(letter) if letter else None
        self._show_choice()
        self.query_one("#commentary", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        message = self.query_one("#message", Static)
        commentary = self.query_one("#commentary", Input).value
        try:
            self.save_fn(self.chosen, commentary)
        except ValidationError as exc:
            message.update(Content(exc.message))
            self.query_one("#commentary", Input).focus()
            return
        except BoardError as exc:
            message.update(Content(f"Not saved: {exc}"))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
