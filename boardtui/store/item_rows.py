"""What decisions, minute notes and declarations share: each row belongs to a meeting and, optionally, to one
of its agenda items, whose Part decides whether the row is audited as confidential and whether it is published.

`table` is always one of those three names from the calling module, never typed text.
"""

from __future__ import annotations

from boardtui.domain.errors import NotFound
from boardtui.store.connection import Board


def item_part(board: Board, meeting_id: str, item_id: str | None) -> int:
    """The Part (1 or 2) of the item, 1 for the meeting as a whole; NotFound if the item is gone."""
    if item_id is None:
        return 1
    row = board.one("SELECT part FROM agenda_items WHERE id = :i AND meeting_id = :m", {"i": item_id, "m": meeting_id})
    if row is None:
        raise NotFound("That agenda item no longer exists.")
    return row["part"]


def of_meeting(board: Board, table: str, meeting_id: str, item_id: str | None, *, public_only: bool,
               order: str, columns: str = "") -> list:
    """Rows `t` of `table` at a meeting with their item's number and part, of one item when `item_id` is
    given and only Part 1 ones when `public_only`, in agenda order and then by `order`."""
    sql = (f"SELECT t.*, i.number AS item_number, coalesce(i.part, 1) AS part{columns} FROM {table} t "
           "LEFT JOIN agenda_items i ON i.id = t.item_id WHERE t.meeting_id = :m")
    params: dict = {"m": meeting_id}
    if item_id is not None:
        sql += " AND t.item_id = :i"
        params["i"] = item_id
    if public_only:
        sql += " AND coalesce(i.part, 1) <> 2"
    return board.query(f"{sql} ORDER BY coalesce(i.position, 0), {order}", params)


def one(board: Board, table: str, row_id: str):
    """One row of `table` with its item's part (1 when it has no item), or None."""
    return board.one(f"SELECT t.*, coalesce(i.part, 1) AS part FROM {table} t "
                     "LEFT JOIN agenda_items i ON i.id = t.item_id WHERE t.id = :id", {"id": row_id})
