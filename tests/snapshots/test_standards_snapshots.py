"""SVG snapshots of the standards screen, a standard's chart and the milestone timeline (100×30, demo board,
judged on the demo's reference date, 8 Nov 2016).

What to look at: the standards table shows each threshold with its comparator symbol, the RAG letter and a
12-month trend; the chart draws actual (●) and trajectory (○) with the 95% threshold line and a legend; the
timeline marks baseline (◇), forecast (◆), done (✓), slip (─) and today (│ and ▼), with its legend.
"""

from __future__ import annotations

from boardtui.cli import make_app
from boardtui.config import Config
from tests.conftest import DEMO_TODAY

SIZE = (100, 30)


def _app(board, screen):
    return make_app(board, Config(), screen=screen, today=DEMO_TODAY)


def test_standards_screen(snap_compare, demo_board):
    assert snap_compare(_app(demo_board, "standards"), terminal_size=SIZE)


def test_standard_chart(snap_compare, demo_board):
    """AE4HR: Apr 2016 to Mar 2017, actuals to October, the trajectory to March, the 95% line."""
    assert snap_compare(_app(demo_board, "standards"), press=["enter"], terminal_size=SIZE)


def test_milestone_timeline(snap_compare, demo_board):
    """W06 slipped a fortnight past its baseline; W10's forecast is before its month-end baseline."""
    assert snap_compare(_app(demo_board, "milestones"), press=["t"], terminal_size=SIZE)
