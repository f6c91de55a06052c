"""PagedTable: a keyboard-driven table that asks its source only for the rows on screen.

Textual's `DataTable` holds every row in memory and takes ~17 s to first paint 100k rows, so every list
screen uses this widget instead. It renders with the Line API: each call to `render_line` maps a screen line
to a row index and fetches that row's block from the source if it is not cached.

Threading: `TableSource.count()` and `TableSource.rows()` are called synchronously on the UI thread. They
must be fast indexed queries (SQL `COUNT`, `LIMIT`/`OFFSET` or keyset over an index); a block is at most
`PagedTable.BLOCK_SIZE` rows and a repaint touches at most two blocks. A count that cannot be fast (a text
filter reads every row) can instead be offered by the source as `count_later()`: after a new filter the table
counts on another thread while it reads and draws the first block, and waits up to `COUNT_WAIT` for the figure;
past that it paints the first block without it, and until the figure arrives `counting` is True and the row count
is the rows known so far.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import ClassVar, Protocol, Sequence

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from boardtui.domain.errors import BoardError

__all__ = ["Column", "PagedTable", "Row", "TableSource"]

# Control characters (newlines, tabs, ESC, C1 codes...) would break the one-line-per-row layout or reach
# the terminal raw, so each becomes one space; one-for-one keeps the offsets of a Text's spans valid.
_CONTROL_TO_SPACE = {code: " " for code in (*range(0x20), *range(0x7F, 0xA0))}

_ALIGNS = ("left", "right", "center")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    `width` is the preferred width in cells. At narrow widths columns shrink toward `min_width`; the last
    column takes any spare width.
    """

    key: str
    label: str
    width: int
    align: str = "left"
    min_width: int = 3


@dataclass(frozen=True)
class Row:
    """One record: a stable `key` and one cell per column.

    A plain `str` cell is shown literally (never parsed as markup); a `rich.text.Text` cell keeps its style.
    """

    key: str
    cells: tuple[str | Text, ...]


class TableSource(Protocol):
    """Where a PagedTable gets its rows.

    A source may also define `index_of(key: str) -> int | None` (e.g. a SQL count of the rows ordered before
    the key); `PagedTable.reload` then finds the cursor's row anywhere instead of only near its old index.

    And `count_later() -> Callable[[], int | None] | None`: a job that counts the rows on another thread (it
    must not use the UI thread's connection), returning None if it became stale; or None when `count()` is
    cheap right now. `PagedTable.reload(keep_cursor=False)` uses it.
    """

    columns: Sequence[Column]

    def count(self) -> int:
        """Total number of rows."""
        ...

    def rows(self, offset: int, limit: int) -> list[Row]:
        """The rows from `offset`, at most `limit` of them, in display order."""
        ...


def _cut(text: str, width: int) -> str:
    """The longest prefix of `text` that fits in `width` cells, without trailing spaces."""
    # set_cell_size pads with a space when a wide character straddles the edge; that and any space the
    # cut lands after are dropped so "…" follows the last visible character.
    return set_cell_size(text, width).rstrip(" ")


def _fit_str(text: str, width: int, align: str) -> str:
    """A literal string cut with "…" or padded to exactly `width` cells."""
    text = text.translate(_CONTROL_TO_SPACE)
    length = cell_len(text)
    if length > width:
        text = _cut(text, width - 1) + "…"
        length = cell_len(text)
    gap = width - length
    if gap <= 0:
        return text
    if align == "right":
        return " " * gap + text
    if align == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def _fit_text(text: Text, width: int, align: str, console: Console) -> list[Segment]:
    """Segments of a Text cut with "…" and aligned to exactly `width` cells, keeping its styles."""
    plain = text.plain.translate(_CONTROL_TO_SPACE)
    fitted = Text(plain, spans=list(text.spans), end="")
    if cell_len(plain) > width:
        fitted.right_crop(len(plain) - len(_cut(plain, width - 1)))
        fitted.append("…")
    fitted.align(align if align in _ALIGNS else "left", width)  # type: ignore[arg-type]
    segments = list(fitted.render(console))
    if text.style:
        # Text.render ignores the base style when there are no spans; apply it under the spans' styles
        # so it also covers the padding (a coloured status cell fills its column).
        segments = list(Segment.apply_style(segments, console.get_style(text.style)))
    return segments


def layout_widths(columns: Sequence[Column], available: int) -> list[int]:
    """Cell widths of `columns` for `available` cells (each column also takes one cell of left padding).

    Columns keep their preferred widths and the last one takes the spare cells; when there is not enough
    room every column gives up its width above `min_width` in proportion, and below the sum of the minimum
    widths the columns stay at their minimum (the table then scrolls horizontally).
    """
    if not columns:
        return []
    preferred = [max(1, column.width) for column in columns]
    minimum = [max(1, min(column.min_width, width)) for column, width in zip(columns, preferred)]
    room = available - len(columns)
    spare = room - sum(preferred)
    if spare >= 0:
        preferred[-1] += spare
        return preferred
    if room <= sum(minimum):
        return minimum
    excess = -spare
    slack = [p - m for p, m in zip(preferred, minimum)]
    total_slack = sum(slack)
    cuts = [excess * s // total_slack for s in slack]
    # Integer division leaves a few cells; take them from the last columns first.
    remainder = excess - sum(cuts)
    for index in reversed(range(len(columns))):
        if remainder == 0:
            break
        extra = min(remainder, slack[index] - cuts[index])
        cuts[index] += extra
        remainder -= extra
    return [p - c for p, c in zip(preferred, cuts)]


class PagedTable(ScrollView, can_focus=True):
    """A table of rows fetched page by page from a `TableSource`.

    Line 0 is a fixed header; line `n + 1` shows row `n`. Only the rows on screen are fetched, in blocks of
    `BLOCK_SIZE` aligned to block boundaries, and the last `CACHE_BLOCKS` blocks are kept. The row count is
    cached until `reload()` or `set_source()`.
    """

    BLOCK_SIZE: ClassVar[int] = 100
    """Rows per call to `TableSource.rows()`; no call asks for more."""

    CACHE_BLOCKS: ClassVar[int] = 8
    """How many blocks are kept (least recently used are dropped)."""

    COUNT_WAIT: ClassVar[float] = 0.04
    """Seconds a new filter waits for its count from the other thread before painting without it ("counting…")."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="paged_table.cursor_up"),
        Binding("down", "cursor_down", "Down", show=False, id="paged_table.cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="paged_table.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="paged_table.page_down"),
        Binding("home,ctrl+home", "cursor_first", "First row", show=False, id="paged_table.cursor_first"),
        Binding("end,ctrl+end", "cursor_last", "Last row", show=False, id="paged_table.cursor_last"),
        Binding("enter", "select_row", "Open", show=False, id="paged_table.select_row"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged-table--header", "paged-table--cursor", "paged-table--empty"
    }

    DEFAULT_CSS = """
    PagedTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .paged-table--header {
            background: $panel;
            color: $foreground;
            text-style: bold;
        }
        & > .paged-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .paged-table--empty {
            color: $text-muted;
            text-style: dim;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .paged-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .paged-table--header {
                background-tint: $foreground 5%;
            }
        }
    }
    """

    cursor_index: reactive[int] = reactive(0)
    """Index of the row under the cursor (0 when the table is empty)."""

    class _RowMessage(Message):
        """Base of the row messages: which table, which row key, which index."""

        def __init__(self, table: PagedTable, key: str | None, index: int) -> None:
            self.table = table
            """The table that posted the message."""
            self.key = key
            """Key of the row, or None when the table is empty."""
            self.index = index
            """Index of the row."""
            super().__init__()

        @property
        def control(self) -> PagedTable:
            """The table that posted the message."""
            return self.table

    class CursorMoved(_RowMessage):
        """The cursor moved to another row (or the row under it was replaced); `key` is None if empty."""

    class RowSelected(_RowMessage):
        """A row was chosen with enter or a double click."""

    class Counted(Message):
        """A count made on a worker thread arrived: `row_count` is exact again (`counting` is False)."""

        def __init__(self, table: PagedTable) -> None:
            self.table = table
            super().__init__()

        @property
        def control(self) -> PagedTable:
            return self.table

    class _CountArrived(Message, bubble=False):
        """From the counting thread to the table itself (`count` None: count on the UI thread instead)."""

        def __init__(self, generation: int, count: int | None) -> None:
            self.generation = generation
            self.count = count
            super().__init__()

    def __init__(
        self, source: TableSource, *, name: str | None = None, id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._source = source
        self._count: int | None = None
        self._blocks: LRUCache[int, list[Row]] = LRUCache(self.CACHE_BLOCKS)
        self._strips: LRUCache[int, Strip] = LRUCache(512)
        self._header_strip: Strip | None = None
        self._layout_width = -1
        self._widths: list[int] = []
        # The key last reported for the cursor: reload() needs the key from before the data changed.
        self._reported: tuple[str | None, int] | None = None
        self._frame_styles: tuple[Style, Style, Style, Style] | None = None
        # A count on a worker thread: which reload it belongs to, and whether `end` waits for it.
        self._count_generation = 0
        self._counting = False
        self._last_when_counted = False

    @property
    def source(self) -> TableSource:
        """The source the rows come from."""
        return self._source

    @property
    def row_count(self) -> int:
        """Total number of rows (cached until `reload()`)."""
        if self._count is None:
            self._count = max(0, int(self._source.count()))
        return self._count

    @property
    def counting(self) -> bool:
        """True while the row count is being made on a worker thread (`row_count` is then a lower bound)."""
        return self._counting

    @property
    def cursor_key(self) -> str | None:
        """Key of the row under the cursor, or None when the table is empty."""
        row = self.get_row(self.cursor_index)
        return None if row is None else row.key

    @property
    def page_height(self) -> int:
        """How many rows fit on screen below the header."""
        return max(0, self.scrollable_content_region.height - 1)

    def get_row(self, index: int) -> Row | None:
        """The row at `index`, fetching its block if needed; None when out of range."""
        if not 0 <= index < self.row_count:
            return None
        block_index, position = divmod(index, self.BLOCK_SIZE)
        block = self._blocks.get(block_index)
        if block is None:
            limit = min(self.BLOCK_SIZE, self.row_count - block_index * self.BLOCK_SIZE)
            block = self._read_block(block_index, limit)
            if block is None:
                return None
        return block[position] if position < len(block) else None

    _unreadable: str | None = None

    def _read_block(self, block_index: int, limit: int) -> list[Row] | None:
        """Read and keep one block of at most `limit` rows; None when the board could not be read."""
        try:
            block = list(self._source.rows(block_index * self.BLOCK_SIZE, limit))[:limit]
        except BoardError as exc:
            self._read_failed(exc)
            return None
        self._unreadable = None
        self._blocks[block_index] = block
        return block

    def _read_failed(self, exc: BoardError) -> None:
        """A page could not be read (the server went away, a lock held past the busy timeout): its rows show
        blank and are asked for again on the next repaint, and the reason is said once, never a traceback (a
        failure in a repaint would end the app). ui/live.py notices a lost server and reloads when it is back."""
        if self._unreadable != str(exc):
            self._unreadable = str(exc)
            self.notify(f"Rows could not be read: {exc}", title="Not loaded", severity="error", markup=False)

    def set_source(self, source: TableSource) -> None:
        """Show another source, with the cursor on its first row."""
        self._source = source
        self._forget_rows()
        self._reported = None
        self._header_strip = None
        self._layout_width = -1
        self.set_reactive(PagedTable.cursor_index, 0)
        self._update_virtual_size()
        if self.is_mounted:
            self.scroll_to(0, 0, animate=False, force=True)
        self.refresh()
        self._report_cursor()

    def reload(self, keep_cursor: bool = True) -> None:
        """Re-count the rows and drop the cached pages, e.g. after an edit, a new filter or sort.

        With `keep_cursor` the cursor stays on the same row key when it can be found (anywhere if the source
        has `index_of`, else within a block of its old index), else on the same index clamped to the new
        count; without it the cursor goes to the first row.
        """
        old_index = self.cursor_index
        old_key = None
        if self._reported is not None and self._reported[1] == old_index:
            old_key = self._reported[0]
        self._forget_rows()
        if not keep_cursor:
            self._count_after_first_block()
        self._update_virtual_size()
        if keep_cursor:
            new_index = self._find_key(old_key, old_index) if old_key is not None else None
            if new_index is None:
                new_index = old_index
        else:
            new_index = 0
        new_index = self.validate_cursor_index(new_index)
        self.set_reactive(PagedTable.cursor_index, new_index)
        if self.is_mounted:
            if keep_cursor:
                # Shift the view with the row so it stays where the user was looking.
                self.scroll_to(y=self.scroll_offset.y + new_index - old_index, animate=False, force=True)
            else:
                self.scroll_to(0, 0, animate=False, force=True)
            self._scroll_to_cursor()
        self.refresh()
        self._report_cursor()

    def refresh_row(self, index: int) -> None:
        """Show the source's new data for the row at `index` when only that row changed (same key, same place,
        same count): its cached block and line are dropped and that line alone is repainted. `reload()` re-renders
        every line on screen, ~7 ms for a 40-line table: a quarter of a RAG change's 30 ms budget."""
        self._blocks.discard(index // self.BLOCK_SIZE)
        self._strips.discard(index)
        self.refresh_line(index + 1)

    def _find_key(self, key: str, near: int) -> int | None:
        """Index of `key` in the reloaded source, or None if not found."""
        index_of = getattr(self._source, "index_of", None)
        if callable(index_of):
            found = index_of(key)
            return None if found is None else int(found)
        if self.row_count == 0:
            return None
        home = min(near, self.row_count - 1) // self.BLOCK_SIZE
        last_block = (self.row_count - 1) // self.BLOCK_SIZE
        for block_index in (home, home - 1, home + 1):
            if not 0 <= block_index <= last_block:
                continue
            start = block_index * self.BLOCK_SIZE
            self.get_row(start)
            for position, row in enumerate(self._blocks.get(block_index) or ()):
                if row.key == key:
                    return start + position
        return None

    def _forget_rows(self) -> None:
        self._count = None
        self._blocks.clear()
        self._strips.clear()
        self._count_generation += 1  # a count still on its way is for rows no longer shown
        self._counting = self._last_when_counted = False

    def _count_after_first_block(self) -> None:
        """Count on another thread, if the source offers a job for it, and meanwhile read the first block and draw
        the lines it fills on screen.

        The count (15–25 ms over 100k rows) is SQLite work that releases the GIL, so on the other core it costs the
        block and its drawing (3–6 ms) nothing; waiting for the count first, then reading, paid for both in turn
        (and a few-match page, 15–30 ms, as long as the count, now runs beside it). A count that arrives within
        `COUNT_WAIT` is used at once, so the rows, the scrollbar and the figure are painted in one frame (rows first
        and the figure a frame later took 17–33 ms more: Textual's frame timer). Past it, the rows are painted
        without the figure (`counting` until it arrives). A first block shorter than `BLOCK_SIZE` is the whole
        result: its length is the figure, read in the same snapshot as the rows, and the count is not waited for.
        """
        count_later = getattr(self._source, "count_later", None)
        job = count_later() if callable(count_later) else None
        if job is None or not self.is_mounted:
            return
        started = time.monotonic()
        done = threading.Event()
        result: list[int | None] = [None]

        def count() -> None:
            try:
                result[0] = job()
            except Exception:  # e.g. the file could not be opened a second time
                result[0] = None
            done.set()

        # A plain thread, running from now (a Textual worker would start only once this handler has returned).
        threading.Thread(target=count, name="paged-table-count", daemon=True).start()
        first = self._read_block(0, self.BLOCK_SIZE)
        if first is not None:
            if len(first) < self.BLOCK_SIZE:
                self._count = len(first)
                return
            self._layout()
            base, _, cursor_style, _ = self._line_styles()
            for index, row in enumerate(first[: self.page_height]):  # the view goes back to the top, cursor first
                # The repaint asks each line's strip for the same styled, cropped line: made now, it is kept there.
                self._line(self._draw_row(index, row), cursor_style if index == 0 else base, 0, self.size.width)
        if done.wait(max(0.0, self.COUNT_WAIT - (time.monotonic() - started))):
            # None (failed or stale): counted on the UI thread instead, when `row_count` is next asked for.
            self._count = None if result[0] is None else max(0, int(result[0]))
            return
        if first is None:
            return  # said once; the figure is counted on the UI thread when next asked for
        self._count = len(first)
        self._counting = True
        generation = self._count_generation

        def arrive() -> None:
            done.wait()
            # None (failed, or stale): a table still waiting for this count makes it on the UI thread instead.
            self.post_message(self._CountArrived(generation, result[0]))

        self.run_worker(arrive, thread=True, group="paged-table-count", exit_on_error=False)

    @on(_CountArrived)
    def _count_arrived(self, message: _CountArrived) -> None:
        if message.generation != self._count_generation or not self._counting:
            return
        self._counting = False
        self._count = None if message.count is None else max(0, int(message.count))
        self._update_virtual_size()
        self.refresh()
        if self._last_when_counted:
            self._last_when_counted = False
            self.cursor_index = self.row_count - 1
        # Straight to the screen, ahead of this table's repaint: a handler there that shows the figure (a status
        # line) then paints in the same frame as the rows. Bubbling up through the containers took a frame or two.
        self.screen.post_message(self.Counted(self))
        self.send_refresh()

    def send_refresh(self) -> None:
        """Hand this table's pending repaint (and its scrollbar's) to the screen now, not when the table's own
        queue next goes idle. Called at the end of a screen's handler, the repaint joins the frame the screen
        paints when the handler returns; otherwise that frame could go out first, with the table's repaint a
        frame later (Textual's frame timer then waits one or two frame periods, 17–33 ms)."""
        self._check_refresh()
        if self._vertical_scrollbar is not None:
            self._vertical_scrollbar._check_refresh()

    def _update_virtual_size(self) -> None:
        columns = self._source.columns
        min_total = sum(width + 1 for width in layout_widths(columns, 0))
        self.virtual_size = Size(min_total, self.row_count + 1)
        if self.is_mounted and self._vertical_scrollbar is not None:
            # The scrollbar learns a new size in the next layout, which marks it for the frame after (its thumb
            # then moved a frame after the rows); told now, it repaints with them.
            self._vertical_scrollbar.window_virtual_size = self.row_count + 1

    def validate_cursor_index(self, index: int) -> int:
        return max(0, min(index, self.row_count - 1))

    def watch_cursor_index(self, old_index: int, new_index: int) -> None:
        self.refresh_line(old_index + 1)
        self.refresh_line(new_index + 1)
        self._scroll_to_cursor()
        self._report_cursor()

    def _report_cursor(self) -> None:
        """Post CursorMoved if the row under the cursor differs from the last one reported."""
        current = (self.cursor_key, self.cursor_index)
        if current != self._reported:
            self._reported = current
            self.post_message(self.CursorMoved(self, *current))

    def refresh_line(self, y: int) -> None:
        # The header is fixed, so virtual line y is on screen at y - scroll_y only for rows.
        if y > 0:
            super().refresh_line(y)

    def _scroll_to_cursor(self) -> None:
        """Scroll the least distance that puts the cursor row on screen."""
        if not self.is_mounted:
            return
        page = max(1, self.page_height)
        top = self.scroll_offset.y
        if self.cursor_index < top:
            self.scroll_to(y=self.cursor_index, animate=False, force=True)
        elif self.cursor_index >= top + page:
            self.scroll_to(y=self.cursor_index - page + 1, animate=False, force=True)

    def on_mount(self) -> None:
        self._update_virtual_size()
        self._report_cursor()

    def on_resize(self, event: events.Resize) -> None:
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._header_strip = None

    def action_cursor_up(self) -> None:
        self.cursor_index -= 1

    def action_cursor_down(self) -> None:
        self.cursor_index += 1

    def action_page_down(self) -> None:
        page = max(1, self.page_height)
        # Scroll the view by the same page so the cursor keeps its place on screen.
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, force=True)
        self.cursor_index += page

    def action_page_up(self) -> None:
        page = max(1, self.page_height)
        self.scroll_to(y=max(0, self.scroll_offset.y - page), animate=False, force=True)
        self.cursor_index -= page

    def action_cursor_first(self) -> None:
        self.cursor_index = 0

    def action_cursor_last(self) -> None:
        if self._counting:
            self._last_when_counted = True  # the last row is not known yet; it follows the count
        self.cursor_index = self.row_count - 1

    def action_select_row(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, key, self.cursor_index))

    def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = self.scroll_offset.y + offset.y - 1
        if 0 <= index < self.row_count:
            self.cursor_index = index
            if event.chain >= 2:
                self.action_select_row()

    def _layout(self) -> list[int]:
        """Column widths for the current width, recomputed when the width changes."""
        width = max(0, self.scrollable_content_region.width)
        if width != self._layout_width:
            self._layout_width = width
            self._widths = layout_widths(self._source.columns, width)
            self._strips.clear()
            self._header_strip = None
        return self._widths

    def _render_cells(self, cells: Sequence[str | Text]) -> Strip:
        """One unstyled line: each cell fitted to its column, after one cell of padding."""
        console = self.app.console
        segments: list[Segment] = []
        total = 0
        for column, width, cell in zip(self._source.columns, self._widths, cells):
            segments.append(Segment(" "))
            if isinstance(cell, Text):
                segments.extend(_fit_text(cell, width, column.align, console))
            else:
                segments.append(Segment(_fit_str(str(cell), width, column.align)))
            total += width + 1
        return Strip(segments, total)

    def _row_strip(self, index: int) -> Strip:
        strip = self._strips.get(index)
        if strip is not None:
            return strip
        row = self.get_row(index)
        if row is not None:
            return self._draw_row(index, row)
        strip = Strip.blank(0)
        if self._unreadable is None:
            self._strips[index] = strip  # else not kept: asked for again on the next repaint
        return strip

    def _draw_row(self, index: int, row: Row) -> Strip:
        """Render and keep the line of `row` at `index` (the column widths are `_layout`'s)."""
        cells = tuple(row.cells) + ("",) * (len(self._source.columns) - len(row.cells))
        strip = self._strips[index] = self._render_cells(cells)
        return strip

    def _line_styles(self) -> tuple[Style, Style, Style, Style]:
        """Base, header, cursor and empty-line styles (computed once per frame by render_lines)."""
        if self._frame_styles is not None:
            return self._frame_styles
        base = self.rich_style
        return (
            base,
            base + self.get_component_rich_style("paged-table--header"),
            base + self.get_component_rich_style("paged-table--cursor"),
            base + self.get_component_rich_style("paged-table--empty"),
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        # Widget.rich_style walks the ancestors; once per frame rather than once per line.
        self._frame_styles = self._line_styles()
        try:
            return super().render_lines(crop)
        finally:
            self._frame_styles = None

    def render_line(self, y: int) -> Strip:
        self._layout()
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base, header_style, cursor_style, empty_style = self._line_styles()
        if y == 0:
            if self._header_strip is None:
                self._header_strip = self._render_cells([column.label for column in self._source.columns])
            strip, style = self._header_strip, header_style
        else:
            index = scroll_y + y - 1
            if self.row_count == 0 and y == 1:
                strip, style, scroll_x = Strip([Segment(" No rows")]), empty_style, 0
            elif 0 <= index < self.row_count:
                strip = self._row_strip(index)
                style = cursor_style if index == self.cursor_index else base
            else:
                return Strip.blank(width, base)
        return self._line(strip, style, scroll_x, width)

    @staticmethod
    def _line(strip: Strip, style: Style, scroll_x: int, width: int) -> Strip:
        """A row's strip styled and cut to the view (a strip keeps the lines it made: asked again, they are free)."""
        return strip.apply_style(style).crop_extend(scroll_x, scroll_x + width, style)
