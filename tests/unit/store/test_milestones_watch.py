"""The dashboard's milestone counts from dates alone, and lines judged one by one, agree with judging every line."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from boardtui.store import milestones
from boardtui.store.milestones import lines_of, milestone_lines, watch
from boardtui.ui.screens.dashboard_sections import milestones_section


def _by_judging_every_line(board, today: date, window: int) -> tuple[list[str], list[str], list[str]]:
    """What the dashboard counted before: every milestone judged, then the three lists made from the lines."""
    lines = [m for m in milestone_lines(board, today) if m.actual is None]
    overdue = [m.id for m in lines if m.due.end() < today]
    slipping = [m.id for m in lines if m.slip > 0 and m.id not in overdue]
    soon = [m.id for m in lines if today <= m.due.end() <= today + timedelta(days=window) and m.id not in slipping]
    return overdue, slipping, soon


DAYS = [date(2016, 1, 1), date(2016, 6, 30), date(2016, 11, 8), date(2016, 12, 31), date(2017, 3, 1),
        date(2018, 1, 1)]


@pytest.mark.parametrize("today", DAYS)
def test_the_watch_lists_equal_those_of_every_judged_line(any_demo_board, today):
    w = watch(any_demo_board, today, 14)
    assert (w.overdue, w.slipping, w.soon) == _by_judging_every_line(any_demo_board, today, 14)


def test_the_watch_lists_hold_month_and_year_dates_to_their_last_day(demo_board):
    today = date(2016, 11, 8)
    ids = [r["id"] for r in demo_board.query("SELECT id FROM milestones ORDER BY ref LIMIT 6")]
    # Nothing due until 30 Nov; overdue since 31 Oct; two slipping to a later year or month; due on the last day
    # of the 14-day window; and due the day after it.
    dates = [("2016-11", None), ("2016-10", None), ("2016", "2017"), ("2016-11-30", "2016-12"),
             ("2016-11-22", None), ("2016-11-23", None)]
    for mid, (baseline, forecast) in zip(ids, dates):
        demo_board.conn.execute("UPDATE milestones SET baseline = :b, forecast = :f, actual = NULL WHERE id = :i",
                                {"b": baseline, "f": forecast, "i": mid})
    w = watch(demo_board, today, 14)
    assert (w.overdue, w.slipping, w.soon) == _by_judging_every_line(demo_board, today, 14)
    listed = w.overdue + w.slipping + w.soon
    assert ids[1] in w.overdue and ids[2] in w.slipping and ids[3] in w.slipping and ids[4] in w.soon
    assert ids[0] not in listed and ids[5] not in listed


def test_lines_of_some_milestones_equal_their_lines_among_all(any_demo_board):
    today = date(2016, 11, 8)
    every = milestone_lines(any_demo_board, today)
    some = [m.id for m in every[::3]][::-1]
    assert lines_of(any_demo_board, today, some) == [m for i in some for m in every if m.id == i]
    assert all(milestones.milestone_line(any_demo_board, m.id, today) == m for m in every)


def test_the_dashboard_lists_the_same_milestones_in_the_same_order(demo_board):
    today = date(2016, 11, 8)
    w = watch(demo_board, today, 14)
    listed = w.overdue + w.slipping + w.soon
    section = milestones_section(demo_board, today, limit=5)
    assert section[0] == f"{len(w.slipping)} slipping, {len(w.overdue)} overdue, {len(w.soon)} due in the next 14 days"
    judged = {m.id: m for m in milestone_lines(demo_board, today)}
    assert section[1:6] == [f"  {judged[i].rag.value}  {judged[i].ref:<6} {judged[i].title}: {judged[i].derived.reason}"
                            for i in listed[:5]]
