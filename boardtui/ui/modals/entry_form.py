"""EntryForm: a small modal form of labelled one-line fields that saves through one store call.

`ctrl+s` (or `enter` in a field) saves, `escape` cancels. The save function gets the fields' text by id and
does the parsing and checking; a ValidationError is shown in the form with its field named, the cursor goes
to that field, and everything typed stays. Labels, values and messages are shown literally, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar, Sequence

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from boardtui.domain.errors import BoardError, Conflict, ValidationError


@dataclass(frozen=True)
class Field:
    """One line of the form: `id` is what the save function receives and what errors name."""

    id: str
    label: str
    value: str = ""
    placeholder: str = ""


class EntryForm(ModalScreen[bool]):
    """Returns True when the save function succeeded, False when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    DEFAULT_CSS = """
    EntryForm {
        align: center middle;
    }
    EntryForm > Vertical {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    EntryForm .form-title { text-style: bold; }
    EntryForm .form-note { color: $text-muted; }
    EntryForm .form-row { height: 1; margin-top: 1; }
    EntryForm .form-row > Label { width: 22; }
    EntryForm .form-row > Input { width: 1fr; }
    EntryForm #form-message { color: $error; height: auto; margin-top: 1; }
    EntryForm .form-hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        save: Callable[[dict[str, str]], object],
        notes: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.save_fn = save
        self.notes = list(notes)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), classes="form-title")
            for note in self.notes:
                yield Static(Content(note), classes="form-note")
            for f in self.fields:
                with Horizontal(classes="form-row"):
                    yield Label(Content(f.label))
                    yield Input(value=f.value, placeholder=f.placeholder, id=f"field-{f.id}", compact=True)
            yield Static(Content(""), id="form-message")
            yield Static(Content("ctrl+s or enter saves · escape cancels · tab moves between fields"),
                         classes="form-hint")

    def on_mount(self) -> None:
        if self.fields:
            self.focus_field(self.fields[0].id)

    def focus_field(self, field_id: str | None) -> None:
        """Put the cursor in the field `field_id` (if the form has it)."""
        if field_id and any(f.id == field_id for f in self.fields):
            self.query_one(f"#field-{field_id}", Input).focus()

    def values(self) -> dict[str, str]:
        """The text of every field, by id."""
        return {f.id: self.query_one(f"#field-{f.id}", Input).value for f in self.fields}

    def show_message(self, text: str) -> None:
        self.query_one("#form-message", Static).update(Content(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        try:
            self.save_fn(self.values())
        except ValidationError as exc:
            label = next((f.label for f in self.fields if f.id == exc.field), None)
            self.show_message(f"{label}: {exc.message}" if label else str(exc))
            self.focus_field(exc.field)
            return
        except Conflict as exc:
            self.show_message(f"Not saved: {exc}")
            return
        except BoardError as exc:
            self.show_message(f"Not saved: {exc}")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
