"""Action log queries: a filtered count and one page at a time (the log reaches 100k rows), and a stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from boardtui.store.connection import Board

ORDERS = {
    "due": "a.due, a.ref",
    "ref": "a.ref",
    "owner": "lower(a.owner), a.due, a.ref",
    "status": "a.status, a.due, a.ref",
}

SELECT = (
    "SELECT a.id, a.ref, a.text, a.owner, a.due, a.original_due, a.status, a.latest_update, a.version, "
    "a.meeting_id, a.item_id, m.date AS meeting_date, b.name AS body, i.number AS item_number, "
    "coalesce(i.part, 1) AS part "
    "FROM actions a LEFT JOIN meetings m ON m.id = a.meeting_id LEFT JOIN bodies b ON b.id = a.body_id "
    "LEFT JOIN agenda_items i ON i.id = a.item_id"
)


@dataclass(frozen=True)
class ActionFilter:
    """What the action log shows. Every field narrows; the defaults show everything."""

    text: str = ""
    owner: str = ""
    body_id: str | None = None
    statuses: tuple[str, ...] = ()
    overdue_on: date | None = None  # only actions open past their due date on this day
    public_only: bool = False  # leave out actions raised on Part 2 items
    order: str = "due"

    def where(self) -> tuple[str, dict]:
        clauses, params = [], {}
        if self.text:
            clauses.append("(lower(a.text) LIKE lower(:q) OR lower(a.ref) LIKE lower(:q) OR lower(a.owner) LIKE lower(:q))")
            params["q"] = f"%{self.text}%"
        if self.owner:
            clauses.append("lower(a.owner) LIKE lower(:owner)")
            params["owner"] = f"%{self.owner}%"
        if self.body_id:
            clauses.append("a.body_id = :body")
            params["body"] = self.body_id
        if self.statuses:
            marks = []
            for i, s in enumerate(self.statuses):
                params[f"s{i}"] = s
                marks.append(f":s{i}")
            clauses.append(f"a.status IN ({', '.join(marks)})")
        if self.overdue_on:
            clauses.append("a.status <> 'closed' AND a.due < :today")
            params["today"] = self.overdue_on.isoformat()
        if self.public_only:
            clauses.append("(a.item_id IS NULL OR a.item_id NOT IN (SELECT id FROM agenda_items WHERE part = 2))")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(board: Board, flt: ActionFilter = ActionFilter()) -> int:
    where, params = flt.where()
    return board.scalar(f"SELECT count(*) FROM actions a{where}", params)


def page(board: Board, offset: int, limit: int, flt: ActionFilter = ActionFilter()) -> list:
    """One page of the log in the filter's order (offset paging on an index that matches the order)."""
    where, params = flt.where()
    params.update(limit=limit, offset=offset)
    return board.query(f"{SELECT}{where} ORDER BY {ORDERS[flt.order]} LIMIT :limit OFFSET :offset", params)


def stream(board: Board, flt: ActionFilter = ActionFilter(), batch: int = 2_000) -> Iterator:
    """Every matching action in due order, fetched a batch at a time by keyset (due, ref).

    Each batch is fetched whole, so no read transaction stays open between batches while output is written.
    """
    where, params = flt.where()
    joiner = " AND " if where else " WHERE "
    last_due, last_ref = "", ""
    while True:
        p = dict(params, ld=last_due, lr=last_ref, n=batch)
        rows = board.query(
            f"{SELECT}{where}{joiner}(a.due > :ld OR (a.due = :ld AND a.ref > :lr)) ORDER BY a.due, a.ref LIMIT :n", p
        )
        yield from rows
        if len(rows) < batch:
            return
        last_due, last_ref = rows[-1]["due"], rows[-1]["ref"]


@dataclass
class ActionCounts:
    open: int = 0
    overdue: int = 0
    proposed: int = 0
    closed: int = 0
    by_status: dict = field(default_factory=dict)


def counts(board: Board, today: date) -> ActionCounts:
    """Open, overdue, proposed-for-closure and closed counts for the dashboard (two indexed aggregates)."""
    c = ActionCounts()
    for row in board.query("SELECT status, count(*) FROM actions GROUP BY status"):
        c.by_status[row[0]] = row[1]
    c.open = c.by_status.get("open", 0)
    c.proposed = c.by_status.get("proposed for closure", 0)
    c.closed = c.by_status.get("closed", 0)
    c.overdue = board.scalar(
        "SELECT count(*) FROM actions WHERE status IN ('open', 'proposed for closure') AND due < :t",
        {"t": today.isoformat()},
    )
    return c


def get(board: Board, action_id: str):
    """One action with where it was raised, or None."""
    return board.one(f"{SELECT} WHERE a.id = :id", {"id": action_id})
