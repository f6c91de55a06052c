"""`boardtui report KIND`: the board's figures as plain text, JSON or CSV, the same numbers the screens show.

Text output is plain fixed-width lines, no box drawing (readable by screen readers and scripts, and fast: Rich
tables cost ~0.6 ms a row). JSON keys are stable and documented in the README; money in JSON is in pounds.
Reports leave out Part 2 business (confidential changes and actions raised on Part 2 items).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Iterable

from boardtui.domain.actions import is_overdue
from boardtui.domain.errors import ValidationError
from boardtui.domain.money import format_money, pence_to_pounds
from boardtui.domain.periods import display_date, fy_label, parse_fy, parse_partial_date
from boardtui.exchange.safety import inert_cell
from boardtui.store import actions as actions_store
from boardtui.store import history, meta, savings
from boardtui.store.connection import Board
from boardtui.store.milestones import milestone_lines
from boardtui.store.standards import standard_lines


def _day(text: str | None, what: str) -> date | None:
    if not text:
        return None
    d = parse_partial_date(text)
    if d.precision.value != "day":
        raise ValidationError(f"{what} must be a date such as 2016-11-08, not '{text}'.")
    return d.end()


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 2)


def _fmt_num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:.1f}{unit}" if unit == "%" else f"{value:g}{(' ' + unit) if unit else ''}"


# ---- savings -------------------------------------------------------------------------------------------------

def savings_data(board: Board, year: str | None, as_at: str | None) -> dict:
    programmes = schemes = targets = None
    if as_at:
        cut = history.end_of_day(as_at)
        programmes = history.rows_as_at(board, "programme", cut)
        schemes = history.rows_as_at(board, "scheme", cut)
        targets = history.rows_as_at(board, "target", cut)
    if year:
        fy = parse_fy(year)
    else:
        years = savings.years(board)
        if not years:
            raise ValidationError("This board has no savings schemes or requirement yet.")
        fy = years[0]
    lines = savings.programme_lines(board, fy, programme_rows=programmes, scheme_rows=schemes)
    tot = savings.totals(board, fy, lines, targets)
    by_programme: dict[str, list] = {}
    for row in schemes if schemes is not None else board.query(
        f"SELECT {savings.SCHEME_COLUMNS}, fy FROM schemes WHERE fy = :fy", {"fy": fy}
    ):
        if row["fy"] == fy:
            by_programme.setdefault(row["programme_id"], []).append(savings.scheme_line(board, row))
    return {
        "year": fy_label(fy),
        "as_at": as_at,
        "requirement": pence_to_pounds(tot.requirement),
        "identified": pence_to_pounds(tot.identified),
        "gap": pence_to_pounds(tot.gap),
        "risk_adjusted": pence_to_pounds(tot.risk_adjusted),
        "risk_adjusted_gap": pence_to_pounds(tot.risk_adjusted_gap),
        "tbc": tot.tbc,
        "na": tot.na,
        "programmes": [
            {
                "name": p.name,
                "identified": pence_to_pounds(p.identified),
                "tbc": p.tbc,
                "na": p.na,
                "ytd_plan": pence_to_pounds(p.ytd_plan),
                "ytd_actual": pence_to_pounds(p.ytd_actual),
                "forecast": pence_to_pounds(p.fot),
                "risk_adjusted": pence_to_pounds(p.risk_adjusted),
                "rag": p.rag.value,
                "rag_reason": p.derived.reason,
                "schemes": [
                    {
                        "ref": s.ref,
                        "title": s.title,
                        "value": pence_to_pounds(s.plan),
                        "status": s.status.value,
                        "forecast": pence_to_pounds(s.fot),
                        "rag": s.rag.value,
                        "rag_reason": s.derived.reason,
                    }
                    for s in sorted(by_programme.get(p.id, []), key=lambda s: s.ref)
                ],
            }
            for p in lines
        ],
    }


def _k(pounds) -> str:
    return "—" if pounds is None else format_money(int(round(pounds * 100)))


def savings_text(d: dict) -> Iterable[str]:
    yield f"Savings {d['year']}" + (f" as at {d['as_at']}" if d["as_at"] else "") + " (£000s)"
    yield ""
    yield f"{'Requirement':<34}{_k(d['requirement']):>10}"
    yield f"{'Identified':<34}{_k(d['identified']):>10}"
    yield f"{'Gap':<34}{_k(d['gap']):>10}"
    yield f"{'Risk-adjusted identified':<34}{_k(d['risk_adjusted']):>10}"
    yield f"{'Risk-adjusted gap':<34}{_k(d['risk_adjusted_gap']):>10}"
    yield f"Not in the totals: {d['tbc']} scheme(s) TBC, {d['na']} NA"
    yield ""
    yield f"{'Programme':<40}{'Identified':>11}{'TBC':>5}{'NA':>4}{'Forecast':>10}  RAG"
    for p in d["programmes"]:
        yield f"{p['name'][:40]:<40}{_k(p['identified']):>11}{p['tbc']:>5}{p['na']:>4}{_k(p['forecast']):>10}  {p['rag']}"
        for s in p["schemes"]:
            value = s["status"] if s["status"] != "quantified" else _k(s["value"])
            yield f"  {s['ref']:<12}{s['title'][:40]:<40}{value:>9}  {s['rag']}  {s['rag_reason']}"


def savings_csv(d: dict) -> Iterable[list]:
    yield ["year", "programme", "ref", "title", "status", "value", "forecast", "rag"]
    for p in d["programmes"]:
        for s in p["schemes"]:
            yield [d["year"], p["name"], s["ref"], s["title"], s["status"], s["value"], s["forecast"], s["rag"]]


# ---- standards -----------------------------------------------------------------------------------------------

def standards_data(board: Board, as_at: str | None) -> list[dict]:
    return [
        {
            "code": s.code,
            "name": s.name,
            "must_do": s.must_do,
            "threshold": _num(s.threshold),
            "comparator": s.comparator.value,
            "unit": s.unit,
            "period": s.period,
            "actual": _num(s.actual),
            "trajectory": _num(s.trajectory),
            "rag": s.rag.value,
            "rag_reason": s.derived.reason,
        }
        for s in standard_lines(board, _day(as_at, "--as-at") or meta.reference_date(board))
    ]


def standards_text(rows: list[dict]) -> Iterable[str]:
    yield f"{'Code':<11}{'Must-do':>8}  {'Standard':<40}{'Target':>10}{'Period':>9}{'Actual':>9}{'Traj.':>9}  RAG"
    for r in rows:
        target = f"{r['comparator']}{_fmt_num(r['threshold'], r['unit'])}"
        yield (
            f"{r['code']:<11}{r['must_do'] or '':>8}  {r['name'][:40]:<40}{target:>10}{r['period'] or '—':>9}"
            f"{_fmt_num(r['actual'], r['unit']):>9}{_fmt_num(r['trajectory'], r['unit']):>9}  {r['rag']}"
        )


# ---- milestones ----------------------------------------------------------------------------------------------

def milestones_data(board: Board, as_at: str | None) -> list[dict]:
    today = _day(as_at, "--as-at") or meta.today(board)
    rows = deps = None
    if as_at:
        cut = history.end_of_day(as_at)
        rows = history.rows_as_at(board, "milestone", cut)
    return [
        {
            "ref": m.ref,
            "title": m.title,
            "plan": m.plan,
            "baseline": str(m.baseline),
            "forecast": str(m.forecast) if m.forecast else None,
            "actual": str(m.actual) if m.actual else None,
            "slip_days": m.slip,
            "depends_on": m.depends_on,
            "rag": m.rag.value,
            "rag_reason": m.derived.reason,
        }
        for m in milestone_lines(board, today, rows, deps)
    ]


def milestones_text(rows: list[dict]) -> Iterable[str]:
    yield f"{'Ref':<7}{'Milestone':<44}{'Baseline':>13}{'Forecast':>13}{'Actual':>13}{'Slip':>6}  RAG"
    for r in rows:
        yield (
            f"{r['ref']:<7}{r['title'][:44]:<44}{display_date(r['baseline']):>13}"
            f"{display_date(r['forecast']) if r['forecast'] else '—':>13}"
            f"{display_date(r['actual']) if r['actual'] else '—':>13}{r['slip_days']:>6}  {r['rag']}"
        )


# ---- actions -------------------------------------------------------------------------------------------------

def actions_rows(board: Board, as_at: str | None, *, public_only: bool = True) -> Iterable[dict]:
    """The action log; `public_only=False` (confidential exports only) adds actions raised on Part 2 items."""
    today = _day(as_at, "--as-at") or meta.today(board)
    for a in actions_store.stream(board, actions_store.ActionFilter(public_only=public_only)):
        yield {
            "ref": a["ref"],
            "text": a["text"],
            "owner": a["owner"],
            "due": a["due"],
            "status": a["status"],
            "overdue": is_overdue(a["status"], a["due"], today),
            "meeting": a["meeting_date"],
            "body": a["body"],
            "item": a["item_number"],
        }


def actions_text(rows: Iterable[dict]) -> Iterable[str]:
    yield f"{'Ref':<10}{'Due':<12}{'Status':<22}{'Owner':<24}Action"
    for r in rows:
        flag = " OVERDUE" if r["overdue"] else ""
        yield f"{r['ref']:<10}{r['due']:<12}{(r['status'] + flag):<22}{r['owner'][:23]:<24}{r['text']}"


# ---- changes -------------------------------------------------------------------------------------------------

def changes_rows(board: Board, since: str | None, as_at: str | None, *, include_confidential: bool = False,
                 skip=None) -> list[dict]:
    """Changes since a day; Part 2 ones only when asked (confidential exports). `skip(change)` leaves more out."""
    since_day = since or (date.today() - timedelta(days=28)).isoformat()
    until = history.end_of_day(as_at) if as_at else None
    out = []
    for c in history.changes_between(board, history.start_of_day(since_day), until,
                                     include_confidential=include_confidential):
        if skip is not None and skip(c):
            continue
        field, old, new = c.field, c.old, c.new
        if field and field.endswith("_pence"):
            field = field[: -len("_pence")]
            old = pence_to_pounds(int(old)) if old is not None else None
            new = pence_to_pounds(int(new)) if new is not None else None
        out.append({"at": c.at, "who": c.who, "entity": c.entity, "ref": c.ref, "field": field if c.op == "update"
                    else c.op, "old": old if c.op != "delete" else None, "new": new, "reason": c.reason})
    return out


def changes_text(rows: list[dict]) -> Iterable[str]:
    if not rows:
        yield "No changes in that period."
    for r in rows:
        what = f"{r['entity']} {r['ref'] or ''}".strip()
        change = f"{r['field']}: {r['old'] if r['old'] is not None else '—'} → {r['new'] if r['new'] is not None else '—'}"
        reason = f"  ({r['reason']})" if r["reason"] else ""
        yield f"{r['at'][:16].replace('T', ' ')}  {r['who'][:15]:<16}{what[:35]:<36}{change}{reason}"


# ---- rendering -----------------------------------------------------------------------------------------------

def _csv(header: list[str], rows: Iterable[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([inert_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def _dicts_csv(rows: Iterable[dict]) -> str:
    rows = list(rows)
    if not rows:
        return ""
    header = list(rows[0])
    return _csv(header, ([";".join(v) if isinstance(v, list) else v for v in r.values()] for r in rows))


def render(board: Board, kind: str, fmt: str, *, as_at: str | None = None, since: str | None = None,
           year: str | None = None) -> str:
    """The report KIND in FORMAT as one string (text lines end with a newline)."""
    if kind == "savings":
        d = savings_data(board, year, as_at)
        if fmt == "json":
            return json.dumps(d, indent=2, ensure_ascii=False)
        if fmt == "csv":
            rows = list(savings_csv(d))
            return _csv(rows[0], rows[1:])
        return "\n".join(savings_text(d)) + "\n"
    if kind == "standards":
        rows = standards_data(board, as_at)
        text = standards_text
    elif kind == "milestones":
        rows = milestones_data(board, as_at)
        text = milestones_text
    elif kind == "actions":
        rows = list(actions_rows(board, as_at))
        text = actions_text
    elif kind == "changes":
        rows = changes_rows(board, since, as_at)
        text = changes_text
    else:
        raise ValidationError(f"There is no report '{kind}'.")
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt == "csv":
        return _dicts_csv(rows)
    return "\n".join(text(rows)) + "\n"
