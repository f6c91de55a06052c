"""The dashboard's standards and milestones lines, kept apart from those areas' screens.

The dashboard paints first: importing the standards and milestones screens (and through them their detail
screens, forms and charts) only to call these two functions cost ~45 ms of start-up.
"""

from __future__ import annotations

from datetime import date

from boardtui.domain.periods import month_label
from boardtui.store.connection import Board
from boardtui.store.milestones import lines_of, watch
from boardtui.store.standards import last_complete_month, off_target


def standards_section(board: Board, today: date, limit: int = 8) -> list[str]:
    """The dashboard's standards lines: how many miss their national threshold, and which."""
    judged, off, first = off_target(board, today, limit)
    out = [f"{off} of {judged} standards with figures off target "
           f"(latest complete month, {month_label(last_complete_month(today))})"]
    for s in first:
        out.append(f"  {s.rag.value}  {s.code:<10} {s.name}: {s.derived.reason}")
    if off > limit:
        out.append(f"  … and {off - limit} more (key 3, then o)")
    return out


def milestones_section(board: Board, today: date, limit: int = 8) -> list[str]:
    """The dashboard's milestone lines: slipping, overdue and due in the next 14 days (not done), and which.

    Counted from the dates alone (`watch`); only the lines listed are judged in full, so 2,000 milestones cost
    a few ms rather than ~50 (docs/performance.md).
    """
    window = board.thresholds.milestone_due_soon_days
    w = watch(board, today, window)
    out = [f"{len(w.slipping)} slipping, {len(w.overdue)} overdue, {len(w.soon)} due in the next {window} days"]
    listed = w.overdue + w.slipping + w.soon
    for m in lines_of(board, today, listed[:limit]):
        out.append(f"  {m.rag.value}  {m.ref:<6} {m.title}: {m.derived.reason}")
    if len(listed) > limit:
        out.append(f"  … and {len(listed) - limit} more (key 4)")
    return out
