"""Milestone slippage, the milestone RAG rule of DOMAIN.md §4.6, and dependency cycles.

Dates may be known only to the month or the year, so every comparison uses `PartialDate.end()`: "Oct 2016"
is on time until 31 Oct 2016. Baselines are never overwritten; slip is always measured against them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from boardtui.domain.errors import ValidationError
from boardtui.domain.periods import PartialDate, as_partial_date, display_date
from boardtui.domain.rag import Derived, Rag
from boardtui.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds


def slip_days(baseline: PartialDate | date | str | None,
              forecast: PartialDate | date | str | None = None,
              actual: PartialDate | date | str | None = None) -> int:
    """Return (actual, or else forecast) − baseline in days, each at its `end()`; 0 when neither is set.

    Negative means early. Strings are parsed as partial dates (ParseError if they are not dates).
    """
    base = as_partial_date(baseline)
    moved = as_partial_date(actual) or as_partial_date(forecast)
    if base is None or moved is None:
        return 0
    return (moved.end() - base.end()).days


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def milestone_rag(
    baseline: PartialDate | date | str | None,
    forecast: PartialDate | date | str | None,
    actual: PartialDate | date | str | None,
    today: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    predecessors: Iterable[tuple] = (),
) -> Derived:
    """Return the derived RAG of a milestone on `today` and why (DOMAIN.md §4.6).

    Blue when an actual date is set. Red when overdue (the due date — forecast, else baseline — ended
    before today) or when the slip exceeds `milestone_red_slip_days`. Amber when it slips by 1 to that many
    days, when a predecessor's date (given as (ref, date) pairs, or (ref, date, kind) where kind says which
    of its dates it is: "actual", "forecast" or "baseline") ends after this baseline, or when it is due within
    `milestone_due_soon_days`. Otherwise Green. The first reason that applies is given.
    """
    base, fc, done = as_partial_date(baseline), as_partial_date(forecast), as_partial_date(actual)
    if done is not None:
        return Derived(Rag.B, f"done {display_date(done)}")
    due = fc or base
    if due is None:
        return Derived(Rag.U, "no baseline or forecast date")
    if due.end() < today:
        return Derived(Rag.R, f"overdue: due {display_date(due)} and not done")

    slip = slip_days(base, fc, None)
    red_days = thresholds.milestone_red_slip_days
    if slip > 0:
        moved = f"forecast {display_date(fc)} is {_days(slip)} after the baseline {display_date(base)}"
        if slip > red_days:
            return Derived(Rag.R, f"{moved}: red over {_days(red_days)}")
        return Derived(Rag.A, f"{moved}: amber up to {_days(red_days)}")

    if base is not None:
        for ref, when, *kind in predecessors:
            theirs = as_partial_date(when)
            if theirs is not None and theirs.end() > base.end():
                word = kind[0] if kind else "forecast"
                return Derived(Rag.A, f"predecessor {ref} {word} {display_date(theirs)} lands after this "
                                      f"baseline {display_date(base)}")

    left = (due.end() - today).days
    if left <= thresholds.milestone_due_soon_days:
        when = "today" if left == 0 else f"in {_days(left)}"
        return Derived(Rag.A, f"due {display_date(due)}, {when}, and not done")
    return Derived(Rag.G, f"on track for {display_date(due)}")


def check_forecast(baseline: PartialDate | date | str, forecast: PartialDate | date | str | None) -> None:
    """Refuse a forecast that ends before the calendar year of the baseline starts (a mistyped year).

    Earlier than the baseline is fine (ahead of plan); a whole year or more earlier is almost always a typo
    ("2015-10" for "2016-10"). Raises ValidationError on the field "forecast".
    """
    base, fc = as_partial_date(baseline), as_partial_date(forecast)
    if base is None or fc is None:
        return
    if fc.end() < date(base.year, 1, 1):
        raise ValidationError(
            f"{display_date(fc)} is before {base.year}, the year of the baseline {display_date(base)}: "
            "check the year",
            field="forecast",
        )


def check_actual(actual: PartialDate | date | str | None, today: date) -> None:
    """Refuse an actual (done) date that starts after `today`: nothing is done in the future.

    A month-precision actual in the current month is accepted. Raises ValidationError on the field "actual".
    """
    done = as_partial_date(actual)
    if done is not None and done.start() > today:
        raise ValidationError(
            f"{display_date(done)} is in the future (today is {display_date(today)}): an actual date records "
            "when it was done",
            field="actual",
        )


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """Return one dependency cycle as a path that ends where it starts (["W06", "W13", "W06"]), or None.

    `edges` maps each ref to the refs it depends on; refs that only appear as targets are fine. The search is
    iterative (no recursion limit at 100k milestones) and deterministic: refs are visited in sorted order.
    """
    graph = {node: sorted(set(targets)) for node, targets in edges.items()}
    done: set[str] = set()
    for root in sorted(graph):
        if root in done:
            continue
        path = [root]
        on_path = {root: 0}
        stack = [iter(graph.get(root, ()))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                finished = path.pop()
                del on_path[finished]
                done.add(finished)
                continue
            if nxt in on_path:
                return path[on_path[nxt]:] + [nxt]
            if nxt in done:
                continue
            on_path[nxt] = len(path)
            path.append(nxt)
            stack.append(iter(graph.get(nxt, ())))
    return None


def cycle_if_added(edges: Mapping[str, Iterable[str]], ref: str, depends_on: str) -> list[str] | None:
    """Return the cycle that making `ref` depend on `depends_on` would create, or None if it is safe."""
    trial = {node: set(targets) for node, targets in edges.items()}
    trial.setdefault(ref, set()).add(depends_on)
    return find_cycle(trial)
