"""Minute notes: what was said on an item, as the secretary writes it down.

Text is stored as typed or pasted, less any terminal control characters. Notes on Part 2 items are audited as
confidential.
"""

from __future__ import annotations

from boardtui.domain.errors import NotFound
from boardtui.store import inputs
from boardtui.store.connection import Board
from boardtui.store.tx import writing


def of_meeting(board: Board, meeting_id: str, item_id: str | None = None, *, public_only: bool = False) -> list:
    """Notes of a meeting in agenda order, then in the order they were written."""
    sql = ("SELECT n.*, i.number AS item_number, coalesce(i.part, 1) AS part FROM minute_notes n "
           "LEFT JOIN agenda_items i ON i.id = n.item_id WHERE n.meeting_id = :m")
    params: dict = {"m": meeting_id}
    if item_id is not None:
        sql += " AND n.item_id = :i"
        params["i"] = item_id
    if public_only:
        sql += " AND coalesce(i.part, 1) <> 2"
    return board.query(sql + " ORDER BY coalesce(i.position, 0), n.created_at, n.id", params)


def get(board: Board, note_id: str):
    return board.one("SELECT n.*, coalesce(i.part, 1) AS part FROM minute_notes n "
                     "LEFT JOIN agenda_items i ON i.id = n.item_id WHERE n.id = :id", {"id": note_id})


def _part(board: Board, meeting_id: str, item_id: str | None) -> int:
    if item_id is None:
        return 1
    row = board.one("SELECT part FROM agenda_items WHERE id = :i AND meeting_id = :m", {"i": item_id, "m": meeting_id})
    if row is None:
        raise NotFound("That agenda item no longer exists.")
    return row["part"]


def add(board: Board, meeting_id: str, item_id: str | None, text: str) -> str:
    body = inputs.required(text, "text", "Note")
    part = _part(board, meeting_id, item_id)
    with writing(board) as w:
        return w.insert("minute_notes", {"meeting_id": meeting_id, "item_id": item_id, "text": body},
                        entity="minute_note", confidential=part == 2)


def update(board: Board, note_id: str, version: int | None, text: str) -> None:
    current = get(board, note_id)
    if current is None:
        raise NotFound("That note no longer exists.")
    with writing(board) as w:
        w.update("minute_notes", note_id, version, {"text": inputs.required(text, "text", "Note")},
                 entity="minute_note", confidential=current["part"] == 2)


def delete(board: Board, note_id: str, version: int | None) -> None:
    current = get(board, note_id)
    if current is None:
        raise NotFound("That note no longer exists.")
    with writing(board) as w:
        w.delete("minute_notes", note_id, version, entity="minute_note", confidential=current["part"] == 2)
