"""Table sources: what each list screen's PagedTable asks for rows.

Small lists (programmes, standards, milestones: tens to a few thousand, each needing a rule in Python) are built
once per screen load and paged from memory. The big ones (actions, meetings) ask SQL for one page at a time.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from boardtui.store import actions as actions_store
from boardtui.store import meetings as meetings_store
from boardtui.store.connection import Board
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


class ActionsSource:
    """The action log straight from SQL: a COUNT and one LIMIT/OFFSET page per block."""

    def __init__(self, board: Board, columns: Sequence[Column], to_row: Callable[[object], Row],
                 flt: actions_store.ActionFilter) -> None:
        self.board = board
        self.columns = columns
        self.to_row = to_row
        self.flt = flt
        self._count: int | None = None

    @property
    def filter_text(self) -> str:
        return self.flt.text

    def set_filter(self, text: str) -> None:
        self.flt = replace(self.flt, text=text.strip())
        self._count = None

    def set_query(self, flt: actions_store.ActionFilter) -> None:
        self.flt = flt
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = actions_store.count(self.board, self.flt)
        return self._count

    def rows(self, offset: int, limit: int) -> list[Row]:
        return [self.to_row(r) for r in actions_store.page(self.board, offset, limit, self.flt)]

    def invalidate(self) -> None:
        self._count = None


class MeetingsSource:
    """Meetings, newest first, paged from SQL."""

    def __init__(self, board: Board, columns: Sequence[Column], to_row: Callable[[object], Row]) -> None:
        self.board = board
        self.columns = columns
        self.to_row = to_row
        self.filter_text = ""
        self._count: int | None = None

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip()
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = meetings_store.count(self.board, self.filter_text)
        return self._count

    def rows(self, offset: int, limit: int) -> list[Row]:
        return [self.to_row(r) for r in meetings_store.page(self.board, offset, limit, self.filter_text)]

    def invalidate(self) -> None:
        self._count = None
