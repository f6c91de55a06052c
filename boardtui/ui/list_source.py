"""The table source of the small lists (programmes, standards, milestones, a meeting's items: tens to a few thousand
rows, each needing a rule in Python): built once per screen load and paged from memory.

Apart from `sources` (the SQL-paged actions and meetings), so a screen with a small list imports no action or
meeting store on its way to the first paint.
"""

from __future__ import annotations

from typing import Sequence

from boardtui.ui.widgets.paged_table import Column, Row


class ListSource:
    """Rows computed up front, filtered by a case-insensitive substring over their plain text."""

    def __init__(self, columns: Sequence[Column], rows: list[Row]) -> None:
        self.columns = columns
        self._all = rows
        self._rows = rows
        self.filter_text = ""

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        needle = text.lower().strip()
        if not needle:
            self._rows = self._all
        else:
            self._rows = [r for r in self._all if needle in " ".join(str(c) for c in r.cells).lower()]

    def count(self) -> int:
        return len(self._rows)

    def rows(self, offset: int, limit: int) -> list[Row]:
        return self._rows[offset : offset + limit]
