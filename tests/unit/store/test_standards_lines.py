"""One line per standard from one query for every standard's latest month, on each engine."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from boardtui.store.standards import last_complete_month, standard_lines


@pytest.mark.parametrize("as_at", [None, date(2016, 5, 31), date(2016, 11, 8), date(2030, 1, 1)])
def test_each_line_holds_the_latest_month_with_an_actual(any_demo_board, as_at):
    cutoff = last_complete_month(as_at) if as_at else "9999-12"
    for line in standard_lines(any_demo_board, as_at):
        latest = any_demo_board.one(
            "SELECT period, actual, trajectory FROM standard_periods WHERE standard_code = :c AND period <= :p "
            "AND actual IS NOT NULL ORDER BY period DESC LIMIT 1", {"c": line.code, "p": cutoff})
        assert (line.period, line.actual, line.trajectory) == (tuple(latest) if latest else (None, None, None))


def test_without_months_the_lines_are_the_same_but_for_the_sparkline(any_demo_board):
    today = date(2016, 11, 8)
    full, bare = standard_lines(any_demo_board, today), standard_lines(any_demo_board, today, months=0)
    assert any(line.recent for line in full) and not any(line.recent for line in bare)
    assert [dataclasses.replace(line, recent=[]) for line in full] == bare
