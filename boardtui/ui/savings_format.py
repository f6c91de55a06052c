"""Small text helpers shared by the savings screens: times, conflicts, percentages, RAG words."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from boardtui.domain.errors import Conflict
from boardtui.domain.periods import MONTH_ABBR, fy_label
from boardtui.ui.money import money, money_label

if TYPE_CHECKING:
    from boardtui.store.savings import Totals


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


def totals_band(t: Totals) -> str:
    """The board's headline in one line, in the display unit: requirement, identified, gap, risk-adjusted gap."""
    req = money(t.requirement) if t.requirement is not None else "not set"
    gap = money(t.gap) if t.gap is not None else "—"
    rgap = money(t.risk_adjusted_gap) if t.risk_adjusted_gap is not None else "—"
    return (
        f"{fy_label(t.fy)} {money_label()}  Requirement {req}  Identified {money(t.identified)}  Gap {gap}  "
        f"Risk-adjusted gap {rgap}  ({t.tbc} TBC, {t.na} NA not counted)"
    )
