"""The Conflicts screen: check-in conflicts of a chair's offline copy, resolved one by one.

Each line says what the laptop set and what the office set, who and when. `m` keeps mine (the laptop's value),
`t` keeps theirs (the office's value, which stands until then), `e` edits the value; each resolution is written
through the store with its audit row (store/offline.py).
"""

from __future__ import annotations

import json
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from boardtui.store import offline
from boardtui.ui.literal import lit, lit_text
from boardtui.ui.screens.pushed import PushedScreen

TITLE = "Conflicts from offline check-ins"


class ConflictsScreen(PushedScreen):
    """Open check-in conflicts, one row each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "resolve('mine')", "Keep mine", id="conflicts.mine"),
        Binding("t", "resolve('theirs')", "Keep theirs", id="conflicts.theirs"),
        Binding("e", "edit", "Edit", id="conflicts.edit"),
    ]

    DEFAULT_CSS = """
    ConflictsScreen #conflicts-table { height: 1fr; }
    ConflictsScreen #conflicts-empty { padding: 1 2; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_header(TITLE)
        table = DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("what", "from", "when")
        yield table
        yield Static(id="conflicts-empty")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.rows = offline.open_conflicts(self.app.board)
        for c in self.rows:
            table.add_row(lit_text(offline.conflict_line(c)), lit_text(c["mine_who"] or ""),
                          lit_text((c["created_at"] or "")[:16].replace("T", " ")), key=c["id"])
        empty = self.query_one("#conflicts-empty", Static)
        empty.update(lit("" if self.rows else "No conflicts are waiting: every check-in is merged."))
        empty.display = not self.rows
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))

    def _current(self):
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_resolve(self, choice: str) -> None:
        c = self._current()
        if c is None or self.app.board.read_only and self._refuse():
            return
        done = self.attempt(offline.resolve, self.app.board, c["id"], choice)
        if done is not None or not self._is_open(c["id"]):
            self.notify(f"Kept {'your' if choice == 'mine' else 'the office'} value.", markup=False)
        self.reload()

    def _refuse(self) -> bool:
        self.notify("This board is open read-only: conflicts cannot be resolved here.", severity="error",
                    markup=False)
        return True

    def _is_open(self, conflict_id: str) -> bool:
        return any(r["id"] == conflict_id for r in offline.open_conflicts(self.app.board))

    def action_edit(self) -> None:
        from boardtui.ui.modals.prompt import PromptDialog

        c = self._current()
        if c is None or self.app.board.read_only and self._refuse():
            return
        mine = json.loads(c["mine"] or "null")

        def done(text: str | None) -> None:
            if text is None:
                return
            self.attempt(offline.resolve, self.app.board, c["id"], "edit", text)
            self.reload()

        self.app.push_screen(
            PromptDialog(f"{c['entity']} {c['ref'] or ''} {c['field'] or ''}".strip(),
                         offline.conflict_line(c), "" if mine is None else str(mine)),
            done,
        )
