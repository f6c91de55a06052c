"""Dashboard (key 1): the board's headlines — the savings gap, standards off target, milestones slipping,
overdue actions and the next meeting — each a few aggregate queries, so it opens instantly at any size."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from boardtui.domain.periods import fy_label
from boardtui.store import action_counts
from boardtui.store import meetings as meetings_store
from boardtui.store import savings
from boardtui.ui.money import money, money_label
from boardtui.ui.savings_format import pct, totals_band
from boardtui.ui.screens import board_edits
from boardtui.ui.screens.base import AreaScreen
from boardtui.ui.screens.dashboard_sections import milestones_section, standards_section
from boardtui.ui.widgets.bars import TextChart, bridge_lines


def section(title: str, lines: list[str]) -> list[Widget]:
    """A heading and its lines as one widget (one per line cost ~1 ms of start-up each); the text is literal."""
    return [Static(Content.assemble((title, "bold $accent"), *(f"\n{line}" for line in lines)),
                   classes="dash-section")]


class DashboardScreen(AreaScreen):
    TITLE_TEXT = "Dashboard"
    FILTERABLE = False  # headlines, not a table

    DEFAULT_CSS = """
    DashboardScreen .dash-section {
        margin-top: 1;
    }
    DashboardScreen > VerticalScroll {
        padding: 0 1;
    }
    DashboardScreen #dash-bridge {
        max-width: 90;
        margin-top: 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="dashboard"):
            for widget in self.sections():
                yield widget
        yield from self.compose_footer()

    def _generations(self) -> int:
        return board_edits.generation(self.app)

    def on_mount(self) -> None:
        self.loaded_generation = self._generations()

    def on_screen_resume(self) -> None:
        # Savings, standards or milestones changed on another screen since this one was drawn: draw it again.
        if getattr(self, "loaded_generation", None) != self._generations():
            self.loaded_generation = self._generations()
            self.refresh(recompose=True)

    def savings_sections(self) -> list[Widget]:
        """The totals band, the bridge, and the five schemes furthest short of plan."""
        board = self.app.board
        years = savings.years(board)
        if not years:
            return section("Savings", ["No savings schemes yet."])
        fy = years[0]
        t = savings.totals(board, fy)
        out: list[Widget] = section("Savings", [totals_band(t)])
        out.append(TextChart(partial(bridge_lines, t.requirement, t.identified, t.risk_adjusted,
                                     title=f"Savings bridge {fy_label(fy)} ({money_label()})"), id="dash-bridge"))
        worst = savings.largest_shortfalls(board, fy, 5)
        lines = [
            f"  {s.rag.value}  {s.ref:<10} {s.title}: forecast {money(s.fot)} of {money(s.plan)} "
            f"({pct(s.fot, s.plan)}), {money((s.plan or 0) - (s.fot or 0))} short"
            for s in worst
        ] or ["  No scheme is forecast short of its plan."]
        out += section(f"Largest forecast shortfalls {fy_label(fy)} ({money_label()})", lines)
        return out

    def sections(self) -> list[Widget]:
        board, today = self.app.board, self.app.today
        out: list[Widget] = self.savings_sections()

        out += section("Standards", standards_section(board, today))
        out += section("Milestones", milestones_section(board, today))

        c = action_counts.counts(board, today)
        out += section("Actions", [f"{c.open:,} open, {c.overdue:,} overdue, {c.proposed:,} proposed for closure"])

        nxt = meetings_store.next_meeting(board, today.isoformat())
        when = f"{nxt['date']} {nxt['start_time'] or ''} {nxt['body']}" if nxt else "none planned"
        out += section("Next meeting", [when])
        return out
