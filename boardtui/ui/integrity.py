"""The app's side of the background integrity check (RELIABILITY A8).

The TUI opens a board with `quick_check` still running in a thread (store/connection.py `IntegrityCheck`), so a
large board paints without waiting ~0.3 s for it. Writes already wait for the verdict in the store. What the app
adds: when the check fails, it closes, and `launch.run_tui` opens the damaged-board screen in its place, with the
same words as when the damage is found at open; and a read that trips over the damage before the verdict is
heard closes the app the same way instead of ending it with a traceback.
"""

from __future__ import annotations

import sqlite3

from textual.message import Message

from boardtui.domain.errors import BoardError


class BoardDamaged(Message):
    """The background check has finished (posted from its thread); the handler reads the verdict."""


class IntegrityWatch:
    """Mixed into the app class, before `App`: `class BoardApp(IntegrityWatch, App[None])`.

    Textual calls each class's `on_mount` in turn, so this one runs beside the app's own.
    """

    closed_for_damage = False  # read by launch.run_tui: the app closed because the board is damaged

    def on_mount(self) -> None:
        check = self.board.integrity
        if check is not None and not check.on_done(self._heard):
            self._judge()  # the verdict was in before the app mounted

    def _heard(self) -> None:  # in the checking thread: post_message is the thread-safe way in
        try:
            self.post_message(BoardDamaged())
        except RuntimeError:  # the app's event loop has already closed
            pass

    def on_board_damaged(self, message: BoardDamaged) -> None:
        self._judge()

    def _judge(self, timeout: float | None = None) -> bool:
        """Take the verdict; when the board is damaged, close the app for the damaged screen. True if closed."""
        try:
            if timeout is None:
                self.board.await_integrity()
            else:
                self.board.await_integrity(timeout)
        except (BoardError, sqlite3.Error):
            return False  # no verdict yet: the next write asks again
        if self.board.damaged is None:
            return False
        self.closed_for_damage = True
        self.exit()
        return True

    def _handle_exception(self, error: Exception) -> None:
        if self.closed_for_damage:
            return  # closing for the damaged screen: what fails on the way out (a half-built screen) follows from it
        # A read of a damaged page can fail before the background check has said so: wait for the verdict
        # (reading the whole file takes seconds at most) and, if it is damage, show the damaged screen.
        if isinstance(error, sqlite3.DatabaseError) and (self.board.integrity is not None or self.board.damaged):
            if self._judge(timeout=30):
                return
        super()._handle_exception(error)
