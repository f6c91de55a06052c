"""A meeting's agenda (enter on a meeting): the agenda builder.

Items in order with their planned start, minutes, part and purpose; the planned total and finish above; under
the table, the highlighted item in full (recommendations, links, declarations, what has been recorded) and —
on the action-log item — every open action of the body, carried forward. `n` adds an item (Part 1 before any
other business, Part 2 at the end), `e` edits it, `shift+up`/`shift+down` move it (renumbered at once),
`delete` removes it (asking first when decisions or actions hang off it), `p` attendance, `i` declarations on
the item, `g` runs the meeting, `w` writes the minutes.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from boardtui.domain.actions import is_overdue
from boardtui.domain.agenda import (
    add_minutes, clock_text, is_action_log, parse_time, planned_starts, total_minutes,
)
from boardtui.domain.errors import ValidationError
from boardtui.domain.periods import display_date
from boardtui.domain.text import terminal_safe
from boardtui.store import actions as actions_store
from boardtui.store import agenda as agenda_store
from boardtui.store import attendance as attendance_store
from boardtui.store import history
from boardtui.store import meetings as meetings_store
from boardtui.ui.list_source import ListSource
from boardtui.ui.literal import add, lit, lit_text
from boardtui.ui.modals.attendance import AttendanceScreen, quorum_text
from boardtui.ui.modals.confirm import ConfirmScreen
from boardtui.ui.modals.declarations import DeclarationsScreen
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.modals.item_form import edit_item, new_item
from boardtui.ui.modals.meeting_forms import minutes_form
from boardtui.ui.screens.pushed import PushedScreen
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row

COLUMNS = (
    Column("number", "No", 3, "right", min_width=3),
    Column("start", "Start", 5, min_width=5),
    Column("minutes", "Min", 4, "right", min_width=3),
    Column("part", "Part", 6, min_width=6),
    Column("purpose", "Purpose", 11, min_width=4),
    Column("title", "Title", 40, min_width=12),
    Column("presenter", "Presenter", 20, min_width=6),
    Column("recorded", "Recorded", 9, min_width=8),
)

CARRY_SHOWN = 200


def safe_start(text: str | None):
    try:
        return parse_time(text)
    except ValidationError:
        return None


def action_line(a, today) -> str:
    overdue = " OVERDUE" if is_overdue(a["status"], a["due"], today) else ""
    status = "" if a["status"] == "open" else f" ({a['status']})"
    part = " [Part 2]" if a["part"] == 2 else ""
    return f"  {a['ref']:<8} {a['text']} — {a['owner']} — due {display_date(a['due'])}{overdue}{status}{part}"


class MeetingScreen(PushedScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_item", "New item", id="agenda.new"),
        Binding("e", "edit_item", "Edit item", id="agenda.edit"),
        Binding("delete", "delete_item", "Delete item", id="agenda.delete"),
        Binding("shift+up,ctrl+up", "move(-1)", "Move up", id="agenda.up"),
        Binding("shift+down,ctrl+down", "move(1)", "Move down", id="agenda.down"),
        Binding("p", "attendance", "Attendance", id="agenda.attendance"),
        Binding("i", "declarations", "Declarations", id="agenda.declarations"),
        Binding("g", "run", "Run meeting", id="agenda.run"),
        Binding("w", "minutes", "Write minutes", id="agenda.minutes"),
        Binding("h", "history", "Item history", id="agenda.history"),
    ]

    DEFAULT_CSS = """
    MeetingScreen #summary {
        height: auto;
        padding: 0 1;
    }
    MeetingScreen PagedTable {
        height: 3fr;
    }
    MeetingScreen #item-detail {
        height: 2fr;
        border-top: solid $primary;
        padding: 0 1;
    }
    """

    def __init__(self, meeting_id: str, item_id: str | None = None) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.focus_item = item_id
        self.items: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        m = meetings_store.get(self.app.board, self.meeting_id)
        yield from self.compose_header(f"Agenda — {meetings_store.label(m)}" if m else "Agenda")
        yield Static(lit(""), id="summary")
        yield PagedTable(ListSource(COLUMNS, []))
        with VerticalScroll(id="item-detail", can_focus=False):
            yield Static(lit(""), id="detail-text")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.reload(self.focus_item)
        self.query_one(PagedTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def reload(self, key: str | None = None) -> None:
        board = self.app.board
        m = meetings_store.get(board, self.meeting_id)
        if m is None:
            self.notify("That meeting no longer exists.", severity="error", markup=False)
            return
        rows = meetings_store.agenda(board, self.meeting_id)
        self.items = {r["id"]: r for r in rows}
        counts = meetings_store.item_counts(board, self.meeting_id)
        start = safe_start(m["start_time"])
        starts = planned_starts(start, [r["minutes"] for r in rows])
        table_rows = []
        for r, at in zip(rows, starts):
            c = counts.get(r["id"], meetings_store.ItemCounts())
            recorded = f"{c.notes}n {c.decisions}d {c.actions}a" if c.captured else ""
            table_rows.append(Row(r["id"], (
                r["number"], clock_text(at) if at else "", str(r["minutes"] or ""),
                "Part 2" if r["part"] == 2 else "", r["purpose"] or "", r["title"], r["presenter"] or "", recorded,
            )))
        table = self.table
        keep = key or table.cursor_key
        table.set_source(ListSource(COLUMNS, table_rows))
        if keep in self.items:
            table.cursor_index = list(self.items).index(keep)
        total = total_minutes([r["minutes"] for r in rows])
        finish = ""
        if start is not None:
            finish = f" · starts {clock_text(start)}, planned finish {clock_text(add_minutes(start, total))}"
        roster = attendance_store.roster(board, self.meeting_id)
        present = sum(1 for x in roster if x.status == "present" or x.substitute_for)
        apologies = sum(1 for x in roster if x.status == "apologies")
        summary = lit_text(
            f"{meetings_store.status_text(m)} · {m['venue'] or 'no venue'} · {len(rows)} items · planned "
            f"{total} min{finish}\nAttendance: {present} present, {apologies} apologies · "
        )
        summary.append_text(quorum_text(attendance_store.quorum(board, self.meeting_id)))
        self.query_one("#summary", Static).update(summary)
        self.show_item(table.cursor_key)

    def on_paged_table_cursor_moved(self, event: PagedTable.CursorMoved) -> None:
        self.show_item(event.key)

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        self.action_edit_item()

    def show_item(self, item_id: str | None) -> None:
        board = self.app.board
        detail = self.query_one("#detail-text", Static)
        item = self.items.get(item_id) if item_id else None
        if item is None:
            detail.update(lit("No items yet: press n to add one."))
            return
        m = meetings_store.get(board, self.meeting_id)
        lines = [f"Item {item['number']}: {item['title']}"]
        facts = [f"Part {item['part']}" + (" (confidential)" if item["part"] == 2 else "")]
        if item["purpose"]:
            facts.append(f"for {item['purpose']}")
        if item["minutes"]:
            facts.append(f"{item['minutes']} min")
        for label, key in (("presenter", "presenter"), ("sponsor", "sponsor"), ("author", "author")):
            if item[key]:
                facts.append(f"{label} {item[key]}")
        lines.append(" · ".join(facts))
        recs = agenda_store.recommendations(item)
        if recs:
            lines.append("Recommendations:")
            lines += [f"  {chr(ord('a') + i)}) {r}" if i < 26 else f"  - {r}" for i, r in enumerate(recs)]
        links = agenda_store.links(board, item["id"])
        if links:
            lines.append(f"Links: {agenda_store.links_text(links)}")
        declared = attendance_store.declarations(board, self.meeting_id, item["id"])
        if declared:
            lines.append("Declarations: " + "; ".join(f"{d['member_name']} ({d['handling'] or 'noted'})"
                                                       for d in declared))
        counts = agenda_store.dependents(board, item["id"])
        if counts.captured:
            lines.append(f"Recorded: {counts.notes} notes, {counts.decisions} decisions, {counts.actions} actions")
        text = lit_text("\n".join(lines))
        if declared:
            check = attendance_store.quorum(board, self.meeting_id, item["id"])
            add(text, "\n")
            text.append_text(quorum_text(check))
        if is_action_log(item["kind"], item["title"]) and m is not None:
            carried = actions_store.carried_forward(board, m["body_id"], m["date"], limit=CARRY_SHOWN)
            total = actions_store.count_carried_forward(board, m["body_id"], m["date"])
            add(text, f"\nOpen actions carried forward ({total}):\n")
            add(text, "\n".join(action_line(a, self.app.today) for a in carried) or "  none")
            if total > len(carried):
                add(text, f"\n  … and {total - len(carried)} more on the action log (key 6)")
        detail.update(text)

    def _item(self):
        key = self.table.cursor_key
        return agenda_store.item(self.app.board, key) if key else None

    def action_new_item(self) -> None:
        self.app.push_screen(new_item(self.app.board, self.meeting_id),
                             lambda key: self.reload(key if isinstance(key, str) else None))

    def action_edit_item(self) -> None:
        item = self._item()
        if item is not None:
            self.app.push_screen(edit_item(self.app.board, item), lambda _: self.reload())

    def action_move(self, step: int) -> None:
        item = self._item()
        if item is not None and self.attempt(agenda_store.move_item, self.app.board, item["id"], step):
            self.reload(item["id"])

    def action_delete_item(self) -> None:
        item = self._item()
        if item is None:
            return
        counts = agenda_store.dependents(self.app.board, item["id"])
        what = [f"{n} {label}" for n, label in ((counts.decisions, "decisions"), (counts.actions, "actions"),
                                                (counts.notes, "minute notes"), (counts.declarations, "declarations"))
                if n]
        message = f"Delete item {item['number']}: {item['title']}?"
        if what:
            message += (f"\nIt has {', '.join(what)}: they are deleted with it (each is kept in the audit "
                        "trail, and can be found in the history).")

        def answer(yes: bool | None) -> None:
            if yes:
                self.attempt(agenda_store.delete_item, self.app.board, item["id"], item["version"])
                self.reload()

        self.app.push_screen(ConfirmScreen("Delete agenda item", message, yes="delete", no="keep", destructive=True),
                             answer)

    def action_attendance(self) -> None:
        self.app.push_screen(AttendanceScreen(self.app.board, self.meeting_id), lambda _: self.reload())

    def action_declarations(self) -> None:
        item = self._item()
        if item is not None:
            self.app.push_screen(DeclarationsScreen(self.app.board, self.meeting_id, item), lambda _: self.reload())

    def action_run(self) -> None:
        from boardtui.ui.screens.runner import RunnerScreen

        if not self.items:
            self.notify("Add agenda items first (n).", severity="warning", markup=False)
            return
        self.app.push_screen(RunnerScreen(self.meeting_id))

    def action_minutes(self) -> None:
        m = meetings_store.get(self.app.board, self.meeting_id)
        if m is None:
            return

        def written(path) -> None:
            if path and path is not True:
                self.notify(f"Minutes written to {path}", markup=False)

        self.app.push_screen(minutes_form(self.app.board, m), written)

    def action_history(self) -> None:
        item = self._item()
        if item is None:
            return
        fields = [("Item", terminal_safe(f"{item['number']}: {item['title']}")), ("Part", str(item["part"]))]
        self.app.push_screen(DetailScreen(f"Item {item['number']}", fields,
                                          history.row_history(self.app.board, "agenda_item", item["id"])))
