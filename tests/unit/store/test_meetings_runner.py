"""The runner's state: every move persisted, the clock kept as a start time and folded into items."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from boardtui.store import agenda, meetings, runner
from boardtui.store.connection import open_board

T0 = datetime(2016, 11, 8, 13, 30, tzinfo=timezone.utc)


@pytest.fixture
def th(any_demo_board):
    return meetings.find(any_demo_board, "2016-11-08")["id"]


def items(board, mid):
    return meetings.agenda(board, mid)


def test_the_runner_starts_on_the_first_item_with_the_clock_stopped(any_demo_board, th):
    st = runner.open_runner(any_demo_board, th)
    assert st.item_id == items(any_demo_board, th)[0]["id"]
    assert not st.running and st.started_at is None


def test_the_clock_is_a_start_time_not_a_ticking_value(any_demo_board, th):
    runner.open_runner(any_demo_board, th)
    assert runner.toggle_clock(any_demo_board, th, T0) is True
    st = runner.state(any_demo_board, th)
    first = items(any_demo_board, th)[0]
    assert st.running_since == T0 and st.started_at.startswith("2016-11-08T13:30")
    assert first["elapsed_seconds"] == 0
    assert runner.elapsed(first["elapsed_seconds"], first["id"], st, T0 + timedelta(seconds=95)) == 95
    # Moving on folds the running stretch into the item left, and the clock keeps running on the next one.
    second = items(any_demo_board, th)[1]["id"]
    runner.go_to(any_demo_board, th, second, T0 + timedelta(minutes=6))
    st = runner.state(any_demo_board, th)
    assert items(any_demo_board, th)[0]["elapsed_seconds"] == 360
    assert st.item_id == second and st.running_since == T0 + timedelta(minutes=6)
    assert runner.toggle_clock(any_demo_board, th, T0 + timedelta(minutes=8)) is False
    assert items(any_demo_board, th)[1]["elapsed_seconds"] == 120
    assert runner.state(any_demo_board, th).running_since is None


def test_a_paused_clock_moves_nothing(any_demo_board, th):
    runner.open_runner(any_demo_board, th)
    runner.go_to(any_demo_board, th, items(any_demo_board, th)[2]["id"], T0)
    assert all(i["elapsed_seconds"] == 0 for i in items(any_demo_board, th))


def test_the_position_and_clock_survive_reopening_the_board(any_demo_source, th, any_demo_board):
    runner.open_runner(any_demo_board, th)
    runner.go_to(any_demo_board, th, items(any_demo_board, th)[4]["id"], T0)
    runner.toggle_clock(any_demo_board, th, T0)
    any_demo_board.close()
    again = open_board(any_demo_source, who="tester")
    try:
        st = runner.open_runner(again, th)
        assert st.item_id == items(again, th)[4]["id"]
        assert st.running_since == T0
    finally:
        again.close()


def test_ending_the_meeting_stops_the_clock_and_marks_it_held(any_demo_board):
    mid = meetings.find(any_demo_board, "2017-01-10")["id"]  # planned, with no agenda yet: give it one item
    agenda.add_item(any_demo_board, mid, {"title": "Only item", "minutes": "10"})
    runner.open_runner(any_demo_board, mid)
    runner.toggle_clock(any_demo_board, mid, T0)
    runner.end_meeting(any_demo_board, mid, T0 + timedelta(minutes=12))
    m = meetings.get(any_demo_board, mid)
    assert m["status"] == "held" and m["ended_at"] and not meetings.in_progress(m)
    assert items(any_demo_board, mid)[0]["elapsed_seconds"] == 720
    assert runner.state(any_demo_board, mid).running_since is None
