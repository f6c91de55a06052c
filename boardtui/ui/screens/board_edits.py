"""A counter of the standards and milestone edits made in this app, so a screen drawn before an edit (the
dashboard) can tell that it is out of date when it comes back into view."""

from __future__ import annotations


def generation(app) -> int:
    """How many standards or milestone edits this app has saved."""
    return getattr(app, "_board_edits_generation", 0)


def mark_changed(app) -> None:
    """Record that a standard or milestone was changed."""
    app._board_edits_generation = generation(app) + 1
