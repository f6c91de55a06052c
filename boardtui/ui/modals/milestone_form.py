"""Milestone edit forms: forecast and actual dates, re-baseline (with its required reason), dependencies.

Each form hands the text to one store call, which checks it (dates, the year of the baseline, the future,
cycles) and writes it with its audit rows in one transaction, or refuses it naming the field.
"""

from __future__ import annotations

from datetime import date

from boardtui.domain.errors import ValidationError
from boardtui.domain.periods import display_date
from boardtui.store import milestones as store
from boardtui.store.connection import Board
from boardtui.store.milestones import MilestoneLine
from boardtui.ui.modals.form import FormField, FormScreen

DATE_HINT = "2016-10-14, 14/10/2016, Oct 2016 or 2016"


def _summary(m: MilestoneLine) -> str:
    return (f"Baseline {display_date(m.baseline)} · forecast {display_date(m.forecast)} · "
            f"actual {display_date(m.actual)} · slip {m.slip} days")


class MilestoneDatesForm(FormScreen):
    """Move the forecast and/or record the actual (done) date; blank clears a date."""

    def __init__(self, board: Board, m: MilestoneLine, today: date) -> None:
        self.board, self.m, self.today = board, m, today
        fields = [
            FormField("forecast", "Forecast", m.forecast.text if m.forecast else "",
                      placeholder=DATE_HINT + "; blank: on baseline"),
            FormField("actual", "Actual (done)", m.actual.text if m.actual else "",
                      placeholder="blank until it is done"),
            FormField("reason", "Note", placeholder="why it moved (kept in the history)"),
        ]
        super().__init__(f"Dates of {m.ref}: {m.title}", fields, self._save,
                         note=f"{_summary(m)}\nToday is {display_date(today)}.")

    def _save(self, values: dict[str, str], confirmed: bool) -> None:
        store.set_dates(self.board, self.m.id, self.m.version, forecast=values["forecast"],
                        actual=values["actual"], today=self.today, reason=values["reason"])


class RebaselineForm(FormScreen):
    """Set a new baseline; the reason is required and the old baseline stays in the history."""

    def __init__(self, board: Board, m: MilestoneLine) -> None:
        self.board, self.m = board, m
        fields = [
            FormField("baseline", "New baseline", placeholder=DATE_HINT),
            FormField("reason", "Reason (required)", placeholder="e.g. agreed by the programme board on 1 Nov"),
        ]
        notes = [_summary(m)]
        if m.rebaselined:
            notes.append(f"Re-baselined {m.rebaselined} time(s) before; every earlier baseline is in the history.")
        super().__init__(f"Re-baseline {m.ref}: {m.title}", fields, self._save, note="\n".join(notes))

    def _save(self, values: dict[str, str], confirmed: bool) -> None:
        store.rebaseline(self.board, self.m.id, self.m.version, values["baseline"], values["reason"])


class DependenciesForm(FormScreen):
    """Add and/or remove dependencies by ref, in one go."""

    def __init__(self, board: Board, m: MilestoneLine) -> None:
        self.board, self.m = board, m
        fields = [
            FormField("depends_on", "Add dependency on", placeholder="refs, e.g. W05 W12"),
            FormField("remove", "Remove dependency", placeholder="refs it should no longer wait for"),
            FormField("reason", "Note", placeholder="why (kept in the history)"),
        ]
        notes = [f"{m.ref} depends on: {', '.join(m.depends_on) or 'nothing'}",
                 f"Waiting on {m.ref}: {', '.join(m.dependants) or 'nothing'}"]
        super().__init__(f"Dependencies of {m.ref}: {m.title}", fields, self._save, note="\n".join(notes))

    def _save(self, values: dict[str, str], confirmed: bool) -> None:
        add, remove = store.split_refs(values["depends_on"]), store.split_refs(values["remove"])
        if not add and not remove:
            raise ValidationError("enter the ref of a milestone to add (or one to remove)", field="depends_on")
        store.update_dependencies(self.board, self.m.id, self.m.version, add=add, remove=remove,
                                  reason=values["reason"])
