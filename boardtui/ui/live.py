"""Colleagues' changes appear on an open screen without a restart (issue 11): a small watcher the app starts after
its first paint.

It polls a cheap change token on the board's own connection, on the UI thread (STYLE: one connection per board,
used from the UI thread only):

- SQLite: `PRAGMA data_version`, which changes when another connection has committed to the file since this
  connection last asked (our own commits leave it alone; the screens refresh themselves after an edit). It is a
  read of the shared header, microseconds, so it is polled every second.
- PostgreSQL: the number of recent audit rows. Every write leaves at least one audit row and the audit trail is
  append-only (its trigger refuses UPDATE and DELETE), so the count of rows whose key is above a fixed floor only
  ever grows. A max(id) of the time-ordered keys would not do: a slow transaction, or a machine whose clock is
  behind, commits keys below the newest one. The floor is the key an hour before the watcher started (clocks on
  one network are not an hour apart; a check-in, whose laptop rows carry old keys, also writes a fresh summary
  row), so the count walks only this session's rows of the primary-key index: one round trip, polled every two
  seconds. Counting the whole trail instead costs 12 ms a poll at 200,000 rows. Our own writes move the count
  too, which costs one extra refresh of the screen after a save.

On a change it counts an edit (`board_edits.mark_changed`: screens drawn earlier redraw when they come back into
view) and tells the screen in front through its `board_changed()` (AreaScreen keeps the cursor on the same row).
While a dialog is open nothing is reloaded under it: the news waits until the dialog has closed, so what the user
is typing is never touched.

When the server connection drops and cannot be made again at once (store/engine.py's `ConnectionLost`), the
watcher says so, makes the board read-only (edits are refused with that reason; an open dialog keeps its text),
keeps what is on screen, and tries to connect again in a thread on every tick; once connected it restores the
board's own read-only state and refreshes the screen.
"""

from __future__ import annotations

import time

from textual.screen import ModalScreen

from boardtui.domain.errors import BoardError
from boardtui.store.engine import ConnectionLost  # the executor only: psycopg is imported when a URL connects
from boardtui.ui.screens import board_edits

SQLITE_SECONDS = 1.0
SERVER_SECONDS = 2.0
CLOCK_MARGIN_MS = 3_600_000  # how far behind another machine's clock may be (see the server case above)


def key_floor(now_ms: int) -> str:
    """The text every audit key made after `now_ms` less the margin sorts above (the UUIDv7 time prefix)."""
    h = f"{max(now_ms - CLOCK_MARGIN_MS, 0):012x}"
    return f"{h[:8]}-{h[8:]}"


def change_token(board, floor: str) -> object:
    """A value that differs once someone else has committed a change to the board."""
    if getattr(board.conn, "engine", "sqlite") == "postgresql":
        return board.scalar("SELECT count(*) FROM audit WHERE id > :f", {"f": floor})
    return board.scalar("PRAGMA data_version")


class Watcher:
    """Polls `change_token` on a timer; delivers `board_changed()` to the screen in front when it moves."""

    def __init__(self, app) -> None:
        self.app = app
        self.floor = key_floor(time.time_ns() // 1_000_000)
        self.seen = change_token(app.board, self.floor)
        self.pending = False
        self.lost: tuple[bool, str | None] | None = None  # while the server is away: the board's own read-only state
        self.trying = False

    def poll(self) -> None:
        if self.lost is not None:
            self._try_again()
            return
        try:
            token = change_token(self.app.board, self.floor)
        except ConnectionLost as exc:
            self._connection_lost(str(exc))
            return
        if token != self.seen:
            self.seen = token
            self.pending = True
            board_edits.mark_changed(self.app)
        self.deliver()

    def deliver(self) -> None:
        if not self.pending or isinstance(self.app.screen, ModalScreen):
            return  # a dialog is open: its screen's data is reloaded after it closes
        self.pending = False
        changed = getattr(self.app.screen, "board_changed", None)
        if changed is not None:
            try:
                changed()
            except ConnectionLost as exc:  # dropped between the poll and the reload: the screen keeps what it had
                self.pending = True
                self._connection_lost(str(exc))

    # ---- the server went away (PostgreSQL only: a SQLite file does not) -----------------------------------

    def _connection_lost(self, why: str) -> None:
        """Say so, keep what is on screen, and refuse edits (the board goes read-only) until the server is back.
        Dialogs keep what was typed: a save refused meanwhile says why and leaves the dialog open."""
        board = self.app.board
        self.lost = (board.read_only, board.read_only_reason)
        board.read_only, board.read_only_reason = True, "the connection to the server was lost"
        self.app.notify(f"{why.removesuffix(' nothing was saved.').rstrip(':')}. What is on screen stays; nothing "
                        "can be saved until the connection is back (trying every few seconds).",
                        title="Connection lost", severity="error", timeout=30, markup=False)
        self._try_again()

    def _try_again(self) -> None:
        """Connect again in a thread (a server that does not answer must not freeze the screen)."""
        if self.trying:
            return
        self.trying = True
        conn = self.app.board.conn

        def attempt() -> None:
            try:
                raw = conn.fresh_raw()
            except BoardError:
                self.app.call_from_thread(self._still_down)
                return
            self.app.call_from_thread(self._reconnected, raw)

        self.app.run_worker(attempt, thread=True, name="board-reconnect", group="board-watcher")

    def _still_down(self) -> None:
        self.trying = False

    def _reconnected(self, raw) -> None:
        board = self.app.board
        board.conn.adopt(raw)
        board.read_only, board.read_only_reason = self.lost
        self.lost, self.trying = None, False
        self.pending = True  # colleagues may have saved while we were away: refresh whatever the count says
        board_edits.mark_changed(self.app)
        self.app.notify("Connected to the server again: the screen shows the board as it is now.",
                        title="Connection back", timeout=8, markup=False)
        self.deliver()


def watch(app) -> Watcher:
    """Start watching `app.board` for colleagues' changes (call once, after the first paint)."""
    watcher = Watcher(app)
    on_server = getattr(app.board.conn, "engine", "sqlite") == "postgresql"
    app.set_interval(SERVER_SECONDS if on_server else SQLITE_SECONDS, watcher.poll, name="board-watcher")
    return watcher
