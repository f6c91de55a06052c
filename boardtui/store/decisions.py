"""Decisions: what the board resolved on an item (resolution, outcome, mover and seconder).

Decisions on Part 2 items are audited as confidential. References follow the body's style ("TH-D05").
"""

from __future__ import annotations

from boardtui.domain.entities import Outcome
from boardtui.domain.errors import NotFound, ValidationError
from boardtui.store import inputs
from boardtui.store.connection import Board
from boardtui.store.refs import body_stem, next_ref
from boardtui.store.tx import writing


def of_meeting(board: Board, meeting_id: str, item_id: str | None = None, *, public_only: bool = False) -> list:
    """Decisions of a meeting in agenda order (of one item when `item_id` is given)."""
    sql = ("SELECT d.*, i.number AS item_number, coalesce(i.part, 1) AS part FROM decisions d "
           "LEFT JOIN agenda_items i ON i.id = d.item_id WHERE d.meeting_id = :m")
    params: dict = {"m": meeting_id}
    if item_id is not None:
        sql += " AND d.item_id = :i"
        params["i"] = item_id
    if public_only:
        sql += " AND coalesce(i.part, 1) <> 2"
    return board.query(sql + " ORDER BY coalesce(i.position, 0), d.created_at, d.ref", params)


def get(board: Board, decision_id: str):
    return board.one("SELECT d.*, coalesce(i.part, 1) AS part FROM decisions d "
                     "LEFT JOIN agenda_items i ON i.id = d.item_id WHERE d.id = :id", {"id": decision_id})


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


def _item_part(board: Board, meeting_id: str, item_id: str | None) -> int:
    if item_id is None:
        return 1
    row = board.one("SELECT part FROM agenda_items WHERE id = :i AND meeting_id = :m", {"i": item_id, "m": meeting_id})
    if row is None:
        raise NotFound("That agenda item no longer exists.")
    return row["part"]


def record(board: Board, meeting_id: str, item_id: str | None, values: dict) -> str:
    """Record a decision against an item; returns its id."""
    row = _values(values)
    part = _item_part(board, meeting_id, item_id)
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
