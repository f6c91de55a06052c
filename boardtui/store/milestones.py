"""Milestone queries: each milestone with its slip, derived RAG and dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from boardtui.domain.milestones import milestone_rag, slip_days
from boardtui.domain.periods import PartialDate, parse_partial_date
from boardtui.domain.rag import Derived, Rag, effective
from boardtui.store.connection import Board


def _pd(text: str | None) -> PartialDate | None:
    return parse_partial_date(text) if text else None


@dataclass
class MilestoneLine:
    id: str
    ref: str
    title: str
    plan: str | None
    owner: str | None
    baseline: PartialDate
    forecast: PartialDate | None
    actual: PartialDate | None
    slip: int
    derived: Derived
    override: Rag | None
    depends_on: list[str]
    version: int

    @property
    def rag(self) -> Rag:
        return effective(self.derived.rag, self.override)


def milestone_lines(board: Board, today: date, rows: list | None = None, deps: list | None = None) -> list[MilestoneLine]:
    """Every milestone judged as at `today`, ordered by baseline then ref. Rows may be passed in (as-at)."""
    if rows is None:
        rows = board.query("SELECT * FROM milestones")
    if deps is None:
        deps = board.query("SELECT milestone_id, depends_on_id FROM milestone_deps")
    by_id = {r["id"]: r for r in rows}
    preds: dict[str, list[str]] = {}
    for d in deps:
        if d["milestone_id"] in by_id and d["depends_on_id"] in by_id:
            preds.setdefault(d["milestone_id"], []).append(d["depends_on_id"])
    lines = []
    for r in rows:
        baseline, forecast, actual = _pd(r["baseline"]), _pd(r["forecast"]), _pd(r["actual"])
        pred_dates = []
        for pid in sorted(preds.get(r["id"], []), key=lambda i: by_id[i]["ref"]):
            p = by_id[pid]
            pred_dates.append((p["ref"], _pd(p["actual"]) or _pd(p["forecast"]) or _pd(p["baseline"])))
        lines.append(
            MilestoneLine(
                id=r["id"],
                ref=r["ref"],
                title=r["title"],
                plan=r["plan_name"],
                owner=r["owner"],
                baseline=baseline,
                forecast=forecast,
                actual=actual,
                slip=slip_days(baseline, forecast, actual),
                derived=milestone_rag(baseline, forecast, actual, today, board.thresholds, pred_dates),
                override=Rag(r["rag_override"]) if r["rag_override"] else None,
                depends_on=[by_id[pid]["ref"] for pid in sorted(preds.get(r["id"], []), key=lambda i: by_id[i]["ref"])],
                version=r["version"],
            )
        )
    lines.sort(key=lambda m: (m.baseline.end(), m.ref))
    return lines
