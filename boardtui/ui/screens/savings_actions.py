"""What the savings screens share: the write guard, and the RAG, history, edit, new and delete flows.

Each flow opens a modal, calls one store function, and on success tells the app that savings data changed (so
screens underneath reload when they are shown again) and calls `done`. Nothing here writes SQL. The modals are
imported when a flow first runs, not at start-up (the start-up budget is 1.5 × a bare Textual app).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from boardtui.domain.errors import BoardError, Conflict
from boardtui.domain.rag import Derived, Rag
from boardtui.store import history, savings, savings_edit
from boardtui.store.rag import set_rag
from boardtui.ui.money import display_unit
from boardtui.ui.savings_format import conflict_text
from boardtui.ui.screens.board_edits import (  # noqa: F401 (the savings screens call them as act.*)
    generation,
    mark_changed,
    refuse_if_read_only,
    write_refusal,
)

Done = Callable[[], None]


def _finish(screen: Screen, done: Done, message: str | None = None):
    def callback(result) -> None:
        if result:
            mark_changed(screen.app)
            if message:
                screen.notify(message, markup=False)
            done()

    return callback


# ---- RAG and history --------------------------------------------------------------------------------------

def open_rag(screen: Screen, entity: str, row_id: str, version: int, label: str, derived: Derived,
             override: Rag | None, done: Done) -> None:
    """The RAG dialog for a programme or scheme at the version the screen loaded."""
    from boardtui.ui.modals.rag import RagDialog, RagTarget

    board = screen.app.board
    table = "programmes" if entity == "programme" else "schemes"
    current = savings.get_programme(board, row_id) if table == "programmes" else savings.get_scheme(board, row_id)
    commentary = (current["rag_commentary"] or "") if current is not None else ""
    target = RagTarget(entity, row_id, version, label, derived, override, commentary)

    def save(rag: Rag | None, text: str) -> int:
        return set_rag(board, entity, row_id, target.version, rag, text, derived.rag)

    screen.app.push_screen(RagDialog(target, save), _finish(screen, done))


def open_history(screen: Screen, entity: str, row_id: str, label: str) -> None:
    """Every recorded change to one row, newest first."""
    from boardtui.ui.modals.detail import DetailScreen

    changes = history.row_history(screen.app.board, entity, row_id)
    screen.app.push_screen(DetailScreen(f"History of {label}", [], changes))


# ---- programmes -------------------------------------------------------------------------------------------

def edit_programme(screen: Screen, programme_id: str, done: Done) -> None:
    from boardtui.ui.modals.form import FormScreen
    from boardtui.ui.modals.savings_forms import PROGRAMME_FORM

    board = screen.app.board
    row = savings.get_programme(board, programme_id)
    if row is None:
        screen.notify("That programme no longer exists: someone may have deleted it.", severity="warning",
                      markup=False)
        done()
        return
    state = {"version": row["version"]}

    def save(values: dict[str, str], confirmed: bool) -> int:
        try:
            return savings_edit.update_programme(board, programme_id, state["version"], values)
        except Conflict as exc:
            _refresh_version(state, savings.get_programme(board, programme_id))
            raise _save_over(exc) from exc

    screen.app.push_screen(
        FormScreen(f"Edit programme: {row['name']}", PROGRAMME_FORM, save,
                   values=savings_edit.programme_form_values(row)),
        _finish(screen, done, "Programme saved."),
    )


def new_programme(screen: Screen, done: Done) -> None:
    from boardtui.ui.modals.form import FormScreen
    from boardtui.ui.modals.savings_forms import PROGRAMME_FORM

    board = screen.app.board
    screen.app.push_screen(
        FormScreen("New programme", PROGRAMME_FORM, lambda values, _: savings_edit.create_programme(board, values)),
        _finish(screen, done, "Programme added."),
    )


def delete_programme(screen: Screen, programme_id: str, version: int, name: str, done: Done) -> None:
    from boardtui.ui.modals.confirm import ConfirmScreen

    board = screen.app.board
    schemes, milestones = savings.dependants(board, programme_id)
    if schemes or milestones:
        held = " and ".join(f"{n} {w}{'' if n == 1 else 's'}" for n, w in
                            ((schemes, "scheme"), (milestones, "milestone")) if n)
        screen.notify(f"{name} still has {held}: move or delete them first. Nothing was deleted.",
                      title="Not deleted", severity="warning", markup=False)
        return

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        try:
            savings_edit.delete_programme(board, programme_id, version)
        except Conflict as exc:
            screen.notify(f"Not deleted: {conflict_text(exc)}", severity="error", markup=False)
        except BoardError as exc:
            screen.notify(f"Not deleted: {exc}", severity="error", markup=False)
        else:
            _finish(screen, done, f"Deleted programme {name} (kept in the audit trail).")(True)

    screen.app.push_screen(ConfirmScreen("", f"Delete the programme {name}? It has no schemes. The audit trail "
                                         "keeps a copy.", "delete", "keep", destructive=True), answered)


# ---- schemes ----------------------------------------------------------------------------------------------

def _save_over(exc: Conflict):
    """A stale edit as a warning: the version is refreshed, so saving the typing again goes over their change."""
    from boardtui.ui.modals.form import Confirm

    return Confirm(f"Not saved: {conflict_text(exc)} Your typing is kept; escape drops it.")


def _refresh_version(state: dict, row) -> None:
    if row is not None:
        state["version"] = row["version"]


def _programme_names(board) -> list[str]:
    return [name for name, _ in savings.programme_choices(board)]


def edit_scheme(screen: Screen, scheme_id: str, done: Done) -> None:
    from boardtui.ui.modals.form import FormScreen
    from boardtui.ui.modals.savings_forms import scheme_form_fields

    board = screen.app.board
    row = savings.get_scheme(board, scheme_id)
    if row is None:
        screen.notify("That scheme no longer exists: someone may have deleted it.", severity="warning",
                      markup=False)
        done()
        return
    state = {"version": row["version"]}

    def save(values: dict[str, str], confirmed: bool) -> int:
        try:
            return savings_edit.update_scheme(board, scheme_id, state["version"], values, display_unit())
        except Conflict as exc:
            _refresh_version(state, savings.get_scheme(board, scheme_id))
            raise _save_over(exc) from exc

    screen.app.push_screen(
        FormScreen(f"Edit scheme {row['ref']}", scheme_form_fields(_programme_names(board)), save,
                   values=savings_edit.scheme_form_values(row, display_unit())),
        _finish(screen, done, "Scheme saved."),
    )


def new_scheme(screen: Screen, programme_name: str | None, year_label: str, done: Done) -> None:
    from boardtui.ui.modals.form import FormScreen
    from boardtui.ui.modals.savings_forms import scheme_form_fields

    board = screen.app.board
    values = {"programme": programme_name or "", "year": year_label, "plan": "TBC"}
    screen.app.push_screen(
        FormScreen("New scheme", scheme_form_fields(_programme_names(board)),
                   lambda v, _: savings_edit.create_scheme(board, v, display_unit()), values=values),
        _finish(screen, done, "Scheme added."),
    )


def delete_scheme(screen: Screen, scheme_id: str, version: int, ref: str, done: Done) -> None:
    from boardtui.ui.modals.confirm import ConfirmScreen

    board = screen.app.board

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        try:
            savings_edit.delete_scheme(board, scheme_id, version)
        except Conflict as exc:
            screen.notify(f"Not deleted: {conflict_text(exc)}", severity="error", markup=False)
        except BoardError as exc:
            screen.notify(f"Not deleted: {exc}", severity="error", markup=False)
        else:
            _finish(screen, done, f"Deleted scheme {ref} (kept in the audit trail).")(True)

    screen.app.push_screen(ConfirmScreen("", f"Delete the scheme {ref} and its monthly figures? The audit trail "
                                         "keeps a copy.", "delete", "keep", destructive=True), answered)
