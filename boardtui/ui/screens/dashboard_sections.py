"""The dashboard's standards and milestones lines, kept apart from those areas' screens.

The dashboard paints first: importing the standards and milestones screens (and through them their detail
screens, forms and charts) only to call these two functions cost ~45 ms of start-up.
"""

from __future__ import annotations

from datetime import date, timedelta

from boardtui.domain.periods import month_label
from boardtui.store.connection import Board
from boardtui.store.milestones import milestone_lines
from boardtui.store.standards import last_complete_month, standard_lines


def standards_section(board: Board, today: date, limit: int = 8) -> list[str]:
    """The dashboard's standards lines: how many miss their national threshold, and which."""
    lines = standard_lines(board, today)
    judged = [s for s in lines if s.actual is not None]
    off = [s for s in judged if s.off_target]
    out = [f"{len(off)} of {len(judged)} standards with figures off target "
           f"(latest complete month, {month_label(last_complete_month(today))})"]
    for s in off[:limit]:
        out.append(f"  {s.rag.value}  {s.code:<10} {s.name}: {s.derived.reason}")
    if len(off) > limit:
        out.append(f"  … and {len(off) - limit} more (key 3, then o)")
    return out


def milestones_section(board: Board, today: date, limit: int = 8) -> list[str]:
    """The dashboard's milestone lines: slipping, overdue and due in the next 14 days (not done), and which."""
    window = board.thresholds.milestone_due_soon_days
    lines = [m for m in milestone_lines(board, today) if m.actual is None]
    overdue = [m for m in lines if m.due.end() < today]
    # Membership by id: `m not in overdue` compared whole dataclasses, quadratic (0.2 s at 2,000 milestones).
    overdue_ids = {m.id for m in overdue}
    slipping = [m for m in lines if m.slip > 0 and m.id not in overdue_ids]
    slipping_ids = {m.id for m in slipping}
    soon = [m for m in lines if today <= m.due.end() <= today + timedelta(days=window) and m.id not in slipping_ids]
    out = [f"{len(slipping)} slipping, {len(overdue)} overdue, {len(soon)} due in the next {window} days"]
    listed = (overdue + slipping + soon)
    for m in listed[:limit]:
        out.append(f"  {m.rag.value}  {m.ref:<6} {m.title}: {m.derived.reason}")
    if len(listed) > limit:
        out.append(f"  … and {len(listed) - limit} more (key 4)")
    return out
