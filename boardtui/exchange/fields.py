"""Cell parsers for imports: each takes the cell text and returns a value or raises ParseError with a reason."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from boardtui.domain.errors import ParseError
from boardtui.domain.money import ValueStatus, parse_money
from boardtui.domain.periods import parse_fy, parse_month, parse_partial_date
from boardtui.domain.text import terminal_safe

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def text(cell: str) -> str | None:
    """Free text, made terminal-safe; blank is None."""
    value = terminal_safe(cell).strip()
    return value or None


def money(cell: str) -> tuple[int | None, ValueStatus]:
    """£000s money → (pence, status); TBC/NA/blank are (None, status), never zero."""
    value = parse_money(cell, "000s")
    if isinstance(value, ValueStatus):
        return None, value
    return value, ValueStatus.QUANTIFIED


def money_or_none(cell: str) -> int | None:
    """Money where "not provided" simply means no figure (monthly returns)."""
    pence, _status = money(cell)
    return pence


def yes_no(cell: str) -> bool:
    v = cell.strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    raise ParseError(f"'{cell}' is not yes or no.")


def integer(cell: str) -> int | None:
    v = cell.strip().replace(",", "")
    if not v:
        return None
    if not v.lstrip("-").isascii() or not v.lstrip("-").isdigit():
        raise ParseError(f"'{cell}' is not a whole number.")
    return int(v)


def number(cell: str) -> float | None:
    v = cell.strip().rstrip("%").strip()
    if not v:
        return None
    if not all(c.isascii() for c in v):
        raise ParseError(f"'{cell}' is not a number.")
    try:
        d = Decimal(v)
    except InvalidOperation:
        raise ParseError(f"'{cell}' is not a number.") from None
    if not d.is_finite():
        raise ParseError(f"'{cell}' is not a number.")
    return float(d)


@lru_cache(maxsize=4096)  # pure, and dates repeat (100k actions have a few hundred due dates)
def date(cell: str) -> str | None:
    v = cell.strip()
    return str(parse_partial_date(v)) if v else None


@lru_cache(maxsize=4096)
def month(cell: str) -> str | None:
    v = cell.strip()
    return parse_month(v) if v else None


def fy(cell: str) -> int:
    return parse_fy(cell.strip())


def listing(cell: str) -> list[str]:
    return [part for part in (terminal_safe(p).strip() for p in cell.split(";")) if part]


def choice(options: dict[str, str]):
    """A parser accepting any of `options` (case-insensitive); blank is None."""

    def parse(cell: str) -> str | None:
        v = cell.strip().lower()
        if not v:
            return None
        if v not in options:
            raise ParseError(f"'{cell}' is not one of: {', '.join(sorted(set(options.values())))}.")
        return options[v]

    return parse
