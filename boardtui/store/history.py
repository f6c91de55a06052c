"""History is data: a row's changes, everything that moved since a date, and any table "as at" a past date.

"As at" is rebuilt from the audit trail: start from today's rows and undo, newest first, every change made after
the cut-off — creations are removed, updates get their old value back, deletions come back from the snapshot
the audit row kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from boardtui.domain.errors import ValidationError
from boardtui.domain.periods import parse_partial_date
from boardtui.store.connection import Board
from boardtui.store.tx import table_columns

# Audit entity name → table, for the entities whose history screens and as-at views are rebuilt.
ENTITY_TABLES = {
    "programme": "programmes",
    "scheme": "schemes",
    "scheme_period": "scheme_periods",
    "target": "targets",
    "standard": "standards",
    "standard_period": "standard_periods",
    "milestone": "milestones",
    "action": "actions",
    "meeting": "meetings",
    "agenda_item": "agenda_items",
    "decision": "decisions",
}


def end_of_day(day: str) -> str:
    """The audit timestamp cut-off for "as at the end of DAY" (UTC), validating the date."""
    d = parse_partial_date(day)
    if d.precision.value != "day":
        raise ValidationError(f"'{day}' is not a date: use YYYY-MM-DD.")
    return f"{d.end().isoformat()}T23:59:59.999999Z"


def start_of_day(day: str) -> str:
    d = parse_partial_date(day)
    if d.precision.value != "day":
        raise ValidationError(f"'{day}' is not a date: use YYYY-MM-DD.")
    return f"{d.start().isoformat()}T00:00:00.000000Z"


def _typed(board: Board, table: str):
    types = {r[1]: (r[2] or "").upper() for r in board.query(f"PRAGMA table_info({table})")}

    def convert(field: str, text: str | None):
        if text is None:
            return None
        kind = types.get(field, "")
        if "INT" in kind:
            return int(text)
        if "REAL" in kind:
            return float(text)
        return text

    return convert


def history_start(board: Board) -> str | None:
    """When the board's audit trail begins (its first recorded change)."""
    return board.scalar("SELECT min(at) FROM audit")


def rows_as_at(board: Board, entity: str, cutoff: str) -> list[dict]:
    """Every row of an entity's table as it stood at `cutoff` (an audit timestamp), rebuilt from the audit.

    A cut-off before the trail begins cannot remove records (nothing is known of that time but the records
    themselves, such as a demo board describing 2016 built today): it gives each record's first recorded values.
    """
    table = ENTITY_TABLES[entity]
    start = history_start(board)
    before_history = start is None or cutoff < start
    table_columns(board, table)  # validates the name against the schema
    rows = {r["id"]: dict(r) for r in board.query(f"SELECT * FROM {table}")}
    convert = _typed(board, table)
    changes = board.query(
        "SELECT op, entity_id, field, old FROM audit WHERE entity = :e AND at > :cut ORDER BY at DESC, id DESC",
        {"e": entity, "cut": cutoff},
    )
    for change in changes:
        rid = change["entity_id"]
        if change["op"] == "create":
            if not before_history:
                rows.pop(rid, None)
        elif change["op"] == "update" and rid in rows and change["field"]:
            rows[rid][change["field"]] = convert(change["field"], change["old"])
        elif change["op"] == "delete" and change["old"]:
            import json  # the as-at view only: ~1 ms of every start-up otherwise

            rows[rid] = json.loads(change["old"])
    return list(rows.values())


@dataclass
class Change:
    """One audit row as the history and changes-since views show it."""

    at: str
    who: str
    op: str
    entity: str
    entity_id: str | None
    ref: str | None
    field: str | None
    old: str | None
    new: str | None
    reason: str | None
    confidential: bool


def _change(row) -> Change:
    return Change(
        at=row["at"], who=row["who"], op=row["op"], entity=row["entity"], entity_id=row["entity_id"],
        ref=row["ref"], field=row["field"], old=row["old"], new=row["new"], reason=row["reason"],
        confidential=bool(row["confidential"]),
    )


def row_history(board: Board, entity: str, entity_id: str, *, limit: int = 200, offset: int = 0) -> list[Change]:
    """Every change to one record, newest first (a page of them)."""
    rows = board.query(
        "SELECT * FROM audit WHERE entity = :e AND entity_id = :i ORDER BY at DESC, id DESC LIMIT :l OFFSET :o",
        {"e": entity, "i": entity_id, "l": limit, "o": offset},
    )
    return [_change(r) for r in rows]


RECALCULATED = "recalculated from monthly figures"

# Changes a board asks about; bookkeeping (roll-ups recalculated, import summaries) is left out.
INTERESTING = ("programme", "scheme", "target", "standard", "standard_period", "milestone", "action", "decision")


def changes_between(
    board: Board, since: str, until: str | None = None, *, include_confidential: bool = False,
    entities: tuple[str, ...] = INTERESTING,
) -> list[Change]:
    """Audit entries after `since` (and up to `until`), oldest first; Part 2 changes only when asked."""
    params: dict = {"since": since, "until": until or "9999"}
    marks = ", ".join(f":e{i}" for i in range(len(entities)))
    params.update({f"e{i}": e for i, e in enumerate(entities)})
    sql = (
        f"SELECT * FROM audit WHERE at > :since AND at <= :until AND entity IN ({marks}) "
        "AND (reason IS NULL OR reason <> :recalc)"
    )
    params["recalc"] = RECALCULATED
    if not include_confidential:
        sql += " AND confidential = 0"
    return [_change(r) for r in board.query(sql + " ORDER BY at, id", params)]
