"""Minute notes: what was said on an item, as the secretary writes it down.

Text is stored as typed or pasted, less any terminal control characters. Notes on Part 2 items are audited as
confidential.
"""

from __future__ import annotations

from boardtui.domain.errors import NotFound
from boardtui.store import inputs, item_rows
from boardtui.store.connection import Board
from boardtui.store.tx import writing


def of_meeting(board: Board, meeting_id: str, item_id: str | None = None, *, public_only: bool = False) -> list:
    """Notes of a meeting in agenda order, then in the order they were written."""
    return item_rows.of_meeting(board, "minute_notes", meeting_id, item_id, public_only=public_only,
                                order="t.created_at, t.id")


def get(board: Board, note_id: str):
    return item_rows.one(board, "minute_notes", note_id)


def add(board: Board, meeting_id: str, item_id: str | None, text: str) -> str:
    body = inputs.required(text, "text", "Note")
    part = item_rows.item_part(board, meeting_id, item_id)
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
