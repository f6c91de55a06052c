"""The savings charts drawn as text: every line fits the width, and a figure is never cut short (the bar gives
way), whatever the size of the figures."""

from __future__ import annotations

import pytest

from boardtui.ui.money import money
from boardtui.ui.widgets.bars import PlanBar, bridge_lines, plan_forecast_lines, side_by_side

BIG = 2_000_000_000_000  # £20bn in pence: "20,000,000" in £000s, wider than the usual column


@pytest.mark.parametrize("width", [50, 70, 100])
def test_the_bridge_shows_every_figure_whole(width):
    lines = bridge_lines(BIG, BIG * 6 // 10, BIG * 5 // 10, width)
    assert all(len(line) <= width for line in lines)
    for figure in (money(BIG), money(BIG * 6 // 10), money(BIG * 5 // 10)):
        assert any(line.endswith(figure) for line in lines), figure


@pytest.mark.parametrize("width", [50, 70, 100])
def test_plan_against_forecast_shows_every_figure_whole(width):
    bars = [PlanBar("Estates", BIG, BIG * 105 // 100), PlanBar("Drugs", 150_000_000, 120_000_000),
            PlanBar("Agency", 10_000_000, None)]
    lines = plan_forecast_lines(bars, width)
    assert all(len(line) <= width for line in lines)
    assert lines[1].split()[-4:] == [money(BIG * 105 // 100), "/", money(BIG), "105%"]
    assert lines[2].split()[-4:] == [money(120_000_000), "/", money(150_000_000), "80%"]
    assert lines[3].split()[-5:] == ["—", "/", money(10_000_000), "no", "fcst"]


def test_an_empty_chart_says_so():
    assert plan_forecast_lines([], 20)[1] == "No quantified schemes"[:20]


def test_two_charts_side_by_side_keep_their_columns():
    """The right chart starts in the same column on every line, whichever chart is longer or has short lines."""
    lines = side_by_side(["Bridge", "a line longer than the column", "x"], ["Bars", "b"], 10, 2)
    assert lines == ["Bridge      Bars", "a line lon  b", "x"]
    assert side_by_side(["L"], ["R1", "R2"], 3, 2) == ["L    R1", "     R2"]


@pytest.mark.parametrize("width", [30, 38, 44])
def test_a_narrow_chart_drops_its_bars_before_any_figure_or_percent_sign(width):
    """A programme's chart beside the bridge at 80 columns is ~38 cells wide: the bars go, the figures stay."""
    bars = [PlanBar("TH-ADU-04", 219_000_000, 170_000_000), PlanBar("TH-ADU-01", 165_100_000, 165_100_000)]
    lines = plan_forecast_lines(bars, width)
    assert all(len(line) <= width for line in lines)
    assert lines[1].split()[-4:] == ["1,700", "/", "2,190", "78%"] and lines[1].startswith("TH-ADU-04")
    assert lines[2].split()[-4:] == ["1,651", "/", "1,651", "100%"]
    assert lines[-1] in ("█ fcst ░ short ▒ over plan · no fcst", "█ fcst ░ short ▒ over · none")  # whole
    bridge = bridge_lines(1_500_000_000, 1_081_600_000, 715_400_000, width)
    assert all(len(line) <= width for line in bridge)
    assert bridge[-1] in ("█ total  ░ taken away  ▒ gap still to find", "█ total ░ taken away ▒ gap")
