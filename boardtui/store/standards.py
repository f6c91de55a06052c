"""Standards queries: the definition in force for a period, monthly figures, and one line per standard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from boardtui.domain.periods import month_end, month_of
from boardtui.domain.rag import Derived, Rag, effective
from boardtui.domain.standards import Comparator, standard_rag
from boardtui.store.connection import Board


def in_force(definitions: list, period: str):
    """The definition (row) of a standard in force in `period` (YYYY-MM), or None."""
    start, end = f"{period}-01", month_end(period).isoformat()
    for d in sorted(definitions, key=lambda r: r["valid_from"] or "", reverse=True):
        if (d["valid_from"] or "") <= end and (not d["valid_to"] or d["valid_to"] >= start):
            return d
    return None


@dataclass
class StandardLine:
    code: str
    name: str
    must_do: int | None
    threshold: float
    comparator: Comparator
    unit: str
    period: str | None
    actual: float | None
    trajectory: float | None
    derived: Derived
    override: Rag | None
    id: str
    version: int
    recent: list[float | None]

    @property
    def rag(self) -> Rag:
        return effective(self.derived.rag, self.override)


def standard_lines(board: Board, as_at: date | None = None, months: int = 12) -> list[StandardLine]:
    """One line per standard code: its latest period with an actual (up to `as_at`), judged by the definition
    in force then. `recent` holds the last `months` actuals for a sparkline, oldest first."""
    cutoff = month_of(as_at) if as_at else "9999-12"
    defs: dict[str, list] = {}
    for d in board.query("SELECT * FROM standards ORDER BY code, valid_from"):
        defs.setdefault(d["code"], []).append(d)
    lines = []
    for code, versions in defs.items():
        figures = board.query(
            "SELECT period, actual, trajectory FROM standard_periods WHERE standard_code = :c AND period <= :p "
            "ORDER BY period DESC LIMIT :n",
            {"c": code, "p": cutoff, "n": months},
        )
        latest = next((f for f in figures if f["actual"] is not None), None)
        period = latest["period"] if latest else None
        d = (in_force(versions, period) if period else None) or (
            in_force(versions, cutoff) if as_at else None
        ) or versions[-1]
        comparator = Comparator(d["comparator"])
        actual = latest["actual"] if latest else None
        trajectory = latest["trajectory"] if latest else None
        lines.append(
            StandardLine(
                code=code,
                name=d["name"],
                must_do=d["must_do"],
                threshold=d["threshold"],
                comparator=comparator,
                unit=d["unit"],
                period=period,
                actual=actual,
                trajectory=trajectory,
                derived=standard_rag(actual, d["threshold"], comparator, trajectory),
                override=Rag(d["rag_override"]) if d["rag_override"] else None,
                id=d["id"],
                version=d["version"],
                recent=[f["actual"] for f in reversed(figures)],
            )
        )
    lines.sort(key=lambda s: (s.must_do is None, s.must_do or 0, s.code))
    return lines
