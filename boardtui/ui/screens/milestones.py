"""Milestones (key 4): dates against baseline, slip in days, RAG and dependencies, as a table or a timeline.

`t` switches between the table and the timeline (one line per milestone across the months, baseline and
forecast marked, today marked). `e` dates, `b` re-baseline, `d` dependencies, `r` RAG, `h` history work in both.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from boardtui.domain.periods import display_date
from boardtui.store.milestones import MilestoneLine, milestone_lines
from boardtui.ui.list_source import ListSource
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.screens.milestone_detail import MilestoneDetailScreen, MilestoneKeys
from boardtui.ui.widgets.paged_table import Column, PagedTable, Row
from boardtui.ui.widgets.rag import rag_cell
from boardtui.ui.widgets.timeline import Timeline, TimelineItem, legend

COLUMNS = (  # dates, slip and RAG keep their width on a narrow screen; the text columns give way
    Column("ref", "Ref", 6, min_width=6),
    Column("title", "Milestone", 30, min_width=12),
    Column("plan", "Programme / plan", 16, min_width=6),
    Column("owner", "Owner", 12, min_width=5),
    Column("baseline", "Baseline", 12, min_width=12),
    Column("forecast", "Forecast", 11, min_width=11),
    Column("actual", "Actual", 11, min_width=11),
    Column("slip", "Slip", 4, "right", min_width=4),
    Column("rag", "RAG", 4, "center", min_width=4),
    Column("deps", "Depends on", 10, min_width=6),
)


def _date(value) -> str:
    return display_date(value) if value else "—"


def milestone_row(m: MilestoneLine) -> Row:
    """The table row of one milestone; a re-baselined baseline is marked with "*"."""
    baseline = _date(m.baseline) + ("*" if m.rebaselined else "")
    return Row(m.id, (
        m.ref, m.title, m.plan or "", m.owner or "", baseline, _date(m.forecast), _date(m.actual),
        str(m.slip), rag_cell(m.rag, m.override), ", ".join(m.depends_on),
    ))


def timeline_item(m: MilestoneLine) -> TimelineItem:
    return TimelineItem(m.id, m.ref, m.title, m.rag, m.baseline, m.forecast, m.actual)


class MilestonesScreen(MilestoneKeys, AreaScreen):
    TITLE_TEXT = "Milestones"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_timeline", "Timeline", id="milestones.timeline"),
        Binding("e", "edit_dates", "Dates", id="milestones.dates"),
        Binding("b", "rebaseline", "Re-baseline", id="milestones.rebaseline"),
        Binding("d", "dependencies", "Dependencies", id="milestones.dependencies"),
        Binding("r", "rag", "RAG", id="milestones.rag"),
        Binding("h", "history", "History", id="milestones.history"),
    ]

    DEFAULT_CSS = """
    MilestonesScreen > Timeline { display: none; }
    MilestonesScreen > #legend { display: none; height: auto; padding: 0 1; color: $text-muted; }
    MilestonesScreen > #current { display: none; height: 1; padding: 0 1; }
    MilestonesScreen.-timeline > Timeline { display: block; }
    MilestonesScreen.-timeline > #legend { display: block; }
    MilestonesScreen.-timeline > #current { display: block; }
    MilestonesScreen.-timeline > PagedTable { display: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[MilestoneLine] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static(Content(""), classes="summary", id="summary")
        board, today = self.app.board, self.app.today
        self.lines = milestone_lines(board, today)
        yield PagedTable(ListSource(COLUMNS, [milestone_row(m) for m in self.lines]))
        yield Timeline([timeline_item(m) for m in self.lines], today)
        yield Static(Content(""), id="current")
        yield Static(Content(legend(today)), id="legend")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._show_summary()

    def on_screen_resume(self) -> None:
        self.reload_data()

    @property
    def timeline(self) -> Timeline:
        return self.query_one(Timeline)

    @property
    def timeline_mode(self) -> bool:
        return self.has_class("-timeline")

    def current_milestone(self) -> MilestoneLine | None:
        key = self.timeline.cursor_key if self.timeline_mode else self.table.cursor_key
        return next((m for m in self.lines if m.id == key), None)

    def _show_summary(self) -> None:
        counts = {r: 0 for r in "RAGBU"}
        for m in self.lines:
            counts[m.rag.value] += 1
        slipping = sum(1 for m in self.lines if m.actual is None and m.slip > 0)
        self.query_one("#summary", Static).update(Content(
            f"{len(self.lines)} milestones: {counts['R']} red, {counts['A']} amber, {counts['G']} green, "
            f"{counts['B']} done; {slipping} slipping · as at {display_date(self.app.today)}"
            + (" · * re-baselined" if any(m.rebaselined for m in self.lines) else "")
        ))

    def reload_data(self) -> None:
        """Re-read the milestones (after an edit) and redraw both views, keeping the cursor's milestone."""
        current = self.current_milestone()
        keep = current.id if current else None
        self.lines = milestone_lines(self.app.board, self.app.today)
        table = self.table
        source = ListSource(COLUMNS, [milestone_row(m) for m in self.lines])
        source.set_filter(table.source.filter_text)
        table.set_source(source)
        keys = [r.key for r in source.rows(0, source.count())]
        if keep in keys:
            table.cursor_index = keys.index(keep)
        self._sync_timeline(keep)
        self._show_summary()

    def _sync_timeline(self, keep: str | None) -> None:
        """Show on the timeline the milestones the (filtered) table shows."""
        shown = {r.key for r in self.table.source.rows(0, self.table.row_count)}
        self.timeline.set_items([timeline_item(m) for m in self.lines if m.id in shown], keep)

    def on_input_changed(self, event) -> None:
        super().on_input_changed(event)
        if event.input.id == "filter":  # the timeline shows the same milestones as the filtered table
            self._sync_timeline(self.timeline.cursor_key)

    def action_toggle_timeline(self) -> None:
        current = self.current_milestone()
        self.toggle_class("-timeline")
        if self.timeline_mode:
            self.timeline.select_key(current.id if current else None)
            self._show_current(self.timeline.cursor_key)
            self.timeline.focus()
        else:
            if current is not None:
                keys = [r.key for r in self.table.source.rows(0, self.table.row_count)]
                if current.id in keys:
                    self.table.cursor_index = keys.index(current.id)
            self.table.focus()

    def on_timeline_moved(self, event: Timeline.Moved) -> None:
        self._show_current(event.key)

    def _show_current(self, key: str | None) -> None:
        """In words, what the timeline shows for the milestone under the cursor."""
        m = next((x for x in self.lines if x.id == key), None)
        text = ""
        if m is not None:
            text = (f"{m.ref} {m.rag.word}: {m.derived.reason} · baseline {_date(m.baseline)}, "
                    f"forecast {_date(m.forecast)}, actual {_date(m.actual)}")
        self.query_one("#current", Static).update(Content(text))

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        if event.key is not None:
            self.app.push_screen(MilestoneDetailScreen(event.key))

    def on_timeline_selected(self, event: Timeline.Selected) -> None:
        self.app.push_screen(MilestoneDetailScreen(event.key))
