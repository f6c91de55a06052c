"""One scheme: its twelve-month grid (editable like a sheet), the RAG strip, the cumulative chart and every field.

The grid has the focus: arrows move, typing an amount edits a cell, enter saves it. `e` edits the scheme's
fields, `r` sets its manual RAG, `h` shows its history; escape goes back (a scheme is deleted from its
programme's list). With a
snapshot the scheme is shown as it stood at a past moment (rebuilt from the audit) and nothing can be changed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from boardtui.domain.errors import BoardError, Conflict, ValidationError
from boardtui.domain.money import ValueStatus
from boardtui.domain.periods import MONTH_ABBR, display_date, fy_label, fy_months
from boardtui.domain.rag import Rag
from boardtui.store import savings, savings_edit, savings_history
from boardtui.store.savings_history import SavingsAsAt, StripMonth
from boardtui.ui.money import money, money_label, unit_pence
from boardtui.ui.savings_format import conflict_text, money_or_dash, pct
from boardtui.ui.screens import savings_actions as act
from boardtui.ui.widgets.linechart import LineChart, Series
from boardtui.ui.widgets.month_grid import LABEL_WIDTH, GridData, MonthGrid, cell_width
from boardtui.ui.widgets.rag import STYLES
from boardtui.ui.widgets.key_bar import KeyBar


def cumulative(values: list[int | None]) -> list[int]:
    total, out = 0, []
    for v in values:
        total += v or 0
        out.append(total)
    return out


def cumulative_series(months: list[str], periods: dict, plan_fy: int | None, fot: int | None,
                      latest: str | None) -> tuple[list[int], list[int | None], list[int | None], bool]:
    """Cumulative plan, actual and forecast by month (pence), and whether any month's plan was phased.

    Plan is the monthly plans added up; months with no plan entered share what is left of the full-year plan
    evenly (DOMAIN §4.3: plan ÷ 12, the remainder in the last month), so the line ends at the full-year plan.
    Actual runs to the latest month with an actual. Forecast runs from there to the forecast outturn at March,
    in equal steps.
    """
    plans = [periods[m]["plan_pence"] if m in periods else None for m in months]
    missing = [i for i, p in enumerate(plans) if p is None]
    phased = bool(missing) and plan_fy is not None
    if phased:
        rest = plan_fy - sum(p for p in plans if p is not None)
        share, remainder = divmod(rest, len(missing))
        for n, i in enumerate(missing):
            plans[i] = share + (remainder if n == len(missing) - 1 else 0)
    plan_cum = cumulative(plans)
    actuals = [periods[m]["actual_pence"] if m in periods else None for m in months]
    last = months.index(latest) if latest in months else -1
    actual_cum: list[int | None] = [v if i <= last else None for i, v in enumerate(cumulative(actuals))]
    forecast: list[int | None] = [None] * len(months)
    if fot is not None:
        start = actual_cum[last] if last >= 0 else 0
        steps = len(months) - 1 - last
        if last >= 0:
            forecast[last] = start
        for i in range(last + 1, len(months)):
            forecast[i] = start + (fot - start) * (i - last) // max(1, steps)
    return plan_cum, actual_cum, forecast, phased


def chart_format():
    """How the cumulative chart labels its axis: whole £000s or pounds, £m to two places."""
    if money_label() == "£m":
        return lambda v: f"{v:,.2f}"
    return lambda v: f"{v:,.0f}"


def strip_text(strip: list[StripMonth]) -> Text:
    """The RAG strip aligned under the grid's months: one letter a month (`*` marks a manual RAG)."""
    out = Text(no_wrap=True, overflow="crop", end="")
    out.append(f"{'RAG':<{LABEL_WIDTH}}", "bold")
    for m in strip:
        out.append(" " * (cell_width() - 4))
        if m.rag is None:
            out.append(" · ", "dim")
        else:
            out.append(f" {m.rag.value} ", STYLES[m.rag])
        out.append("*" if m.manual else " ")
    return out


class SchemeDetailScreen(Screen):
    """Every field of one scheme, its monthly grid, RAG history and cumulative chart."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rag", "RAG", id="scheme_detail.rag"),
        Binding("e", "edit", "Edit", id="scheme_detail.edit"),
        Binding("h", "history", "History", id="scheme_detail.history"),
        Binding("escape", "back", "Back", id="scheme_detail.back"),
    ]

    DEFAULT_CSS = """
    SchemeDetailScreen { layout: vertical; }
    SchemeDetailScreen > .area-title {
        height: 1; background: $primary; color: $foreground; text-style: bold; padding: 0 1;
    }
    SchemeDetailScreen > .read-only { height: auto; background: $warning; color: $background; padding: 0 1; }
    SchemeDetailScreen > VerticalScroll { padding: 0 1; }
    SchemeDetailScreen #summary { height: auto; }
    SchemeDetailScreen MonthGrid { margin-top: 1; }
    SchemeDetailScreen #cumulative { height: 11; padding: 0; margin-top: 1; }
    SchemeDetailScreen #fields { margin-top: 1; }
    """

    # Focus is given in on_mount, not by Textual as the screen is composed: that focused the scroll container first
    # and restyled everything in it twice (focus, then blur) on the way to the first frame.
    AUTO_FOCUS = ""

    def __init__(self, scheme_id: str, *, snapshot: SavingsAsAt | None = None) -> None:
        super().__init__()
        self.scheme_id = scheme_id
        self.snapshot = snapshot
        self.loaded_generation = -1

    # ---- data -------------------------------------------------------------------------------------------

    def _load(self) -> None:
        board = self.app.board
        if self.snapshot is not None:
            row = self.snapshot.scheme(self.scheme_id)
            if row is not None:
                names = {p["id"]: p["name"] for p in self.snapshot.programmes}
                row = {**row, "programme_name": names.get(row["programme_id"], "")}
            self.periods = savings_history.periods_as_at(board, self.scheme_id, self.snapshot.at)
            self.strip = []
        else:
            row = savings.get_scheme(board, self.scheme_id)
            self.periods = savings.scheme_periods(board, self.scheme_id)
            self.strip = savings_history.rag_strip(board, self.scheme_id) if row is not None else []
        self.row = row
        self.line = savings.scheme_line(board, row) if row is not None else None
        self.loaded_generation = act.generation(self.app)

    def _grid_data(self) -> GridData:
        row = self.row
        months = fy_months(row["fy"])
        values = {}
        versions = {}
        for m in months:
            p = self.periods.get(m)
            versions[m] = p["version"] if p is not None else None
            for field, column in savings_edit.MONTH_FIELDS.items():
                values[(field, m)] = p[column] if p is not None else None
        reason = act.write_refusal(self, self.snapshot.at.label if self.snapshot else None) or ""
        return GridData(months, values, versions, row["start_month"], reason)

    def compose(self) -> ComposeResult:
        self._load()
        row = self.row
        title = f"Scheme {row['ref']}: {row['title']}" if row else "Scheme (deleted)"
        if self.snapshot is not None:
            title += f" — as at {self.snapshot.at.label}"
        yield Static(Content(title), classes="area-title")
        reason = act.write_refusal(self, self.snapshot.at.label if self.snapshot else None)
        if reason:
            yield Static(Content(reason), classes="read-only")
        with VerticalScroll():
            if row is None:
                yield Static(Content("This scheme no longer exists: someone may have deleted it. escape goes back."))
            else:
                # Every part is composed with what it shows: filled in on mount instead, each update laid the
                # screen out again before its first frame.
                # Each widget a screen holds is styled, laid out and rendered on the way to its first frame, so
                # the RAG strip is the grid's last line and only the chart or the sentence in its place is made.
                yield Static(self._summary(), id="summary")
                yield MonthGrid(self._grid_data(), footer=self._strip(), id="grid")
                yield self._chart(self._chart_data())
                yield Static(self._fields(), id="fields")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(MonthGrid if self.row is not None else VerticalScroll).focus()

    def _summary(self) -> Content:
        row, line = self.row, self.line
        plan_total = sum((p["plan_pence"] or 0) for p in self.periods.values())
        status = ValueStatus(row["value_status"])
        plan = money(row["plan_pence"], status=status) if row["plan_pence"] is not None else status.value
        parts = [
            f"{row['programme_name']} · {fy_label(row['fy'])} · Plan {plan} · YTD {money_or_dash(line.ytd_actual)} "
            f"of {money_or_dash(line.ytd_plan)} · Forecast {money_or_dash(line.fot)} ({pct(line.fot, line.plan)}) · "
            f"Risk-adjusted {money(line.risk_adjusted)}",
            f"RAG {line.rag.word}: " + (f"manual, overriding derived {line.derived.rag.word} ({line.derived.reason})"
                                        if line.override else line.derived.reason),
        ]
        if line.override and row["rag_commentary"]:
            parts.append(f"RAG commentary: {row['rag_commentary']}")
        planned = sum(1 for p in self.periods.values() if p["plan_pence"] is not None)
        if planned == 12 and row["plan_pence"] is not None and plan_total != row["plan_pence"]:
            parts.append(f"The monthly plans add up to {money(plan_total)}, not the full-year plan {plan}.")
        return Content("\n".join(parts))

    def _strip(self) -> Text:
        if self.strip:
            return strip_text(self.strip)
        return Text("RAG history is not rebuilt in an as-at view." if self.snapshot else "")

    def _chart(self, chart: tuple[list[Series], list[str]] | None) -> LineChart | Static:
        """The cumulative chart, or the sentence saying there is nothing to chart yet."""
        if chart is None:
            return Static(Content(f"Cumulative {money_label()}: nothing to chart until the scheme has a plan."),
                          id="no-chart")
        return LineChart(*chart, id="cumulative", y_format=chart_format())

    def _chart_data(self) -> tuple[list[Series], list[str]] | None:
        """The cumulative chart's series and month labels, or None when there is nothing to chart."""
        row = self.row
        if row["plan_pence"] is None and not self.periods:
            return None
        months = fy_months(row["fy"])
        plan, actual, forecast, phased = cumulative_series(
            months, self.periods, row["plan_pence"], self.line.fot, row["latest_month"])

        per_unit = unit_pence()

        def k(values):
            return [None if v is None else v / per_unit for v in values]  # the display unit, for drawing only

        series = [Series("Plan (months not entered phased evenly)" if phased else "Plan", k(plan), "P"),
                  Series("Actual", k(actual), "A"), Series("Forecast outturn path", k(forecast), "F")]
        return series, [MONTH_ABBR[int(m[5:]) - 1] for m in months]

    def _show(self) -> None:
        self.query_one("#summary", Static).update(self._summary())
        self.query_one(MonthGrid).set_footer(self._strip())
        chart = self._chart_data()
        shown = self.query_one("#cumulative, #no-chart")
        if isinstance(shown, LineChart) and chart is not None:
            shown.set_data(*chart)
        elif isinstance(shown, LineChart) or chart is not None:  # a plan was set or taken away: the other one
            shown.parent.mount(self._chart(chart), after=shown)
            shown.remove()
        self.query_one("#fields", Static).update(self._fields())

    def _fields(self) -> Content:
        """Every field under a bold "Scheme" heading: one widget, not a heading and a body (each widget a screen
        holds is styled, laid out and rendered on the way to its first frame)."""
        return Content.assemble(("Scheme", "bold"), "\n", "\n".join(self._field_lines()))

    def _field_lines(self) -> list[str]:
        row = self.row
        status = ValueStatus(row["value_status"])
        unit = money_label()
        items = [
            ("Ref", row["ref"]), ("Programme", row["programme_name"]), ("Title", row["title"]),
            ("Components", "; ".join(c for c in (row["components"] or "").split(";") if c) or "—"),
            ("Impact", row["impact"] or "—"), ("Lead", row["lead"] or "—"), ("SRO", row["sro"] or "—"),
            ("Stage", row["stage"] or "—"), ("Value status", status.value),
            (f"Plan {unit}", money_or_dash(row["plan_pence"]) if status is ValueStatus.QUANTIFIED else status.value),
            (f"Recurrent {unit}", money_or_dash(row["recurrent_pence"])),
            (f"Non-recurrent {unit}", money_or_dash(row["non_recurrent_pence"])),
            ("Start month", display_date(row["start_month"]) if row["start_month"] else "—"),
            ("Confidence", row["confidence"] or "not assessed (counted as L)"),
            ("Commentary", row["commentary"] or "—"),
            ("Manual RAG", Rag(row["rag_override"]).word if row["rag_override"] else "none (derived in force)"),
        ]
        return [f"{label + ':':<21}{value}" for label, value in items]

    def reload(self, *, keep_edit: bool = False) -> None:
        self._load()
        if self.row is None:
            self.notify("This scheme no longer exists: someone may have deleted it.", severity="warning",
                        markup=False)
            self.app.pop_screen()
            return
        self.query_one(MonthGrid).set_data(self._grid_data(), keep_edit=keep_edit)
        self._show()

    def on_screen_resume(self) -> None:
        if self.loaded_generation != act.generation(self.app) and self.is_mounted:
            self.reload()

    # ---- the grid ---------------------------------------------------------------------------------------

    def on_month_grid_cell_edited(self, event: MonthGrid.CellEdited) -> None:
        grid = event.grid
        reason = act.write_refusal(self, self.snapshot.at.label if self.snapshot else None)
        if reason:
            grid.refuse(reason)
            return
        try:
            savings_edit.set_month(self.app.board, self.scheme_id, event.month, event.field, event.value,
                                   event.version)
        except Conflict as exc:
            self.reload(keep_edit=True)
            grid.refuse(f"{conflict_text(exc)} Their figures are shown now; enter saves yours over them.")
            return
        except ValidationError as exc:
            grid.refuse(exc.message)
            return
        except BoardError as exc:
            grid.refuse(str(exc))
            return
        act.mark_changed(self.app)
        grid.accept()
        self.reload()

    # ---- keys -------------------------------------------------------------------------------------------

    def _label(self) -> str | None:
        return self.snapshot.at.label if self.snapshot else None

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_rag(self) -> None:
        if self.line is None or act.refuse_if_read_only(self, self._label()):
            return
        s = self.line
        act.open_rag(self, "scheme", s.id, s.version, f"scheme {s.ref} {s.title}", s.derived, s.override,
                     self.reload)

    def action_edit(self) -> None:
        if self.line is not None and not act.refuse_if_read_only(self, self._label()):
            act.edit_scheme(self, self.scheme_id, self.reload)

    def action_history(self) -> None:
        if self.line is not None:
            act.open_history(self, "scheme", self.scheme_id, f"scheme {self.line.ref}")
