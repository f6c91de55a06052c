"""Action-log rules: status, overdue, and how far an action's due date has slipped (DOMAIN.md §4.8).

A change of due date is appended to the action's history, never written over, so the log can say
"slipped twice, originally 14 Oct 2016".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from boardtui.domain.choices import TextEnum, parse_choice
from boardtui.domain.periods import PartialDate, as_partial_date, display_date


class ActionStatus(TextEnum):
    """Where an action stands; "proposed for closure" waits for the board to agree it is done."""

    OPEN = "open"
    PROPOSED = "proposed for closure"
    CLOSED = "closed"

    @property
    def is_live(self) -> bool:
        """True while the action still needs doing (open or proposed for closure)."""
        return self is not ActionStatus.CLOSED

    @classmethod
    def parse(cls, text: "str | ActionStatus | None") -> "ActionStatus":
        """Return the status in `text` (any case; "proposed", "complete", "done" too); blank means open."""
        if text is None or (isinstance(text, str) and not text.strip()):
            return cls.OPEN
        return parse_choice(cls, text, what="action status", aliases={
            "proposed": cls.PROPOSED, "propose closure": cls.PROPOSED, "proposed to close": cls.PROPOSED,
            "complete": cls.CLOSED, "completed": cls.CLOSED, "done": cls.CLOSED,
        })


def is_overdue(status: "ActionStatus | str | None", due: "date | str | PartialDate | None", today: date) -> bool:
    """Return True when the action is still live (open or proposed for closure) and its due date is past.

    A due date given only to the month is past once that month has ended. No due date is never overdue.
    """
    if not ActionStatus.parse(status).is_live:
        return False
    when = as_partial_date(due)
    return when is not None and when.end() < today


_TIMES = {1: "once", 2: "twice"}


def slip_summary(due_history: Sequence[str | date]) -> str:
    """Return how often the due date moved, from its history (oldest first, current last).

    "" when it never moved; otherwise "slipped once, originally 14 Oct 2016", "slipped twice, …",
    "slipped 3 times, …". Repeats of the same date are not moves. When the current date is not later than
    the original, "moved" replaces "slipped" (the action was brought forward).
    """
    dates = [as_partial_date(d) for d in due_history]
    dates = [d for d in dates if d is not None]
    moves = sum(1 for before, after in zip(dates, dates[1:]) if before != after)
    if not moves:
        return ""
    times = _TIMES.get(moves, f"{moves} times")
    verb = "slipped" if dates[-1].end() > dates[0].end() else "moved"
    return f"{verb} {times}, originally {display_date(dates[0])}"
