"""The money display unit from the config file, as screens get it through ui/money.py."""

from __future__ import annotations

import pytest

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.domain.money import ValueStatus
from boardtui.ui.money import money, money_label
from tests.conftest import DEMO_TODAY


def test_outside_the_app_money_is_in_thousands_as_board_papers_are():
    assert money(165_100_000) == "1,651"
    assert money_label() == "£000s"
    assert money(None, ValueStatus.TBC) == "TBC"


@pytest.mark.parametrize("unit, shown, label", [
    ("000s", "1,651", "£000s"), ("pounds", "£1,651,000", "£"), ("m", "£1.65m", "£m"),
])
async def test_inside_the_app_money_follows_the_config(demo_board, unit, shown, label):
    app = make_app(demo_board, Config(money_unit=unit), today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert money(165_100_000) == shown
        assert money_label() == label
        assert money(None, ValueStatus.NA) == "NA"
