"""Dashboard (key 1): the board's headlines — the savings gap, standards off target, milestones slipping,
overdue actions and the next meeting — each a few aggregate queries, so it opens instantly at any size."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from boardtui.domain.rag import Rag
from boardtui.store import actions as actions_store
from boardtui.store import meetings as meetings_store
from boardtui.store import savings
from boardtui.store.milestones import milestone_lines
from boardtui.store.standards import standard_lines
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.screens.programmes import totals_band


def section(title: str, lines: list[str]) -> list[Static]:
    return [Static(Content(title), classes="dash-heading")] + [Static(Content(line)) for line in lines]


class DashboardScreen(AreaScreen):
    TITLE_TEXT = "Dashboard"
    BINDINGS = []  # nothing to filter here

    DEFAULT_CSS = """
    DashboardScreen .dash-heading {
        text-style: bold;
        margin-top: 1;
        color: $accent;
    }
    DashboardScreen > VerticalScroll {
        padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="dashboard"):
            for widget in self.sections():
                yield widget
        yield from self.compose_footer()

    def sections(self) -> list[Static]:
        board, today = self.app.board, self.app.today
        out: list[Static] = []
        years = savings.years(board)
        if years:
            t = savings.totals(board, years[0])
            out += section("Savings", [totals_band(t)])
        else:
            out += section("Savings", ["No savings schemes yet."])

        stds = standard_lines(board, today)
        off = [s for s in stds if s.rag in (Rag.R, Rag.A)]
        lines = [f"{len(off)} of {len(stds)} standards off target"]
        lines += [f"  {s.rag.value}  {s.code:<10} {s.name}: {s.derived.reason}" for s in off[:8]]
        if len(off) > 8:
            lines.append(f"  … and {len(off) - 8} more (key 3)")
        out += section("Standards", lines)

        ms = milestone_lines(board, today)
        slipping = [m for m in ms if m.actual is None and m.slip > 0]
        soon = [m for m in ms if m.actual is None and today <= (m.forecast or m.baseline).end() <= today + timedelta(days=14)]
        overdue = [m for m in ms if m.actual is None and (m.forecast or m.baseline).end() < today]
        lines = [f"{len(slipping)} slipping, {len(overdue)} overdue, {len(soon)} due in the next 14 days"]
        lines += [f"  {m.rag.value}  {m.ref:<6} {m.title}: {m.derived.reason}" for m in (slipping + soon)[:8]]
        out += section("Milestones", lines)

        c = actions_store.counts(board, today)
        out += section("Actions", [f"{c.open:,} open, {c.overdue:,} overdue, {c.proposed:,} proposed for closure"])

        nxt = meetings_store.next_meeting(board, today.isoformat())
        when = f"{nxt['date']} {nxt['start_time'] or ''} {nxt['body']}" if nxt else "none planned"
        out += section("Next meeting", [when])
        return out
