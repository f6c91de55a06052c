"""Money as the user asked to see it: the config file's `money_unit` ("000s", "pounds" or "m").

Screens call `money(pence)` and head their columns with `money_label()` instead of calling `format_money` with
its £000s default, so one setting changes every figure on screen. Outside a running BoardApp (a unit test of a
widget) both fall back to £000s, the unit of board papers.
"""

from __future__ import annotations

from textual._context import active_app

from boardtui.domain.money import UNIT_LABELS, ValueStatus, format_money, parse_money

DEFAULT_UNIT = "000s"


def display_unit() -> str:
    """The unit of the running app's config, else "000s"."""
    try:
        app = active_app.get()
    except LookupError:
        return DEFAULT_UNIT
    config = getattr(app, "config", None)
    return getattr(config, "money_unit", DEFAULT_UNIT) or DEFAULT_UNIT


def money(pence: int | None, status: ValueStatus | None = None) -> str:
    """`pence` in the display unit ("1,651" in £000s, "£1,651,000", "£1.65m"); TBC/NA/— when not given."""
    return format_money(pence, display_unit(), status)


def money_label() -> str:
    """The heading for money in the display unit: "£000s", "£" or "£m"."""
    return UNIT_LABELS[display_unit()]


# How many characters a unit adds to, or needs beyond, a £000s figure: "3,841" becomes "£3,841,000" (a £ and
# ",000": 5 more); "-£15.00m" is at most 8 characters for any figure a board plans (up to £99.99m).
_EXTRA_WIDTH = {"000s": 0, "pounds": 5}
_MILLIONS_WIDTH = 8


def money_width(width_000s: int) -> int:
    """The width of a money column in the display unit, given the width it has in £000s."""
    unit = display_unit()
    if unit == "m":
        return max(width_000s, _MILLIONS_WIDTH)
    return width_000s + _EXTRA_WIDTH.get(unit, 0)


def unit_pence() -> int:
    """How many pence one of the display unit is: 100, 100,000 or 100,000,000."""
    return int(parse_money("1", display_unit()))
