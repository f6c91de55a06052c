"""Timeline: one line per milestone across a window of months, baseline and forecast marked, today marked.

Each month takes two cells (first half, second half); a day-precision date sits in the half it falls in, a
month-precision date in the month's second half (it is judged at month end), a year in December's. The marks
are characters, so the chart reads without colour: ◇ baseline, ◆ forecast, ✓ done, ─ slip between the
baseline and the forecast or actual, │ today; ‹ and › mark dates before and after the window. `left` and
`right` move the window a quarter at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from boardtui.domain.periods import MONTH_ABBR, PartialDate, Precision
from boardtui.domain.rag import Rag
from boardtui.domain.text import one_line
from boardtui.ui.widgets.rag import STYLES as RAG_STYLES

BASELINE, FORECAST, DONE, SLIP, TODAY, BEFORE, AFTER = "◇", "◆", "✓", "─", "│", "‹", "›"
CELLS_PER_MONTH = 2
LABEL_WIDTH = 26  # " REF    title…", then the RAG letter in a 3-cell badge and a space
HEADER_LINES = 2
def legend(today: date) -> str:
    """The key to the marks, naming today's date."""
    return (f"{BASELINE} baseline  {FORECAST} forecast  {DONE} done  {SLIP} slip  {TODAY} today "
            f"{today.day} {MONTH_ABBR[today.month - 1]} {today.year}  {BEFORE}{AFTER} off the chart  "
            "←→ earlier/later")


@dataclass(frozen=True)
class TimelineItem:
    """What the timeline needs of one milestone."""

    key: str
    ref: str
    title: str
    rag: Rag
    baseline: PartialDate | None
    forecast: PartialDate | None
    actual: PartialDate | None


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def date_cell(when: PartialDate | date, first_month: int) -> int:
    """The cell (from the window's first month) where a date is marked; may fall outside the window."""
    if isinstance(when, date):
        when = PartialDate.from_date(when)
    if when.precision is Precision.YEAR:
        return (month_index(when.year, 12) - first_month) * CELLS_PER_MONTH + CELLS_PER_MONTH - 1
    half = 1 if when.precision is Precision.MONTH or (when.day or 1) > 15 else 0
    return (month_index(when.year, when.month) - first_month) * CELLS_PER_MONTH + half


def row_cells(item: TimelineItem, first_month: int, months: int, today: date) -> list[tuple[str, str]]:
    """The chart cells of one milestone: (character, role) with role in "", "slip", "mark", "today", "edge"."""
    width = months * CELLS_PER_MONTH
    cells: list[tuple[str, str]] = [(" ", "")] * width
    for m in range(months):
        cells[m * CELLS_PER_MONTH] = ("·", "grid") if (first_month + m) % 3 == 0 else (" ", "")
    t = date_cell(today, first_month)
    if 0 <= t < width:
        cells[t] = (TODAY, "today")
    base = date_cell(item.baseline, first_month) if item.baseline else None
    moved_date = item.actual or item.forecast
    moved = date_cell(moved_date, first_month) if moved_date else None
    if base is not None and moved is not None and moved != base:
        lo, hi = sorted((base, moved))
        for c in range(max(lo + 1, 0), min(hi, width)):
            cells[c] = (SLIP, "slip")
    marks = []
    if base is not None:
        marks.append((base, BASELINE))
    if item.forecast is not None and item.actual is None:
        marks.append((date_cell(item.forecast, first_month), FORECAST))
    if item.actual is not None:
        marks.append((date_cell(item.actual, first_month), DONE))
    for cell, char in marks:  # later marks win a shared cell: forecast over baseline, done over both
        if cell < 0:
            cells[0] = (BEFORE, "edge")
        elif cell >= width:
            cells[width - 1] = (AFTER, "edge")
        else:
            cells[cell] = (char, "mark")
    return cells


def header_lines(first_month: int, months: int) -> tuple[str, str]:
    """The two header lines of the chart: years (at each January and at the start), then month initials."""
    width = months * CELLS_PER_MONTH
    years = [" "] * width
    initials = [" "] * width
    for m in range(months):
        year, month0 = divmod(first_month + m, 12)
        initials[m * CELLS_PER_MONTH] = MONTH_ABBR[month0][0]
        # A year at each January, and at the start when it fits before the next January.
        if month0 == 0 or (m == 0 and (12 - month0) * CELLS_PER_MONTH > 4):
            label = str(year)
            start = m * CELLS_PER_MONTH
            if start + len(label) <= width:  # a year cut short would be misread
                years[start:start + len(label)] = label
    return "".join(years), "".join(initials)


class Timeline(ScrollView, can_focus=True):
    """Milestones across months, one per line, with a cursor; `enter` posts Selected."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="timeline.cursor_up"),
        Binding("down", "cursor_down", "Down", show=False, id="timeline.cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="timeline.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="timeline.page_down"),
        Binding("home", "cursor_first", "First", show=False, id="timeline.cursor_first"),
        Binding("end", "cursor_last", "Last", show=False, id="timeline.cursor_last"),
        Binding("left", "shift(-3)", "Earlier", id="timeline.earlier"),
        Binding("right", "shift(3)", "Later", id="timeline.later"),
        Binding("enter", "select", "Open", show=False, id="timeline.select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--header", "timeline--cursor", "timeline--today", "timeline--slip", "timeline--grid",
        "timeline--mark", "timeline--edge",
    }

    DEFAULT_CSS = """
    Timeline {
        height: 1fr;
        background: $surface;
        & > .timeline--header { text-style: bold; background: $panel; }
        & > .timeline--cursor { background: $block-cursor-blurred-background; }
        & > .timeline--today { color: $accent; text-style: bold; }
        & > .timeline--slip { color: $warning; }
        & > .timeline--grid { color: $text-muted; }
        & > .timeline--mark { text-style: bold; }
        & > .timeline--edge { color: $text-muted; text-style: bold; }
        &:focus > .timeline--cursor { background: $block-cursor-background; }
    }
    """

    cursor: reactive[int] = reactive(0)
    """Index of the milestone under the cursor."""

    first_month: reactive[int] = reactive(0)
    """The first month shown, as year × 12 + month − 1."""

    class Moved(Message):
        """The cursor moved to another milestone (`key` is None when there are none)."""

        def __init__(self, key: str | None) -> None:
            self.key = key
            super().__init__()

    class Selected(Message):
        """A milestone was chosen with enter."""

        def __init__(self, key: str) -> None:
            self.key = key
            super().__init__()

    def __init__(self, items: Sequence[TimelineItem], today: date, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items = list(items)
        self.today = today
        self.set_reactive(Timeline.first_month, month_index(today.year, today.month) - 12)

    @property
    def months(self) -> int:
        """How many months fit beside the labels."""
        return max(6, (self.scrollable_content_region.width - LABEL_WIDTH - 5) // CELLS_PER_MONTH)

    @property
    def cursor_key(self) -> str | None:
        return self.items[self.cursor].key if 0 <= self.cursor < len(self.items) else None

    def set_items(self, items: Sequence[TimelineItem], keep: str | None = None) -> None:
        """Show other milestones, keeping the cursor on `keep` when it is among them."""
        self.items = list(items)
        keys = [i.key for i in self.items]
        self.cursor = keys.index(keep) if keep in keys else min(self.cursor, max(0, len(self.items) - 1))
        self.virtual_size = Size(self.size.width, len(self.items) + HEADER_LINES)
        self.refresh()

    def select_key(self, key: str | None) -> None:
        """Put the cursor on the milestone `key`, if shown."""
        for i, item in enumerate(self.items):
            if item.key == key:
                self.cursor = i
                return

    def on_mount(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.items) + HEADER_LINES)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.items) + HEADER_LINES)
        self.refresh()

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.items) - 1))

    def watch_cursor(self) -> None:
        page = max(1, self.scrollable_content_region.height - HEADER_LINES)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, force=True)
        self.refresh()
        self.post_message(self.Moved(self.cursor_key))

    def watch_first_month(self) -> None:
        self.refresh()

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - HEADER_LINES)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - HEADER_LINES)

    def action_cursor_first(self) -> None:
        self.cursor = 0

    def action_cursor_last(self) -> None:
        self.cursor = len(self.items) - 1

    def action_shift(self, months: int) -> None:
        self.first_month += months

    def action_select(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.Selected(key))

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"timeline--{name}")

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        months = self.months
        if y < HEADER_LINES:
            years, initials = header_lines(self.first_month, months)
            text = years if y == 0 else initials
            label = " Milestone" if y == 1 else ""
            t = self.today
            today_cell = date_cell(t, self.first_month)
            segments = [Segment(set_cell_size(label, LABEL_WIDTH + 4))]
            if y == 0 and 0 <= today_cell < len(text):
                segments += [Segment(text[:today_cell]), Segment("▼", self._style("today")),
                             Segment(text[today_cell + 1:])]
            else:
                segments.append(Segment(text))
            return Strip(segments).apply_style(base + self._style("header")).crop_extend(0, width, base)
        index = self.scroll_offset.y + y - HEADER_LINES
        if not 0 <= index < len(self.items):
            if not self.items and y == HEADER_LINES:
                return Strip([Segment(" No milestones")]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        item = self.items[index]
        label = f" {item.ref:<6} {one_line(item.title)}"
        label = set_cell_size(label, LABEL_WIDTH) if cell_len(label) <= LABEL_WIDTH else (
            set_cell_size(label, LABEL_WIDTH - 1) + "…")
        segments = [Segment(label), Segment(f" {item.rag.value} ", Style.parse(RAG_STYLES[item.rag])),
                    Segment(" ")]
        for ch, role in row_cells(item, self.first_month, months, self.today):
            segments.append(Segment(ch, self._style(role) if role else None))
        line_style = base + self._style("cursor") if index == self.cursor else base
        return Strip(segments).apply_style(line_style).crop_extend(0, width, line_style)
