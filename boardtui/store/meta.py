"""Board-level settings kept in the `meta` table."""

from __future__ import annotations

from datetime import date

from boardtui.store.connection import Board
from boardtui.store.tx import writing


def get(board: Board, key: str) -> str | None:
    return board.scalar("SELECT value FROM meta WHERE key = :k", {"k": key})


def put(board: Board, key: str, value: str | None, reason: str | None = None) -> None:
    with writing(board, reason=reason) as w:
        old = get(board, key)
        w.conn.execute(
            "INSERT INTO meta (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {"k": key, "v": value},
        )
        w.audit("update", "board", None, key, "value", old, value)


def reference_date(board: Board) -> date | None:
    """A board that describes the past (the demo board: autumn 2016) judges "today" as this date."""
    value = get(board, "reference_date")
    return date.fromisoformat(value) if value else None


def today(board: Board) -> date:
    """The day the board's rules judge by: its reference date if it has one, else the real today."""
    return reference_date(board) or date.today()
