"""PagedTable: fetches only the rows on screen, keeps its cursor, shows data literally."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult

from boardtui.ui.widgets.paged_table import Column, PagedTable, Row, layout_widths

BLOCK = PagedTable.BLOCK_SIZE

COLUMNS = (
    Column("ref", "Ref", 8),
    Column("text", "Action", 30),
    Column("owner", "Owner", 12),
    Column("amount", "Amount", 8, align="right"),
)


@dataclass
class FakeSource:
    """An in-memory source that records every rows() call."""

    keys: list[str]
    columns: tuple[Column, ...] = COLUMNS
    cells: dict[str, tuple[str | Text, ...]] = field(default_factory=dict)
    calls: list[tuple[int, int]] = field(default_factory=list)
    count_calls: int = 0

    def count(self) -> int:
        self.count_calls += 1
        return len(self.keys)

    def rows(self, offset: int, limit: int) -> list[Row]:
        self.calls.append((offset, limit))
        return [
            Row(key, self.cells.get(key, (key, f"text {key}", "owner", str(len(key)))))
            for key in self.keys[offset : offset + limit]
        ]


def numbered(n: int) -> FakeSource:
    return FakeSource([f"A{i:06d}" for i in range(n)])


class TableApp(App[None]):
    def __init__(self, source: FakeSource) -> None:
        super().__init__()
        self.source = source
        self.messages: list[PagedTable.CursorMoved | PagedTable.RowSelected] = []

    def compose(self) -> ComposeResult:
        yield PagedTable(self.source, id="table")

    def on_paged_table_cursor_moved(self, message: PagedTable.CursorMoved) -> None:
        self.messages.append(message)

    def on_paged_table_row_selected(self, message: PagedTable.RowSelected) -> None:
        self.messages.append(message)


def screen_lines(table: PagedTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


def assert_block_calls(source: FakeSource) -> None:
    for offset, limit in source.calls:
        assert offset % BLOCK == 0
        assert 0 < limit <= BLOCK


async def test_first_paint_fetches_at_most_two_blocks() -> None:
    source = numbered(100_000)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(PagedTable)
        assert table.row_count == 100_000
        assert table.virtual_size.height == 100_001
        assert len(source.calls) <= 2
        assert_block_calls(source)
        assert source.count_calls == 1
        lines = screen_lines(table)
        assert "Ref" in lines[0] and "Action" in lines[0]
        assert "A000000" in lines[1]
        assert "A000028" in lines[29]


async def test_end_goes_to_last_row_and_fetches_only_the_last_block() -> None:
    source = numbered(100_000)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.pause()
        source.calls.clear()
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_index == 99_999
        assert table.cursor_key == "A099999"
        assert source.calls == [(99_900, 100)]
        lines = screen_lines(table)
        assert "A099999" in lines[-1]
        assert "Ref" in lines[0]
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_index == 0
        assert "A000000" in screen_lines(table)[1]


async def test_ctrl_home_and_ctrl_end() -> None:
    app = TableApp(numbered(1_000))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.press("ctrl+end")
        assert table.cursor_index == 999
        await pilot.press("ctrl+home")
        assert table.cursor_index == 0


async def test_last_block_shorter_than_a_block_is_asked_for_exactly() -> None:
    source = numbered(1_234)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("end")
        await pilot.pause()
        assert (1_200, 34) in source.calls
        assert_block_calls(source)


async def test_pagedown_moves_by_the_visible_height() -> None:
    source = numbered(100_000)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        page = table.page_height
        assert page == 29  # 30 lines less the header
        await pilot.press("pagedown")
        await pilot.pause()
        assert table.cursor_index == page
        assert table.scroll_offset.y == page
        await pilot.press("pagedown")
        assert table.cursor_index == 2 * page
        await pilot.press("pageup")
        assert table.cursor_index == page
        assert_block_calls(source)
        assert all(offset < 2 * BLOCK for offset, _ in source.calls)


async def test_up_down_keep_cursor_visible_and_post_cursor_moved() -> None:
    app = TableApp(numbered(500))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.press("up")  # at the top already: no move, no crash
        assert table.cursor_index == 0
        for _ in range(35):
            await pilot.press("down")
        await pilot.pause()
        assert table.cursor_index == 35
        top = table.scroll_offset.y
        assert top <= 35 < top + table.page_height
        assert "A000035" in screen_lines(table)[35 - top + 1]
        moved = [m for m in app.messages if isinstance(m, PagedTable.CursorMoved)]
        assert (moved[-1].key, moved[-1].index) == ("A000035", 35)
        assert moved[-1].control is table


async def test_enter_posts_row_selected_with_the_right_key() -> None:
    app = TableApp(numbered(500))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        selected = [m for m in app.messages if isinstance(m, PagedTable.RowSelected)]
        assert [(m.key, m.index) for m in selected] == [("A000003", 3)]


async def test_click_moves_the_cursor_and_double_click_selects() -> None:
    app = TableApp(numbered(500))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.click(PagedTable, offset=(5, 6))  # screen line 6 is row 5
        await pilot.pause()
        assert table.cursor_index == 5
        assert not any(isinstance(m, PagedTable.RowSelected) for m in app.messages)
        await pilot.click(PagedTable, offset=(5, 0))  # the header does not move the cursor
        assert table.cursor_index == 5
        await pilot.click(PagedTable, offset=(5, 8), times=2)
        await pilot.pause()
        assert table.cursor_index == 7
        selected = [m for m in app.messages if isinstance(m, PagedTable.RowSelected)]
        assert selected and selected[-1].key == "A000007"


async def test_mouse_wheel_scrolls_and_fetches_only_what_is_shown() -> None:
    source = numbered(100_000)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        for _ in range(5):
            table.post_message(events.MouseScrollDown(table, 10, 10, 0, 1, 0, False, False, False))
        await pilot.pause()
        top = table.scroll_offset.y
        assert top > 0
        assert f"A{top:06d}" in screen_lines(table)[1]
        table.scroll_to(y=50_000, animate=False)  # as a scrollbar drag does
        await pilot.pause()
        lines = screen_lines(table)
        assert "A050000" in lines[1]
        assert table.cursor_index == 0  # scrolling does not move the cursor
        assert {offset for offset, _ in source.calls} <= {0, 50_000}
        assert_block_calls(source)


@pytest.mark.parametrize("hostile", ["[/]", "[RED]", "[@click=app.quit]x[/]", "[b]bold[/b]"])
async def test_markup_in_cells_is_shown_literally(hostile: str) -> None:
    source = FakeSource(["k1"], cells={"k1": (hostile, hostile, "x", "1")})
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.pause()
        line = table.render_line(1).text
        assert line.startswith(" " + hostile[:7])  # the 8-cell Ref column, cut with "…" if longer
        assert f" {hostile} " in line
        await pilot.click(PagedTable, offset=(2, 1))  # clicking it must not run the action
        await pilot.pause()
        assert app.is_running


async def test_newlines_tabs_and_escapes_become_spaces_and_long_cells_get_an_ellipsis() -> None:
    source = FakeSource(
        ["k1"], cells={"k1": ("123456789012", "x" * 100, "a\nb\tc\x1b[31mred", "1")}
    )
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.pause()
        line = table.render_line(1).text
        assert " a b c [31mr… " in line
        assert "\x1b" not in line and "\n" not in line and "\t" not in line
        assert "x" * 29 + "…" in line
        assert line.startswith(" 1234567… ")
        assert table.render_line(1).cell_length == table.size.width


async def test_wide_characters_are_measured_in_cells() -> None:
    source = FakeSource(["k1"], cells={"k1": ("会議会議会議", "🙂" * 40, "ok", "1")})
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.pause()
        strip = table.render_line(1)
        assert strip.cell_length == table.size.width
        assert "会議会…" in strip.text
        assert "🙂" * 14 + "…" in strip.text


async def test_numbers_are_right_aligned_and_text_keeps_its_style() -> None:
    source = FakeSource(["k1"], cells={"k1": ("R1", Text("Red", style="bold red"), "o", "42")})
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.pause()
        strip = table.render_line(1)
        assert strip.text.rstrip().endswith(" 42")
        assert "      42" in strip.text
        red = [segment for segment in strip if segment.text.startswith("Red")]
        assert red and red[0].style.bold and red[0].style.color.name == "red"


async def test_cursor_and_header_use_component_styles() -> None:
    app = TableApp(numbered(10))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        table.focus()
        await pilot.pause()
        cursor = table.get_component_rich_style("paged-table--cursor")
        header = table.get_component_rich_style("paged-table--header")
        assert list(table.render_line(1))[0].style.bgcolor == cursor.bgcolor
        assert list(table.render_line(2))[0].style.bgcolor != cursor.bgcolor
        assert list(table.render_line(0))[0].style.bgcolor == header.bgcolor
        table.blur()
        await pilot.pause()
        blurred = table.get_component_rich_style("paged-table--cursor")
        assert blurred.bgcolor != cursor.bgcolor
        assert list(table.render_line(1))[0].style.bgcolor == blurred.bgcolor


def test_every_binding_has_an_id() -> None:
    ids = [binding.id for binding in PagedTable.BINDINGS]
    assert all(id and id.startswith("paged_table.") for id in ids)
    assert len(set(ids)) == len(ids)


async def test_reload_keeps_the_cursor_on_the_same_key_after_an_insert_before_it() -> None:
    source = numbered(1_000)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        for _ in range(40):
            await pilot.press("down")
        assert table.cursor_key == "A000040"
        source.keys.insert(3, "NEW")
        count_calls = source.count_calls
        table.reload()
        await pilot.pause()
        assert source.count_calls == count_calls + 1
        assert table.row_count == 1_001
        assert (table.cursor_index, table.cursor_key) == (41, "A000040")
        lines = screen_lines(table)
        assert "A000040" in lines[41 - table.scroll_offset.y + 1]
        moved = [m for m in app.messages if isinstance(m, PagedTable.CursorMoved)]
        assert (moved[-1].key, moved[-1].index) == ("A000040", 41)


async def test_reload_clamps_the_index_when_the_key_is_gone() -> None:
    source = numbered(100)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.press("end")
        del source.keys[50:]
        table.reload()
        await pilot.pause()
        assert (table.cursor_index, table.cursor_key) == (49, "A000049")
        table.reload(keep_cursor=False)
        assert table.cursor_index == 0


async def test_reload_uses_index_of_when_the_source_has_it() -> None:
    @dataclass
    class IndexedSource(FakeSource):
        def index_of(self, key: str) -> int | None:
            return self.keys.index(key) if key in self.keys else None

    source = IndexedSource([f"A{i:06d}" for i in range(10_000)])
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.press("end")
        source.keys[:0] = [f"B{i}" for i in range(500)]
        table.reload()
        assert (table.cursor_index, table.cursor_key) == (10_499, "A009999")


async def test_set_source_swaps_rows_and_columns() -> None:
    app = TableApp(numbered(300))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.press("end")
        other = FakeSource(
            ["x1", "x2"], columns=(Column("name", "Name", 10),), cells={"x1": ("one",), "x2": ("two",)}
        )
        table.set_source(other)
        await pilot.pause()
        assert table.source is other
        assert (table.cursor_index, table.cursor_key, table.row_count) == (0, "x1", 2)
        lines = screen_lines(table)
        assert "Name" in lines[0] and "one" in lines[1] and "two" in lines[2]


async def test_empty_source_shows_no_rows_and_ignores_keys() -> None:
    source = numbered(0)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.pause()
        lines = screen_lines(table)
        assert "No rows" in lines[1]
        assert all(not line.strip() for line in lines[2:])
        await pilot.press("down", "up", "pagedown", "pageup", "end", "home", "enter")
        await pilot.click(PagedTable, offset=(3, 1))
        assert table.cursor_index == 0 and table.cursor_key is None
        assert not any(isinstance(m, PagedTable.RowSelected) for m in app.messages)
        assert source.calls == []


@pytest.mark.parametrize("size", [(20, 5), (1, 1), (80, 24), (3, 2)])
async def test_tiny_terminals_do_not_raise(size: tuple[int, int]) -> None:
    app = TableApp(numbered(1_000))
    async with app.run_test(size=size) as pilot:
        table = app.screen.query_one(PagedTable)
        await pilot.press("down", "pagedown", "end", "pageup", "home", "enter")
        await pilot.pause()
        screen_lines(table)
        await pilot.resize_terminal(1, 1)
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert table.cursor_index == 0


def test_layout_keeps_preferred_widths_and_flexes_the_last_column() -> None:
    columns = (Column("a", "A", 10), Column("b", "B", 20))
    assert layout_widths(columns, 32) == [10, 20]
    assert layout_widths(columns, 50) == [10, 38]


def test_layout_shrinks_toward_min_width_then_stops() -> None:
    columns = (Column("a", "A", 10, min_width=4), Column("b", "B", 20, min_width=5))
    widths = layout_widths(columns, 22)
    assert sum(widths) + 2 == 22
    assert widths[0] >= 4 and widths[1] >= 5
    assert layout_widths(columns, 5) == [4, 5]
    assert layout_widths((), 80) == []


@dataclass
class LaterSource(FakeSource):
    """A source that offers its count as a job for a worker thread (`count_later`); `fail` makes the job raise."""

    fail: bool = False
    jobs: int = 0
    gate: threading.Event | None = None  # a slow count: the job waits for it

    def count_later(self):
        def job() -> int:
            if self.gate is not None:
                assert self.gate.wait(10)
            self.jobs += 1
            if self.fail:
                raise OSError("the second connection could not be opened")
            return len(self.keys)

        return job


@pytest.mark.parametrize("fail", [False, True])
async def test_a_count_left_to_a_worker_arrives_or_falls_back_to_the_ui_thread(fail) -> None:
    source = LaterSource([f"A{i:06d}" for i in range(5 * BLOCK + 3)], fail=fail)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(PagedTable)
        await pilot.pause()
        counted_before = source.count_calls
        source.calls.clear()
        table.reload(keep_cursor=False)  # as a new filter does: the first block now, the count on a worker
        assert source.calls[0] == (0, BLOCK)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert source.jobs == 1 and not table.counting
        assert table.row_count == 5 * BLOCK + 3
        assert source.count_calls == counted_before + (1 if fail else 0)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_key == source.keys[-1]


async def test_a_quick_count_is_waited_for_and_a_slow_one_paints_the_first_block_without_it() -> None:
    source = LaterSource([f"A{i:06d}" for i in range(5 * BLOCK + 3)])
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(PagedTable)
        await pilot.pause()
        table.reload(keep_cursor=False)  # the job answers at once: the figure is there before the first paint
        assert source.jobs == 1 and not table.counting and table.row_count == 5 * BLOCK + 3
        source.gate = threading.Event()
        source.calls.clear()
        table.reload(keep_cursor=False)  # the job outlasts COUNT_WAIT: the first block is read and painted
        assert table.counting and table.row_count == BLOCK and source.calls == [(0, BLOCK)]
        source.gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert source.jobs == 2 and not table.counting and table.row_count == 5 * BLOCK + 3


async def test_the_scrollbar_takes_a_new_row_count_with_the_rows_not_a_layout_later() -> None:
    # Told only in the next layout, the scrollbar repainted a frame after the rows (17–33 ms more per filter key).
    source = LaterSource([f"A{i:06d}" for i in range(5 * BLOCK + 3)])
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(PagedTable)
        await pilot.pause()
        scrollbar = table.vertical_scrollbar
        assert scrollbar.window_virtual_size == 5 * BLOCK + 4
        del source.keys[2 * BLOCK :]
        table.reload()  # counted at once: the scrollbar knows before anything is laid out
        assert scrollbar.window_virtual_size == 2 * BLOCK + 1
        source.keys.extend(f"B{i:06d}" for i in range(3 * BLOCK))
        source.gate = threading.Event()
        table.reload(keep_cursor=False)  # a slow count: the first block now, the count later
        assert table.counting and scrollbar.window_virtual_size == BLOCK + 1
        source.gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not table.counting and scrollbar.window_virtual_size == 5 * BLOCK + 1


@dataclass
class FailingSource(FakeSource):
    """A source whose pages cannot be read while `down` is set (a server gone away, a lock held too long)."""

    down: bool = False

    def rows(self, offset: int, limit: int) -> list[Row]:
        if self.down:
            from boardtui.store.engine import ConnectionLost

            raise ConnectionLost("The connection to the server was lost: nothing was saved.")
        return super().rows(offset, limit)


async def test_a_page_that_cannot_be_read_shows_blank_says_why_once_and_loads_when_it_can():
    source = FailingSource([f"A{i:06d}" for i in range(5000)])
    app = TableApp(source)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        table = app.query_one(PagedTable)
        source.down = True
        await pilot.press("end")  # a page far from the first: not yet read
        await pilot.pause()
        await pilot.press("up", "up")
        await pilot.pause()
        assert app.return_code is None and table.is_attached
        assert "A004999" not in "\n".join(screen_lines(table))
        assert [n.title for n in app._notifications] == ["Not loaded"]
        source.down = False
        table.refresh()
        await pilot.pause()
        assert "A004999" in "\n".join(screen_lines(table))


async def test_the_first_block_is_read_and_drawn_while_the_count_runs(monkeypatch) -> None:
    monkeypatch.setattr(PagedTable, "COUNT_WAIT", 30.0)  # long enough that only the order of events decides
    read = threading.Event()
    seen: list[bool] = []

    @dataclass
    class ReadFirst(LaterSource):
        def rows(self, offset: int, limit: int) -> list[Row]:
            read.set()
            return super().rows(offset, limit)

    source = ReadFirst([f"A{i:06d}" for i in range(5 * BLOCK + 3)])
    source.gate = threading.Event()
    source.gate.set()
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(PagedTable)
        await pilot.pause()
        read.clear()
        real_job = source.count_later

        def count_later():
            job = real_job()
            # The count ends only once the first block has been read (or after 5 s, which fails the test).
            return lambda: seen.append(read.wait(5)) or job()

        source.count_later = count_later
        table.reload(keep_cursor=False)
        assert seen == [True] and not table.counting and table.row_count == 5 * BLOCK + 3
        drawn = screen_lines(table)
        table._strips.clear()  # the lines drawn while counting are the lines a repaint draws
        assert drawn == screen_lines(table) and "A000000" in drawn[1]


async def test_a_first_block_shorter_than_a_block_is_the_count_without_waiting_for_it(monkeypatch) -> None:
    monkeypatch.setattr(PagedTable, "COUNT_WAIT", 30.0)
    source = LaterSource([f"A{i:06d}" for i in range(BLOCK - 7)])
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(PagedTable)
        await pilot.pause()
        source.gate = threading.Event()  # the count would answer only after the test ends
        counted_before = source.count_calls
        table.reload(keep_cursor=False)
        assert source.jobs == 0 and not table.counting and table.row_count == BLOCK - 7
        assert source.count_calls == counted_before  # nor counted on this thread
        assert table.cursor_key == "A000000" and "A000001" in screen_lines(table)[2]
        source.gate.set()
