"""Actions (key 6): the whole action log of every body, paged from SQL, so 100k actions open as fast as ten.

Filters narrow the log and combine: `o` open only, `l` late (overdue) only, `b` one body at a time, `w` one
owner ("mine" starts from your name in the config), `c` clears them, `/` searches text; `S` sorts by due date,
owner, status or ref in turn. A text filter reads every row: it is counted on another thread, and painted with
its count when that takes under 40 ms, else its first page paints and the count follows ("counting…" meanwhile).
On a row: `enter`
details with every dated update and each earlier due date, `n` new, `e` edit, `u` a dated update, `t` move
the due date (the earlier one is kept: "slipped twice, originally 14 Oct 2016"), `s` next status, `h` history.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from boardtui.domain.actions import ActionStatus, is_overdue
from boardtui.domain.errors import BoardError
from boardtui.domain.periods import display_date
from boardtui.domain.text import terminal_safe
from boardtui.store import action_counts
from boardtui.store import actions as actions_store
from boardtui.store import history
from boardtui.store import meetings as meetings_store
from boardtui.ui.literal import lit
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.sources import ActionsSource
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row

COLUMNS = (
    Column("ref", "Ref", 8, min_width=6),
    Column("due", "Due", 10, min_width=10),
    Column("status", "Status", 8, min_width=8),
    Column("overdue", "Overdue", 7, min_width=7),
    Column("owner", "Owner", 18, min_width=8),
    Column("text", "Action", 36, min_width=14),
    Column("raised", "Raised at", 22, min_width=8),
    Column("slip", "Due date moved", 16, min_width=6),
    Column("update", "Latest update", 24, min_width=6),
)

STATUS_SHORT = {"open": "open", "proposed for closure": "proposed", "closed": "closed"}
LIVE = (ActionStatus.OPEN.value, ActionStatus.PROPOSED.value)
NEXT_STATUS = {"open": "proposed for closure", "proposed for closure": "closed", "closed": "open"}


class ActionsScreen(AreaScreen):
    TITLE_TEXT = "Actions"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "toggle_open", "Open only", id="actions.open"),
        Binding("l", "toggle_overdue", "Overdue only", id="actions.overdue"),
        Binding("b", "next_body", "Body", id="actions.body"),
        Binding("w", "owner", "Owner", id="actions.owner"),
        Binding("c", "clear_filters", "Clear filters", id="actions.clear"),
        Binding("S", "next_order", "Sort", id="actions.sort"),
        Binding("n", "new", "New", id="actions.new"),
        Binding("e", "edit", "Edit", id="actions.edit"),
        Binding("u", "update", "Update", id="actions.update"),
        Binding("t", "redate", "Move due date", id="actions.redate"),
        Binding("s", "next_status", "Next status", id="actions.status"),
        Binding("h", "history", "History", id="actions.history"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static(lit(""), classes="summary", id="counts")
        today = self.app.today
        board = self.app.board

        def to_row(a) -> Row:
            raised = ""
            if a["meeting_date"]:
                raised = f"{a['meeting_date']} item {a['item_number'] or '—'}"
                if a["part"] == 2:
                    raised += " (Part 2)"
                if a["body"]:
                    raised += f" — {a['body']}"
            elif a["body"]:
                raised = a["body"]
            overdue = "OVERDUE" if is_overdue(a["status"], a["due"], today) else ""
            return Row(a["id"], (a["ref"], a["due"], STATUS_SHORT.get(a["status"], a["status"]), overdue,
                                 a["owner"], a["text"], raised, actions_store.slip_text(board, a),
                                 a["latest_update"] or ""))

        yield PagedTable(ActionsSource(board, COLUMNS, to_row, actions_store.ActionFilter()))
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.show_counts()
        self._just_shown = True

    def on_screen_resume(self) -> None:
        # Back from another screen or dialog: the log may have changed there. The resume that follows the mount
        # has nothing new, and re-reading then counted the whole log twice before the first paint.
        if self._just_shown:
            self._just_shown = False
            return
        self.refresh_log()

    # ---- filters ---------------------------------------------------------------------------------------------

    @property
    def flt(self) -> actions_store.ActionFilter:
        return self.table.source.flt

    def apply(self, flt: actions_store.ActionFilter) -> None:
        self.table.source.set_query(flt)
        self.table.reload(keep_cursor=False)
        self.show_counts()

    def refresh_log(self) -> None:
        self.table.source.invalidate()
        self.table.reload(keep_cursor=True)
        self._log_counts = None
        self.show_counts()

    _log_counts: action_counts.ActionCounts | None = None
    _just_shown = False

    def show_counts(self) -> None:
        board = self.app.board
        # The whole log's counts do not change with the filter: counted once, and again after a change
        # (refresh_log), not on every filter key (two aggregates over 100k rows, ~20 ms).
        if self._log_counts is None:
            self._log_counts = action_counts.counts(board, self.app.today)
        c = self._log_counts
        flt = self.flt
        active = []
        if flt.statuses:
            active.append("open only")
        if flt.overdue_on:
            active.append("overdue only")
        if flt.body_id:
            body = meetings_store.body(board, flt.body_id)
            active.append(f"body: {body['name'] if body else '?'}")
        if flt.owner:
            active.append(f"owner: {flt.owner}")
        if flt.text:
            active.append(f"text: {flt.text}")
        shown = ""
        if active:
            # Never a figure from an earlier filter: until the count arrives, say it is being made.
            figure = "counting…" if self.table.counting else f"{self.table.row_count:,} shown"
            shown = f"{figure} ({'; '.join(active)}) · "
        self.query_one("#counts", Static).update(lit(
            f"{shown}{c.open:,} open, {c.overdue:,} overdue, {c.proposed:,} proposed for closure, "
            f"{c.closed:,} closed · sorted by {actions_store.ORDER_NAMES[flt.order]} · "
            "filters: o open, l overdue, b body, w owner, c clear · S sort"))

    def on_input_changed(self, event) -> None:
        # The area's own handler narrows the table, and the counts line follows at once, so both are painted in
        # the same frame (after the next refresh, the line took a frame of its own: ~17 ms more per key).
        if event.input.id == "filter":
            super().on_input_changed(event)
            event.prevent_default()  # the area's handler has run: not again
            self.show_counts()
            self.send_refresh()

    def on_paged_table_counted(self, event: PagedTable.Counted) -> None:
        self.show_counts()
        self.send_refresh()

    def send_refresh(self) -> None:
        """The table's and the counts line's repaints join the frame after this handler, with the filter box's
        echo (see `PagedTable.send_refresh`): a typed letter is then one frame, not three."""
        self.table.send_refresh()
        self.query_one("#counts", Static)._check_refresh()

    def action_next_order(self) -> None:
        self.apply(replace(self.flt, order=actions_store.next_order(self.flt.order)))

    def action_toggle_open(self) -> None:
        self.apply(replace(self.flt, statuses=() if self.flt.statuses else LIVE))

    def action_toggle_overdue(self) -> None:
        self.apply(replace(self.flt, overdue_on=None if self.flt.overdue_on else self.app.today))

    def action_next_body(self) -> None:
        ids = [None] + [b["id"] for b in meetings_store.bodies(self.app.board)]
        current = ids.index(self.flt.body_id) if self.flt.body_id in ids else 0
        self.apply(replace(self.flt, body_id=ids[(current + 1) % len(ids)]))

    def action_owner(self) -> None:
        start = self.flt.owner or (self.app.config.name or "")

        def save(values: dict[str, str], confirmed: bool) -> str:
            return values["owner"].strip() or "-"

        def chosen(owner) -> None:
            if isinstance(owner, str):
                self.apply(replace(self.flt, owner="" if owner == "-" else owner))

        from boardtui.ui.modals.form import FormField, FormScreen

        self.app.push_screen(FormScreen("Actions of one owner", [
            FormField("owner", "Owner (part of the name; blank shows everyone's)", start,
                      suggestions=actions_store.owner_names(self.app.board)),
        ], save), chosen)

    def action_clear_filters(self) -> None:
        self.apply(actions_store.ActionFilter(text=self.flt.text))

    # ---- the action under the cursor -------------------------------------------------------------------------

    def _action(self):
        key = self.table.cursor_key
        return actions_store.get(self.app.board, key) if key else None

    def _then_refresh(self, _result=None) -> None:
        self.refresh_log()

    @staticmethod
    def _forms():
        # The forms (and the text editor they use) load when one is first opened: ~40 ms off the list's start.
        from boardtui.ui.modals import action_form

        return action_form

    def action_new(self) -> None:
        self.app.push_screen(self._forms().new_action(self.app.board, body_id=self.flt.body_id,
                                                    context="A new action on the log (not raised at a meeting)."),
                             self._then_refresh)

    def action_edit(self) -> None:
        a = self._action()
        if a is not None:
            self.app.push_screen(self._forms().edit_action(self.app.board, a), self._then_refresh)

    def action_update(self) -> None:
        a = self._action()
        if a is not None:
            self.app.push_screen(self._forms().add_update(self.app.board, a), self._then_refresh)

    def action_redate(self) -> None:
        a = self._action()
        if a is not None:
            self.app.push_screen(self._forms().redate(self.app.board, a), self._then_refresh)

    def action_next_status(self) -> None:
        a = self._action()
        if a is None:
            return
        status = NEXT_STATUS.get(a["status"], "open")
        try:
            actions_store.set_status(self.app.board, a["id"], a["version"], status)
        except BoardError as exc:  # busy, read-only, changed by someone else
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"{a['ref']} is now {status}.", markup=False)
        self.refresh_log()

    def open_record(self, kind: str, record_id: str, key: str) -> None:
        """The command palette's jump to an action: its detail."""
        self.show_detail(record_id)

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        if event.key:
            self.show_detail(event.key)

    def show_detail(self, action_id: str) -> None:
        from boardtui.ui.modals.detail import DetailScreen

        board = self.app.board
        a = actions_store.get(board, action_id)
        if a is None:
            return
        slip = actions_store.slip_text(board, a)
        due = display_date(a["due"]) + (f" ({slip})" if slip else "")
        if is_overdue(a["status"], a["due"], self.app.today):
            due += " — OVERDUE"
        dates = actions_store.due_history(board, a["id"])
        raised = "not raised at a meeting"
        if a["meeting_date"]:
            raised = f"{a['body'] or '—'}, {display_date(a['meeting_date'])}, item {a['item_number'] or '—'}"
            if a["part"] == 2:
                raised += " (Part 2: confidential)"
        fields = [
            ("Ref", a["ref"]), ("Action", a["text"]), ("Owner", a["owner"]), ("Due", due),
            ("Due dates", " → ".join(display_date(d) for d in dates)), ("Status", a["status"]),
            ("Raised at", raised), ("Latest update", a["latest_update"] or "—"),
        ]
        for u in actions_store.updates(board, a["id"]):
            when = u["at"][:10]
            if u["new_due"]:
                text = f"due {display_date(u['old_due'])} → {display_date(u['new_due'])}"
                if u["text"]:
                    text += f": {u['text']}"
            else:
                text = u["text"] or ""
            fields.append((f"Update {when}", f"{text} ({u['who']})"))
        fields = [(label, terminal_safe(value)) for label, value in fields]
        self.app.push_screen(DetailScreen(terminal_safe(f"Action {a['ref']}"), fields,
                                          history.row_history(board, "action", a["id"])))

    def action_history(self) -> None:
        a = self._action()
        if a is not None:
            from boardtui.ui.modals.detail import DetailScreen

            fields = [("Ref", terminal_safe(a["ref"])), ("Action", terminal_safe(a["text"]))]
            self.app.push_screen(DetailScreen(f"History of {a['ref']}", fields,
                                              history.row_history(self.app.board, "action", a["id"])))
