"""MonthGrid: a scheme's twelve months of plan, actual and forecast outturn, edited cell by cell like a sheet.

Arrows move; typing a digit, `£`, `-`, `(`, `.`, or the first letter of TBC/NA starts an edit (enter starts one
with the cell's current figure); enter saves, escape cancels, delete clears the cell. Amounts are read with
`parse_money` in the display unit (the config's `money_unit`, £000s by default, named in the grid's heading;
`£1.2k`, `1,651`, `(200)`, `£1.2m`: a k or m suffix overrides it); blank or TBC means "not returned yet".

A value that cannot be read is refused on the spot with the reason, and the cell keeps what was typed. A value
that reads is posted up as `CellEdited`; the screen saves it and answers with `accept()` or `refuse(reason)`,
so a refusal from the store (a stale edit, a month before the scheme starts, a read-only board) also keeps the
typed text in the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from boardtui.domain.errors import ValidationError
from boardtui.domain.periods import MONTH_ABBR, month_label, month_number
from boardtui.domain.text import one_line, terminal_safe
from boardtui.store.savings_edit import MONTH_FIELD_NAMES, money_text, parse_month_value
from boardtui.ui.money import display_unit, money, money_label, money_width

FIELDS: tuple[tuple[str, str], ...] = (("plan", "Plan"), ("actual", "Actual"), ("fot", "Forecast"))
LABEL_WIDTH = 9
CELL_WIDTH = 7  # in £000s: a space and a figure up to "15,000"; see cell_width() for the display unit
STARTS_EDIT = set("0123456789£-−+(.,tTnN")
HINT = "type an amount (£, commas, k/m; blank/TBC clears) · enter edits/saves · esc cancels · del clears"


def cell_width() -> int:
    """A month's cell in the display unit: a space and the widest monthly figure ("£15,000,000" in pounds)."""
    return money_width(CELL_WIDTH - 1) + 1


@dataclass
class GridData:
    """What the grid shows: the months in order, figures by (field, month), and each month's row version."""

    months: list[str]
    values: dict[tuple[str, str], int | None]
    versions: dict[str, int | None]
    start_month: str | None = None
    read_only_reason: str = ""


class MonthGrid(Widget, can_focus=True):
    """Plan, actual and forecast outturn by month; see the module docstring for the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(0, -1)", "Up", show=False, id="month_grid.up"),
        Binding("down", "move(0, 1)", "Down", show=False, id="month_grid.down"),
        Binding("left", "move(-1, 0)", "Left", show=False, id="month_grid.left"),
        Binding("right", "move(1, 0)", "Right", show=False, id="month_grid.right"),
        Binding("home", "edge(-1)", "First month", show=False, id="month_grid.first"),
        Binding("end", "edge(1)", "Last month", show=False, id="month_grid.last"),
        Binding("enter", "enter", "Edit / save cell", id="month_grid.enter"),
        Binding("escape", "cancel", "Cancel edit", show=False, id="month_grid.cancel"),
        Binding("backspace", "backspace", "Delete a character", show=False, id="month_grid.backspace"),
        Binding("delete", "clear", "Clear cell", id="month_grid.clear"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "month-grid--header", "month-grid--cursor", "month-grid--error", "month-grid--muted"
    }

    # The lines are laid out to fit (the months shown follow the width) and the grid is a fixed number of lines, so
    # nothing is left to wrap: Textual's word wrapping (the Text's no_wrap does not reach it) only measured them again,
    # and a long typed value or refusal is cut at the edge rather than pushing the last line out of sight.
    DEFAULT_CSS = """
    MonthGrid {
        height: auto;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .month-grid--header { text-style: bold; }
        & > .month-grid--cursor { background: $block-cursor-blurred-background; }
        & > .month-grid--error { color: $text-error; text-style: bold; }
        & > .month-grid--muted { color: $text-muted; }
        &:focus > .month-grid--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    row: reactive[int] = reactive(0)
    """Which figure the cursor is on: 0 plan, 1 actual, 2 forecast."""
    col: reactive[int] = reactive(0)
    """Which month the cursor is on: 0 is M1 (April)."""

    class CellEdited(Message):
        """A cell's new value was read (pence, or None to clear); the screen should save it."""

        def __init__(self, grid: MonthGrid, field: str, month: str, value: int | None, text: str,
                     version: int | None) -> None:
            self.grid = grid
            self.field = field
            self.month = month
            self.value = value
            self.text = text
            self.version = version
            super().__init__()

        @property
        def control(self) -> MonthGrid:
            return self.grid

    def __init__(self, data: GridData, *, footer: Text | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        """`footer`: a line shown under the grid, e.g. the scheme's RAG by month aligned under the months (a line
        of the grid rather than a widget of its own: each widget is styled and laid out before a screen's first
        frame)."""
        super().__init__(id=id, classes=classes)
        self.data = data
        self.footer = footer
        self.editing = False
        self.buffer = ""
        self.error = ""
        self.pending = False

    # ---- what is under the cursor -----------------------------------------------------------------------

    @property
    def field(self) -> str:
        return FIELDS[self.row][0]

    @property
    def month(self) -> str:
        return self.data.months[self.col]

    def value_at(self, field: str, month: str) -> int | None:
        return self.data.values.get((field, month))

    def before_start(self, month: str) -> bool:
        return bool(self.data.start_month) and month < self.data.start_month

    def cell_name(self) -> str:
        field_label = FIELDS[self.row][1]
        return f"{field_label}, {month_label(self.month)} (M{month_number(self.month)})"

    def set_footer(self, footer: Text | None) -> None:
        """Show another line under the grid (None: none)."""
        self.footer = footer
        self.refresh(layout=True)

    def set_data(self, data: GridData, *, keep_edit: bool = False) -> None:
        """Show new figures (after a save or a reload); an edit in progress is kept when asked."""
        self.data = data
        if not keep_edit:
            self.editing = False
            self.buffer = ""
            self.error = ""
        self.pending = False
        self.refresh(layout=True)

    # ---- the screen's answers ---------------------------------------------------------------------------

    def accept(self) -> None:
        """The posted value was saved: leave edit mode."""
        self.editing = False
        self.pending = False
        self.buffer = ""
        self.error = ""
        self.refresh(layout=True)

    def refuse(self, reason: str) -> None:
        """The posted value was not saved: show why and keep the typed text for another go."""
        self.editing = True
        self.pending = False
        self.error = reason
        self.refresh(layout=True)

    # ---- keys -------------------------------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        char = event.character
        if event.is_printable and char and (self.editing or char in STARTS_EDIT):
            event.stop()
            event.prevent_default()
            if not self.editing:
                self._start_edit("")
            self.buffer += terminal_safe(char)
            self.error = ""
            self.refresh(layout=True)
            return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        text = one_line(event.text)
        if text:
            if not self.editing:
                self._start_edit("")
            self.buffer += text
            self.error = ""
            self.refresh(layout=True)
        event.stop()

    def _start_edit(self, text: str) -> None:
        self.editing = True
        self.buffer = text
        self.error = ""

    def action_move(self, dx: int, dy: int) -> None:
        if self.editing:
            return  # an edit is saved with enter or dropped with escape, never lost by a stray arrow
        self.col = max(0, min(len(self.data.months) - 1, self.col + dx))
        self.row = max(0, min(len(FIELDS) - 1, self.row + dy))

    def action_edge(self, direction: int) -> None:
        if not self.editing:
            self.col = 0 if direction < 0 else len(self.data.months) - 1

    def action_enter(self) -> None:
        if not self.editing:
            self._start_edit(money_text(self.value_at(self.field, self.month), unit=display_unit()))
            self.refresh(layout=True)
            return
        self._submit(self.buffer)

    def action_cancel(self) -> None:
        if not self.editing:
            raise SkipAction()
        self.editing = False
        self.buffer = ""
        self.error = ""
        self.pending = False
        self.refresh(layout=True)

    def action_backspace(self) -> None:
        if not self.editing:
            self._start_edit("")
        else:
            self.buffer = self.buffer[:-1]
        self.error = ""
        self.refresh(layout=True)

    def action_clear(self) -> None:
        if self.editing:
            self.buffer = ""
            self.refresh(layout=True)
            return
        if self.value_at(self.field, self.month) is None:
            return
        self._start_edit("")
        self._submit("")

    def _submit(self, text: str) -> None:
        if self.pending:
            return
        if self.data.read_only_reason:
            self.refuse(self.data.read_only_reason)
            return
        try:
            value = parse_month_value(text, self.field, display_unit())
        except ValidationError as exc:
            self.refuse(exc.message)
            return
        self.pending = True
        self.post_message(self.CellEdited(self, self.field, self.month, value, text,
                                          self.data.versions.get(self.month)))

    def watch_row(self) -> None:
        self.refresh()

    def watch_col(self) -> None:
        self.refresh()

    # ---- drawing ----------------------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(FIELDS) + 4 + (self.footer is not None)

    def _cell_text(self, field: str, month: str) -> str:
        if self.before_start(month):
            return "·"
        return money(self.value_at(field, month))

    def shown_months(self, width: int) -> list[tuple[int, str]]:
        """The months that fit the widget with cells `width` wide, as (column, month), keeping the cursor's
        month in view: all twelve in £000s on any usual terminal, a window that follows the cursor when wide
        figures (pounds) do not fit."""
        months = list(enumerate(self.data.months))
        room = self.size.width - LABEL_WIDTH
        if room <= 0 or room >= width * len(months):
            return months
        fit = max(1, room // width)
        start = max(0, min(self.col - fit + 1, len(months) - fit))
        return months[start:start + fit]

    def render(self) -> Text:
        header_style = self.get_component_rich_style("month-grid--header")
        cursor_style = self.get_component_rich_style("month-grid--cursor")
        error_style = self.get_component_rich_style("month-grid--error")
        muted_style = self.get_component_rich_style("month-grid--muted")
        out = Text(no_wrap=True, overflow="crop", end="")
        width = cell_width()
        shown_months = self.shown_months(width)
        out.append(f"{'':<{LABEL_WIDTH}}", header_style)
        for _, m in shown_months:
            out.append(f"{f'M{month_number(m)}':>{width}}", header_style)
        out.append("\n")
        out.append(f"{money_label():<{LABEL_WIDTH}}", header_style)
        for _, m in shown_months:
            out.append(f"{MONTH_ABBR[int(m[5:]) - 1]:>{width}}", header_style)
        for r, (field, label) in enumerate(FIELDS):
            out.append("\n")
            out.append(f"{label:<{LABEL_WIDTH}}")
            for c, month in shown_months:
                here = r == self.row and c == self.col
                if here and self.editing:
                    shown = (self.buffer + "▏")[-(width - 1):]
                else:
                    shown = self._cell_text(field, month)
                cell = f"{shown:>{width - 1}}"
                out.append(" ")
                if here:
                    out.append(cell, cursor_style)
                else:
                    out.append(cell, muted_style if self.before_start(month) else "")
        out.append("\n")
        if self.editing:
            out.append(f"{self.cell_name()}: ", header_style)
            out.append(self.buffer + "▏")
        else:
            out.append(f"{self.cell_name()}: ", header_style)
            current = self.value_at(self.field, self.month)
            note = "before the scheme starts" if self.before_start(self.month) else (
                money_text(current, unit=display_unit()) if current is not None
                else f"no {MONTH_FIELD_NAMES[self.field]} yet")
            out.append(note)
        out.append("\n")
        if self.error:
            out.append(f"✗ Not saved: {self.error}", error_style)
        else:
            out.append(HINT, muted_style)
        if self.footer is not None:
            out.append("\n")
            out.append_text(self.footer)
        return out
