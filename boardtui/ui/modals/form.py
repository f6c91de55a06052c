"""The one form dialog: labelled fields, `ctrl+s` (or `enter` in a one-line field) saves, `escape` cancels.

The form hands the values to a save callback, made terminal-safe however they were typed or pasted, and stays
open with everything typed kept if the callback refuses them. Each reason of a `FieldErrors`, or of a
`ValidationError` naming a field, goes under its field with the field named, and the cursor goes to the first
of them; a refusal of the record as a whole (busy, read-only, changed by someone else) is shown at the foot.
A callback may raise `Confirm` for a warning the user can accept by saving the same values again ("the due
date is before the meeting"). Labels, values and messages are shown literally, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static, TextArea

from boardtui.domain.errors import BoardError, ValidationError
from boardtui.domain.text import terminal_safe
from boardtui.store.savings_edit import FieldErrors
from boardtui.ui.literal import lit, lit_text


@dataclass(frozen=True)
class FormField:
    """One field: `kind` is "input" (one line), "area" (several lines) or "select" (one of `options`).

    `name` is the key the save callback receives and the name its refusals use.
    """

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


# The callback gets the values by field name and whether the user has already seen its warning for them.
SaveCallback = Callable[[dict[str, str], bool], Any]


class FormScreen(ModalScreen[Any]):
    """Dismissed with what the save callback returned (True if it returned None), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
    }
    FormScreen > Vertical {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    FormScreen .form-title { text-style: bold; }
    FormScreen .form-note { color: $text-muted; }
    FormScreen VerticalScroll { height: auto; max-height: 1fr; margin-top: 1; }
    FormScreen .form-row { height: auto; }
    FormScreen .form-label { width: 24; color: $text-muted; }
    FormScreen .form-row > Input, FormScreen .form-row > Select { width: 1fr; }
    FormScreen .form-row > TextArea { width: 1fr; height: 5; }
    FormScreen .form-row > Input { background: $boost; }
    FormScreen .form-row > Input:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    FormScreen .field-error { color: $text-error; height: auto; padding-left: 24; display: none; }
    FormScreen .field-error.shown { display: block; }
    FormScreen #form-message { color: $text-error; height: auto; }
    FormScreen #form-message.warning { color: $text-warning; }
    FormScreen .hint { color: $text-muted; margin-top: 1; }
    """

    HINT = "tab next field · ctrl+s saves (enter in a one-line field too) · escape cancels"

    def __init__(self, title: str, fields: Sequence[FormField], on_save: SaveCallback, *,
                 note: str = "", values: Mapping[str, str] | None = None) -> None:
        """`note` is shown under the title; `values`, by field name, replace the fields' own (a record edited)."""
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.on_save = on_save
        self.note = note
        self.initial = {f.name: f.value for f in self.fields} | dict(values or {})
        self._confirmed_values: dict[str, str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(lit(self.form_title), classes="form-title")
            if self.note:
                yield Static(lit(self.note), classes="form-note")
            with VerticalScroll():
                for f in self.fields:
                    with Horizontal(classes="form-row"):
                        if f.label:
                            yield Static(lit(f.label), classes="form-label")
                        yield self._widget(f)
                    yield Static(id=f"error-{f.name}", classes="field-error")
            yield Static(id="form-message")
            yield Static(lit(self.HINT), classes="hint")

    def _widget(self, f: FormField):
        wid = f"field-{f.name}"
        value = terminal_safe(self.initial.get(f.name, ""))
        if f.kind == "area":
            return TextArea(value, id=wid, placeholder=f.placeholder, soft_wrap=True, compact=True)
        if f.kind == "select":
            options = [(lit_text(label), option) for label, option in f.options]
            current = value if value in {option for _, option in f.options} else Select.NULL
            if current is Select.NULL and not f.allow_blank and f.options:
                current = f.options[0][1]
            return Select(options, id=wid, allow_blank=f.allow_blank, value=current, prompt="—", compact=True)
        suggester = SuggestFromList(list(f.suggestions), case_sensitive=False) if f.suggestions else None
        return Input(value, placeholder=f.placeholder, id=wid, suggester=suggester, compact=True)

    def on_mount(self) -> None:
        if self.fields:
            self.focus_field(self.fields[0].name)

    def focus_field(self, name: str | None) -> None:
        """Put the cursor in the field `name`, if the form has it."""
        if name and any(f.name == name for f in self.fields):
            self.query_one(f"#field-{name}").focus()

    def values(self) -> dict[str, str]:
        """What is in every field now, by name."""
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

    def show_errors(self, errors: Mapping[str, str], general: str = "", *, warning: bool = False) -> None:
        """Put each reason under its field (clearing the others) and `general` at the foot."""
        for f in self.fields:
            reason = errors.get(f.name)
            box = self.query_one(f"#error-{f.name}", Static)
            box.update(lit((f"{f.label}: {reason}" if f.label else reason) if reason else ""))
            box.set_class(bool(reason), "shown")
        names = {f.name for f in self.fields}
        unplaced = [reason for name, reason in errors.items() if name not in names]
        message = self.query_one("#form-message", Static)
        message.update(lit(" ".join(unplaced + ([general] if general else []))))
        message.set_class(warning, "warning")
        self.focus_field(next((f.name for f in self.fields if f.name in errors), None))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        values = self.values()
        confirmed = self._confirmed_values == values
        try:
            result = self.on_save(values, confirmed)
        except Confirm as caution:
            self._confirmed_values = values
            self.show_errors({}, f"{caution.message} Press ctrl+s again to save anyway.", warning=True)
            return
        except FieldErrors as exc:
            self.show_errors(exc.errors)
            return
        except ValidationError as exc:
            self.show_errors({exc.field: exc.message} if exc.field else {}, "" if exc.field else exc.message)
            return
        except BoardError as exc:
            self.show_errors({}, f"Not saved: {exc}")
            return
        self.dismiss(True if result is None else result)

    def action_cancel(self) -> None:
        self.dismiss(None)
