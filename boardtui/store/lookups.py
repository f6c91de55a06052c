"""Finding records by the names people use: programme names and aliases, body names, meeting dates, refs."""

from __future__ import annotations

from boardtui.store.connection import Board
from boardtui.store.tx import Writer


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


def programme_id(board: Board, name: str) -> str | None:
    """A programme by its name or any alias, ignoring case and spacing (papers drift: "Children's")."""
    want = _norm(name)
    for row in board.query("SELECT id, name, aliases FROM programmes"):
        names = [row["name"]] + [a for a in (row["aliases"] or "").split(";") if a.strip()]
        if any(_norm(n) == want for n in names):
            return row["id"]
    return None


def organisation_id(w: Writer, name: str, org_type: str | None = None) -> str:
    """An organisation by name, created on first mention."""
    row = w.conn.execute("SELECT id FROM organisations WHERE name = :n", {"n": name}).fetchone()
    if row:
        return row[0]
    return w.insert("organisations", {"name": name, "type": org_type}, entity="organisation", ref=name)


def body_id(board: Board, name: str) -> str | None:
    row = board.one("SELECT id FROM bodies WHERE lower(name) = lower(:n)", {"n": name.strip()})
    return row[0] if row else None


def meeting_id(board: Board, body: str, date: str) -> str | None:
    b = body_id(board, body)
    if b is None:
        return None
    row = board.one("SELECT id FROM meetings WHERE body_id = :b AND date = :d", {"b": b, "d": date})
    return row[0] if row else None


def item(board: Board, meeting: str, number: str) -> tuple[str, int] | None:
    """An agenda item's (id, part) by its printed number."""
    row = board.one(
        "SELECT id, part FROM agenda_items WHERE meeting_id = :m AND number = :n", {"m": meeting, "n": number}
    )
    return (row[0], row[1]) if row else None


def member_id(board: Board, body: str, name: str) -> str | None:
    row = board.one("SELECT id FROM members WHERE body_id = :b AND name = :n", {"b": body, "n": name})
    return row[0] if row else None


def by_ref(board: Board, table: str, ref: str) -> str | None:
    if table not in ("schemes", "milestones", "actions", "decisions"):
        raise ValueError(f"no refs on {table}")
    row = board.one(f"SELECT id FROM {table} WHERE ref = :r", {"r": ref})
    return row[0] if row else None
