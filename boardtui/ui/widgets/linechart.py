"""LineChart: one or more series over labelled points, drawn with text characters, with a threshold line.

Each series has its own marker character, so the chart reads without colour (colour, when a style is given,
is only a second cue); a legend names every series and the threshold. Missing values (None) leave a gap.
`plot` is the pure drawing function (a grid of characters and styles), so it can be tested without a screen.

    LineChart(
        [Series("Actual", [91.5, 92.0, None, 90.4], "●"), Series("Trajectory", [91, 91, 91.5, 90], "○")],
        ["Jul 16", "Aug 16", "Sep 16", "Oct 16"],
        threshold=95, threshold_label="Standard ≥ 95%",
    )
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

Cell = tuple[str, str]  # (character, Rich style)

AXIS_STYLE = "dim"
THRESHOLD_STYLE = "yellow"


@dataclass(frozen=True)
class Series:
    """One line of the chart: a label for the legend, one value per x label (None for a gap), a marker."""

    label: str
    values: list[float | None]
    marker: str = "●"
    style: str = ""
    connector: str = "·"


def default_format(value: float) -> str:
    """A y-axis label: at most one decimal place, no trailing ".0" ("95", "90.5")."""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass
class _Scale:
    lo: float
    hi: float
    rows: int
    step: float

    def row(self, value: float) -> int:
        if self.hi == self.lo:
            return self.rows // 2
        frac = (self.hi - value) / (self.hi - self.lo)
        return min(self.rows - 1, max(0, round(frac * (self.rows - 1))))

    def ticks(self) -> list[float]:
        """Round values from `lo` to `hi`, one every `step`."""
        count = round((self.hi - self.lo) / self.step)
        return [self.lo + i * self.step for i in range(count + 1)]


def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts `span` into at most four parts."""
    magnitude = 10 ** math.floor(math.log10(span))
    for factor in (0.1, 0.2, 0.5, 1, 2, 5, 10):
        if span / (factor * magnitude) <= 4:
            return factor * magnitude
    return 10 * magnitude


def _scale(series: Sequence[Series], threshold: float | None, rows: int) -> _Scale:
    known = [v for s in series for v in s.values if v is not None]
    if threshold is not None:
        known.append(threshold)
    if not known:
        return _Scale(0.0, 1.0, rows, 0.5)
    lo, hi = min(known), max(known)
    if hi == lo:
        pad = max(abs(hi) * 0.05, 1.0)
        lo, hi = lo - pad, hi + pad
    step = _nice_step(hi - lo)
    return _Scale(math.floor(lo / step) * step, math.ceil(hi / step) * step, rows, step)


def _x_positions(count: int, width: int) -> list[int]:
    if count <= 0:
        return []
    if count == 1:
        return [width // 2]
    return [round(i * (width - 1) / (count - 1)) for i in range(count)]


def _put(grid: list[list[Cell]], row: int, col: int, char: str, style: str) -> None:
    if 0 <= row < len(grid) and 0 <= col < len(grid[row]):
        grid[row][col] = (char, style)


def _write(grid: list[list[Cell]], row: int, col: int, text: str, style: str) -> None:
    for i, ch in enumerate(text):
        _put(grid, row, col + i, ch, style)


def legend(series: Sequence[Series], threshold: float | None, threshold_label: str | None) -> list[Cell]:
    """The legend line: each series' marker and label, then the threshold line and its label."""
    cells: list[Cell] = []
    for s in series:
        cells += [(s.marker, s.style)] + [(ch, "") for ch in f" {s.label}   "]
    if threshold is not None:
        cells += [("─", THRESHOLD_STYLE), ("─", THRESHOLD_STYLE)]
        cells += [(ch, "") for ch in f" {threshold_label or 'Threshold'}"]
    return cells


def plot(
    series: Sequence[Series],
    x_labels: Sequence[str],
    threshold: float | None = None,
    width: int = 80,
    height: int = 12,
    *,
    threshold_label: str | None = None,
    y_format: Callable[[float], str] = default_format,
) -> list[list[Cell]]:
    """Draw the chart into `height` rows of `width` cells: legend, plot area, x axis, x labels.

    Markers sit at each value; consecutive values of a series are joined by its connector character; the
    threshold is a horizontal line across the plot. Where two series meet, the first series' marker is kept.
    """
    width, height = max(width, 12), max(height, 5)
    grid: list[list[Cell]] = [[(" ", "")] * width for _ in range(height)]
    for col, cell in enumerate(legend(series, threshold, threshold_label)[:width]):
        grid[0][col] = cell
    rows = height - 3
    top = 1
    scale = _scale(series, threshold, rows)
    ticks: dict[int, float] = {}
    for value in scale.ticks():
        ticks.setdefault(scale.row(value), value)
    if threshold is not None:
        trow = scale.row(threshold)
        ticks = {r: v for r, v in ticks.items() if abs(r - trow) > 1 or r == trow}
        ticks[trow] = threshold
    label_width = max(cell_len(y_format(v)) for v in ticks.values()) + 1
    left = label_width + 1
    plot_width = max(2, width - left - 1)
    for r in range(rows):
        _put(grid, top + r, left - 1, "│", AXIS_STYLE)
    for r, v in ticks.items():
        text = y_format(v)
        _write(grid, top + r, label_width - 1 - cell_len(text), text, AXIS_STYLE)
        _put(grid, top + r, left - 1, "┤", AXIS_STYLE)
    if threshold is not None:
        for c in range(plot_width):
            _put(grid, top + scale.row(threshold), left + c, "─", THRESHOLD_STYLE)

    count = max([len(x_labels)] + [len(s.values) for s in series])
    xs = _x_positions(count, plot_width)
    placed: set[tuple[int, int]] = set()
    for s in series:  # connectors first, so every marker lands on top of them
        points = [(xs[i], scale.row(v)) for i, v in enumerate(s.values) if v is not None and i < count]
        for (x0, y0), (x1, y1), ok in zip(points, points[1:], _adjacent(s.values)):
            if not ok:
                continue
            steps = max(abs(x1 - x0), abs(y1 - y0))
            for k in range(1, steps):
                x = round(x0 + (x1 - x0) * k / steps)
                y = round(y0 + (y1 - y0) * k / steps)
                if grid[top + y][left + x][0] in (" ", "─"):
                    _put(grid, top + y, left + x, s.connector, s.style)
    for s in series:
        for i, v in enumerate(s.values[:count]):
            if v is None:
                continue
            spot = (scale.row(v), xs[i])
            if spot in placed:
                continue
            placed.add(spot)
            _put(grid, top + spot[0], left + spot[1], s.marker, s.style)

    axis = top + rows
    _put(grid, axis, left - 1, "└", AXIS_STYLE)
    for c in range(plot_width):
        _put(grid, axis, left + c, "─", AXIS_STYLE)
    end = -1
    for i, x in enumerate(xs):
        _put(grid, axis, left + x, "┬", AXIS_STYLE)
        if i >= len(x_labels):
            continue
        text = x_labels[i]
        start = min(max(left + x - cell_len(text) // 2, 0), width - cell_len(text))
        if start > end:  # skip a label that would overlap the one before
            _write(grid, axis + 1, start, text, "")
            end = start + cell_len(text)
    return grid


def _adjacent(values: Sequence[float | None]) -> list[bool]:
    """For each pair of consecutive known values: True when no gap (None) lies between them."""
    known = [i for i, v in enumerate(values) if v is not None]
    return [b == a + 1 for a, b in zip(known, known[1:])]


def grid_text(grid: list[list[Cell]]) -> list[str]:
    """The chart's characters, one string per row (for tests and plain output)."""
    return ["".join(ch for ch, _ in row).rstrip() for row in grid]


class LineChart(Widget):
    """A line chart of one or more `Series` against `x_labels`, with an optional horizontal `threshold`."""

    # Every row is drawn to the width exactly, so nothing is left to wrap: Textual's word wrapping (the Text's
    # no_wrap does not reach it) would only measure each row again.
    DEFAULT_CSS = """
    LineChart {
        height: 12;
        width: 1fr;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    data_version: reactive[int] = reactive(0)
    """Bumped by `set_data` so the chart repaints."""

    def __init__(
        self,
        series: Sequence[Series] = (),
        x_labels: Sequence[str] = (),
        threshold: float | None = None,
        *,
        threshold_label: str | None = None,
        y_format: Callable[[float], str] = default_format,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.series = list(series)
        self.x_labels = list(x_labels)
        self.threshold = threshold
        self.threshold_label = threshold_label
        self.y_format = y_format

    def set_data(self, series: Sequence[Series], x_labels: Sequence[str], threshold: float | None = None,
                 threshold_label: str | None = None) -> None:
        """Replace what is drawn."""
        self.series, self.x_labels = list(series), list(x_labels)
        self.threshold, self.threshold_label = threshold, threshold_label
        self.data_version += 1
        self.refresh()

    def render(self) -> Text:
        size = self.content_region.size if self.is_mounted else self.size
        grid = plot(self.series, self.x_labels, self.threshold, size.width, size.height,
                    threshold_label=self.threshold_label, y_format=self.y_format)
        out = Text(no_wrap=True, overflow="crop")
        for n, row in enumerate(grid):
            if n:
                out.append("\n")
            # One span per run of cells in the same style: a span per cell (~1,000 in a scheme's chart) made
            # turning the text into lines ~4 ms of opening the screen.
            start = 0
            for end in range(1, len(row) + 1):
                if end == len(row) or row[end][1] != row[start][1]:
                    out.append("".join(ch for ch, _ in row[start:end]), row[start][1] or None)
                    start = end
        return out
