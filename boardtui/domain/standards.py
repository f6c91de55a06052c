"""National standards: comparators, percentages and the standard RAG rule of DOMAIN.md §4.7.

Some standards are met from above (A&E 4-hour ≥ 95%) and some from below (diagnostics waits over 6 weeks
≤ 1%), so every comparison goes through the standard's own comparator, for the trajectory as well.
Values may arrive as floats from the database; they are turned into Decimal through their shortest text.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from boardtui.domain.choices import TextEnum, parse_choice
from boardtui.domain.errors import ValidationError
from boardtui.domain.rag import Derived, Rag

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
    """A national threshold as published: "95%", "66.7%", "1%"."""
    return _measure(value.normalize(), unit)


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
