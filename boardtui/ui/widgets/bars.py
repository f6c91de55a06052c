"""Charts drawn with characters: the savings bridge (waterfall) and plan-vs-forecast bars.

Every bar is labelled with its name and figure, and the kinds of bar differ by shape (█ ░ ▒ ·), so nothing is
told by colour alone and the charts read the same in a screen reader, under NO_COLOR and in a copied text.
The line builders are plain functions of the figures and a width (easy to test); `TextChart` redraws them
whenever the widget's width changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from boardtui.domain.text import one_line
from boardtui.ui.money import money, money_label, money_width

SOLID = "█"  # a total, or the part of a plan the forecast delivers
REDUCTION = "░"  # something taken away: still to find, risk adjustment, forecast short of plan
GAP = "▒"  # what is left to find after risk, or a forecast above plan
NO_FORECAST = "·"  # a plan with no forecast returned yet

LABEL_WIDTH = 18
VALUE_WIDTH = 8
MIN_BAR = 4  # cells: a narrower bar says nothing, and gives its room to the figures


@dataclass(frozen=True)
class Step:
    """One bar of the bridge: a span from `low` to `high` (pence) drawn with `glyph`, and its figure."""

    label: str
    low: int
    high: int
    glyph: str
    value: str


def _signed(pence: int) -> str:
    return ("+" if pence > 0 else "−" if pence < 0 else "") + money(abs(pence))


def bridge_steps(requirement: int | None, identified: int, risk_adjusted: int) -> list[Step]:
    """The bridge from the requirement to the gap: requirement → identified → risk-adjusted → gaps.

    Without a requirement it starts at identified (there is no gap to show).
    """
    identified = max(0, identified)
    risk_adjusted = max(0, min(risk_adjusted, identified))
    steps: list[Step] = []
    if requirement is not None:
        req = max(0, requirement)
        steps.append(Step("Requirement", 0, req, SOLID, money(req)))
        if identified <= req:
            steps.append(Step("Gap (to find)", identified, req, REDUCTION, _signed(identified - req)))
        else:
            steps.append(Step("Over-identified", req, identified, GAP, _signed(identified - req)))
    steps.append(Step("Identified", 0, identified, SOLID, money(identified)))
    steps.append(Step("Risk adjustment", risk_adjusted, identified, REDUCTION, _signed(risk_adjusted - identified)))
    steps.append(Step("Risk-adjusted", 0, risk_adjusted, SOLID, money(risk_adjusted)))
    if requirement is not None:
        req = max(0, requirement)
        low, high = sorted((risk_adjusted, req))
        steps.append(Step("Risk-adjusted gap", low, high, GAP, money(req - risk_adjusted)))
    return steps


def _span(low: int, high: int, scale: int, width: int, glyph: str) -> str:
    """`glyph` from `low` to `high` on a bar `width` cells long for values 0..`scale`; at least one cell if any."""
    if scale <= 0 or width <= 0:
        return ""
    start = round(low * width / scale)
    end = round(high * width / scale)
    if high > low and end <= start:
        end = min(width, start + 1)
        start = end - 1
    return " " * start + glyph * (end - start)


def bridge_lines(requirement: int | None, identified: int, risk_adjusted: int, width: int,
                 title: str | None = None) -> list[str]:
    """The bridge as text lines at most `width` cells wide: a title, one labelled bar per step, a legend."""
    if title is None:
        title = f"Savings bridge ({money_label()})"
    steps = bridge_steps(requirement, identified, risk_adjusted)
    # Wide enough for the widest figure: the bar gives way, a figure is never cut short.
    value_width = max([money_width(VALUE_WIDTH), *(len(s.value) for s in steps)])
    bar_width = max(MIN_BAR, width - LABEL_WIDTH - value_width - 2)
    scale = max((s.high for s in steps), default=0)
    lines = [title[:width]]
    for s in steps:
        bar = _span(s.low, s.high, scale, bar_width, s.glyph)
        lines.append(f"{s.label:<{LABEL_WIDTH}} {bar:<{bar_width}} {s.value:>{value_width}}"[:width])
    if requirement is None:
        lines.append("No requirement set for this year: there is no gap to show."[:width])
    elif scale == 0:
        lines.append("Nothing identified yet."[:width])
    legend = f"{SOLID} total  {REDUCTION} taken away  {GAP} gap still to find"
    if len(legend) > width:
        legend = f"{SOLID} total {REDUCTION} taken away {GAP} gap"
    lines.append(legend[:width])
    return lines


@dataclass(frozen=True)
class PlanBar:
    """A scheme's plan and forecast outturn (pence; forecast None when none has been returned)."""

    label: str
    plan: int
    forecast: int | None


def plan_forecast_lines(bars: Sequence[PlanBar], width: int, *, title: str | None = None,
                        more: int = 0) -> list[str]:
    """One line per scheme: the forecast as █ up to plan, ░ for a shortfall, ▒ above plan, with figures.

    `more` says how many further schemes were left out (shown as a last line).
    """
    if title is None:
        title = f"Plan vs forecast ({money_label()})"
    label_width = min(12, max((len(b.label) for b in bars), default=4))
    # a figure: "1,700" in £000s, "£1,700,000" in pounds; wider when a figure is (the bar gives way)
    w = max([money_width(6), *(len(money(v)) for b in bars for v in (max(0, b.plan), max(0, b.forecast or 0)))])
    shares = ["no fcst" if b.forecast is None else f"{max(0, b.forecast) * 100 / b.plan:.0f}%" if b.plan > 0
              else "—" for b in bars]
    # The bar gives way to the figures: first its room beside a column of percentages as wide as "no fcst" needs,
    # then beside one as wide as these need, and below MIN_BAR cells it goes (a programme's chart beside the
    # bridge at 80 columns). A figure is never cut short, nor a percentage left without its sign.
    for share_width in (8, max([4, *(len(share) for share in shares)])):
        figures_width = 2 * w + 4 + share_width  # " 1,700 /  2,190      78%" or "     — /  2,190  no fcst"
        bar_width = width - label_width - figures_width - 2
        if bar_width >= MIN_BAR:
            break
    else:
        bar_width = 0
    scale = max((max(b.plan, b.forecast or 0) for b in bars), default=0)
    lines = [title[:width]]
    if not bars:
        lines.append("No quantified schemes to chart."[:width])
    for b, share in zip(bars, shares):
        plan = max(0, b.plan)
        label = one_line(b.label, label_width)
        if b.forecast is None:
            bar = _span(0, plan, scale, bar_width, NO_FORECAST)
            figures = f"{'—':>{w}} / {money(plan):>{w}} {share:>{share_width}}"
        else:
            fc = max(0, b.forecast)
            bar = _span(0, min(fc, plan), scale, bar_width, SOLID)
            if fc < plan:
                bar += _span(fc, plan, scale, bar_width, REDUCTION)[len(bar):]
            elif fc > plan:
                bar += _span(plan, fc, scale, bar_width, GAP)[len(bar):]
            figures = f"{money(fc):>{w}} / {money(plan):>{w}} {share:>{share_width}}"
        drawn = f" {bar:<{bar_width}}" if bar_width else ""
        lines.append(f"{label:<{label_width}}{drawn} {figures}"[:width])
    if more:
        lines.append(f"… and {more} more scheme{'s' if more != 1 else ''} (largest plans shown)"[:width])
    legend = f"{SOLID} forecast  {REDUCTION} short of plan  {GAP} above plan  {NO_FORECAST} no forecast"
    for shorter in (f"{SOLID} fcst {REDUCTION} short {GAP} over plan {NO_FORECAST} no fcst",
                    f"{SOLID} fcst {REDUCTION} short {GAP} over {NO_FORECAST} none"):
        if len(legend) > width:
            legend = shorter
    lines.append(legend[:width])
    return lines


def side_by_side(left: list[str], right: list[str], left_width: int, gap: int) -> list[str]:
    """Two charts' lines as one block: each left line cut or padded to `left_width`, `gap` spaces, the right line.

    One widget drawing both charts instead of two in a row container: every widget a screen holds is styled, laid
    out and rendered on the way to its first frame, and the two left out made opening a programme ~4 ms slower.
    """
    lines = []
    for n in range(max(len(left), len(right))):
        start = left[n][:left_width] if n < len(left) else ""
        end = right[n] if n < len(right) else ""
        lines.append(f"{start:<{left_width}}{' ' * gap}{end}".rstrip() if end else start)
    return lines


class TextChart(Widget):
    """Shows the lines a function draws for the widget's current width, literally (never as markup).

    The lines are drawn once per width: Textual asks for them several times on the way to a frame (the layout
    asks each chart's height, the render its text), and a bridge or bar chart is ~0.2 ms a drawing.
    """

    # Every line is cut to the width it was drawn for, so nothing is left to wrap: Textual's word wrapping would
    # only measure each line again.
    DEFAULT_CSS = """
    TextChart {
        height: auto;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    def __init__(self, draw: Callable[[int], list[str]], *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._draw = draw
        self._drawn: tuple[int, list[str]] | None = None

    def set_draw(self, draw: Callable[[int], list[str]]) -> None:
        """Draw something else (new figures), and repaint."""
        self._draw = draw
        self._drawn = None
        self.refresh(layout=True)

    def lines(self, width: int | None = None) -> list[str]:
        width = max(20, width if width is not None else self.content_region.width or 60)
        if self._drawn is None or self._drawn[0] != width:
            self._drawn = (width, self._draw(width))
        return self._drawn[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n".join(self.lines()))
