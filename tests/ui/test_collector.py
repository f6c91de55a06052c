"""Where the command line manages the collector (`BoardApp.settle_gc`): it comes on after the first paint, and is
held while a screen is built and first painted, then back on."""

from __future__ import annotations

import gc

import pytest

from boardtui.cli import make_app
from boardtui.config import Config
from tests.conftest import DEMO_TODAY


@pytest.fixture
def collector_restored():
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


async def test_the_collector_is_held_while_a_screen_is_opened_and_back_on_after_its_frame(demo_board,
                                                                                         collector_restored):
    gc.disable()  # as the command line starts the app
    app = make_app(demo_board, Config(), today=DEMO_TODAY, screen="programmes")
    app.settle_gc = True
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert gc.isenabled() and gc.get_threshold()[0] == 20_000  # on after the first paint
        app.action_help()  # a pushed screen
        assert not gc.isenabled()
        await pilot.pause()
        await pilot.pause()
        assert gc.isenabled()
        await pilot.press("escape", "3")  # an area's first visit
        assert app.current_mode == "standards"
        await pilot.pause()
        assert gc.isenabled()


async def test_without_the_command_line_the_collector_is_left_alone(demo_board, collector_restored):
    gc.enable()
    app = make_app(demo_board, Config(), today=DEMO_TODAY, screen="programmes")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_help()
        assert gc.isenabled()
