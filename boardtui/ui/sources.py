"""Table sources: what each list screen's PagedTable asks for rows.

Small lists (programmes, standards, milestones: tens to a few thousand, each needing a rule in Python) are built
once per screen load and paged from memory. The big ones (actions, meetings) ask SQL for one page at a time.
"""

from __future__ import annotations

import threading
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
    """The action log straight from SQL: a COUNT and one LIMIT/OFFSET page per block.

    Counts are kept per filter while nothing else has written to the board (`actions.data_stamp`) and until
    `invalidate`, so going back to a filter (a backspace in the search, `o` twice) or another sort order costs no
    count. A filter that reads every row (text, owner) is counted off the UI thread (`count_later`), on the
    store's `Counter`; the table waits a little for it (`PagedTable.COUNT_WAIT`) before painting without it.
    """

    def __init__(self, board: Board, columns: Sequence[Column], to_row: Callable[[object], Row],
                 flt: actions_store.ActionFilter) -> None:
        self.board = board
        self.columns = columns
        self.to_row = to_row
        self.flt = flt
        self._counter = actions_store.Counter(board)
        self._counts: dict[actions_store.ActionFilter, int] = {}
        self._stamp: int | None = None
        # Which state of the data a count belongs to: one from before `invalidate` is dropped, never kept.
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def filter_text(self) -> str:
        return self.flt.text

    @staticmethod
    def _key(flt: actions_store.ActionFilter) -> actions_store.ActionFilter:
        return replace(flt, order="due")  # the order does not change the count

    def _known(self) -> int | None:
        stamp = actions_store.data_stamp(self.board)
        with self._lock:
            if stamp is None or stamp != self._stamp:
                self._counts.clear()
                self._stamp = stamp
                self._generation += 1
            return self._counts.get(self._key(self.flt))

    def set_filter(self, text: str) -> None:
        self.flt = replace(self.flt, text=text.strip())
        self._counter.cancel()

    def set_query(self, flt: actions_store.ActionFilter) -> None:
        if self._key(flt) != self._key(self.flt):
            self._counter.cancel()
        self.flt = flt

    def count(self) -> int:
        known = self._known()
        if known is not None:
            return known
        n = actions_store.count(self.board, self.flt)
        with self._lock:
            if self._stamp is not None:
                self._counts[self._key(self.flt)] = n
        return n

    def count_later(self) -> Callable[[], int | None] | None:
        """The count of the current filter, to run on another thread; None when it is known, cheap (an index
        answers it) or must be made on the UI thread's connection. The job returns None if cancelled by a newer
        filter or made stale by a change to the data."""
        if self._known() is not None or not self._counter.apart or not self.flt.reads_every_row:
            return None
        flt, generation = self.flt, self._generation

        def job() -> int | None:
            n = self._counter.count(flt)
            if n is None:
                return None
            with self._lock:
                if generation != self._generation:
                    return None
                if self._stamp is not None:
                    self._counts[self._key(flt)] = n
            return n

        return job

    def rows(self, offset: int, limit: int) -> list[Row]:
        return [self.to_row(r) for r in actions_store.page(self.board, offset, limit, self.flt)]

    def invalidate(self) -> None:
        with self._lock:
            self._counts.clear()
            self._generation += 1
        self._counter.cancel()


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
