"""Making exported text inert: spreadsheet formulas and control characters never leave as live content."""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def inert_cell(value):
    """A CSV/XLSX cell value that a spreadsheet will show as text, never run as a formula (RELIABILITY E5).

    Numbers pass through unchanged (so money stays numeric); text starting with = + - @ tab, CR or NUL gets a
    leading apostrophe, the convention spreadsheets use for "this is text".
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Characters XML 1.0 cannot hold (C0 controls but tab, newline and CR; U+FFFE/U+FFFF; lone surrogates):
# openpyxl and python-docx raise on them, so exports replace them (RELIABILITY E6).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """`text` with every character XML cannot hold replaced by U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", text) if _XML_ILLEGAL.search(text) else text
