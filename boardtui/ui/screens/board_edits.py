"""What every editing screen shares: one counter of the edits saved in this app (so a screen drawn before an
edit, such as the dashboard, can tell it is out of date when it comes back into view), the one sentence that
says why nothing can be changed, and the callback that follows a saved dialog."""

from __future__ import annotations

from typing import Callable

from textual.screen import Screen


def generation(app) -> int:
    """How many edits this app has saved (savings, standards, milestones)."""
    return getattr(app, "_board_edits_generation", 0)


def mark_changed(app) -> None:
    """Record that something on the board was changed."""
    app._board_edits_generation = generation(app) + 1


def write_refusal(screen: Screen, as_at_label: str | None = None) -> str | None:
    """Why nothing can be changed from this screen (read-only board, or an as-at view), or None."""
    board = screen.app.board
    if board.read_only:
        why = board.read_only_reason or "by choice"
        return f"Read-only: this board is open read-only ({why}), so nothing can be changed."
    if as_at_label:
        return (f"This is the board as at {as_at_label}, rebuilt from the audit trail: escape back to today to "
                "change it.")
    return None


def refuse_if_read_only(screen: Screen, as_at_label: str | None = None) -> bool:
    """Say why writes are disabled (a notification) and return True, or return False when writing is allowed."""
    reason = write_refusal(screen, as_at_label)
    if reason:
        screen.notify(reason, title="Read-only", severity="warning", markup=False)
        return True
    return False


def after_save(screen, message: str) -> Callable[[bool | None], None]:
    """A dialog callback: when it saved, count the edit, reload the screen's data and say what was saved."""

    def done(saved: bool | None) -> None:
        if saved:
            mark_changed(screen.app)
            screen.reload_data()
            screen.notify(message, markup=False)

    return done
