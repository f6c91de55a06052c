"""Agenda rules: the standard template of DOMAIN.md §5, planned times, and the chair's clock.

Pure functions, no SQL: the store builds agendas from `TEMPLATE`, the runner screen asks `clock_state` how to
show an item's clock (always in words as well as colour) and `projected_finish` when the meeting will end given
the overruns so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from boardtui.domain.choices import TextEnum, parse_choice
from boardtui.domain.errors import ValidationError
from boardtui.domain.text import quoted


class MeetingStatus(TextEnum):
    """Where a meeting is in its life."""

    PLANNED = "planned"
    PUBLISHED = "published"
    HELD = "held"
    MINUTES_APPROVED = "minutes approved"

    @classmethod
    def parse(cls, text: "str | MeetingStatus") -> "MeetingStatus":
        return parse_choice(cls, text, what="meeting status", aliases={"approved": cls.MINUTES_APPROVED})


class ItemKind:
    """The `kind` of a standard agenda item (free text in the database; these are the ones rules look for)."""

    APOLOGIES = "apologies"
    DECLARATIONS = "declarations"
    PUBLIC_QUESTIONS = "public_questions"
    MINUTES = "minutes"
    ACTION_LOG = "action_log"
    REPORT = "report"
    AOB = "aob"
    NEXT_MEETING = "next_meeting"
    EXCLUSION = "exclusion"

    # Items that close Part 1: new Part 1 business is placed before the first of them.
    CLOSING = ("aob", "next_meeting", "exclusion")


@dataclass(frozen=True)
class TemplateItem:
    kind: str
    title: str
    purpose: str | None
    minutes: int
    recommendation: str = ""


# DOMAIN.md §5.2: the standard order. Business items (decision, assurance, information) go between the report
# and AOB; Part 2 items after the resolution to exclude the press and public.
TEMPLATE: tuple[TemplateItem, ...] = (
    TemplateItem(ItemKind.APOLOGIES, "Welcome, apologies, substitutes and quoracy", None, 5,
                 "Note apologies and substitutes; confirm the meeting is quorate"),
    TemplateItem(ItemKind.DECLARATIONS, "Declarations of interest", None, 5,
                 "Members declare any interest in the business on this agenda"),
    TemplateItem(ItemKind.PUBLIC_QUESTIONS, "Questions from the public", None, 10),
    TemplateItem(ItemKind.MINUTES, "Minutes of the last meeting", "decision", 5,
                 "Approve the minutes of the last meeting as an accurate record"),
    TemplateItem(ItemKind.ACTION_LOG, "Matters arising and action log", "assurance", 10,
                 "Note progress on open actions; agree the actions proposed for closure"),
    TemplateItem(ItemKind.REPORT, "Chair's and Chief Officer's report", "information", 10),
    TemplateItem(ItemKind.AOB, "Any other business", None, 5),
    TemplateItem(ItemKind.NEXT_MEETING, "Date of the next meeting", "information", 2),
    TemplateItem(ItemKind.EXCLUSION, "Resolution to exclude the press and public", "decision", 2),
)


def exclusion_text(basis: str | None) -> str:
    """The recommendation of the resolution to exclude the press and public, citing the body's legal basis."""
    b = (basis or "").lower()
    if "pbama" in b or "1960" in b:
        return ("Exclude representatives of the press and public for the remaining business under the Public "
                "Bodies (Admission to Meetings) Act 1960 s1(2): publicity would be prejudicial to the public "
                "interest by reason of the confidential nature of the business")
    if "lga" in b or "1972" in b or "12a" in b:
        return ("Exclude the press and public for the remaining business under the Local Government Act 1972 "
                "s100A(4): it involves exempt information under Schedule 12A (state the paragraph)")
    return "Exclude the press and public for the remaining business, which is confidential"


def is_action_log(kind: str | None, title: str | None) -> bool:
    """True for the item that reviews the action log (by kind, or an imported item titled "… action log …")."""
    return kind == ItemKind.ACTION_LOG or "action log" in (title or "").lower()


def parse_time(text: str | None) -> time | None:
    """A start time "13:30" (or "1330", "9:00"); blank is None."""
    if text is None or not text.strip():
        return None
    t = text.strip().replace(".", ":")
    if ":" not in t and t.isdigit() and len(t) in (3, 4):
        t = f"{t[:-2]}:{t[-2:]}"
    try:
        hours, minutes = (int(p) for p in t.split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ValidationError(f"{quoted(text)} is not a time: use 24-hour HH:MM such as 13:30",
                              field="start_time") from None


def add_minutes(start: time, minutes: int) -> time:
    moment = datetime(2000, 1, 1, start.hour, start.minute) + timedelta(minutes=minutes)
    return moment.time()


def clock_text(t: time | None) -> str:
    return "—" if t is None else f"{t.hour:02d}:{t.minute:02d}"


def planned_starts(start: time | None, minutes: Sequence[int | None]) -> list[time | None]:
    """When each item is planned to start, items running back to back from `start` (None without a start)."""
    if start is None:
        return [None] * len(minutes)
    out, total = [], 0
    for m in minutes:
        out.append(add_minutes(start, total))
        total += m or 0
    return out


def total_minutes(minutes: Sequence[int | None]) -> int:
    return sum(m or 0 for m in minutes)


def mmss(seconds: int) -> str:
    """Seconds as M:SS (or H:MM:SS past an hour)."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    mins, secs = divmod(rest, 60)
    return f"{hours}:{mins:02d}:{secs:02d}" if hours else f"{mins}:{secs:02d}"


@dataclass(frozen=True)
class ClockState:
    """How an item's clock stands: `level` is "none", "ok", "warn" (nearly out) or "over", and `words` say it
    without colour ("2:05 over time")."""

    level: str
    words: str


WARN_SHARE = 0.8  # amber once 80% of the allotted time has gone


def clock_state(elapsed_seconds: int, allotted_minutes: int | None) -> ClockState:
    """The clock's level and words for an item with `allotted_minutes` after `elapsed_seconds`."""
    if not allotted_minutes:
        return ClockState("none", "no time allotted")
    allotted = allotted_minutes * 60
    if elapsed_seconds > allotted:
        return ClockState("over", f"OVER TIME by {mmss(elapsed_seconds - allotted)}")
    left = allotted - elapsed_seconds
    if elapsed_seconds >= allotted * WARN_SHARE:
        return ClockState("warn", f"nearly out: {mmss(left)} left")
    return ClockState("ok", f"on time: {mmss(left)} left")


@dataclass(frozen=True)
class Projection:
    planned_minutes: int
    projected_minutes: int
    planned_finish: time | None
    projected_finish: time | None

    @property
    def over_minutes(self) -> int:
        return self.projected_minutes - self.planned_minutes

    def words(self) -> str:
        over = self.over_minutes
        drift = "on plan" if over == 0 else (f"{over} min over" if over > 0 else f"{-over} min ahead")
        if self.planned_finish is None:
            return f"planned {self.planned_minutes} min · projected {self.projected_minutes} min ({drift})"
        return (f"planned finish {clock_text(self.planned_finish)} · projected {clock_text(self.projected_finish)} "
                f"({drift})")


def projected_finish(start: time | None, items: Sequence[tuple[int | None, int]], current: int) -> Projection:
    """When the meeting will end: items before `current` take the time they took, the current item at least
    its allotted time (more once it overruns), later items their allotted time.

    `items` are (allotted minutes, elapsed seconds) in agenda order.
    """
    planned = total_minutes([a for a, _ in items])
    seconds = 0
    for index, (allotted, elapsed) in enumerate(items):
        allotted_s = (allotted or 0) * 60
        if index < current:
            seconds += elapsed
        elif index == current:
            seconds += max(allotted_s, elapsed)
        else:
            seconds += allotted_s
    projected = -(-seconds // 60)  # round up to the minute
    return Projection(
        planned_minutes=planned,
        projected_minutes=projected,
        planned_finish=None if start is None else add_minutes(start, planned),
        projected_finish=None if start is None else add_minutes(start, projected),
    )
