"""The month entry form of a standard: counts (numerator / denominator) or the actual itself, the trajectory
and a commentary, for one period. The store checks everything; the form only collects the text."""

from __future__ import annotations

from datetime import date

from boardtui.domain.errors import ValidationError
from boardtui.domain.periods import month_label, parse_month
from boardtui.domain.standards import format_threshold
from boardtui.store import standards as store
from boardtui.store.connection import Board
from boardtui.ui.modals.form import FormField, FormScreen


def _text(value) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


class StandardPeriodForm(FormScreen):
    """Enter or correct one month's figures of the standard `code`; `period` None means a new month."""

    def __init__(self, board: Board, code: str, period: str | None, today: date) -> None:
        self.board, self.code, self.today = board, code, today
        month = period or store.next_period(board, code, today)
        # The suggested month may already have figures (entered ahead): then they are shown for correction.
        existing = store.period_line(board, code, month)
        self.existing = existing
        versions = store.definitions(board, code)
        d = store.in_force(versions, month) or versions[-1]
        unit = d["unit"]
        percent = unit == "%"
        fields = [FormField("period", "Month", month, placeholder="YYYY-MM, e.g. 2016-10")]
        if percent:
            fields += [
                FormField("numerator", "Numerator", _text(existing and existing.numerator),
                          placeholder="e.g. patients seen in time"),
                FormField("denominator", "Denominator", _text(existing and existing.denominator),
                          placeholder="e.g. all patients"),
            ]
        fields += [
            FormField("actual", "Actual (%)" if percent else f"Actual ({unit})",
                      "" if existing and existing.numerator is not None else _text(existing and existing.actual),
                      placeholder="worked out from the counts when blank" if percent else f"in {unit}"),
            FormField("trajectory", "Trajectory", _text(existing and existing.trajectory),
                      placeholder="the agreed figure"),
            FormField("commentary", "Commentary", (existing and existing.commentary) or "",
                      placeholder="what the board should know"),
        ]
        ranges = "; ".join(store.effective_range(v) for v in versions)
        notes = [
            f"{d['name']}",
            f"Standard {format_threshold(d['threshold'], d['comparator'], unit)} · in force {ranges}",
            "Give the counts (the actual is worked out) or the actual itself." if percent
            else f"Measured in {unit}: give the actual value.",
        ]
        verb = "Correct" if existing else "Enter"
        title = f"{verb} {code} for {month_label(month)}" if existing else f"{verb} a month of {code}"
        super().__init__(title, fields, self._save, note="\n".join(notes))

    def _save(self, values: dict[str, str], confirmed: bool) -> None:
        existing = self.existing
        try:
            month = parse_month(values["period"])
        except ValidationError:
            month = None  # the store names the field
        if month and (existing is None or existing.period != month):
            other = store.period_line(self.board, self.code, month)
            if other is not None:
                raise ValidationError(
                    f"{month_label(month)} already has figures: open that month with e to correct them",
                    field="period",
                )
        store.record_period(
            self.board, self.code, values["period"],
            numerator=values.get("numerator"), denominator=values.get("denominator"),
            actual=values["actual"], trajectory=values["trajectory"], commentary=values["commentary"],
            version=existing.version if existing and existing.period == month else None,
            today=self.today,
        )
