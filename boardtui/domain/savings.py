"""Savings (QIPP/CIP) arithmetic and the scheme RAG rule of DOMAIN.md §4.1–4.5.

All money is integer pence. TBC and NA plans are not zero: they are left out of every sum and counted
instead, so a total can always say how many schemes it excludes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from boardtui.domain.choices import TextEnum, normalise_word, parse_choice
from boardtui.domain.money import ValueStatus
from boardtui.domain.periods import month_label, parse_month
from boardtui.domain.rag import Derived, Rag
from boardtui.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds

Plan = tuple["int | None", "ValueStatus | str"]


class Confidence(TextEnum):
    """How sure the scheme lead is of delivering the plan."""

    H = "H"
    M = "M"
    L = "L"

    @classmethod
    def parse(cls, text: "str | Confidence | None") -> "Confidence | None":
        """Return the confidence in `text` ("H", "m", "High", "medium", …); blank or None means not assessed."""
        if text is None or (isinstance(text, str) and not text.strip()):
            return None
        return parse_choice(cls, text, what="confidence level",
                            aliases={"high": cls.H, "medium": cls.M, "med": cls.M, "low": cls.L})


class Stage(TextEnum):
    """The stage gates a scheme passes: idea/justify → prioritise → business case → implementation → delivered."""

    IDEA = "idea"
    PRIORITISE = "prioritise"
    BUSINESS_CASE = "business case"
    IMPLEMENTATION = "implementation"
    DELIVERED = "delivered"

    @classmethod
    def parse(cls, text: "str | Stage | None") -> "Stage | None":
        """Return the stage in `text` (any case; "justify", "prioritize", "complete" too); blank is None."""
        if text is None or (isinstance(text, str) and not text.strip()):
            return None
        return parse_choice(cls, text, what="stage", aliases={
            "justify": cls.IDEA, "idea/justify": cls.IDEA, "prioritize": cls.PRIORITISE,
            "business-case": cls.BUSINESS_CASE, "complete": cls.DELIVERED, "completed": cls.DELIVERED,
        })


@dataclass
class SchemeFigures:
    """What the scheme RAG rule needs to know about one scheme for one financial year (money in pence).

    `latest_month` is the last month with figures returned; `ytd_plan`/`ytd_actual` are to that month and
    `fot` is the forecast outturn for the full year as at that month.
    """

    plan_fy: int | None = None
    status: ValueStatus = ValueStatus.QUANTIFIED
    confidence: str | None = None
    stage: str | None = None
    start_month: str | None = None
    ytd_plan: int | None = None
    ytd_actual: int | None = None
    fot: int | None = None
    latest_month: str | None = None


def _status(value: "ValueStatus | str | None") -> ValueStatus:
    return ValueStatus.QUANTIFIED if value is None else ValueStatus.parse(value)


def _counted(pence: int | None, status: "ValueStatus | str | None") -> bool:
    return pence is not None and _status(status) is ValueStatus.QUANTIFIED


def identified(plans: Iterable[Plan]) -> int:
    """Return the sum of the quantified plans, in pence. TBC and NA plans (and missing figures) are left out."""
    return sum(pence for pence, status in plans if _counted(pence, status))


def status_counts(plans: Iterable[Plan]) -> tuple[int, int]:
    """Return how many plans `identified` leaves out, as (TBC, NA).

    A plan marked quantified but with no figure counts as TBC: it is not provided either way.
    """
    tbc = na = 0
    for pence, status in plans:
        if _status(status) is ValueStatus.NA:
            na += 1
        elif not _counted(pence, status):
            tbc += 1
    return tbc, na


def exclusion_note(tbc: int, na: int) -> str:
    """Return what a total leaves out, e.g. "excludes 9 TBC and 1 NA"; "" when it leaves nothing out."""
    parts = [f"{n} {word}" for n, word in ((tbc, "TBC"), (na, "NA")) if n]
    return f"excludes {' and '.join(parts)}" if parts else ""


def gap(requirement: int | None, identified_pence: int) -> int | None:
    """Return requirement − identified (positive: still to find); None when there is no requirement."""
    if requirement is None:
        return None
    return requirement - identified_pence


def risk_factor(confidence: "str | None", status: "ValueStatus | str | None",
                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Decimal:
    """Return the share of a plan counted as risk-adjusted value.

    TBC and NA count 0. Otherwise the factor for the confidence (defaults H 1, M 0.5, L 0.25). A scheme whose
    confidence has not been assessed counts as L, so the risk-adjusted view never flatters an unassessed plan.
    """
    if _status(status) is not ValueStatus.QUANTIFIED:
        return Decimal(0)
    level = Confidence.parse(confidence) or Confidence.L
    return thresholds.factor(level.value)


def risk_adjusted_value(plan: int | None, status: "ValueStatus | str | None", confidence: "str | None",
                        thresholds: Thresholds = DEFAULT_THRESHOLDS) -> int:
    """Return plan × risk factor in pence, rounded half up to the penny; 0 for TBC, NA or no plan."""
    if plan is None:
        return 0
    value = Decimal(plan) * risk_factor(confidence, status, thresholds)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def risk_adjusted_total(rows: Iterable[tuple["int | None", "ValueStatus | str | None", "str | None"]],
                        thresholds: Thresholds = DEFAULT_THRESHOLDS) -> int:
    """Return the sum of `risk_adjusted_value` over (plan, status, confidence) rows, in pence."""
    return sum(risk_adjusted_value(plan, status, conf, thresholds) for plan, status, conf in rows)


def ytd_variance(actual: int | None, plan: int | None) -> int | None:
    """Return year-to-date actual − plan (negative: behind plan); None if either is missing."""
    return None if actual is None or plan is None else actual - plan


def fot_variance(fot: int | None, plan: int | None) -> int | None:
    """Return forecast outturn − full-year plan (negative: short of plan); None if either is missing."""
    return None if fot is None or plan is None else fot - plan


def delivery_pct(fot: int | None, plan: int | None) -> Decimal | None:
    """Return FOT as a percentage of plan (exact Decimal, e.g. 77.62…); None when the plan is 0 or missing."""
    if fot is None or not plan:
        return None
    return Decimal(fot) * 100 / Decimal(plan)


def phase_plan(plan_fy: int) -> list[int]:
    """Return the default monthly phasing M1..M12 of a full-year plan: plan ÷ 12, with the remainder in M12.

    The twelve values always add up to `plan_fy` exactly.
    """
    sign = -1 if plan_fy < 0 else 1
    month, remainder = divmod(abs(plan_fy), 12)
    return [sign * month] * 11 + [sign * (month + remainder)]


def _pct_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def scheme_rag(f: SchemeFigures, thresholds: Thresholds = DEFAULT_THRESHOLDS,
               today_month: str | None = None) -> Derived:
    """Return the derived RAG of one scheme and why (DOMAIN.md §4.5).

    In order: Blue when the stage is delivered; Unrated when the value is TBC/NA or there is no positive plan;
    Red when nothing has been delivered (year-to-date actual missing or 0) by a month after the start month;
    Unrated when no forecast has been returned; otherwise by forecast outturn as a share of plan: Green at
    or above the green threshold (95%), Amber from the amber threshold (75%), else Red. The month judged is
    `latest_month`, or `today_month` when no figures have been returned at all.
    """
    if f.stage is not None and normalise_word(str(f.stage)) in ("delivered", "complete", "completed"):
        return Derived(Rag.B, "delivered")
    status = _status(f.status)
    if status is not ValueStatus.QUANTIFIED:
        return Derived(Rag.U, f"value {status.value}: not rated")
    if f.plan_fy is None:
        return Derived(Rag.U, "no plan value: not rated")
    if f.plan_fy <= 0:
        return Derived(Rag.U, "no saving planned: not rated")

    as_at = f.latest_month or today_month
    if f.start_month and as_at and parse_month(as_at) > parse_month(f.start_month) and (f.ytd_actual or 0) <= 0:
        return Derived(Rag.R, f"nothing delivered by {month_label(as_at)}, after the start month "
                              f"{month_label(f.start_month)}")
    pct = delivery_pct(f.fot, f.plan_fy)
    if pct is None:
        return Derived(Rag.U, "no forecast returned yet")
    # Shown rounded down, so a forecast just under a threshold never reads as the threshold itself.
    shown = pct.quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    green, amber = thresholds.scheme_green_pct, thresholds.scheme_amber_pct
    if pct >= green:
        return Derived(Rag.G, f"forecast {shown}% of plan: green at {_pct_text(green)}% or above")
    if pct >= amber:
        return Derived(Rag.A, f"forecast {shown}% of plan: amber below {_pct_text(green)}%")
    return Derived(Rag.R, f"forecast {shown}% of plan: red below {_pct_text(amber)}%")


def programme_rag(scheme_rags: Iterable[Rag] | Mapping[Rag, int]) -> Derived:
    """Return a programme's derived RAG: the worst of its rated schemes (Red > Amber > Green > Blue).

    Unrated schemes are left out and counted in the reason; with no rated scheme the programme is Unrated.
    The letters may come counted already (a Counter or any mapping of letter → number of schemes).
    """
    # Counted first and parsed once per distinct value: a programme of 10,000 schemes was ~10 ms of parsing.
    counts: Counter[Rag] = Counter()
    for value, n in Counter(scheme_rags).items():
        counts[Rag.parse(value)] += n
    total = sum(counts.values())
    unrated = counts[Rag.U]
    rated = {r: n for r, n in counts.items() if r is not Rag.U and n}
    if not total:
        return Derived(Rag.U, "no schemes to rate")
    if not rated:
        return Derived(Rag.U, f"none of its {_schemes(total)} is rated")
    worst = max(rated, key=lambda r: r.severity)
    reason = f"worst of {_schemes(total - unrated)} rated is {worst.word}"
    if unrated:
        reason += f"; {unrated} unrated"
    return Derived(worst, reason)


def _schemes(n: int) -> str:
    return f"{n} scheme" if n == 1 else f"{n} schemes"


@dataclass(frozen=True)
class SavingsSummary:
    """The headline savings figures for one organisation's year (pence; requirement-based ones may be None)."""

    requirement: int | None
    identified: int
    tbc: int
    na: int
    gap: int | None
    risk_adjusted: int
    risk_adjusted_gap: int | None

    @property
    def note(self) -> str:
        """What the identified total leaves out, e.g. "excludes 9 TBC and 1 NA"."""
        return exclusion_note(self.tbc, self.na)


def summarise(schemes: Iterable[SchemeFigures], requirement: int | None = None,
              thresholds: Thresholds = DEFAULT_THRESHOLDS) -> SavingsSummary:
    """Return identified, gap, excluded counts and risk-adjusted figures over `schemes` against `requirement`."""
    items = list(schemes)
    plans = [(s.plan_fy, s.status) for s in items]
    found = identified(plans)
    tbc, na = status_counts(plans)
    adjusted = risk_adjusted_total(((s.plan_fy, s.status, s.confidence) for s in items), thresholds)
    return SavingsSummary(
        requirement=requirement,
        identified=found,
        tbc=tbc,
        na=na,
        gap=gap(requirement, found),
        risk_adjusted=adjusted,
        risk_adjusted_gap=gap(requirement, adjusted),
    )
