"""One milestone (enter on the milestones screen or its timeline): dates, slip and the reason for its RAG, the
milestones it waits for and those waiting for it, every re-baseline with its reason, and its history.

`MilestoneKeys` holds the keys the milestones list and this screen share: `e` dates (forecast, actual),
`b` re-baseline, `d` dependencies, `r` RAG, `h` history.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from boardtui.domain.periods import display_date
from boardtui.store import milestones as store
from boardtui.store.milestones import MilestoneLine
from boardtui.store.rag import set_rag
from boardtui.ui.modals.detail import DetailScreen
from boardtui.ui.screens import board_edits
from boardtui.ui.modals.milestone_form import DependenciesForm, MilestoneDatesForm, RebaselineForm
from boardtui.ui.modals.rag import RagDialog, RagTarget
from boardtui.ui.widgets.key_bar import KeyBar


class MilestoneKeys:
    """Edit, re-baseline, dependency, RAG and history keys; the screen provides `current_milestone()` and
    `reload_data()`."""

    def current_milestone(self) -> MilestoneLine | None:  # pragma: no cover - provided by the screen
        raise NotImplementedError

    def reload_data(self) -> None:  # pragma: no cover - provided by the screen
        raise NotImplementedError

    def _editable(self) -> MilestoneLine | None:
        m = self.current_milestone()
        if m is None:
            return None
        return None if board_edits.refuse_if_read_only(self) else m

    def _after_save(self, message: str):
        return board_edits.after_save(self, message)

    def action_edit_dates(self) -> None:
        m = self._editable()
        if m is not None:
            self.app.push_screen(MilestoneDatesForm(self.app.board, m, self.app.today),
                                 self._after_save(f"Saved the dates of {m.ref}."))

    def action_rebaseline(self) -> None:
        m = self._editable()
        if m is not None:
            self.app.push_screen(RebaselineForm(self.app.board, m),
                                 self._after_save(f"Re-baselined {m.ref}; the old baseline is in its history."))

    def action_dependencies(self) -> None:
        m = self._editable()
        if m is not None:
            self.app.push_screen(DependenciesForm(self.app.board, m),
                                 self._after_save(f"Saved the dependencies of {m.ref}."))

    def action_rag(self) -> None:
        m = self._editable()
        if m is None:
            return
        board = self.app.board
        target = RagTarget("milestone", m.id, m.version, f"{m.ref} {m.title}", m.derived, m.override,
                           m.rag_commentary or "")

        def save(rag, commentary):
            return set_rag(board, "milestone", m.id, m.version, rag, commentary, m.derived.rag)

        self.app.push_screen(RagDialog(target, save), self._after_save(f"Saved the RAG of {m.ref}."))

    def action_history(self) -> None:
        m = self.current_milestone()
        if m is None:
            return
        board = self.app.board
        fields = [("Baseline", display_date(m.baseline))]
        original = store.original_baseline(board, m.id)
        if original:
            fields.append(("Original baseline", display_date(original)))
        self.app.push_screen(DetailScreen(f"History of {m.ref}", fields, store.milestone_history(board, m.id)))


def detail_lines(board, m: MilestoneLine, lines: list[MilestoneLine]) -> list[str]:
    """The text of a milestone's detail, one line each."""
    by_ref = {x.ref: x for x in lines}
    out = [
        f"Plan:       {m.plan or '—'}",
        f"Owner:      {m.owner or '—'}",
        f"Baseline:   {display_date(m.baseline)}",
        f"Forecast:   {display_date(m.forecast)}",
        f"Actual:     {display_date(m.actual)}",
        f"Slip:       {m.slip} days against the baseline",
        f"RAG:        {m.rag.word} — {m.derived.reason}"
        + (f" (manual; derived {m.derived.rag.word})" if m.override else ""),
    ]
    if m.override and m.rag_commentary:
        out.append(f"Commentary: {m.rag_commentary}")
    if m.status_note:
        out.append(f"Note:       {m.status_note}")
    out.append("")
    out.append("Waits for:" if m.depends_on else "Waits for:  nothing")
    for ref in m.depends_on:
        p = by_ref.get(ref)
        if p is not None:
            when = f"done {display_date(p.actual)}" if p.actual else f"due {display_date(p.due)}"
            out.append(f"  {p.rag.value}  {p.ref:<7}{when:<18}{p.title}")
    out.append("Waited on by:" if m.dependants else "Waited on by: nothing")
    for ref in m.dependants:
        d = by_ref.get(ref)
        if d is not None:
            out.append(f"  {d.rag.value}  {d.ref:<7}{'baseline ' + display_date(d.baseline):<18}{d.title}")
    changes = store.baseline_changes(board, m.id)
    out.append("")
    if not changes:
        out.append("Never re-baselined.")
    else:
        out.append(f"Re-baselined {len(changes)} time(s); original baseline {display_date(changes[0].old)}:")
        for c in changes:
            out.append(f"  {c.at[:10]}  {c.who}: {display_date(c.old)} → {display_date(c.new)} ({c.reason or '—'})")
    return out


class MilestoneDetailScreen(MilestoneKeys, Screen):
    """Everything about one milestone; the edit keys work here too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit_dates", "Dates", id="milestone_detail.dates"),
        Binding("b", "rebaseline", "Re-baseline", id="milestone_detail.rebaseline"),
        Binding("d", "dependencies", "Dependencies", id="milestone_detail.dependencies"),
        Binding("r", "rag", "RAG", id="milestone_detail.rag"),
        Binding("h", "history", "History", id="milestone_detail.history"),
        Binding("escape", "back", "Back", id="milestone_detail.back"),
    ]

    DEFAULT_CSS = """
    MilestoneDetailScreen > .area-title {
        height: 1;
        background: $primary;
        color: $foreground;
        text-style: bold;
        padding: 0 1;
    }
    MilestoneDetailScreen > VerticalScroll {
        padding: 0 1;
    }
    """

    def __init__(self, milestone_id: str) -> None:
        super().__init__()
        self.milestone_id = milestone_id
        self.line: MilestoneLine | None = None

    def current_milestone(self) -> MilestoneLine | None:
        return self.line

    def compose(self) -> ComposeResult:
        yield Static(Content(""), classes="area-title", id="title")
        with VerticalScroll(id="body"):
            yield Static(Content(""), id="text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload_data()

    def reload_data(self) -> None:
        board, today = self.app.board, self.app.today
        lines = store.milestone_lines(board, today)
        self.line = next((x for x in lines if x.id == self.milestone_id), None)
        if self.line is None:
            self.query_one("#title", Static).update(Content("This milestone no longer exists."))
            return
        m = self.line
        self.query_one("#title", Static).update(Content(f"Milestone {m.ref} — {m.title}"))
        self.query_one("#text", Static).update(Content("\n".join(detail_lines(board, m, lines))))

    def action_back(self) -> None:
        self.dismiss()
