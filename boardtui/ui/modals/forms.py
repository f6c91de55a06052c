"""Modal forms: programme and scheme edit/create, and a one-line prompt (a year, a date).

Every field is a one-line `Input`, so the keys are the same everywhere: tab and shift+tab move, `ctrl+s` or
enter saves, escape cancels. The store checks what was typed; a refusal puts its reason under the field that
is wrong (all of them at once) and keeps everything typed, and a refusal about the record as a whole (someone
else saved it first, a read-only board) is shown at the foot of the form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from boardtui.domain.errors import BoardError, Conflict, ValidationError
from boardtui.domain.savings import Confidence, Stage
from boardtui.store.savings_edit import FieldErrors
from boardtui.ui.savings_format import conflict_text


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: its key, label, a placeholder, and words to suggest as people type."""

    name: str
    label: str
    placeholder: str = ""
    suggestions: Sequence[str] = ()


SaveFn = Callable[[dict[str, str]], Any]


class FormScreen(ModalScreen[Any]):
    """A form over `fields`; `save(values)` writes and returns what the form is dismissed with.

    `save` raises FieldErrors / ValidationError (shown on the field) or another BoardError (shown at the foot).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="savings_form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="savings_form.cancel"),
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
    FormScreen VerticalScroll { height: auto; max-height: 1fr; }
    FormScreen .form-row { height: 1; }
    FormScreen .form-label { width: 20; color: $text-muted; }
    FormScreen .form-row Input { border: none; height: 1; padding: 0 1; width: 1fr; background: $boost; }
    FormScreen .form-row Input:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    FormScreen .field-error { color: $text-error; height: auto; padding-left: 20; display: none; }
    FormScreen .field-error.shown { display: block; }
    FormScreen #form-message { color: $text-error; height: auto; }
    FormScreen .hint { color: $text-muted; }
    """

    def __init__(self, title: str, fields: Sequence[FieldSpec], values: Mapping[str, str], save: SaveFn) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.initial = dict(values)
        self.save_fn = save

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), classes="form-title")
            with VerticalScroll():
                for f in self.fields:
                    with Horizontal(classes="form-row"):
                        yield Static(Content(f.label), classes="form-label")
                        suggester = SuggestFromList(f.suggestions, case_sensitive=False) if f.suggestions else None
                        yield Input(value=self.initial.get(f.name, ""), placeholder=f.placeholder,
                                    suggester=suggester, id=f"field-{f.name}")
                    yield Static(id=f"error-{f.name}", classes="field-error")
            yield Static(id="form-message")
            yield Static(Content("tab next field · ctrl+s or enter saves · escape cancels"), classes="hint")

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}", Input).focus()

    def values(self) -> dict[str, str]:
        """What is typed in every field now."""
        return {f.name: self.query_one(f"#field-{f.name}", Input).value for f in self.fields}

    def show_errors(self, errors: Mapping[str, str], general: str = "") -> None:
        """Put each reason under its field (clearing the others) and `general` at the foot."""
        for f in self.fields:
            box = self.query_one(f"#error-{f.name}", Static)
            reason = errors.get(f.name)
            box.update(Content(f"✗ {reason}" if reason else ""))
            box.set_class(bool(reason), "shown")
        unplaced = [r for k, r in errors.items() if k not in {f.name for f in self.fields}]
        message = " ".join(unplaced + ([general] if general else []))
        self.query_one("#form-message", Static).update(Content(message))
        first = next((f for f in self.fields if f.name in errors), None)
        if first is not None:
            self.query_one(f"#field-{first.name}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        try:
            result = self.save_fn(self.values())
        except FieldErrors as exc:
            self.show_errors(exc.errors)
            return
        except ValidationError as exc:
            self.show_errors({exc.field: exc.message} if exc.field else {}, "" if exc.field else exc.message)
            return
        except Conflict as exc:
            self.show_errors({}, f"Not saved: {conflict_text(exc)} Your typing is kept: ctrl+s saves it over "
                                 "their change, escape drops it.")
            return
        except BoardError as exc:
            self.show_errors({}, f"Not saved: {exc}")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


PROGRAMME_FORM = (
    FieldSpec("name", "Name", "e.g. Adults"),
    FieldSpec("aliases", "Other names", "names in other papers, ; between them"),
    FieldSpec("sro", "SRO", "senior responsible owner"),
    FieldSpec("focus", "Focus", "e.g. Primary and urgent care; pathway redesign"),
    FieldSpec("impact", "Impact", "e.g. Less emergency activity"),
)


def scheme_form_fields(programmes: Sequence[str]) -> tuple[FieldSpec, ...]:
    """The scheme form's fields; `programmes` (names) are suggested as people type."""
    return (
        FieldSpec("ref", "Ref", "e.g. TH-ADU-05"),
        FieldSpec("programme", "Programme", "name of the programme", tuple(programmes)),
        FieldSpec("title", "Title", "what the scheme is"),
        FieldSpec("components", "Components", "; between them"),
        FieldSpec("impact", "Impact", "expected impact"),
        FieldSpec("lead", "Lead", "scheme lead"),
        FieldSpec("sro", "SRO", "senior responsible owner"),
        FieldSpec("stage", "Stage", "idea, prioritise, business case, implementation, delivered",
                  tuple(s.value for s in Stage)),
        FieldSpec("year", "Year", "financial year, e.g. 2017/18"),
        FieldSpec("plan", "Plan £000s", "full-year plan: 1,651 or £1.65m; TBC or NA if not quantified"),
        FieldSpec("recurrent", "Recurrent £000s", "blank if not split"),
        FieldSpec("non_recurrent", "Non-recurrent £000s", "blank if not split"),
        FieldSpec("start_month", "Start month", "YYYY-MM, e.g. 2017-04"),
        FieldSpec("confidence", "Confidence", "H, M or L", tuple(c.value for c in Confidence)),
        FieldSpec("commentary", "Commentary", "the latest position"),
    )


class PromptDialog(ModalScreen[str | None]):
    """One line of text with a hint and a check: dismissed with the text, or None when cancelled.

    `check(text)` raises ValidationError to refuse (the reason is shown and the text kept).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Use", id="savings_prompt.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="savings_prompt.cancel"),
    ]

    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical {
        width: 80; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    PromptDialog .prompt-title { text-style: bold; }
    PromptDialog #prompt-message { color: $text-error; height: auto; }
    PromptDialog .hint { color: $text-muted; height: auto; }
    """

    def __init__(self, title: str, hint: str, value: str = "", check: Callable[[str], object] | None = None,
                 suggestions: Sequence[str] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.value = value
        self.check = check
        self.suggestions = list(suggestions)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), classes="prompt-title")
            yield Static(Content(self.hint), classes="hint")
            suggester = SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
            yield Input(value=self.value, suggester=suggester, id="prompt-input")
            yield Static(id="prompt-message")
            yield Static(Content("enter or ctrl+s uses it · escape cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        text = self.query_one(Input).value
        if self.check is not None:
            try:
                self.check(text)
            except ValidationError as exc:
                self.query_one("#prompt-message", Static).update(Content(exc.message))
                return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
