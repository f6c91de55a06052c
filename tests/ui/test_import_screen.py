"""The import screen: reached from the command palette, previews a file (first 20 problems), imports it."""

from __future__ import annotations

import openpyxl
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Static

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.ui.screens.import_file import ImportScreen
from tests.conftest import DEMO_TODAY


def _workbook(path, rows) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Ref", "Programme", "Scheme", "Saving £k", "Year"])
    for r in rows:
        wb.active.append(r)
    wb.save(path)


def _summary(app) -> str:
    return str(app.screen.query_one("#summary", Static).content)


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)


async def _open(pilot, path) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*"import")
    await pilot.pause(0.4)
    await pilot.press("enter")
    await pilot.pause(0.3)
    assert isinstance(pilot.app.screen, ImportScreen)
    pilot.app.screen.query_one("#path", Input).value = str(path)


async def test_preview_shows_the_first_20_problems_and_writes_nothing(demo_board, tmp_path):
    path = tmp_path / "bad.xlsx"
    _workbook(path, [[f"B-{i}", "Adults", f"Scheme {i}", "£1,65", "2017/18"] for i in range(25)])
    before = demo_board.scalar("SELECT count(*) FROM schemes")
    app = make_app(demo_board, Config(), today=DEMO_TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _open(pilot, path)
        await pilot.press("f2")
        await _settle(pilot)
        table = app.screen.query_one("#problems", DataTable)
        assert table.row_count == 20
        assert "25 problem(s)" in _summary(app) and "first 20" in _summary(app)
        first = [str(c) for c in table.get_row_at(0)]
        assert first[:3] == ["2", "Saving £k", "£1,65"]
    assert demo_board.scalar("SELECT count(*) FROM schemes") == before


async def test_import_writes_every_row_and_says_so(demo_board, tmp_path):
    path = tmp_path / "good.xlsx"
    _workbook(path, [["G-1", "Adults", "[RED] literal [/]", 12, "2017/18"], ["G-2", "Adults", "Two", "TBC", None]])
    app = make_app(demo_board, Config(), today=DEMO_TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _open(pilot, path)
        await pilot.press("f2")
        await _settle(pilot)
        assert "would import 2 schemes row(s)" in _summary(app)
        assert demo_board.scalar("SELECT count(*) FROM schemes WHERE ref LIKE 'G-%'") == 0
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert "imported 2 schemes row(s)" in _summary(app)
        assert any("imported 2" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        assert app.return_code is None
    got = {r[0]: (r[1], r[2]) for r in demo_board.query("SELECT ref, title, value_status FROM schemes WHERE ref LIKE 'G-%'")}
    assert got == {"G-1": ("[RED] literal [/]", "quantified"), "G-2": ("Two", "TBC")}


async def test_a_missing_file_is_a_sentence_not_a_crash(demo_board, tmp_path):
    app = make_app(demo_board, Config(), today=DEMO_TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open(pilot, tmp_path / "nope.xlsx")
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert "not found" in _summary(app)
        assert app.return_code is None
