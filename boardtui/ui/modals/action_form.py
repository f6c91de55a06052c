"""Action dialogs: raise an action (owner and due date required; a due date before the meeting asks first),
edit one, add a dated update, or move its due date (the earlier date is kept)."""

from __future__ import annotations

from boardtui.domain.actions import ActionStatus
from boardtui.domain.periods import display_date
from boardtui.store import actions as actions_store
from boardtui.store.connection import Board
from boardtui.ui.modals.form import Confirm, FormField, FormScreen

STATUS_OPTIONS = [(s.value, s.value) for s in ActionStatus]


def new_action(board: Board, *, meeting_id: str | None = None, item_id: str | None = None,
               body_id: str | None = None, context: str = "") -> FormScreen:
    """The form for a new action; returns the new action's id."""

    def save(values: dict[str, str], confirmed: bool) -> str:
        _, warnings = actions_store.check(board, values, meeting_id)
        if warnings and not confirmed:
            raise Confirm(" ".join(warnings))
        return actions_store.create(board, values, body_id=body_id, meeting_id=meeting_id, item_id=item_id)

    owners = actions_store.owner_names(board, body_id)
    return FormScreen("New action", [
        FormField("text", "Action (what is to be done)", kind="area"),
        FormField("owner", "Owner (a member, or anyone by name)", suggestions=owners,
                  placeholder="start typing a name: → accepts the suggestion"),
        FormField("due", "Due date", placeholder="YYYY-MM-DD"),
    ], save, note=context)


def edit_action(board: Board, action) -> FormScreen:
    def save(values: dict[str, str], confirmed: bool) -> None:
        actions_store.edit(board, action["id"], action["version"], values)

    return FormScreen(f"Edit action {action['ref']}", [
        FormField("text", "Action", action["text"], kind="area"),
        FormField("owner", "Owner", action["owner"], suggestions=actions_store.owner_names(board, action["body_id"])),
        FormField("status", "Status", action["status"], kind="select", options=STATUS_OPTIONS, allow_blank=False),
    ], save, note=f"Due {display_date(action['due'])}: use t to move the due date (the old one is kept).")


def add_update(board: Board, action) -> FormScreen:
    def save(values: dict[str, str], confirmed: bool) -> None:
        actions_store.add_update(board, action["id"], action["version"], values["text"])

    return FormScreen(f"Update on {action['ref']}", [FormField("text", "Update (dated today)", kind="area")],
                      save, note=action["text"])


def redate(board: Board, action) -> FormScreen:
    def save(values: dict[str, str], confirmed: bool) -> None:
        actions_store.redate(board, action["id"], action["version"], values["due"], values["reason"])

    history = actions_store.slip_text(board, action)
    note = f"Due {display_date(action['due'])}" + (f" ({history})" if history else "")
    return FormScreen(f"Move the due date of {action['ref']}", [
        FormField("due", "New due date", placeholder="YYYY-MM-DD"),
        FormField("reason", "Why (kept as a dated update)"),
    ], save, note=note)
