"""Bodies (`b` on the meetings screen): boards and committees with their quorum rule; `enter` lists a body's
members (role, vote, dates), where `n`/`e`/`delete` add, change and remove them."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from boardtui.store import meetings as meetings_store
from boardtui.ui.list_source import ListSource
from boardtui.ui.literal import lit
from boardtui.ui.modals.confirm import ConfirmScreen
from boardtui.ui.modals.meeting_forms import body_form, member_form
from boardtui.ui.screens.pushed import PushedScreen
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row

BODY_COLUMNS = (
    Column("name", "Body", 40, min_width=12),
    Column("kind", "Kind", 15),
    Column("members", "Members", 8, "right"),
    Column("quorum", "Quorum rule", 40, min_width=10),
)

MEMBER_COLUMNS = (
    Column("name", "Member", 40, min_width=12),
    Column("role", "Role", 24, min_width=8),
    Column("voting", "Vote", 4),
    Column("dates", "Member from–until", 23),
)


def _select(table: PagedTable, key: str | None) -> None:
    if key is None:
        return
    for index in range(table.row_count):
        row = table.get_row(index)
        if row is not None and row.key == key:
            table.cursor_index = index
            return


class BodiesScreen(PushedScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New body", id="bodies.new"),
        Binding("e", "edit", "Edit body", id="bodies.edit"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_header("Bodies — enter shows the members")
        yield PagedTable(self._source())
        yield from self.compose_footer()

    def _source(self) -> ListSource:
        rows = []
        for b in meetings_store.bodies(self.app.board):
            rule = meetings_store.describe_rule(meetings_store.quorum_rule(b))
            rows.append(Row(b["id"], (b["name"], b["kind"], f"{b['voting']}/{b['members']}", rule)))
        return ListSource(BODY_COLUMNS, rows)

    def reload(self, key: str | None = None) -> None:
        table = self.query_one(PagedTable)
        keep = key or table.cursor_key
        table.set_source(self._source())
        _select(table, keep)

    def on_screen_resume(self) -> None:
        self.reload()

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        if event.key:
            self.app.push_screen(MembersScreen(event.key))

    def action_new(self) -> None:
        self.app.push_screen(body_form(self.app.board), lambda key: self.reload(key if isinstance(key, str) else None))

    def action_edit(self) -> None:
        key = self.query_one(PagedTable).cursor_key
        body = meetings_store.body(self.app.board, key) if key else None
        if body is not None:
            self.app.push_screen(body_form(self.app.board, body), lambda _: self.reload())


class MembersScreen(PushedScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New member", id="members.new"),
        Binding("e", "edit", "Edit member", id="members.edit"),
        Binding("delete", "remove", "Remove member", id="members.remove"),
        Binding("q", "edit_body", "Quorum rule", id="members.quorum"),
    ]

    def __init__(self, body_id: str) -> None:
        super().__init__()
        self.body_id = body_id

    def compose(self) -> ComposeResult:
        body = meetings_store.body(self.app.board, self.body_id)
        yield from self.compose_header(f"Members — {body['name'] if body else ''}")
        yield Static(lit(""), id="rule")
        yield PagedTable(self._source())
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._show_rule()

    def _show_rule(self) -> None:
        body = meetings_store.body(self.app.board, self.body_id)
        rule = meetings_store.describe_rule(meetings_store.quorum_rule(body))
        self.query_one("#rule", Static).update(lit(f"Quorum: {rule}. Exclusion basis for Part 2: "
                                                       f"{(body['exclusion_basis'] if body else None) or 'not set'}"))

    def _source(self) -> ListSource:
        rows = []
        for m in meetings_store.members(self.app.board, self.body_id):
            dates = f"{m['from_date'] or '…'} – {m['to_date'] or '…'}" if m["from_date"] or m["to_date"] else ""
            rows.append(Row(m["id"], (m["name"], m["role"] or "", "yes" if m["voting"] else "no", dates)))
        return ListSource(MEMBER_COLUMNS, rows)

    def reload(self, key: str | None = None) -> None:
        table = self.query_one(PagedTable)
        keep = key or table.cursor_key
        table.set_source(self._source())
        _select(table, keep)
        self._show_rule()

    def _member(self):
        key = self.query_one(PagedTable).cursor_key
        return meetings_store.member(self.app.board, key) if key else None

    def action_new(self) -> None:
        self.app.push_screen(member_form(self.app.board, self.body_id),
                             lambda key: self.reload(key if isinstance(key, str) else None))

    def action_edit(self) -> None:
        m = self._member()
        if m is not None:
            self.app.push_screen(member_form(self.app.board, self.body_id, m), lambda _: self.reload())

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        self.action_edit()

    def action_remove(self) -> None:
        m = self._member()
        if m is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.attempt(meetings_store.delete_member, self.app.board, m["id"], m["version"])
                self.reload()

        self.app.push_screen(ConfirmScreen("Remove member", f"Remove {m['name']} from this body?", "remove", "keep",
                                           destructive=True), answer)

    def action_edit_body(self) -> None:
        body = meetings_store.body(self.app.board, self.body_id)
        if body is not None:
            self.app.push_screen(body_form(self.app.board, body), lambda _: self.reload())
