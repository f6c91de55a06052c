"""Savings history rebuilt from the audit trail: a scheme's RAG month by month, the board "as at" a moment,
the last meeting of a body, and pages of "what changed since"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from boardtui.domain import savings as calc
from boardtui.domain.errors import NotFound, ValidationError
from boardtui.domain.money import ValueStatus
from boardtui.domain.periods import display_date, fy_months, parse_partial_date
from boardtui.domain.rag import Rag, effective
from boardtui.domain.text import quoted
from boardtui.store import history
from boardtui.store.connection import Board

# ---- the RAG strip ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StripMonth:
    """One month of a scheme's RAG history: `rag` is None when no figures were returned for the month."""

    month: str
    rag: Rag | None
    manual: bool
    reason: str

    @property
    def letter(self) -> str:
        return "·" if self.rag is None else self.rag.value


def _override_timeline(board: Board, scheme) -> tuple[str | None, list[tuple[str | None, str | None]]]:
    """The override in force before any recorded change, and each change as (reporting month then, new value).

    The reporting month of a change is the scheme's latest month with figures when it was made, rebuilt from
    the audit of `latest_month`; an override set while M6 was being reported applies from M6 on.
    """
    events = board.query(
        "SELECT at, field, old, new FROM audit WHERE entity = 'scheme' AND entity_id = :id "
        "AND field IN ('rag_override', 'latest_month') ORDER BY at, id",
        {"id": scheme["id"]},
    )
    first_month = next((e["old"] for e in events if e["field"] == "latest_month"), scheme["latest_month"])
    first_override = next((e["old"] for e in events if e["field"] == "rag_override"), scheme["rag_override"])
    reporting = first_month
    changes: list[tuple[str | None, str | None]] = []
    for e in events:
        if e["field"] == "latest_month":
            reporting = e["new"]
        else:
            changes.append((reporting, e["new"]))
    return first_override, changes


def rag_strip(board: Board, scheme_id: str) -> list[StripMonth]:
    """The scheme's RAG for each month M1–M12 of its year, rebuilt from its monthly returns and the audit trail.

    A month's derived RAG is judged on the figures returned up to that month (YTD plan and actual, and the
    forecast outturn as at that month). A manual RAG applies from the month being reported when it was set (read
    from the audit trail) until it was changed. Months with no figures returned have no rating.
    """
    scheme = board.one("SELECT * FROM schemes WHERE id = :id", {"id": scheme_id})
    if scheme is None:
        return []
    months = fy_months(scheme["fy"])
    periods = {r["month"]: r for r in board.query(
        "SELECT month, plan_pence, actual_pence, fot_pence FROM scheme_periods WHERE scheme_id = :s", {"s": scheme_id}
    )}
    override, changes = _override_timeline(board, scheme)
    out: list[StripMonth] = []
    ytd_plan = ytd_actual = 0
    fot = None
    any_actual = False
    for m in months:
        row = periods.get(m)
        returned = row is not None and (row["actual_pence"] is not None or row["fot_pence"] is not None)
        if row is not None:
            ytd_plan += row["plan_pence"] or 0
            if row["actual_pence"] is not None:
                ytd_actual += row["actual_pence"]
                any_actual = True
            if row["fot_pence"] is not None:
                fot = row["fot_pence"]
        if not returned:
            out.append(StripMonth(m, None, False, "no figures returned"))
            continue
        manual = override
        for reported, new in changes:
            if (reported or months[0]) <= m:
                manual = new
        figures = calc.SchemeFigures(
            plan_fy=scheme["plan_pence"], status=ValueStatus(scheme["value_status"]),
            confidence=scheme["confidence"], stage=scheme["stage"], start_month=scheme["start_month"],
            ytd_plan=ytd_plan, ytd_actual=ytd_actual if any_actual else None, fot=fot, latest_month=m,
        )
        derived = calc.scheme_rag(figures, board.thresholds)
        manual_rag = Rag(manual) if manual else None
        reason = derived.reason if manual_rag is None else f"manual {manual_rag.word} (derived: {derived.reason})"
        out.append(StripMonth(m, effective(derived.rag, manual_rag), manual_rag is not None, reason))
    return out


# ---- as at ------------------------------------------------------------------------------------------------

_MOMENT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?Z?")


@dataclass(frozen=True)
class AsAt:
    """A moment in the audit trail: `cutoff` is compared with audit timestamps, `label` is for people."""

    cutoff: str
    label: str


def parse_as_at(text: str) -> AsAt:
    """A date ("2016-10-17": the end of that day) or a UTC time to the minute, second or microsecond.

    Raises ValidationError with the accepted forms when `text` is none of them.
    """
    s = (text or "").strip()
    m = _MOMENT.fullmatch(s)
    if m:
        day, hh, mm, ss, frac = m.groups()
        try:
            parse_partial_date(day)
            if not (0 <= int(hh) < 24 and 0 <= int(mm) < 60 and 0 <= int(ss or 0) < 60):
                raise ValueError
        except (ValueError, ValidationError):
            raise ValidationError(f"{quoted(s)} is not a time: use YYYY-MM-DD HH:MM:SS.") from None
        if frac is not None:
            cutoff = f"{day}T{hh}:{mm}:{ss}.{frac.ljust(6, '0')}Z"
        elif ss is not None:
            cutoff = f"{day}T{hh}:{mm}:{ss}.999999Z"
        else:
            cutoff = f"{day}T{hh}:{mm}:59.999999Z"
        shown = f"{display_date(day)} {hh}:{mm}" + (f":{ss}" if ss else "") + " UTC"
        return AsAt(cutoff, shown)
    try:
        cutoff = history.end_of_day(s)
    except ValidationError:
        raise ValidationError(
            f"{quoted(s)} is not a date or time: use YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS (UTC)."
        ) from None
    return AsAt(cutoff, f"end of {display_date(s)}")


@dataclass
class SavingsAsAt:
    """Programmes, schemes, targets and monthly figures as they stood at a moment, rebuilt from the audit."""

    at: AsAt
    programmes: list[dict]
    schemes: list[dict]
    targets: list[dict]
    before_history: bool

    def scheme(self, scheme_id: str) -> dict | None:
        return next((s for s in self.schemes if s["id"] == scheme_id), None)


def savings_as_at(board: Board, at: AsAt) -> SavingsAsAt:
    """The savings tables as they stood at `at`; `before_history` says the moment predates the audit trail."""
    start = history.history_start(board)
    return SavingsAsAt(
        at=at,
        programmes=history.rows_as_at(board, "programme", at.cutoff),
        schemes=history.rows_as_at(board, "scheme", at.cutoff),
        targets=history.rows_as_at(board, "target", at.cutoff),
        before_history=start is None or at.cutoff < start,
    )


def periods_as_at(board: Board, scheme_id: str, at: AsAt) -> dict[str, dict]:
    """One scheme's monthly figures as they stood at `at`, keyed by month."""
    rows = history.rows_as_at(board, "scheme_period", at.cutoff)
    return {r["month"]: r for r in rows if r["scheme_id"] == scheme_id}


# ---- since the last meeting -------------------------------------------------------------------------------

def bodies(board: Board) -> list:
    """Every body that has meetings, by name: (id, name)."""
    return board.query(
        "SELECT b.id, b.name FROM bodies b WHERE EXISTS (SELECT 1 FROM meetings m WHERE m.body_id = b.id) "
        "ORDER BY b.name"
    )


def last_meeting(board: Board, body_id: str, today: date):
    """The body's latest meeting on or before `today` (its date, status and the body's name), or None."""
    return board.one(
        "SELECT m.id, m.date, m.status, b.name AS body FROM meetings m JOIN bodies b ON b.id = m.body_id "
        "WHERE m.body_id = :b AND m.date <= :t ORDER BY m.date DESC LIMIT 1",
        {"b": body_id, "t": today.isoformat()},
    )


def body_named(board: Board, name: str):
    """A body by its name (case-insensitive), or None."""
    return board.one("SELECT id, name FROM bodies WHERE lower(name) = lower(:n)", {"n": name.strip()})


def last_meeting_date(board: Board, body_name: str, today: date) -> str:
    """The date of the named body's last meeting on or before `today`; NotFound says why there is none."""
    body = body_named(board, body_name)
    if body is None:
        names = ", ".join(b["name"] for b in bodies(board)) or "none"
        raise NotFound(f"There is no board called {quoted(body_name, 60)}; boards with meetings: {names}.")
    meeting = last_meeting(board, body["id"], today)
    if meeting is None:
        raise NotFound(f"{body['name']} has no meeting on or before {display_date(today)}.")
    return meeting["date"]


# ---- what changed since -----------------------------------------------------------------------------------

# What a board asks about, monthly figures included; recalculated roll-ups and import bookkeeping left out.
CHANGE_ENTITIES = history.INTERESTING + ("scheme_period",)


def _changes_where(since: str, until: str | None, include_confidential: bool, text: str = "") -> tuple[str, dict]:
    params: dict = {"since": since, "until": until or "9999", "recalc": history.RECALCULATED}
    marks = ", ".join(f":e{i}" for i in range(len(CHANGE_ENTITIES)))
    params.update({f"e{i}": e for i, e in enumerate(CHANGE_ENTITIES)})
    where = (f"at > :since AND at <= :until AND entity IN ({marks}) "
             "AND (reason IS NULL OR reason <> :recalc)")
    if not include_confidential:
        where += " AND confidential = 0"
    if text.strip():
        params["q"] = f"%{text.strip()}%"
        where += (" AND (lower(coalesce(ref, '')) LIKE lower(:q) OR lower(entity) LIKE lower(:q) OR "
                  "lower(coalesce(field, '')) LIKE lower(:q) OR lower(who) LIKE lower(:q) OR "
                  "lower(coalesce(reason, '')) LIKE lower(:q))")
    return where, params


def changes_count(board: Board, since: str, until: str | None = None, *, include_confidential: bool = False,
                  text: str = "") -> int:
    """How many audit entries a board would call changes after `since` (an audit timestamp), matching `text`
    (in the record's ref, the entity, field, who or reason) when given."""
    where, params = _changes_where(since, until, include_confidential, text)
    return board.scalar(f"SELECT count(*) FROM audit WHERE {where}", params)


def changes_page(board: Board, since: str, offset: int, limit: int, until: str | None = None, *,
                 include_confidential: bool = False, text: str = "") -> list[history.Change]:
    """One page of those changes, oldest first."""
    where, params = _changes_where(since, until, include_confidential, text)
    params.update(limit=limit, offset=offset)
    rows = board.query(f"SELECT * FROM audit WHERE {where} ORDER BY at, id LIMIT :limit OFFSET :offset", params)
    return [
        history.Change(at=r["at"], who=r["who"], op=r["op"], entity=r["entity"], entity_id=r["entity_id"],
                       ref=r["ref"], field=r["field"], old=r["old"], new=r["new"], reason=r["reason"],
                       confidential=bool(r["confidential"]))
        for r in rows
    ]
