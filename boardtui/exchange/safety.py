"""Making exported text inert: spreadsheet formulas and control characters never leave as live content."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def inert_cell(value):
    """A CSV/XLSX cell value that a spreadsheet will show as text, never run as a formula (RELIABILITY E5).

    Numbers pass through unchanged (so money stays numeric); text starting with = + - @ tab, CR or NUL gets a
    leading apostrophe, the convention spreadsheets use for "this is text".
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
