"""The decision dialog: the resolution, its outcome, and who moved and seconded it (both optional)."""

from __future__ import annotations

from boardtui.domain.entities import Outcome
from boardtui.store import decisions as decisions_store
from boardtui.store import meetings as meetings_store
from boardtui.store.connection import Board
from boardtui.ui.modals.form import FormField, FormScreen

OUTCOME_OPTIONS = [(o.value, o.value) for o in Outcome]


def new_decision(board: Board, meeting_id: str, item_id: str | None, context: str = "") -> FormScreen:
    m = meetings_store.get(board, meeting_id)
    names = [x["name"] for x in meetings_store.members(board, m["body_id"])] if m else []

    def save(values: dict[str, str], confirmed: bool) -> str:
        return decisions_store.record(board, meeting_id, item_id, values)

    return FormScreen("Record a decision", [
        FormField("resolution", "Resolution (what the board resolved)", kind="area"),
        FormField("outcome", "Outcome", "approved", kind="select", options=OUTCOME_OPTIONS),
        FormField("mover", "Moved by (optional)", suggestions=names),
        FormField("seconder", "Seconded by (optional)", suggestions=names),
    ], save, note=context)
