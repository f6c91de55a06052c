"""Small text helpers shared by the savings screens: times, conflicts, percentages, RAG words."""

from __future__ import annotations

from datetime import datetime

from boardtui.domain.errors import Conflict
from boardtui.domain.periods import MONTH_ABBR
from boardtui.ui.money import money


def when_text(at: str | None) -> str:
    """An audit timestamp as people read it ("24 Nov 2026 14:05 UTC"); anything else is returned as given."""
    if not at:
        return "an unknown time"
    try:
        t = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    return f"{t.day} {MONTH_ABBR[t.month - 1]} {t.year} {t:%H:%M} UTC"


def conflict_text(exc: Conflict) -> str:
    """One sentence for a stale edit: who changed the record first, and when."""
    return f"{exc.who} changed this record at {when_text(exc.when)}, after you opened it."


def pct(numerator: int | None, denominator: int | None) -> str:
    """numerator ÷ denominator as a whole percentage, or "—" when it cannot be worked out."""
    if numerator is None or not denominator:
        return "—"
    return f"{numerator * 100 / denominator:.0f}%"


def money_or_dash(pence: int | None) -> str:
    return "—" if pence is None else money(pence)
