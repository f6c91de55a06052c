"""Table sources: what each list screen's PagedTable asks for rows.

Small lists (programmes, standards, milestones: tens to a few thousand, each needing a rule in Python) are built
once per screen load and paged from memory (`list_source.ListSource`). The big ones here (actions, meetings) ask
SQL for one page at a time.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from typing import Callable, Sequence

from boardtui.store import actions as actions_store
from boardtui.store import meetings as meetings_store
from boardtui.store.connection import Board
from boardtui.ui.widgets.paged_table import Column, Row

__all__ = ["ActionsSource", "MeetingsSource"]


class ActionsSource:
    """The action log straight from SQL: a COUNT and one LIMIT/OFFSET page per block.

    Counts are kept per filter while nothing else has written to the board (`actions.data_stamp`) and until
    `invalidate`, so going back to a filter (a backspace in the search, `o` twice) or another sort order costs no
    count. A filter that reads every row (text, owner) is counted off the UI thread (`count_later`), on the
    store's `Counter`, while the table reads and draws the first page; it waits a little for the figure
    (`PagedTable.COUNT_WAIT`) before painting without it. The counts kept also bound a longer text (`_bound`):
    typing on after a text that matched none reads nothing, and after one that matched few reads those few rows
    once, for the figure and the pages (`_whole`).
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
        self._kept: tuple[actions_store.ActionFilter, int, list[Row]] | None = None  # `_whole`'s rows
        self._lock = threading.Lock()

    @property
    def filter_text(self) -> str:
        return self.flt.text

    @staticmethod
    def _key(flt: actions_store.ActionFilter) -> actions_store.ActionFilter:
        return replace(flt, order="due")  # the order does not change the count

    def _known(self) -> int | None:
        """The current filter's count if it is known: counted before, or none when a filter it narrows matched
        none (`_bound`)."""
        stamp = actions_store.data_stamp(self.board)
        with self._lock:
            if stamp is None or stamp != self._stamp:
                self._counts.clear()
                self._stamp = stamp
                self._generation += 1
            known = self._counts.get(self._key(self.flt))
            return 0 if known is None and self._bound() == 0 else known

    def _bound(self) -> int | None:
        """At most how many rows the current filter matches, from the counts kept: a text that contains an
        already counted text (the same filter otherwise) matches only rows that text matched — a LIKE pattern
        with more around it, `%` and `_` included, matches a subset. Typing a word thus knows, from its first
        letters, when it can match few rows or none. Called holding the lock, after `_known` checked the stamp."""
        key = self._key(self.flt)
        if not key.text:
            return None
        rest = replace(key, text="")
        bounds = [n for k, n in self._counts.items() if k.text and k.text in key.text and replace(k, text="") == rest]
        return min(bounds, default=None)

    def set_filter(self, text: str) -> None:
        self.flt = replace(self.flt, text=text.strip())
        self._counter.cancel()

    def ready_to_filter(self) -> None:
        """The filter box has opened: the counts of what is typed next get their index read ahead."""
        self._counter.warm()

    def set_query(self, flt: actions_store.ActionFilter) -> None:
        if self._key(flt) != self._key(self.flt):
            self._counter.cancel()
        self.flt = flt

    def count(self) -> int:
        known = self._known()
        if known is not None:
            return known
        whole = self._whole()
        if whole is not None:
            return len(whole)
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
        with self._lock:
            if self._few():
                return None  # `count` reads its few rows instead
        flt, generation = self.flt, self._generation
        try:
            run = self._counter.prepare(flt)
        except sqlite3.Error:  # the file could not be opened a second time: `count` makes it here instead
            return None

        def job() -> int | None:
            n = run()
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
        if self._known() == 0:
            return []
        whole = self._whole()
        if whole is not None:
            return whole[offset : offset + limit]
        with self._lock:
            bound = self._bound()
        # A walk of the order's index that would pass half the log or more to fill the page gives way to reading
        # the matches at once (actions.page): a text known to match few rows skips it.
        walk = bound is None or bound >= 2 * (offset + limit)
        return [self.to_row(r) for r in actions_store.page(self.board, offset, limit, self.flt, walk=walk)]

    # A text known to match at most this many rows (`_bound`) is read whole, once: its count is the number of rows
    # read, in the same read as the rows, and its pages are cut from them. One scan of the search index, where a
    # count on another thread beside a page read from the matches scanned it twice (on two busy cores, in turn).
    FEW = 100

    def _few(self) -> bool:
        bound = self._bound()
        return bound is not None and bound <= self.FEW

    def _whole(self) -> list[Row] | None:
        """Every row of the current filter, in its order, when it is known to match few (`FEW`); else None. Called
        after `_known` checked the stamp. Exact whatever happened since the bound was counted: one row more than
        the bound is asked for, and a read that finds it (someone added matches meanwhile) is not used."""
        with self._lock:
            if not self._few():
                return None
            bound, generation = self._bound(), self._generation
            if self._kept is not None and self._kept[:2] == (self.flt, generation):
                return self._kept[2]
        flt = self.flt
        found = actions_store.page(self.board, 0, bound + 1, flt, walk=False)
        if len(found) > bound:
            return None
        rows = [self.to_row(r) for r in found]
        with self._lock:
            if generation == self._generation:
                self._kept = (flt, generation, rows)
                if self._stamp is not None:
                    self._counts[self._key(flt)] = len(rows)
        return rows

    def invalidate(self) -> None:
        with self._lock:
            self._counts.clear()
            self._kept = None
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
