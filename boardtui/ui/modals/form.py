"""A form in a dialog: labelled fields, `ctrl+s` (or `enter` in a one-line field) saves, `escape` cancels.

The form hands the values to a save callback and stays open, with everything typed kept, if the callback
refuses them: a `ValidationError` puts its sentence under the form and the cursor in the field it names; any
other `BoardError` (busy, read-only, changed by someone else) is shown the same way. A callback may raise
`Confirm` for a warning the user can accept by saving again ("the due date is before the meeting").
Values reach the callback made terminal-safe, however they were typed or pasted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Sequence

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static, TextArea

from boardtui.domain.errors import BoardError, ValidationError
from boardtui.domain.text import terminal_safe
from boardtui.ui.literal import lit, lit_text


@dataclass
class FormField:
    """One field: `kind` is "input" (one line), "area" (several lines) or "select" (one of `options`)."""

    name: str
    label: str
    value: str = ""
    kind: str = "input"
    options: Sequence[tuple[str, str]] = ()  # (label, value)
    placeholder: str = ""
    suggestions: Sequence[str] = ()
    allow_blank: bool = True


class Confirm(Exception):
    """Raised by a save callback for a warning: saving again with the same values goes ahead."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


SaveCallback = Callable[[dict[str, str], bool], Any]


class FormScreen(ModalScreen[Any]):
    """Returns whatever the save callback returned, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="dialog.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
    }
    FormScreen > VerticalScroll {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    FormScreen .form-title { text-style: bold; }
    FormScreen .form-note { color: $text-muted; }
    FormScreen .form-label { margin-top: 1; }
    FormScreen TextArea { height: 5; }
    FormScreen #form-message { color: $error; height: auto; margin-top: 1; }
    FormScreen #form-message.warning { color: $warning; }
    FormScreen .hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, title: str, fields: Sequence[FormField], on_save: SaveCallback, *, note: str = "") -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.on_save = on_save
        self.note = note
        self._confirmed_values: dict[str, str] | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(lit(self.form_title), classes="form-title")
            if self.note:
                yield Static(lit(self.note), classes="form-note")
            for f in self.fields:
                yield Static(lit(f.label), classes="form-label")
                yield self._widget(f)
            yield Static(lit(""), id="form-message")
            yield Static(lit("ctrl+s saves (enter in a one-line field too) · tab next field · escape cancels"),
                         classes="hint")

    def _widget(self, f: FormField):
        wid = f"field-{f.name}"
        value = terminal_safe(f.value)
        if f.kind == "area":
            return TextArea(value, id=wid, placeholder=f.placeholder, soft_wrap=True)
        if f.kind == "select":
            options = [(lit_text(label), value) for label, value in f.options]
            values = {value for _, value in f.options}
            current = value if value in values else Select.NULL
            if current is Select.NULL and not f.allow_blank and f.options:
                current = f.options[0][1]
            return Select(options, id=wid, allow_blank=f.allow_blank, value=current, prompt="—")
        suggester = SuggestFromList(list(f.suggestions), case_sensitive=False) if f.suggestions else None
        return Input(value, placeholder=f.placeholder, id=wid, suggester=suggester)

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            if isinstance(widget, TextArea):
                raw = widget.text
            elif isinstance(widget, Select):
                raw = "" if widget.value is Select.NULL or widget.value is None else str(widget.value)
            else:
                raw = widget.value
            out[f.name] = terminal_safe(raw)
        return out

    def show_message(self, text: str, *, warning: bool = False) -> None:
        message = self.query_one("#form-message", Static)
        message.set_class(warning, "warning")
        message.update(lit(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        values = self.values()
        confirmed = self._confirmed_values == values
        try:
            result = self.on_save(values, confirmed)
        except Confirm as warning:
            self._confirmed_values = values
            self.show_message(f"{warning.message} Press ctrl+s again to save anyway.", warning=True)
            return
        except ValidationError as exc:
            self.show_message(str(exc.message))
            if exc.field and self.query(f"#field-{exc.field}"):
                self.query_one(f"#field-{exc.field}").focus()
            return
        except BoardError as exc:
            self.show_message(f"Not saved: {exc}")
            return
        self.dismiss(True if result is None else result)

    def action_cancel(self) -> None:
        self.dismiss(None)
