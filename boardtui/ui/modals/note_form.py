"""The minute-note dialog: free text, stored as typed or pasted less terminal control characters."""

from __future__ import annotations

from boardtui.store import notes as notes_store
from boardtui.store.connection import Board
from boardtui.ui.modals.form import FormField, FormScreen


def new_note(board: Board, meeting_id: str, item_id: str | None, context: str = "") -> FormScreen:
    def save(values: dict[str, str], confirmed: bool) -> str:
        return notes_store.add(board, meeting_id, item_id, values["text"])

    return FormScreen("Minute note", [FormField("text", "Note (ctrl+s saves; enter starts a new line)", kind="area")],
                      save, note=context)
