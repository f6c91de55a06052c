"""Savings queries: requirement, programme roll-ups, scheme pages, and the scheme roll-up maintenance."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from boardtui.domain import savings as calc
from boardtui.domain.money import ValueStatus
from boardtui.domain.rag import Derived, Rag, effective
from boardtui.store.connection import Board
from boardtui.store.tx import Writer

SCHEME_COLUMNS = (
    "id, ref, programme_id, title, stage, value_status, plan_pence, confidence, start_month, "
    "ytd_plan_pence, ytd_actual_pence, fot_pence, latest_month, rag_override, rag_commentary, version"
)


def refresh_scheme_rollup(w: Writer, scheme_id: str) -> None:
    """Recompute a scheme's YTD plan/actual, forecast outturn and latest month from its monthly figures.

    YTD runs to the latest month with an actual; the forecast is the latest month's forecast outturn.
    """
    from boardtui.store.history import RECALCULATED  # not on the start path: only a scheme's write needs it

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
    """One scheme's figures and RAG as the lists show them (pence)."""

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
    """One programme's year rolled up from its schemes (pence), with its derived and manual RAG."""

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


# What a programme's roll-up needs of each scheme, in this order (one narrow tuple per scheme).
ROLLUP_COLUMNS = (
    "programme_id", "stage", "value_status", "plan_pence", "start_month", "latest_month", "ytd_plan_pence",
    "ytd_actual_pence", "fot_pence", "confidence", "rag_override",
)
_LETTERS = {r.value: r for r in Rag}
_DELIVERED = ("delivered", "complete", "completed")


def _delivered(stage) -> bool:
    """The scheme RAG rule's first test: a delivered stage is Blue, whatever the figures say."""
    if stage is None:
        return False
    word = stage.lower() if isinstance(stage, str) else str(stage)
    return word in _DELIVERED or " ".join(word.split()) in _DELIVERED


def _canonical_month(text) -> bool:
    return isinstance(text, str) and len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit()


class Rater:
    """The scheme RAG rule and risk adjustment of domain/savings.py, in integer arithmetic for 10k-row roll-ups.

    `letter` gives exactly `scheme_rag(...).rag` and `risk_adjusted` exactly `risk_adjusted_value(...)` (a
    property test holds them to it); anything outside the canonical forms the store writes is handed to the
    domain functions themselves.
    """

    def __init__(self, thresholds) -> None:
        self.thresholds = thresholds
        self.green = thresholds.scheme_green_pct.as_integer_ratio()
        self.amber = thresholds.scheme_amber_pct.as_integer_ratio()
        self.factors = {k: v.as_integer_ratio() for k, v in thresholds.confidence_factors.items()}

    def letter(self, stage, status, plan, start, latest, ytd_actual, fot) -> Rag:
        if _delivered(stage):
            return Rag.B
        if status != "quantified":
            if status in ("TBC", "NA"):
                return Rag.U
            return self._slow(stage, status, plan, start, latest, ytd_actual, fot)
        if plan is None or plan <= 0:
            return Rag.U
        if start and latest:
            if not (_canonical_month(start) and _canonical_month(latest)):
                return self._slow(stage, status, plan, start, latest, ytd_actual, fot)
            if latest > start and (ytd_actual or 0) <= 0:
                return Rag.R
        if fot is None:
            return Rag.U
        # fot × 100 / plan ≥ green  ⇔  fot × 100 × den ≥ num × plan (plan > 0), exactly.
        num, den = self.green
        if fot * 100 * den >= num * plan:
            return Rag.G
        num, den = self.amber
        if fot * 100 * den >= num * plan:
            return Rag.A
        return Rag.R

    def _slow(self, stage, status, plan, start, latest, ytd_actual, fot) -> Rag:
        figures = calc.SchemeFigures(plan_fy=plan, status=ValueStatus.parse(status), stage=stage, start_month=start,
                                     ytd_actual=ytd_actual, fot=fot, latest_month=latest)
        return calc.scheme_rag(figures, self.thresholds).rag

    def risk_adjusted(self, plan, status, confidence) -> int:
        if plan is None or status != "quantified":
            if status not in ("quantified", "TBC", "NA"):
                return calc.risk_adjusted_value(plan, status, confidence, self.thresholds)
            return 0
        key = "L" if not confidence else confidence
        ratio = self.factors.get(key)
        if ratio is None:
            return calc.risk_adjusted_value(plan, status, confidence, self.thresholds)
        num, den = ratio
        whole, rest = divmod(abs(plan) * num, den)
        if 2 * rest >= den:  # half up, away from zero, as Decimal's ROUND_HALF_UP
            whole += 1
        return whole if plan >= 0 else -whole


# ---- the roll-up in SQL --------------------------------------------------------------------------------------
# `Rater`'s rule as SQL over the live table: one scan and one GROUP BY (programme, stage, manual RAG, letter)
# instead of a Python loop over every scheme (10,000 schemes: ~38 → ~25 ms). Where the SQL cannot judge a scheme
# exactly — a status, confidence or month outside the forms the store writes, or figures big enough to overflow
# 64-bit arithmetic — its letter is 'X' and `Rater` judges it in Python, so every figure equals the loop's. The
# stage and the manual RAG are group keys, tested in Python as `Rater` tests them; the risk adjustment is
# rounded half up per scheme in integers: (2·|plan|·num + den) div (2·den), with the sign put back.

def _month_sql(col: str) -> str:
    digit = "('0', '1', '2', '3', '4', '5', '6', '7', '8', '9')"
    return (f"(length({col}) = 7 AND substr({col}, 5, 1) = '-' AND "
            + " AND ".join(f"substr({col}, {i}, 1) IN {digit}" for i in (1, 2, 3, 4, 6, 7)) + ")")


_MONTHS_SET = "start_month <> '' AND latest_month <> ''"
_LETTER_SQL = (
    "CASE WHEN value_status IS NULL OR value_status NOT IN ('quantified', 'TBC', 'NA') THEN 'X'"
    " WHEN value_status <> 'quantified' OR plan_pence IS NULL THEN 'U'"
    " WHEN confidence IS NOT NULL AND confidence NOT IN ('', 'H', 'M', 'L') THEN 'X'"
    " WHEN abs(plan_pence) > :bound THEN 'X'"
    " WHEN plan_pence <= 0 THEN 'U'"
    f" WHEN {_MONTHS_SET} AND NOT ({_month_sql('start_month')} AND {_month_sql('latest_month')}) THEN 'X'"
    f" WHEN {_MONTHS_SET} AND latest_month > start_month AND coalesce(ytd_actual_pence, 0) <= 0 THEN 'R'"
    " WHEN fot_pence IS NULL THEN 'U'"
    " WHEN abs(fot_pence) > :bound THEN 'X'"
    " WHEN fot_pence * :green_scale >= :green_num * plan_pence THEN 'G'"
    " WHEN fot_pence * :amber_scale >= :amber_num * plan_pence THEN 'A'"
    " ELSE 'R' END"
)


def _rounded_sql(level: str) -> str:
    return f"(2 * abs(plan_pence) * :{level}_num + :{level}_den) / (2 * :{level}_den)"


# 0 for the rows the SQL leaves to Python (an odd confidence, a plan past `bound`), which are 'X' above.
_RISK_SQL = (
    "CASE WHEN value_status IS NULL OR value_status <> 'quantified' OR plan_pence IS NULL "
    "OR abs(plan_pence) > :bound OR (confidence IS NOT NULL AND confidence NOT IN ('', 'H', 'M', 'L')) THEN 0"
    " ELSE (CASE WHEN plan_pence < 0 THEN -1 ELSE 1 END)"
    f" * (CASE confidence WHEN 'H' THEN {_rounded_sql('h')} WHEN 'M' THEN {_rounded_sql('m')}"
    f" ELSE {_rounded_sql('l')} END) END"
)
_ROLLUP_SQL = (
    f"SELECT programme_id, stage, rag_override, {_LETTER_SQL} AS letter, count(*),"
    " sum(CASE WHEN value_status = 'quantified' THEN 1 ELSE 0 END),"
    " sum(CASE WHEN value_status = 'NA' THEN 1 ELSE 0 END),"
    " sum(CASE WHEN value_status = 'quantified' THEN coalesce(plan_pence, 0) ELSE 0 END),"
    " sum(ytd_plan_pence), sum(ytd_actual_pence), sum(coalesce(fot_pence, plan_pence, 0)),"
    f" sum({_RISK_SQL})"
    " FROM schemes WHERE fy = :fy{only} GROUP BY programme_id, stage, rag_override, letter"
)
# The year's totals alone (the dashboard): no letters, so only the risk adjustment can need Python.
_ODD_RISK_SQL = (
    "value_status IS NULL OR value_status NOT IN ('quantified', 'TBC', 'NA') OR (value_status = 'quantified' "
    "AND plan_pence IS NOT NULL AND (abs(plan_pence) > :bound "
    "OR (confidence IS NOT NULL AND confidence NOT IN ('', 'H', 'M', 'L'))))"
)
_TOTALS_SQL = (
    "SELECT count(*), sum(CASE WHEN value_status = 'quantified' THEN 1 ELSE 0 END),"
    " sum(CASE WHEN value_status = 'NA' THEN 1 ELSE 0 END),"
    " sum(CASE WHEN value_status = 'quantified' THEN coalesce(plan_pence, 0) ELSE 0 END),"
    f" sum({_RISK_SQL}), sum(CASE WHEN {_ODD_RISK_SQL} THEN 1 ELSE 0 END)"
    " FROM schemes WHERE fy = :fy"
)
_ODD_RISK_ROWS_SQL = f"SELECT plan_pence, value_status, confidence FROM schemes WHERE fy = :fy AND ({_ODD_RISK_SQL})"
# Schemes of no programme are left out of `programme_lines` (foreign keys forbid them; a foreign tool might not):
# counted from the index alone, and when there are any the totals are summed from the lines instead.
_ORPHANS_SQL = "SELECT count(*) FROM schemes WHERE fy = :fy AND programme_id NOT IN (SELECT id FROM programmes)"
_ODD_ROWS_SQL = f"SELECT {', '.join(ROLLUP_COLUMNS)} FROM schemes WHERE fy = :fy{{only}} AND ({_LETTER_SQL}) = 'X'"
_ROWS_SQL = f"SELECT {', '.join(ROLLUP_COLUMNS)} FROM schemes WHERE fy = :fy{{only}}"
_INT64 = 2**63 - 1


def _rollup_params(rater: Rater, fy: int) -> dict:
    """The rule's thresholds as integers, and the size of figure up to which no product overflows."""
    (g_num, g_den), (a_num, a_den) = rater.green, rater.amber
    params = {"fy": fy, "green_scale": 100 * g_den, "green_num": g_num, "amber_scale": 100 * a_den,
              "amber_num": a_num}
    widest = max(100 * g_den, g_num, 100 * a_den, a_num, 1)
    dens = [1]
    for level in ("H", "M", "L"):
        num, den = rater.factors[level]
        params[f"{level.lower()}_num"], params[f"{level.lower()}_den"] = num, den
        widest, dens = max(widest, 2 * num), dens + [den]
    params["bound"] = (_INT64 - max(dens)) // widest
    return params


def _only(programme_ids: list[str] | None, params: dict) -> str:
    """The SQL condition (and its parameters, added to `params`) restricting a roll-up to some programmes."""
    if programme_ids is None:
        return ""
    names = [f"p{i}" for i in range(len(programme_ids))]
    params.update(zip(names, programme_ids))
    return f" AND programme_id IN ({', '.join(':' + n for n in names)})"


def _add_scheme(line: ProgrammeLine, rags: Counter, rater: Rater, row: tuple) -> None:
    """One scheme into its programme's line, judged in Python (rows passed in, and the SQL's 'X' rows)."""
    _pid, stage, status, plan, start, latest, ytd_plan, ytd_actual, fot, confidence, override = row
    line.schemes += 1
    if status == "quantified":
        line.identified += plan or 0
    elif status == "NA":
        line.na += 1
    else:
        line.tbc += 1
    line.ytd_plan += ytd_plan or 0
    line.ytd_actual += ytd_actual or 0
    # A scheme with no forecast returned yet is counted at plan in the programme's outturn.
    line.fot += fot if fot is not None else (plan or 0)
    line.risk_adjusted += rater.risk_adjusted(plan, status, confidence)
    manual = _LETTERS.get(override) if override else None
    rags[manual or rater.letter(stage, status, plan, start, latest, ytd_actual, fot)] += 1


def _roll_up_in_sql(board: Board, fy: int, lines: dict[str, ProgrammeLine], rags: dict[str, Counter],
                    rater: Rater, only: list[str] | None = None) -> bool:
    """Roll the year's schemes (of the programmes `only`, or all) up with `_ROLLUP_SQL`; False (nothing added)
    when SQLite's sums overflow."""
    params = _rollup_params(rater, fy)
    restrict = _only(only, params)
    cursor = board.conn.cursor()
    cursor.row_factory = None
    try:
        groups = cursor.execute(_ROLLUP_SQL.format(only=restrict), params).fetchall()
    except sqlite3.OperationalError as exc:  # a sum past 64 bits (Python's integers do not overflow)
        if "overflow" not in str(exc).lower():
            raise
        return False
    odd = False
    for pid, stage, override, letter, n, quantified, na, identified, ytd_plan, ytd_actual, fot, risk in groups:
        line = lines.get(pid)
        if line is None:
            continue
        if letter == "X":
            odd = True
            continue
        line.schemes += n
        line.identified += int(identified or 0)
        line.na += na
        line.tbc += n - quantified - na
        line.ytd_plan += int(ytd_plan or 0)
        line.ytd_actual += int(ytd_actual or 0)
        line.fot += int(fot or 0)
        line.risk_adjusted += int(risk or 0)
        manual = _LETTERS.get(override) if override else None
        rags[pid][manual or (Rag.B if _delivered(stage) else _LETTERS[letter])] += n
    if odd:
        for row in cursor.execute(_ODD_ROWS_SQL.format(only=restrict), params).fetchall():
            if row[0] in lines:
                _add_scheme(lines[row[0]], rags[row[0]], rater, row)
    return True


def programme_lines(
    board: Board, fy: int, *, programme_rows: list | None = None, scheme_rows: list | None = None
) -> list[ProgrammeLine]:
    """One line per programme for the year, every measure rolled up from its schemes.

    From the live tables: each programme's kept roll-up where there is one (`programme_rollups`, SQLite), and one
    SQL aggregate (`_ROLLUP_SQL`) over the schemes of the others. Rows passed in instead (the as-at view rebuilds
    them from the audit trail) are judged one by one with the same rule (`Rater`).
    """
    if programme_rows is None:
        programme_rows = board.query("SELECT id, name, rag_override, version FROM programmes")
    lines = {
        r["id"]: ProgrammeLine(
            id=r["id"], name=r["name"], override=_rag_or_none(r["rag_override"]), version=r["version"]
        )
        for r in sorted(programme_rows, key=lambda r: r["name"].lower())
    }
    rags: dict[str, Counter] = {pid: Counter() for pid in lines}
    rater = Rater(board.thresholds)
    if scheme_rows is not None:
        for row in (tuple(r[c] for c in ROLLUP_COLUMNS) for r in scheme_rows if r["fy"] == fy):
            if row[0] in lines:
                _add_scheme(lines[row[0]], rags[row[0]], rater, row)
    else:
        kept = _read_kept(board, fy, rater)
        missing = {pid: line for pid, line in lines.items() if not _fill_from_kept(line, rags[pid], kept.get(pid))}
        if missing:
            _roll_up_live(board, fy, missing, rags, rater, only=None if len(missing) == len(lines) else list(missing))
    for pid, line in lines.items():
        line.derived = calc.programme_rag(rags[pid])
    return list(lines.values())


def _roll_up_live(board: Board, fy: int, lines: dict[str, ProgrammeLine], rags: dict[str, Counter], rater: Rater,
                  only: list[str] | None) -> None:
    """Roll up the schemes of `lines`' programmes from the schemes table: in SQL, or one by one when SQLite's
    sums overflow (Python's integers do not). `only` restricts the scan to those programmes (None: the year)."""
    if only is not None and len(only) > _MOST_NAMED:
        only = None  # too many to name: scan the year; schemes of programmes not in `lines` are passed over
    if _roll_up_in_sql(board, fy, lines, rags, rater, only):
        return
    params = {"fy": fy}
    restrict = _only(only, params)
    cursor = board.conn.cursor()
    cursor.row_factory = None  # plain tuples: a third of the cost of sqlite3.Row at 10k rows
    for row in cursor.execute(_ROWS_SQL.format(only=restrict), params).fetchall():
        if row[0] in lines:
            _add_scheme(lines[row[0]], rags[row[0]], rater, row)


_MOST_NAMED = 500  # programmes named in one roll-up query's IN list


# ---- kept roll-ups (migration 0005, SQLite) --------------------------------------------------------------------
# A screen reads one row per programme instead of judging 10,000 schemes (programmes screen on the large board:
# ~26 ms → ~1 ms). A kept row is current by construction: the triggers delete it whenever one of its schemes
# changes and note the key in `rollups_stale`; `refresh_kept_rollups` rolls the noted keys up again before each
# write commits (tx.writing). A row is read only when it was judged by the same thresholds and rule (`_basis`);
# any programme without a usable row is rolled up live as before, so the figures never depend on the cache.

_RULE = 1  # bump when the scheme RAG rule or the risk adjustment changes: rows judged by the old one are not read
_KEPT_COLUMNS = ("schemes", "tbc", "na", "identified_pence", "ytd_plan_pence", "ytd_actual_pence", "fot_pence",
                 "risk_adjusted_pence", "rag_r", "rag_a", "rag_g", "rag_b", "rag_u")
_KEPT_LETTERS = (Rag.R, Rag.A, Rag.G, Rag.B, Rag.U)
_KEPT_SQL = (f"SELECT programme_id, {', '.join(_KEPT_COLUMNS)} FROM programme_rollups "
             "WHERE fy = :fy AND basis = :basis")
_KEEP_SQL = (f"INSERT INTO programme_rollups (fy, programme_id, basis, {', '.join(_KEPT_COLUMNS)}) "
             f"VALUES ({', '.join('?' * (3 + len(_KEPT_COLUMNS)))}) ON CONFLICT (fy, programme_id) DO UPDATE SET "
             + ", ".join(f"{c} = excluded.{c}" for c in ("basis", *_KEPT_COLUMNS)))
_INT64_MIN = -(2**63)


def _keeps_rollups(board: Board) -> bool:
    return getattr(board.conn, "engine", "sqlite") == "sqlite"


def _basis(rater: Rater) -> str:
    """What a kept row's letters and risk adjustment were judged by: the rule's version and the thresholds."""
    factors = ", ".join(f"{k} {n}/{d}" for k, (n, d) in sorted(rater.factors.items()))
    return (f"rule {_RULE}; green {rater.green[0]}/{rater.green[1]}; amber {rater.amber[0]}/{rater.amber[1]}; "
            f"confidence {factors}")


def _read_kept(board: Board, fy: int, rater: Rater) -> dict[str, tuple]:
    if not _keeps_rollups(board):
        return {}
    cursor = board.conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(_KEPT_SQL, {"fy": fy, "basis": _basis(rater)}).fetchall()
    return {row[0]: row[1:] for row in rows}


def _any_kept(board: Board, fy: int) -> bool:
    return _keeps_rollups(board) and board.scalar(
        "SELECT 1 FROM programme_rollups WHERE fy = :fy LIMIT 1", {"fy": fy}) is not None


def _fill_from_kept(line: ProgrammeLine, rags: Counter, row: tuple | None) -> bool:
    if row is None:
        return False
    (line.schemes, line.tbc, line.na, line.identified, line.ytd_plan, line.ytd_actual, line.fot,
     line.risk_adjusted) = row[:8]
    rags.update(dict(zip(_KEPT_LETTERS, row[8:])))
    return True


def _live_kept_values(board: Board, fy: int, pids: list[str], rater: Rater) -> dict[str, tuple]:
    """The programmes' roll-ups for the year from the schemes table, as `programme_rollups` keeps them (in the
    order of `_KEPT_COLUMNS`)."""
    lines = {pid: ProgrammeLine(id=pid, name="") for pid in pids}
    rags = {pid: Counter() for pid in pids}
    _roll_up_live(board, fy, lines, rags, rater, only=pids)
    return {pid: (line.schemes, line.tbc, line.na, line.identified, line.ytd_plan, line.ytd_actual, line.fot,
                  line.risk_adjusted, *(rags[pid][letter] for letter in _KEPT_LETTERS))
            for pid, line in lines.items()}


def kept_rollups_differ(board: Board) -> list[str]:
    """`boardtui check`: the programme-years whose kept roll-up differs from a live one (a tool that changed the
    schema's triggers, or wrote to the kept table, could cause it). Empty when every kept row is right."""
    if not _keeps_rollups(board):
        return []
    rater = Rater(board.thresholds)
    out = []
    for fy in [r[0] for r in board.query("SELECT DISTINCT fy FROM programme_rollups ORDER BY fy")]:
        kept = _read_kept(board, fy, rater)
        live = _live_kept_values(board, fy, list(kept), rater)
        out += [f"{fy} {pid}" for pid, row in kept.items() if tuple(row) != live[pid]]
    return out


def refresh_kept_rollups(board: Board) -> None:
    """Roll up again, and keep, every programme-year whose schemes changed since it was last kept.

    Called inside the write transaction, just before it commits (tx.writing), and by bulk loaders that write
    with their own transaction. A figure past 64 bits is not kept (that programme is rolled up live).
    """
    if not _keeps_rollups(board):
        return
    conn = board.conn
    stale = conn.execute("SELECT fy, programme_id FROM rollups_stale").fetchall()
    if not stale:
        return
    conn.execute("DELETE FROM rollups_stale")
    rater = Rater(board.thresholds)
    basis = _basis(rater)
    known = {row[0] for row in conn.execute("SELECT id FROM programmes")}
    by_year: dict[int, list[str]] = {}
    for fy, pid in stale:
        if pid in known:  # a deleted programme's key, or a scheme of none, has nothing to keep
            by_year.setdefault(fy, []).append(pid)
    for fy, pids in by_year.items():
        rows = [(fy, pid, basis, *values) for pid, values in _live_kept_values(board, fy, pids, rater).items()
                if all(_INT64_MIN <= v <= _INT64 for v in values)]
        conn.executemany(_KEEP_SQL, rows)


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
    """The year's headline figures: requirement, identified and risk-adjusted (pence), and the gaps."""

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
    """The year's headline figures: summed from `lines` when given or when the year's roll-ups are kept, else
    one SQL aggregate (the dashboard)."""
    required = requirement(board, fy, target_rows)
    if lines is None:
        if not _any_kept(board, fy):
            found = _totals_in_sql(board, fy, required)
            if found is not None:
                return found
        lines = programme_lines(board, fy)
    return Totals(
        fy=fy,
        requirement=required,
        identified=sum(p.identified for p in lines),
        tbc=sum(p.tbc for p in lines),
        na=sum(p.na for p in lines),
        risk_adjusted=sum(p.risk_adjusted for p in lines),
    )


def _totals_in_sql(board: Board, fy: int, required: int | None) -> Totals | None:
    """`totals` as `programme_lines` would sum them, without judging any RAG; None when SQLite's sums overflow
    or a scheme belongs to no programme."""
    if board.scalar(_ORPHANS_SQL, {"fy": fy}):
        return None
    rater = Rater(board.thresholds)
    params = _rollup_params(rater, fy)
    try:
        n, quantified, na, identified, risk, odd = board.conn.execute(_TOTALS_SQL, params).fetchone()
    except sqlite3.OperationalError as exc:  # a sum past 64 bits (Python's integers do not overflow)
        if "overflow" not in str(exc).lower():
            raise
        return None
    risk = int(risk or 0)
    if odd:
        risk += sum(rater.risk_adjusted(plan, status, confidence)
                    for plan, status, confidence in board.conn.execute(_ODD_RISK_ROWS_SQL, params).fetchall())
    return Totals(fy=fy, requirement=required, identified=int(identified or 0),
                  tbc=n - int(quantified or 0) - int(na or 0), na=int(na or 0), risk_adjusted=risk)


# ---- one programme, one scheme, and pages of schemes ----------------------------------------------------------

def get_programme(board: Board, programme_id: str):
    """One programme's row, or None when it does not exist (any more)."""
    return board.one("SELECT * FROM programmes WHERE id = :id", {"id": programme_id})


def get_scheme(board: Board, scheme_id: str):
    """One scheme's row with its programme's name (as `programme_name`), or None."""
    return board.one(
        "SELECT s.*, p.name AS programme_name FROM schemes s JOIN programmes p ON p.id = s.programme_id "
        "WHERE s.id = :id",
        {"id": scheme_id},
    )


def programme_choices(board: Board) -> list[tuple[str, str]]:
    """(name, id) of every programme, by name: what a scheme form offers."""
    rows = board.query("SELECT id, name FROM programmes")
    return sorted(((r["name"], r["id"]) for r in rows), key=lambda nv: nv[0].lower())


def scheme_periods(board: Board, scheme_id: str) -> dict[str, object]:
    """A scheme's monthly rows keyed by month ("YYYY-MM")."""
    rows = board.query("SELECT * FROM scheme_periods WHERE scheme_id = :s ORDER BY month", {"s": scheme_id})
    return {r["month"]: r for r in rows}


def largest_plans(board: Board, fy: int, programme_id: str, limit: int = 8) -> list[SchemeLine]:
    """The programme's quantified schemes with the largest plans, largest first (for the bar chart)."""
    rows = board.query(
        f"SELECT {SCHEME_COLUMNS} FROM schemes WHERE fy = :fy AND programme_id = :p "
        "AND value_status = 'quantified' AND plan_pence IS NOT NULL ORDER BY plan_pence DESC, ref LIMIT :l",
        {"fy": fy, "p": programme_id, "l": limit},
    )
    return [scheme_line(board, r) for r in rows]


def largest_shortfalls(board: Board, fy: int, limit: int = 5) -> list[SchemeLine]:
    """The schemes whose forecast outturn falls furthest short of plan, worst first; on-plan ones left out.
    The conditions and the order are `schemes_shortfall`'s (migration 0005), so the engine reads its first rows."""
    rows = board.query(
        f"SELECT {SCHEME_COLUMNS} FROM schemes WHERE fy = :fy AND value_status = 'quantified' "
        "AND plan_pence IS NOT NULL AND fot_pence IS NOT NULL AND fot_pence < plan_pence "
        "ORDER BY fot_pence - plan_pence, ref LIMIT :l",
        {"fy": fy, "l": limit},
    )
    return [scheme_line(board, r) for r in rows]


def dependants(board: Board, programme_id: str) -> tuple[int, int]:
    """How many schemes (any year) and milestones belong to a programme: what stops it being deleted."""
    schemes = board.scalar("SELECT count(*) FROM schemes WHERE programme_id = :p", {"p": programme_id})
    milestones = board.scalar("SELECT count(*) FROM milestones WHERE programme_id = :p", {"p": programme_id})
    return schemes, milestones


def find_programmes(board: Board, text: str, limit: int = 10) -> list:
    """Programmes whose name or aliases contain `text` (case-insensitive), for the command palette."""
    return board.query(
        "SELECT id, name FROM programmes WHERE lower(name) LIKE lower(:q) OR lower(coalesce(aliases, '')) "
        "LIKE lower(:q) ORDER BY name LIMIT :l",
        {"q": f"%{text.strip()}%", "l": limit},
    )


def find_schemes(board: Board, text: str, limit: int = 20) -> list:
    """Schemes whose ref or title contains `text`, for the command palette (newest year first)."""
    return board.query(
        "SELECT id, ref, title, fy FROM schemes WHERE lower(ref) LIKE lower(:q) OR lower(title) LIKE lower(:q) "
        "ORDER BY fy DESC, ref LIMIT :l",
        {"q": f"%{text.strip()}%", "l": limit},
    )
