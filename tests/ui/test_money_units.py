"""The config's money_unit on screen: the programmes table, a programme, a scheme and its grid follow it."""

from __future__ import annotations

import pytest

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.store import savings
from boardtui.ui.money import money_width
from boardtui.ui.screens.programmes import ProgrammesScreen
from boardtui.ui.widgets.month_grid import MonthGrid, cell_width
from tests.conftest import DEMO_TODAY
from tests.ui.test_savings_programmes import static_text, table_lines, type_text
from tests.ui.test_savings_scheme import open_programme, open_scheme, to_cell

SIZE = (160, 40)

# Adults in the demo: identified £3,841k; the board's requirement £15,000k.
SHOWN = {
    "pounds": {"identified": "£3,841,000", "requirement": "Requirement £15,000,000", "label": "£"},
    "m": {"identified": "£3.84m", "requirement": "Requirement £15.00m", "label": "£m"},
}


def _app(board, unit: str):
    return make_app(board, Config(money_unit=unit), screen="programmes", today=DEMO_TODAY)


@pytest.mark.parametrize("unit", ["pounds", "m"])
async def test_programmes_screen_shows_the_demo_in_the_configured_unit(demo_board, unit):
    app = _app(demo_board, unit)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgrammesScreen)
        band = static_text(screen, "#totals")
        assert SHOWN[unit]["requirement"] in band
        assert f" {SHOWN[unit]['label']} " in band and "£000s" not in band
        adults = next(line for line in table_lines(screen) if line.strip().startswith("Adults"))
        assert SHOWN[unit]["identified"] in adults
        # The widest figure of the unit fits its column whole.
        assert money_width(8) >= len("£15,000,000" if unit == "pounds" else "-£15.00m")


@pytest.mark.parametrize("unit", ["pounds", "m"])
async def test_a_programme_and_a_scheme_grid_show_the_configured_unit(demo_board, unit):
    app = _app(demo_board, unit)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_programme(pilot, "Adults")
        summary = static_text(screen, "#summary")
        assert f"Identified {SHOWN[unit]['identified']}" in summary
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_scheme(pilot, "Adults", "TH-ADU-04")
        grid = screen.query_one(MonthGrid)
        plain = grid.render().plain
        heading = plain.splitlines()[1]
        assert heading.startswith(f"{SHOWN[unit]['label']} ") and "£000s" not in plain
        sid = demo_board.scalar("SELECT id FROM schemes WHERE ref = 'TH-ADU-04'")
        periods = savings.scheme_periods(demo_board, sid)
        month = min(m for m, p in periods.items() if p["plan_pence"])
        plan = periods[month]["plan_pence"]
        expected = f"£{plan // 100:,}" if unit == "pounds" else f"£{plan / 100_000_000:.2f}m"
        assert expected in plain.splitlines()[2]
        fields = static_text(screen, "#fields")
        assert f"Plan {SHOWN[unit]['label']}:" in fields and "£000s" not in fields
        assert cell_width() - 1 >= (len("£15,000,000") if unit == "pounds" else len("£15.00m"))


async def test_typing_into_the_grid_in_pounds_reads_pounds(demo_board):
    sid = demo_board.scalar("SELECT id FROM schemes WHERE ref = 'TH-ADU-04'")
    app = _app(demo_board, "pounds")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scheme(pilot, "Adults", "TH-ADU-04")
        grid = screen.query_one(MonthGrid)
        await to_cell(pilot, grid, 1, 6)  # Actual, M7 (Oct 2017)
        await type_text(pilot, "1200")
        await pilot.press("enter")
        await pilot.pause()
        assert not grid.editing and "Not saved" not in grid.render().plain
        assert "£1,200" in grid.render().plain.splitlines()[3]
        # enter on the saved cell offers it back in pounds, so saving it again changes nothing
        await pilot.press("enter")
        assert grid.buffer == "1,200"
        await pilot.press("escape")
    assert savings.scheme_periods(demo_board, sid)["2017-10"]["actual_pence"] == 120_000


async def test_a_k_suffix_still_overrides_the_unit_in_millions(demo_board):
    sid = demo_board.scalar("SELECT id FROM schemes WHERE ref = 'TH-ADU-04'")
    app = _app(demo_board, "m")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scheme(pilot, "Adults", "TH-ADU-04")
        grid = screen.query_one(MonthGrid)
        await to_cell(pilot, grid, 1, 6)
        await type_text(pilot, "12k")
        await pilot.press("enter")
        await pilot.pause()
        assert not grid.editing
    assert savings.scheme_periods(demo_board, sid)["2017-10"]["actual_pence"] == 1_200_000


async def test_the_scheme_form_reads_and_shows_money_in_the_configured_unit(demo_board):
    from boardtui.store import savings_edit
    from boardtui.ui.modals.savings_forms import scheme_form_fields

    sid = demo_board.scalar("SELECT id FROM schemes WHERE ref = 'TH-ADU-04'")
    row = savings.get_scheme(demo_board, sid)
    shown = savings_edit.scheme_form_values(row, "pounds")
    assert shown["plan"] == f"{row['plan_pence'] // 100:,}"
    values = dict(savings_edit.scheme_form_values(row), plan=shown["plan"], recurrent="", non_recurrent="")
    assert savings_edit.clean_scheme(values, "pounds")["plan_pence"] == row["plan_pence"]
    app = _app(demo_board, "m")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        labels = {f.name: f.label for f in scheme_form_fields([])}
        assert labels["plan"] == "Plan £m" and labels["recurrent"] == "Recurrent £m"


async def test_a_grid_too_wide_in_pounds_follows_the_cursor(demo_board):
    app = _app(demo_board, "pounds")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_scheme(pilot, "Adults", "TH-ADU-04")
        grid = screen.query_one(MonthGrid)
        header = grid.render().plain.splitlines()[0].split()
        assert header[0] == "M1" and "M12" not in header  # £2,190,000 needs wide cells: not all twelve fit
        await to_cell(pilot, grid, 1, 11)
        header = grid.render().plain.splitlines()[0].split()
        assert header[-1] == "M12" and "M1" not in header
