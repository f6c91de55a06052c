"""National standards: comparators, percentages and the standard RAG rule of DOMAIN.md §4.7.

Some standards are met from above (A&E 4-hour ≥ 95%) and some from below (diagnostics waits over 6 weeks
≤ 1%), so every comparison goes through the standard's own comparator, for the trajectory as well.
Values may arrive as floats from the database; they are turned into Decimal through their shortest text.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from boardtui.domain.choices import TextEnum, parse_choice
from boardtui.domain.errors import ValidationError
from boardtui.domain.rag import Derived, Rag
from boardtui.domain.text import quoted

def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """Return `value` as a Decimal; a float goes through its shortest text, so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a yes/no value is not a number")
    return Decimal(str(value))


class Comparator(TextEnum):
    """How an actual value is judged against a target."""

    GE = ">="
    LE = "<="
    GT = ">"
    LT = "<"

    @property
    def symbol(self) -> str:
        """The comparator as printed: "≥", "≤", ">" or "<"."""
        return _SYMBOLS[self]

    def meets(self, value: Decimal | int | float, target: Decimal | int | float) -> bool:
        """Return True when `value` meets `target` under this comparator (e.g. GE: value ≥ target)."""
        v, t = to_decimal(value), to_decimal(target)
        if self is Comparator.GE:
            return v >= t
        if self is Comparator.LE:
            return v <= t
        if self is Comparator.GT:
            return v > t
        return v < t

    @classmethod
    def parse(cls, text: "str | Comparator") -> "Comparator":
        """Return the comparator in `text`: ">=", "≥", "<=", "≤", ">", "<", "=>", "=<" (spaces ignored)."""
        key = text.replace(" ", "") if isinstance(text, str) else text
        return parse_choice(cls, key, what="comparator", aliases={
            "≥": cls.GE, "=>": cls.GE, "≤": cls.LE, "=<": cls.LE,
        })


_SYMBOLS = {Comparator.GE: "≥", Comparator.LE: "≤", Comparator.GT: ">", Comparator.LT: "<"}


def percentage(numerator: int | Decimal, denominator: int | Decimal) -> Decimal:
    """Return numerator ÷ denominator × 100 as a Decimal.

    Raises ValidationError for a zero or negative denominator, a negative numerator, or a numerator larger
    than the denominator (more patients seen in time than seen at all is a data error, not 110%).
    """
    num, den = to_decimal(numerator), to_decimal(denominator)
    if den <= 0:
        raise ValidationError(f"the denominator must be more than zero, not {den}")
    if num < 0:
        raise ValidationError(f"the numerator must not be negative, not {num}")
    if num > den:
        raise ValidationError(f"the numerator ({num}) must not be larger than the denominator ({den})")
    return num * 100 / den


_COUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_MEASURE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# A figure beyond this is a typo, not a month's activity (a million minutes is almost two years).
_MAX_MEASURE = Decimal("1000000")
_MAX_COUNT = 10**9


def parse_count(text: str | None, field: str) -> int | None:
    """Return a count of patients or events typed by a person ("12010", "12,010"), or None when blank.

    Raises ValidationError naming `field` for anything that is not a whole number of zero or more.
    """
    s = (text or "").strip()
    if not s:
        return None
    if s.startswith("-") and _COUNT.fullmatch(s[1:]):
        raise ValidationError(f"must not be negative, not {s}", field=field)
    if not _COUNT.fullmatch(s):
        raise ValidationError(f"{quoted(s)} is not a whole number", field=field)
    value = int(s.replace(",", ""))
    if value > _MAX_COUNT:
        raise ValidationError(f"{s} is too large to be a month's count", field=field)
    return value


def check_measure(value: Decimal | int | float, unit: str, field: str) -> Decimal:
    """Return `value` as a Decimal if it can be a standard's figure in `unit`, else raise ValidationError.

    A percentage runs from 0 to 100; any other unit (minutes, a rate) must not be negative.
    """
    v = to_decimal(value)
    if not v.is_finite():
        raise ValidationError(f"{value} is not a number", field=field)
    if v < 0:
        raise ValidationError(f"must not be negative, not {_measure(v, unit)}", field=field)
    if unit == "%" and v > 100:
        raise ValidationError(f"a percentage cannot be over 100, not {_measure(v, unit)}", field=field)
    if v > _MAX_MEASURE:
        raise ValidationError(f"{v} is too large", field=field)
    return v


def parse_measure(text: str | None, unit: str, field: str) -> Decimal | None:
    """Return a standard's figure typed by a person ("91.3", "91.3%", "6.9"), or None when blank.

    Checked with `check_measure`; raises ValidationError naming `field` otherwise.
    """
    s = (text or "").strip()
    if unit == "%":
        s = s.removesuffix("%").strip()
    elif unit and s.lower().endswith(unit.lower()):
        s = s[: -len(unit)].strip()
    if not s:
        return None
    if not _MEASURE.fullmatch(s):
        raise ValidationError(f"{quoted(text)} is not a number", field=field)
    try:
        value = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValidationError(f"{quoted(text)} is not a number", field=field) from None
    return check_measure(value, unit, field)


def format_measure(value: Decimal | int | float | None, unit: str, places: int = 1) -> str:
    """Return a figure as a board paper prints it: "90.4%", "6.9 min"; None is "—"."""
    if value is None:
        return "—"
    v = to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _measure(v, unit)


def format_threshold(threshold: Decimal | int | float, comparator: "Comparator | str", unit: str) -> str:
    """Return a threshold with its comparator as published: "≥ 95%", "≤ 1%", "≤ 7 min"."""
    return f"{Comparator.parse(comparator).symbol} {_target(to_decimal(threshold), unit)}"


def _measure(value: Decimal, unit: str) -> str:
    text = f"{value:f}"
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def _shown(value: Decimal, targets: list[Decimal], comparator: Comparator, unit: str) -> str:
    """Return `value` to one decimal place, or more if rounding would flip whether it meets any target.

    94.96 against 95 shows as "94.96%", never as a "95.0%" that misses the 95% standard.
    """
    verdicts = [comparator.meets(value, t) for t in targets]
    for places in range(1, 8):
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if [comparator.meets(rounded, t) for t in targets] == verdicts:
            return _measure(rounded, unit)
    return _measure(value, unit)


def _target(value: Decimal, unit: str) -> str:
    """A national threshold as published: "95%", "66.7%", "1%", "120 min" (never "1.2E+2")."""
    normal = value.normalize()
    if normal.as_tuple().exponent > 0:
        normal = normal.quantize(Decimal(1))
    return _measure(normal, unit)


def _trajectory(value: Decimal, unit: str) -> str:
    """A trajectory to at least one decimal place, as operating plans give them: "93.0%"."""
    if value.as_tuple().exponent >= -1:
        value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _measure(value, unit)


def standard_rag(
    actual: Decimal | int | float | None,
    threshold: Decimal | int | float,
    comparator: Comparator | str,
    trajectory: Decimal | int | float | None = None,
    unit: str = "%",
) -> Derived:
    """Return the derived RAG of a standard for one period and why (DOMAIN.md §4.7).

    Green when `actual` meets the national `threshold`; Amber when it misses it but meets the agreed
    `trajectory` (judged with the same comparator); Red when it misses both, or misses the threshold with no
    trajectory; Unrated when there is no actual. E.g. "94.1% misses the 95% standard (≥) but meets the 93.0%
    trajectory".
    """
    if actual is None:
        return Derived(Rag.U, "no data for the period")
    comp = Comparator.parse(comparator)
    value, target = to_decimal(actual), to_decimal(threshold)
    path = None if trajectory is None else to_decimal(trajectory)
    standard = f"the {_target(target, unit)} standard ({comp.symbol})"
    shown = _shown(value, [target] if path is None else [target, path], comp, unit)
    if comp.meets(value, target):
        return Derived(Rag.G, f"{shown} meets {standard}")
    if path is None:
        return Derived(Rag.R, f"{shown} misses {standard} and there is no trajectory")
    if comp.meets(value, path):
        return Derived(Rag.A, f"{shown} misses {standard} but meets the {_trajectory(path, unit)} trajectory")
    return Derived(Rag.R, f"{shown} misses {standard} and the {_trajectory(path, unit)} trajectory")
