"""Command palette (ctrl+p) commands for history: "As at…", "Changes since…", and "Changes since the last
meeting of <board>" for every board with meetings. Names are data, so every prompt is literal `Content`."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from boardtui.domain.errors import ValidationError
from boardtui.domain.periods import display_date
from boardtui.store import history, savings_history

AS_AT_HINT = ("A date (2016-10-17: as at the end of that day) or a time in UTC (2016-10-17 14:05:09). "
              "The programmes are rebuilt from the audit trail as they stood then.")
SINCE_HINT = "A date (2016-10-01) or a time in UTC: everything that changed after it is listed."


def ask_as_at(app) -> None:
    """Ask for a moment, then show the programmes as they stood then."""
    from boardtui.ui.modals.prompt import PromptDialog
    from boardtui.ui.screens.programmes import ProgrammesScreen

    def chosen(text: str | None) -> None:
        if text:
            app.push_screen(ProgrammesScreen(as_at=savings_history.parse_as_at(text)))

    app.push_screen(PromptDialog("Programmes as at…", AS_AT_HINT, app.today.isoformat(),
                                 savings_history.parse_as_at), chosen)


def _since(text: str) -> tuple[str, str]:
    """(audit cut-off, label) for a typed date (from the start of that day) or time."""
    value = text.strip()
    try:
        return history.start_of_day(value), f"since {display_date(value)}"
    except ValidationError:
        at = savings_history.parse_as_at(value)
        return at.cutoff, f"since {at.label}"


def ask_since(app) -> None:
    """Ask for a date, then list everything that changed after it."""
    from boardtui.ui.modals.prompt import PromptDialog
    from boardtui.ui.screens.changes import ChangesScreen

    def chosen(text: str | None) -> None:
        if text:
            cutoff, label = _since(text)
            app.push_screen(ChangesScreen(cutoff, label))

    app.push_screen(PromptDialog("Changes since…", SINCE_HINT, app.today.isoformat(), _since), chosen)


def since_last_meeting(app, body_id: str, body_name: str) -> None:
    """List everything that changed since the start of the day of the body's last meeting (on or before today)."""
    from boardtui.ui.screens.changes import ChangesScreen

    meeting = savings_history.last_meeting(app.board, body_id, app.today)
    if meeting is None:
        app.notify(f"{body_name} has no meeting on or before {display_date(app.today)}.", severity="warning",
                   markup=False)
        return
    label = f"since the last meeting of {meeting['body']} ({display_date(meeting['date'])})"
    app.push_screen(ChangesScreen(history.start_of_day(meeting["date"]), label))


class SavingsHistoryCommands(Provider):
    """The history commands, found by their words."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        commands = [
            ("As at…", partial(ask_as_at, app), "the programmes as they stood at a past date or time"),
            ("Changes since…", partial(ask_since, app), "everything that changed after a date"),
        ]
        board = getattr(app, "board", None)
        if board is not None:
            for body in savings_history.bodies(board):
                commands.append((f"Changes since the last meeting of {body['name']}",
                                 partial(since_last_meeting, app, body["id"], body["name"]),
                                 "what has changed since this board last met"))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=Content(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, Content(name), callback, text=name, help=Content(help_text))  # type: ignore[arg-type]
