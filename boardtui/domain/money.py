"""Money: parse what people type or paste into integer pence, and show pence the way board papers do.

Board papers give figures in £000s, so that is the default unit for both parsing and display. Amounts are
parsed with `Decimal` and kept as integer pence; a float never touches a figure. "TBC" and "NA" are not
zero: they come back as a `ValueStatus`, and totals exclude them (see savings.py).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, localcontext

from boardtui.domain.choices import TextEnum, parse_choice
from boardtui.domain.errors import ParseError
from boardtui.domain.text import quoted


class ValueStatus(TextEnum):
    """Whether a money value was given: a quantified figure, "to be confirmed", or "not applicable"."""

    QUANTIFIED = "quantified"
    TBC = "TBC"
    NA = "NA"

    @classmethod
    def parse(cls, text: "str | ValueStatus") -> "ValueStatus":
        """Return the status named by `text` ("quantified", "TBC", "NA", any case; "N/A" and "TBD" too)."""
        return parse_choice(cls, text, what="value status", aliases={"N/A": cls.NA, "TBD": cls.TBC})


UNIT_LABELS = {"000s": "£000s", "pounds": "£", "m": "£m"}

# Pence in one unit of each column unit.
_UNIT_PENCE = {"pounds": 100, "000s": 100_000, "m": 100_000_000}
_SUFFIX_PENCE = {"k": 100_000, "m": 100_000_000}
_UNIT_ALIASES = {
    "pounds": "pounds", "£": "pounds", "gbp": "pounds",
    "000s": "000s", "£000s": "000s", "£000": "000s", "000": "000s", "k": "000s", "£k": "000s",
    "m": "m", "£m": "m", "millions": "m",
}

# Above £100bn a figure is a typo (or an attack), not a budget line.
MAX_PENCE = 10**13

_TBC_WORDS = {"tbc", "tbd"}
_NA_WORDS = {"na", "n/a"}
_NOT_PROVIDED = {"", "-", "\u2014", "\u2013"}  # blank, hyphen, em dash, en dash: a cell left empty
_SIGNS = {"-": -1, "\u2212": -1, "+": 1}  # U+2212 is the minus sign Word puts in pasted tables
_NUMBER = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]+)?")
_EXPONENT = re.compile(r"[0-9.,]*[0-9][eE][+-]?[0-9]+")
_NOT_A_NUMBER = {"nan", "snan", "inf", "infinity"}


def normalise_unit(unit: str) -> str:
    """Return the canonical unit ("pounds", "000s" or "m") for `unit` or one of its labels (e.g. "£000s").

    An unknown unit is a programming error, so it raises ValueError rather than ParseError.
    """
    key = unit.strip().lower() if isinstance(unit, str) else unit
    try:
        return _UNIT_ALIASES[key]
    except (KeyError, TypeError):
        raise ValueError(f"unknown money unit {unit!r}: use one of {', '.join(_UNIT_PENCE)}") from None


def parse_money(text: str, unit: str = "000s") -> int | ValueStatus:
    """Return `text` as integer pence, or a `ValueStatus` when no figure was given.

    `unit` is the column's unit: "000s" (thousands of pounds, the default), "pounds" or "m" (millions). A `k`
    or `m` suffix on the value (any case) overrides it. Accepted: `£1,651`, `1651`, `1,651.50`, `(1,200)`
    (negative), `-£5k`, `£-5k`, `£1.2m`, surrounding spaces. `TBC`/`TBD` give TBC; `NA`/`N/A` give NA; blank
    and a lone dash give TBC, because an empty cell means "not provided", never zero.

    Anything else raises `ParseError` with one sentence saying why; no other exception escapes for any
    string. Ints and Decimals (spreadsheet cells) are accepted as their text; other types raise ParseError.
    """
    per_unit = _UNIT_PENCE[normalise_unit(unit)]
    if isinstance(text, bool) or not isinstance(text, (str, int, Decimal)):
        raise ParseError(f"{quoted(text)} is not an amount: expected text or a whole number")
    if not isinstance(text, str):
        text = str(text)
    shown = text.strip()

    def refuse(why: str) -> ParseError:
        return ParseError(f"{quoted(shown)} is not an amount: {why}", value=text)

    key = shown.lower()
    if key in _TBC_WORDS or shown in _NOT_PROVIDED:
        return ValueStatus.TBC
    if key in _NA_WORDS:
        return ValueStatus.NA
    if key.lstrip("+-\u2212£").strip() in _NOT_A_NUMBER:
        raise refuse("it is not a number")

    body = shown
    negative = False
    bracketed = body.startswith("(") or body.endswith(")")
    if bracketed:
        if not (body.startswith("(") and body.endswith(")")):
            raise refuse("brackets must enclose the whole amount")
        body = body[1:-1].strip()
        if not body:
            raise refuse("the brackets are empty")
        negative = True
    if "(" in body or ")" in body:
        raise refuse("brackets must enclose the whole amount, once")

    # A sign and a £ may come in either order ("-£5k", "£-5k"), each at most once.
    sign = None
    pound = False
    i = 0
    while i < len(body):
        ch = body[i]
        if ch in _SIGNS:
            if sign is not None or bracketed:
                raise refuse("it has more than one sign")
            sign = ch
        elif ch == "£":
            if pound:
                raise refuse("it has more than one £")
            pound = True
        elif not ch.isspace():
            break
        i += 1
    body = body[i:]
    if sign is not None and _SIGNS[sign] < 0:
        negative = True

    scale = per_unit
    if body[-1:] in ("k", "K", "m", "M"):  # spelt out: "\u212a".lower() is "k" too
        scale = _SUFFIX_PENCE[body[-1].lower()]
        body = body[:-1].rstrip()

    _check_number(body, sign, refuse)

    whole, _, fraction = body.replace(",", "").partition(".")
    if len(whole.lstrip("0")) > 20:
        raise refuse("it is too large to be a real amount")
    # More than 8 significant decimal places cannot be a whole number of pence in any unit (£m has 10^8).
    if len(fraction.rstrip("0")) > 8:
        raise refuse("it is more precise than a penny")
    with localcontext() as ctx:
        ctx.prec = 60  # exact for every input that got this far: at most 20 + 8 digits, times 10^8
        pence = Decimal(f"{whole or '0'}.{fraction or '0'}") * scale
        if pence != pence.to_integral_value():
            raise refuse("it is more precise than a penny")
        if pence > MAX_PENCE:
            raise refuse("it is larger than £100bn")
        result = int(pence)
    return -result if negative else result


def _check_number(body: str, sign: str | None, refuse) -> None:
    """Raise (through `refuse`) the most helpful reason why `body` is not digits, commas and one point."""
    if not body:
        raise refuse("there are no digits")
    for ch in body:
        # str.isdigit() and re's \d accept every script's digits (١٦٥١, １６５１); only ASCII ones are amounts.
        if (ch.isdigit() or unicodedata.category(ch) == "Nd") and ch not in "0123456789":
            raise refuse("only the digits 0 to 9 are allowed")
    if "_" in body:
        raise refuse("underscores are not allowed")
    if "%" in body:
        raise refuse("it is a percentage")
    if _EXPONENT.fullmatch(body):
        raise refuse("exponents such as 1e3 are not allowed")
    if any(ch in _SIGNS for ch in body):
        raise refuse("it has more than one sign" if sign is not None else "a sign must come before the number")
    if body.count(".") > 1:
        raise refuse("it has more than one decimal point")
    if "." in body and "," in body.split(".", 1)[1]:
        raise refuse("use commas for thousands and a point for decimals, as in 1,651.50")
    for ch in body:
        if ch.isspace():
            raise refuse("spaces are not allowed inside a number")
        if ch not in "0123456789.,":
            raise refuse(f"{quoted(ch)} is not allowed in an amount")
    if not any(ch.isdigit() for ch in body):
        raise refuse("there are no digits")
    if body.endswith("."):
        raise refuse("a decimal point must be followed by digits")
    if not _NUMBER.fullmatch(body):
        raise refuse("commas must separate groups of three digits")


def as_value(parsed: int | ValueStatus) -> tuple[int | None, ValueStatus]:
    """Split a `parse_money` result into the (pence, status) pair the store keeps: TBC/NA become (None, status)."""
    if isinstance(parsed, ValueStatus):
        return None, parsed
    return parsed, ValueStatus.QUANTIFIED


def pounds_from_000s(value: int | str | Decimal) -> int:
    """Return the pence in `value` thousands of pounds (e.g. 1651 → 165,100,000); must be a whole penny."""
    if isinstance(value, float):
        raise TypeError("pass £000s as int, str or Decimal, never float")
    pence = Decimal(value) * _UNIT_PENCE["000s"]
    if pence != pence.to_integral_value():
        raise ValueError(f"{value} thousand pounds is not a whole number of pence")
    return int(pence)


def _round_half_up(value: Decimal, places: int = 0) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = max(28, len(value.as_tuple().digits) + 4)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_money(pence: int | None, unit: str = "000s", status: ValueStatus | None = None) -> str:
    """Return `pence` as a board paper shows it in `unit`.

    "000s": whole thousands, rounded half up, no £ (the column header says £000s): 165,150,000 → "1,652",
    negatives "-1,200". "pounds": "£1,651,000", or "£1,651,000.50" when there are pence. "m": "£1.65m".
    `None` shows as "TBC" or "NA" when `status` says so, otherwise "—" (nothing recorded).
    """
    if pence is None:
        if status is not None and ValueStatus(status) in (ValueStatus.TBC, ValueStatus.NA):
            return ValueStatus(status).value
        return "—"
    canonical = normalise_unit(unit)
    if canonical == "000s":  # half up, away from zero, as Decimal's ROUND_HALF_UP, in integers (~6 → ~0.5 µs)
        thousands = (abs(int(pence)) + 50_000) // 100_000
        return f"{-thousands if pence < 0 else thousands:,}"
    amount = Decimal(int(pence))
    if canonical == "m":
        millions = _round_half_up(amount.scaleb(-8), 2)
        return f"-£{-millions:,.2f}m" if millions < 0 else f"£{abs(millions):,.2f}m"
    pounds = amount.scaleb(-2)
    text = f"{int(abs(pence)) // 100:,}" if pence % 100 == 0 else f"{abs(pounds):,.2f}"
    return f"-£{text}" if pence < 0 else f"£{text}"


def pence_to_pounds(pence: int | None) -> int | float | None:
    """Return `pence` as pounds for JSON output: an int when whole, else a float with two decimals."""
    if pence is None:
        return None
    if pence % 100 == 0:
        return pence // 100
    # The float is only for JSON's number type; it is made from the exact two-decimal text.
    return float(Decimal(int(pence)).scaleb(-2))
