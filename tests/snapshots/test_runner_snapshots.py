"""SVG snapshots of the meeting runner on the demo board's 8 Nov 2016 meeting, with a fixed clock.

What to look at:
- Part 1 item (item 8, for assurance): the clock RUNNING at 5:00 of 25 min, "on time", the projected finish,
  the quorum line, and the linked standards with their RAG word and latest actual against threshold.
- Overrunning item (item 7): 34:20 of 30 min in the error colour with "OVER TIME by 4:20" in words, the
  projected finish later than planned, and the two hub GPs left out of the item's quorum.
- Part 2 item (item 13): the CLOSED SESSION banner, "PART 2" in the position line, the withdrawn member.
Each at 100×30 and 80×24.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.store import meetings, runner
from boardtui.ui.screens.runner import RunnerScreen
from tests.conftest import DEMO_TODAY

NOW = datetime(2016, 11, 8, 15, 0, tzinfo=timezone.utc)
SIZES = [(100, 30), (80, 24)]


def _prepare(board, number: int, run: timedelta, *, running: bool) -> str:
    """Put the runner on item `number` with `run` on its clock (still running at NOW, or paused at NOW)."""
    mid = meetings.find(board, "2016-11-08")["id"]
    items = meetings.agenda(board, mid)
    # The earlier items each ran exactly to time, so the projection moves only with this item.
    at = NOW - run - timedelta(minutes=sum(row["minutes"] or 0 for row in items[: number - 1]))
    runner.open_runner(board, mid)
    runner.toggle_clock(board, mid, at)
    for row in items[: number - 1]:
        at += timedelta(minutes=row["minutes"] or 0)
        runner.go_to(board, mid, items[items.index(row) + 1]["id"], at)
    if not running:
        runner.toggle_clock(board, mid, NOW)
    return mid


def _app(board, mid):
    app = make_app(board, Config(), today=DEMO_TODAY)

    async def open_runner(pilot) -> None:
        await pilot.app.push_screen(RunnerScreen(mid, now=lambda: NOW))
        await pilot.pause()

    return app, open_runner


@pytest.mark.parametrize("size", SIZES)
def test_runner_part_1_item(snap_compare, demo_board, size):
    mid = _prepare(demo_board, 8, timedelta(minutes=5), running=True)
    app, run_before = _app(demo_board, mid)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_runner_overrunning_item(snap_compare, demo_board, size):
    mid = _prepare(demo_board, 7, timedelta(minutes=34, seconds=20), running=False)
    app, run_before = _app(demo_board, mid)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_runner_part_2_item(snap_compare, demo_board, size):
    mid = _prepare(demo_board, 13, timedelta(minutes=3), running=False)
    app, run_before = _app(demo_board, mid)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
