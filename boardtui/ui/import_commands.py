"""Command palette (ctrl+p) entry for importing a spreadsheet or CSV file (the import screen)."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

TITLE = "Import a spreadsheet or CSV file"
HELP = "Check an .xlsx or .csv file (f2 previews), then import it: all rows or none."


def open_import(app) -> None:
    from boardtui.ui.screens.import_file import ImportScreen

    app.push_screen(ImportScreen())


class ImportCommands(Provider):
    """"Import a spreadsheet or CSV file", found by typing "import", "xlsx", "csv" or "spreadsheet"."""

    async def discover(self) -> Hits:
        yield DiscoveryHit(Content(TITLE), lambda: open_import(self.app), help=HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for words in (TITLE, "import xlsx excel workbook", "import csv file"):
            score = matcher.match(words)
            if score > 0:
                yield Hit(score, Content(TITLE), lambda: open_import(self.app), help=HELP)
                return
