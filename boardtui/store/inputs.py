"""Checking what people type before it is written: text made terminal-safe, dates, whole numbers.

Store write functions call these, so a value typed, pasted or scripted is cleaned the same way whichever edge it
came in by. Each failure names the field it is about, so a form can put the cursor there.
"""

from __future__ import annotations

from datetime import date

from boardtui.domain.errors import ValidationError
from boardtui.domain.periods import parse_partial_date
from boardtui.domain.text import quoted, terminal_safe


def text(value: object) -> str | None:
    """Terminal-safe text with its ends stripped; blank is None. Inner newlines and tabs are kept."""
    cleaned = terminal_safe(value).strip()
    return cleaned or None


def line(value: object) -> str | None:
    """Like `text`, on one line: newlines and tabs become spaces."""
    cleaned = text(value)
    return None if cleaned is None else " ".join(cleaned.split())


def required(value: object, field: str, label: str | None = None) -> str:
    cleaned = text(value)
    if cleaned is None:
        raise ValidationError(f"{label or field.replace('_', ' ').capitalize()} is required.", field=field)
    return cleaned


def day(value: object, field: str, label: str | None = None, *, required_: bool = True) -> str | None:
    """An ISO date (YYYY-MM-DD, or 14/10/2016 as the UK writes it), or None when blank and not required."""
    cleaned = line(value)
    name = label or field.replace("_", " ").capitalize()
    if cleaned is None:
        if required_:
            raise ValidationError(f"{name} is required.", field=field)
        return None
    try:
        if "/" in cleaned:
            d, m, y = (int(p) for p in cleaned.split("/"))
            return date(y, m, d).isoformat()
        parsed = parse_partial_date(cleaned)
    except (ValueError, ValidationError):
        raise ValidationError(f"{name}: {quoted(cleaned)} is not a date (use YYYY-MM-DD).", field=field) from None
    if parsed.precision.value != "day":
        raise ValidationError(f"{name}: {quoted(cleaned)} is not a whole date (use YYYY-MM-DD).", field=field)
    return parsed.start().isoformat()


def whole(value: object, field: str, label: str | None = None, *, minimum: int = 0) -> int | None:
    """A whole number (blank is None)."""
    cleaned = line(value)
    if cleaned is None:
        return None
    name = label or field.replace("_", " ").capitalize()
    try:
        number = int(cleaned)
    except ValueError:
        raise ValidationError(f"{name}: {quoted(cleaned)} is not a whole number.", field=field) from None
    if number < minimum:
        raise ValidationError(f"{name} must be at least {minimum}.", field=field)
    return number
