"""Milestones: each with its slip, derived RAG and dependencies; moving dates, re-baselining, dependencies.

Baselines are never changed silently: `rebaseline` needs a reason, and the audit trail keeps every old
baseline with who changed it, when and why (`baseline_changes`), so slip can always be told against the
original plan as well as the current one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from boardtui.domain.errors import NotFound, ValidationError
from boardtui.domain.milestones import check_actual, check_forecast, cycle_if_added, milestone_rag, slip_days
from boardtui.domain.periods import PartialDate, display_date, end_of, parse_partial_date
from boardtui.domain.rag import Derived, Rag, effective
from boardtui.domain.text import terminal_safe
from boardtui.store.connection import Board
from boardtui.store.tx import writing

if TYPE_CHECKING:
    from boardtui.store.history import Change


@lru_cache(maxsize=8192)  # dates repeat across milestones; PartialDate is immutable
def _pd(text: str | None) -> PartialDate | None:
    return parse_partial_date(text) if text else None


@lru_cache(maxsize=8192)
def _end(text: str | None):
    """The last day a stored date could mean (None for no date): what every deadline is judged on."""
    return end_of(text) if text else None


@dataclass
class MilestoneLine:
    """One milestone as its list shows it: its dates, slip, derived RAG (with why) and dependencies."""

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
    rag_commentary: str | None = None
    status_note: str | None = None
    rebaselined: int = 0
    dependants: list[str] = field(default_factory=list)

    @property
    def rag(self) -> Rag:
        return effective(self.derived.rag, self.override)

    @property
    def due(self) -> PartialDate:
        """The date it is now expected: the forecast, else the baseline."""
        return self.forecast or self.baseline


def _pred_date(p) -> tuple[PartialDate | None, str]:
    for column in ("actual", "forecast", "baseline"):
        if p[column]:
            return _pd(p[column]), column
    return None, "baseline"


def _rebaseline_counts(board: Board) -> dict[str, int]:
    return {
        r[0]: r[1]
        for r in board.query(
            "SELECT entity_id, count(*) FROM audit WHERE entity = 'milestone' AND field = 'baseline' "
            "AND op = 'update' GROUP BY entity_id"
        )
    }


def milestone_lines(board: Board, today: date, rows: list | None = None, deps: list | None = None) -> list[MilestoneLine]:
    """Every milestone judged as at `today`, ordered by baseline then ref. Rows may be passed in (as-at)."""
    if rows is None:
        rows = board.query("SELECT * FROM milestones")
    if deps is None:
        deps = board.query("SELECT milestone_id, depends_on_id FROM milestone_deps")
    return _judge(board, today, rows, deps)


def _named(prefix: str, values) -> tuple[str, dict]:
    """`:p0, :p1, …` and their values, for an IN list (named parameters, as on both engines)."""
    params = {f"{prefix}{n}": v for n, v in enumerate(values)}
    return ", ".join(f":{k}" for k in params), params


def lines_of(board: Board, today: date, ids: list[str]) -> list[MilestoneLine]:
    """The lines of some milestones, in the order of `ids`, each exactly as `milestone_lines` judges it.

    Reads only those milestones, their dependency links and the milestones at the other end of each link
    (a line's RAG looks at its predecessors' dates; its `dependants` are the refs of its successors).
    """
    if not ids:
        return []
    placeholders, params = _named("i", ids)
    deps = board.query(
        f"SELECT milestone_id, depends_on_id FROM milestone_deps WHERE milestone_id IN ({placeholders}) "
        f"OR depends_on_id IN ({placeholders})", params)
    linked = set(ids) | {d["milestone_id"] for d in deps} | {d["depends_on_id"] for d in deps}
    placeholders, params = _named("i", sorted(linked))
    rows = board.query(f"SELECT * FROM milestones WHERE id IN ({placeholders})", params)
    by_id = {line.id: line for line in _judge(board, today, rows, deps, set(ids))}
    return [by_id[i] for i in ids if i in by_id]


class Watch:
    """The milestones not done that need the board's eye, by id, each list in `milestone_lines` order.

    A plain class rather than a dataclass: it is on the dashboard's start path, where making a dataclass when the
    module loads (generating and compiling its methods) costs ~0.4 ms.
    """

    def __init__(self) -> None:
        self.overdue: list[str] = []  # due (forecast, else baseline) before today
        self.slipping: list[str] = []  # forecast after the baseline, and not overdue
        self.soon: list[str] = []  # due from today to `window` days on, and not slipping


def watch(board: Board, today: date, window: int) -> Watch:
    """Which milestones are overdue, slipping or due soon, from their dates alone (the dashboard's counts).

    The same tests the dashboard made on every judged line, without judging 2,000 RAGs: three dates a row,
    each text's last day computed once (`_end`).
    """
    cursor = board.conn.cursor()
    cursor.row_factory = None
    # Done milestones (an actual date) are none of these: left in the file, they were a third of the rows read.
    rows = cursor.execute("SELECT id, ref, baseline, forecast FROM milestones WHERE actual IS NULL OR actual = ''"
                          ).fetchall()
    rows.sort(key=lambda r: (_end(r[2]), r[1]))
    horizon = today + timedelta(days=window)
    out = Watch()
    for mid, _ref, baseline, forecast in rows:
        due = _end(forecast or baseline)
        if due < today:
            out.overdue.append(mid)
            continue
        if forecast and baseline and _end(forecast) > _end(baseline):
            out.slipping.append(mid)
        elif due <= horizon:
            out.soon.append(mid)
    return out


def _judge(board: Board, today: date, rows: list, deps: list, only: set[str] | None = None) -> list[MilestoneLine]:
    """Judge `rows` (every milestone, or those in `only` with the rows they link to) as at `today`."""
    by_id = {r["id"]: r for r in rows}
    preds: dict[str, list[str]] = {}
    succs: dict[str, list[str]] = {}
    for d in deps:
        if d["milestone_id"] in by_id and d["depends_on_id"] in by_id:
            preds.setdefault(d["milestone_id"], []).append(d["depends_on_id"])
            succs.setdefault(d["depends_on_id"], []).append(d["milestone_id"])
    rebaselined = _rebaseline_counts(board)
    lines = []
    for r in rows:
        if only is not None and r["id"] not in only:
            continue
        baseline, forecast, actual = _pd(r["baseline"]), _pd(r["forecast"]), _pd(r["actual"])
        mine = sorted(preds.get(r["id"], []), key=lambda i: by_id[i]["ref"])
        pred_dates = []
        for pid in mine:
            p = by_id[pid]
            when, kind = _pred_date(p)
            pred_dates.append((p["ref"], when, kind))
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
                depends_on=[by_id[pid]["ref"] for pid in mine],
                version=r["version"],
                rag_commentary=r["rag_commentary"],
                status_note=r["status_note"],
                rebaselined=rebaselined.get(r["id"], 0),
                dependants=sorted(by_id[s]["ref"] for s in succs.get(r["id"], [])),
            )
        )
    lines.sort(key=lambda m: (m.baseline.end(), m.ref))
    return lines


def milestone_line(board: Board, milestone_id: str, today: date) -> MilestoneLine:
    """One milestone as `milestone_lines` shows it; NotFound if it no longer exists."""
    for line in lines_of(board, today, [milestone_id]):
        return line
    raise NotFound("That milestone no longer exists: someone may have deleted it.")


def id_by_ref(board: Board, ref: str) -> str | None:
    """The id of the milestone with reference `ref` (exact, then ignoring case), or None."""
    row = board.one("SELECT id FROM milestones WHERE ref = :r", {"r": ref.strip()})
    if row is None:
        row = board.one("SELECT id FROM milestones WHERE lower(ref) = lower(:r)", {"r": ref.strip()})
    return row[0] if row else None


def _date(text: str | None, name: str) -> PartialDate | None:
    if text is None or not str(text).strip():
        return None
    try:
        return parse_partial_date(str(text))
    except ValidationError as exc:
        raise ValidationError(exc.message, field=name) from None


def _reason(text: str | None) -> str | None:
    return terminal_safe(text).strip() or None


def set_dates(
    board: Board,
    milestone_id: str,
    version: int | None,
    *,
    forecast: str | None,
    actual: str | None,
    today: date,
    reason: str | None = None,
) -> int:
    """Set a milestone's forecast and actual dates together; blank clears one. Returns the new version.

    Dates may be days, months or years ("2016-10-14", "Oct 2016", "14/10/2016"). Refused with a ValidationError
    naming the field, nothing written: a date that cannot be read, a forecast before the baseline's year
    starts, an actual date in the future (after `today`). A stale `version` raises Conflict.
    """
    fc, done = _date(forecast, "forecast"), _date(actual, "actual")
    check_actual(done, today)
    with writing(board, reason=_reason(reason)) as w:
        row = w.load("milestones", milestone_id)
        check_forecast(row["baseline"], fc)
        return w.update(
            "milestones", milestone_id, version,
            {"forecast": fc.text if fc else None, "actual": done.text if done else None},
            entity="milestone", ref=row["ref"],
        )


def move_forecast(board: Board, milestone_id: str, version: int | None, forecast: str | None, *,
                  today: date, reason: str | None = None) -> int:
    """Move (or, blank, clear) the forecast date only; see `set_dates` for what is refused."""
    row = board.one("SELECT actual FROM milestones WHERE id = :i", {"i": milestone_id})
    if row is None:
        raise NotFound("That milestone no longer exists: someone may have deleted it.")
    return set_dates(board, milestone_id, version, forecast=forecast, actual=row["actual"], today=today,
                     reason=reason)


def record_actual(board: Board, milestone_id: str, version: int | None, actual: str | None, *,
                  today: date, reason: str | None = None) -> int:
    """Record (or, blank, clear) the date it was done; see `set_dates` for what is refused."""
    row = board.one("SELECT forecast FROM milestones WHERE id = :i", {"i": milestone_id})
    if row is None:
        raise NotFound("That milestone no longer exists: someone may have deleted it.")
    return set_dates(board, milestone_id, version, forecast=row["forecast"], actual=actual, today=today,
                     reason=reason)


def rebaseline(board: Board, milestone_id: str, version: int | None, baseline: str, reason: str) -> int:
    """Replace the baseline, with the reason required; the old baseline stays in the audit trail.

    Refused with a ValidationError (field "reason" or "baseline"): no reason, no date or an unreadable one, or
    the same date as now. A stale `version` raises Conflict. Returns the new version.
    """
    why = _reason(reason)
    new = _date(baseline, "baseline")
    if new is None:
        raise ValidationError("enter the new baseline date", field="baseline")
    if why is None:
        raise ValidationError("say why the milestone is re-baselined: the board will ask", field="reason")
    with writing(board, reason=why) as w:
        row = w.load("milestones", milestone_id)
        if row["baseline"] == new.text:
            raise ValidationError(f"the baseline is already {display_date(new)}", field="baseline")
        return w.update("milestones", milestone_id, version, {"baseline": new.text}, entity="milestone",
                        ref=row["ref"])


@dataclass
class BaselineChange:
    """One re-baselining from the audit trail: when, by whom, the old and new baseline, and why."""

    at: str
    who: str
    old: str | None
    new: str | None
    reason: str | None


def baseline_changes(board: Board, milestone_id: str) -> list[BaselineChange]:
    """Every re-baseline of a milestone, oldest first; the first `old` is the original baseline."""
    rows = board.query(
        "SELECT at, who, old, new, reason FROM audit WHERE entity = 'milestone' AND entity_id = :i "
        "AND field = 'baseline' AND op = 'update' ORDER BY at, id",
        {"i": milestone_id},
    )
    return [BaselineChange(r["at"], r["who"], r["old"], r["new"], r["reason"]) for r in rows]


def original_baseline(board: Board, milestone_id: str) -> str | None:
    """The baseline before any re-baselining (None when it was never re-baselined)."""
    changes = baseline_changes(board, milestone_id)
    return changes[0].old if changes else None


def _edges(w) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for a, b in w.conn.execute(
        "SELECT m.ref, d.ref FROM milestone_deps x JOIN milestones m ON m.id = x.milestone_id "
        "JOIN milestones d ON d.id = x.depends_on_id"
    ).fetchall():
        edges.setdefault(a, set()).add(b)
    return edges


def add_dependency(board: Board, milestone_id: str, version: int | None, depends_on: str,
                   reason: str | None = None) -> None:
    """Make a milestone depend on the milestone with ref `depends_on`.

    Refused with a ValidationError on the field "depends_on", nothing written: no such milestone, itself, a
    dependency it already has, or one that would close a cycle (the message shows it: "W06 → W13 → W06").
    A stale `version` of the milestone raises Conflict.
    """
    ref = (depends_on or "").strip()
    if not ref:
        raise ValidationError("enter the ref of the milestone it depends on", field="depends_on")
    with writing(board, reason=_reason(reason)) as w:
        row = w.load("milestones", milestone_id)
        w.update("milestones", milestone_id, version, {})  # the version check alone
        target = id_by_ref(board, ref)
        if target is None:
            raise ValidationError(f"there is no milestone '{ref}'", field="depends_on")
        other = w.load("milestones", target)
        if target == milestone_id:
            raise ValidationError(f"{row['ref']} cannot depend on itself", field="depends_on")
        edges = _edges(w)
        before = sorted(edges.get(row["ref"], set()))
        if other["ref"] in before:
            raise ValidationError(f"{row['ref']} already depends on {other['ref']}", field="depends_on")
        cycle = cycle_if_added(edges, row["ref"], other["ref"])
        if cycle:
            if row["ref"] in cycle[:-1]:  # start the path at the milestone being edited, as the user reads it
                at = cycle.index(row["ref"])
                cycle = cycle[at:-1] + cycle[:at] + [row["ref"]]
            raise ValidationError(
                f"{row['ref']} depending on {other['ref']} would make a cycle: {' → '.join(cycle)}",
                field="depends_on",
            )
        w.insert("milestone_deps", {"milestone_id": milestone_id, "depends_on_id": target},
                 entity="milestone_dependency", ref=f"{row['ref']} → {other['ref']}")
        # Also on the milestone itself, so its history and "what changed" show the dependency.
        w.audit("update", "milestone", milestone_id, row["ref"], "depends_on", ", ".join(before) or None,
                ", ".join(sorted(before + [other["ref"]])))


def remove_dependency(board: Board, milestone_id: str, version: int | None, depends_on: str,
                      reason: str | None = None) -> None:
    """Remove a milestone's dependency on the milestone with ref `depends_on`.

    Refused with a ValidationError on the field "depends_on" when there is no such dependency; a stale
    `version` raises Conflict.
    """
    ref = (depends_on or "").strip()
    if not ref:
        raise ValidationError("enter the ref of the dependency to remove", field="depends_on")
    with writing(board, reason=_reason(reason)) as w:
        row = w.load("milestones", milestone_id)
        w.update("milestones", milestone_id, version, {})
        current = {
            r[1]: r[0]
            for r in w.conn.execute(
                "SELECT x.id, d.ref FROM milestone_deps x JOIN milestones d ON d.id = x.depends_on_id "
                "WHERE x.milestone_id = :m",
                {"m": milestone_id},
            ).fetchall()
        }
        match = next((r for r in current if r == ref), None) or next(
            (r for r in current if r.lower() == ref.lower()), None)
        if match is None:
            have = ", ".join(sorted(current)) or "nothing"
            raise ValidationError(f"{row['ref']} does not depend on '{ref}' (it depends on {have})",
                                  field="depends_on")
        before = sorted(current)
        w.delete("milestone_deps", current[match], None, entity="milestone_dependency",
                 ref=f"{row['ref']} → {match}")
        after = [r for r in before if r != match]
        w.audit("update", "milestone", milestone_id, row["ref"], "depends_on", ", ".join(before),
                ", ".join(after) or None)


def split_refs(text: str | None) -> list[str]:
    """Milestone refs typed as a list: "W05, W12 W13" → ["W05", "W12", "W13"]."""
    return [r for r in (text or "").replace(",", " ").replace(";", " ").split() if r]


def update_dependencies(board: Board, milestone_id: str, version: int | None, *, add: list[str] = (),
                        remove: list[str] = (), reason: str | None = None) -> None:
    """Remove then add dependencies (refs) in one transaction: all of them or, on any refusal, none."""
    if not add and not remove:
        raise ValidationError("enter the ref of a milestone to add or to remove", field="depends_on")
    with writing(board, reason=_reason(reason)):
        for ref in remove:
            try:
                remove_dependency(board, milestone_id, version, ref, reason)
            except ValidationError as exc:
                raise ValidationError(exc.message, field="remove") from None
        for ref in add:
            add_dependency(board, milestone_id, version, ref, reason)


def milestone_history(board: Board, milestone_id: str, limit: int = 200) -> list[Change]:
    """Every recorded change to one milestone, newest first."""
    from boardtui.store.history import _change  # not on the start path: the dashboard reads no history

    rows = board.query(
        "SELECT * FROM audit WHERE entity = 'milestone' AND entity_id = :i ORDER BY at DESC, id DESC LIMIT :l",
        {"i": milestone_id, "l": limit},
    )
    return [_change(r) for r in rows]
