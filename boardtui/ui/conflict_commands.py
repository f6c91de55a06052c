"""Command palette (ctrl+p) entry for the Conflicts screen: check-in conflicts waiting to be resolved."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

TITLE = "Conflicts from offline check-ins"
HELP = "Resolve each change a chair made offline that the office also changed: keep mine, keep theirs or edit."


def open_conflicts(app) -> None:
    from boardtui.ui.screens.conflicts import ConflictsScreen

    app.push_screen(ConflictsScreen())


class ConflictCommands(Provider):
    """"Conflicts from offline check-ins", found by typing "conflicts", "checkin" or "offline"."""

    async def discover(self) -> Hits:
        yield DiscoveryHit(Content(TITLE), lambda: open_conflicts(self.app), help=HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for words in (TITLE, "check-in checkin offline conflicts", "resolve conflicts"):
            score = matcher.match(words)
            if score > 0:
                yield Hit(score, Content(TITLE), lambda: open_conflicts(self.app), help=HELP)
                return
