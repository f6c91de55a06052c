"""Decisions: what the board resolved on an item (resolution, outcome, mover and seconder).

Decisions on Part 2 items are audited as confidential. References follow the body's style ("TH-D05").
"""

from __future__ import annotations

from boardtui.domain.entities import Outcome
from boardtui.domain.errors import NotFound, ValidationError
from boardtui.store import inputs, item_rows
from boardtui.store.connection import Board
from boardtui.store.refs import body_stem, next_ref
from boardtui.store.tx import writing


def of_meeting(board: Board, meeting_id: str, item_id: str | None = None, *, public_only: bool = False) -> list:
    """Decisions of a meeting in agenda order (of one item when `item_id` is given)."""
    return item_rows.of_meeting(board, "decisions", meeting_id, item_id, public_only=public_only,
                                order="t.created_at, t.ref")


def get(board: Board, decision_id: str):
    return item_rows.one(board, "decisions", decision_id)


def _values(values: dict) -> dict:
    resolution = inputs.required(values.get("resolution"), "resolution", "Resolution")
    outcome = inputs.line(values.get("outcome"))
    if outcome:
        try:
            outcome = Outcome.parse(outcome).value
        except ValidationError as exc:
            raise ValidationError(exc.message, field="outcome") from None
    return {
        "resolution": resolution,
        "outcome": outcome,
        "mover": inputs.line(values.get("mover")),
        "seconder": inputs.line(values.get("seconder")),
    }


def record(board: Board, meeting_id: str, item_id: str | None, values: dict) -> str:
    """Record a decision against an item; returns its id."""
    row = _values(values)
    part = item_rows.item_part(board, meeting_id, item_id)
    meeting = board.one("SELECT body_id FROM meetings WHERE id = :m", {"m": meeting_id})
    if meeting is None:
        raise NotFound("That meeting no longer exists.")
    with writing(board) as w:
        ref = next_ref(w.conn, "decisions", f"{body_stem(w.conn, meeting['body_id'])}-D")
        return w.insert("decisions", {"meeting_id": meeting_id, "item_id": item_id, "ref": ref, **row},
                        entity="decision", ref=ref, confidential=part == 2)


def update(board: Board, decision_id: str, version: int | None, values: dict) -> None:
    current = get(board, decision_id)
    if current is None:
        raise NotFound("That decision no longer exists.")
    with writing(board) as w:
        w.update("decisions", decision_id, version, _values(values), entity="decision", ref=current["ref"],
                 confidential=current["part"] == 2)


def delete(board: Board, decision_id: str, version: int | None) -> None:
    current = get(board, decision_id)
    if current is None:
        raise NotFound("That decision no longer exists.")
    with writing(board) as w:
        w.delete("decisions", decision_id, version, entity="decision", ref=current["ref"],
                 confidential=current["part"] == 2)
