"""SVG snapshots of the dashboard and the meeting runner in every shipped theme, and with NO_COLOR=1
(100×30, demo board, judged on the demo's reference date, 8 Nov 2016).

What to look at: every RAG rating carries its letter (R, A, G, B, U) whatever the colours; the colour-blind
theme has no red/green pair; monochrome and NO_COLOR have no hue at all and still read; high-contrast keeps
black text on every fill; the runner's current item, clock and quorum line are readable in each.
"""

from __future__ import annotations

import pytest

from boardtui.cli import make_app
from boardtui.config import Config
from tests.conftest import DEMO_TODAY

SIZE = (100, 30)
THEMES = ["nhs", "high-contrast", "colour-blind", "monochrome", "light", "dark"]
# The runner on the demo board's held meeting of 8 Nov 2016 (the second row of Meetings), clock paused.
TO_RUNNER = ["down", "g"]


def _app(board, theme: str | None, screen: str = "dashboard"):
    return make_app(board, Config(), screen=screen, theme=theme, today=DEMO_TODAY)


@pytest.mark.parametrize("theme", THEMES)
def test_dashboard_in_each_theme(snap_compare, demo_board, theme):
    assert snap_compare(_app(demo_board, theme), terminal_size=SIZE)


def test_dashboard_with_no_color(snap_compare, demo_board, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = _app(demo_board, None)
    assert app.no_color
    assert snap_compare(app, terminal_size=SIZE)


@pytest.mark.parametrize("theme", THEMES)
def test_runner_in_each_theme(snap_compare, demo_board, theme):
    assert snap_compare(_app(demo_board, theme, "meetings"), press=TO_RUNNER, terminal_size=SIZE)


def test_runner_with_no_color(snap_compare, demo_board, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(_app(demo_board, None, "meetings"), press=TO_RUNNER, terminal_size=SIZE)
