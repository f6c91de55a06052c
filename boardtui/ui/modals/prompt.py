"""A one-line prompt (a year, a date, a corrected value): the form dialog with a single unlabelled field."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from boardtui.ui.modals.form import FormField, FormScreen


class PromptDialog(FormScreen):
    """Dismissed with the text typed, or None when cancelled.

    `check(text)` raises ValidationError to refuse: the reason is shown and the text kept.
    """

    def __init__(self, title: str, hint: str, value: str = "", check: Callable[[str], object] | None = None,
                 suggestions: Sequence[str] = ()) -> None:
        self.check = check
        super().__init__(title, [FormField("text", "", value, suggestions=tuple(suggestions))], self._use, note=hint)

    def _use(self, values: dict[str, str], confirmed: bool) -> str:
        if self.check is not None:
            self.check(values["text"])
        return values["text"]
