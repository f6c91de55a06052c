"""The timeline's drawing: where dates land, slip bars, today, and marks beyond the window."""

from __future__ import annotations

from datetime import date

from boardtui.domain.periods import PartialDate as P
from boardtui.domain.rag import Rag
from boardtui.ui.widgets.timeline import TimelineItem, date_cell, header_lines, month_index, row_cells

NOV_2015 = month_index(2015, 11)
TODAY = date(2016, 11, 8)


def chars(item, first=NOV_2015, months=24):
    return "".join(ch for ch, _ in row_cells(item, first, months, TODAY))


def test_where_dates_land():
    assert date_cell(P("2015-11-01"), NOV_2015) == 0
    assert date_cell(P("2015-11-16"), NOV_2015) == 1  # the second half of the month
    assert date_cell(P("2015-11"), NOV_2015) == 1  # a month is judged at its end
    assert date_cell(P("2016"), NOV_2015) == 2 * 13 + 1  # a year at December's end
    assert date_cell(P("2015-10-31"), NOV_2015) == -1


def test_slipped_milestone_shows_baseline_forecast_and_the_slip_between():
    item = TimelineItem("k", "W06", "Budgets", Rag.A, P("2016-09-30"), P("2016-12-14"), None)
    row = chars(item)
    assert row.index("◇") == date_cell(P("2016-09-30"), NOV_2015)
    assert row.index("◆") == date_cell(P("2016-12-14"), NOV_2015)
    between = row[row.index("◇") + 1:row.index("◆")]
    assert set(between) == {"─"}


def test_done_replaces_the_forecast_and_today_is_marked():
    item = TimelineItem("k", "W01", "Guidance", Rag.B, P("2015-12-22"), None, P("2015-12-22"))
    row = chars(item)
    assert "✓" in row and "◇" not in row and "◆" not in row
    assert row[date_cell(TODAY, NOV_2015)] == "│"


def test_dates_outside_the_window_are_arrows_at_the_edge():
    item = TimelineItem("k", "W13", "Gap closed", Rag.G, P("2021-03-31"), None, None)
    assert chars(item).endswith("›")
    early = TimelineItem("k", "SEL01", "Strategy", Rag.B, P("2014-06-12"), None, P("2014-06-12"))
    assert chars(early).startswith("‹")


def test_header_years_and_month_initials():
    years, initials = header_lines(NOV_2015, 16)
    assert initials.replace(" ", "") == "NDJFMAMJJASONDJF"
    assert years.split() == ["2016", "2017"]  # no "2015" squeezed in before the first January
    assert years.index("2016") == 4
    assert header_lines(NOV_2015, 15)[0].split() == ["2016"]  # never a year cut short at the edge
    assert header_lines(month_index(2016, 3), 12)[0].split() == ["2016", "2017"]
