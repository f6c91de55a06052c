"""Savings queries: requirement, programme roll-ups, scheme pages, and the scheme roll-up maintenance."""

from __future__ import annotations

from dataclasses import dataclass, field

from boardtui.domain import savings as calc
from boardtui.domain.money import ValueStatus
from boardtui.domain.rag import Derived, Rag, effective
from boardtui.store.connection import Board
from boardtui.store.history import RECALCULATED
from boardtui.store.tx import Writer

SCHEME_COLUMNS = (
    "id, ref, programme_id, title, stage, value_status, plan_pence, confidence, start_month, "
    "ytd_plan_pence, ytd_actual_pence, fot_pence, latest_month, rag_override, rag_commentary, version"
)


def refresh_scheme_rollup(w: Writer, scheme_id: str) -> None:
    """Recompute a scheme's YTD plan/actual, forecast outturn and latest month from its monthly figures.

    YTD runs to the latest month with an actual; the forecast is the latest month's forecast outturn.
    """
    row = w.conn.execute(
        "SELECT max(month) FROM scheme_periods WHERE scheme_id = :s AND actual_pence IS NOT NULL", {"s": scheme_id}
    ).fetchone()
    latest = row[0]
    ytd = w.conn.execute(
        "SELECT sum(plan_pence), sum(actual_pence) FROM scheme_periods WHERE scheme_id = :s AND month <= :m",
        {"s": scheme_id, "m": latest or ""},
    ).fetchone()
    fot = w.conn.execute(
        "SELECT fot_pence FROM scheme_periods WHERE scheme_id = :s AND fot_pence IS NOT NULL "
        "ORDER BY month DESC LIMIT 1",
        {"s": scheme_id},
    ).fetchone()
    w.update(
        "schemes",
        scheme_id,
        None,
        {
            "latest_month": latest,
            "ytd_plan_pence": ytd[0] if latest else None,
            "ytd_actual_pence": ytd[1] if latest else None,
            "fot_pence": fot[0] if fot else None,
        },
        entity="scheme",
        reason=RECALCULATED,
    )


def years(board: Board) -> list[int]:
    """Financial years (start years) that have schemes or a requirement, newest first."""
    rows = board.query("SELECT fy FROM schemes UNION SELECT fy FROM targets WHERE requirement_pence IS NOT NULL")
    return sorted({r[0] for r in rows}, reverse=True)


def requirement(board: Board, fy: int, target_rows: list | None = None) -> int | None:
    """The year's savings requirement in pence (summed over organisations), or None when none is set."""
    if target_rows is not None:
        values = [t["requirement_pence"] for t in target_rows if t["fy"] == fy and t["requirement_pence"] is not None]
        return sum(values) if values else None
    return board.scalar("SELECT sum(requirement_pence) FROM targets WHERE fy = :fy", {"fy": fy})


def figures(row) -> calc.SchemeFigures:
    return calc.SchemeFigures(
        plan_fy=row["plan_pence"],
        status=ValueStatus(row["value_status"]),
        confidence=row["confidence"],
        stage=row["stage"],
        start_month=row["start_month"],
        ytd_plan=row["ytd_plan_pence"],
        ytd_actual=row["ytd_actual_pence"],
        fot=row["fot_pence"],
        latest_month=row["latest_month"],
    )


@dataclass
class SchemeLine:
    id: str
    ref: str
    title: str
    programme_id: str
    status: ValueStatus
    plan: int | None
    ytd_plan: int | None
    ytd_actual: int | None
    fot: int | None
    risk_adjusted: int
    derived: Derived
    override: Rag | None
    version: int

    @property
    def rag(self) -> Rag:
        return effective(self.derived.rag, self.override)


@dataclass
class ProgrammeLine:
    id: str
    name: str
    identified: int = 0
    tbc: int = 0
    na: int = 0
    ytd_plan: int = 0
    ytd_actual: int = 0
    fot: int = 0
    risk_adjusted: int = 0
    schemes: int = 0
    derived: Derived = field(default_factory=lambda: Derived(Rag.U, "no schemes"))
    override: Rag | None = None
    version: int = 1

    @property
    def rag(self) -> Rag:
        return effective(self.derived.rag, self.override)


def _rag_or_none(text: str | None) -> Rag | None:
    return Rag(text) if text else None


def scheme_line(board: Board, row) -> SchemeLine:
    f = figures(row)
    return SchemeLine(
        id=row["id"],
        ref=row["ref"],
        title=row["title"],
        programme_id=row["programme_id"],
        status=f.status,
        plan=f.plan_fy,
        ytd_plan=f.ytd_plan,
        ytd_actual=f.ytd_actual,
        fot=f.fot,
        risk_adjusted=calc.risk_adjusted_value(f.plan_fy, f.status, f.confidence, board.thresholds),
        derived=calc.scheme_rag(f, board.thresholds, None),
        override=_rag_or_none(row["rag_override"]),
        version=row["version"],
    )


def programme_lines(
    board: Board, fy: int, *, programme_rows: list | None = None, scheme_rows: list | None = None
) -> list[ProgrammeLine]:
    """One line per programme for the year, every measure rolled up from its schemes.

    Reads one narrow row per scheme (10k schemes ≈ tens of ms) because the derived RAG is a rule in Python,
    not something to duplicate in SQL. Rows may be passed in instead (the as-at view rebuilds them).
    """
    if programme_rows is None:
        programme_rows = board.query("SELECT id, name, rag_override, version FROM programmes")
    if scheme_rows is None:
        scheme_rows = board.query(f"SELECT {SCHEME_COLUMNS} FROM schemes WHERE fy = :fy", {"fy": fy})
    else:
        scheme_rows = [r for r in scheme_rows if r["fy"] == fy]
    lines = {
        r["id"]: ProgrammeLine(
            id=r["id"], name=r["name"], override=_rag_or_none(r["rag_override"]), version=r["version"]
        )
        for r in sorted(programme_rows, key=lambda r: r["name"].lower())
    }
    rags: dict[str, list[Rag]] = {pid: [] for pid in lines}
    for row in scheme_rows:
        line = lines.get(row["programme_id"])
        if line is None:
            continue
        s = scheme_line(board, row)
        line.schemes += 1
        if s.status is ValueStatus.QUANTIFIED:
            line.identified += s.plan or 0
        elif s.status is ValueStatus.TBC:
            line.tbc += 1
        else:
            line.na += 1
        line.ytd_plan += s.ytd_plan or 0
        line.ytd_actual += s.ytd_actual or 0
        # A scheme with no forecast returned yet is counted at plan in the programme's outturn.
        line.fot += s.fot if s.fot is not None else (s.plan or 0)
        line.risk_adjusted += s.risk_adjusted
        rags[row["programme_id"]].append(s.rag)
    for pid, line in lines.items():
        line.derived = calc.programme_rag(rags[pid])
    return list(lines.values())


def schemes_of(board: Board, fy: int, programme_id: str | None = None) -> list[SchemeLine]:
    """Schemes for the year (optionally of one programme), ordered by ref. For reports and small lists."""
    sql = f"SELECT {SCHEME_COLUMNS} FROM schemes WHERE fy = :fy"
    params: dict = {"fy": fy}
    if programme_id:
        sql += " AND programme_id = :p"
        params["p"] = programme_id
    return [scheme_line(board, r) for r in board.query(sql + " ORDER BY ref", params)]


@dataclass
class Totals:
    fy: int
    requirement: int | None
    identified: int
    tbc: int
    na: int
    risk_adjusted: int

    @property
    def gap(self) -> int | None:
        return None if self.requirement is None else calc.gap(self.requirement, self.identified)

    @property
    def risk_adjusted_gap(self) -> int | None:
        return None if self.requirement is None else calc.gap(self.requirement, self.risk_adjusted)


def totals(
    board: Board, fy: int, lines: list[ProgrammeLine] | None = None, target_rows: list | None = None
) -> Totals:
    lines = programme_lines(board, fy) if lines is None else lines
    return Totals(
        fy=fy,
        requirement=requirement(board, fy, target_rows),
        identified=sum(p.identified for p in lines),
        tbc=sum(p.tbc for p in lines),
        na=sum(p.na for p in lines),
        risk_adjusted=sum(p.risk_adjusted for p in lines),
    )
