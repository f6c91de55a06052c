"""Dates the way the NHS uses them: financial years (April–March), months M1–M12, and partial dates.

Financial years are labelled "2017/18" and stored as their start year (2017); months are "YYYY-MM" text.
Milestone dates are often known only to the month or the year, so `PartialDate` keeps the precision and
compares at the end of the period ("Oct 2016" is on time until 31 Oct 2016).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from boardtui.domain.choices import TextEnum
from boardtui.domain.errors import ParseError
from boardtui.domain.text import one_line, quoted

# English month names are fixed here rather than taken from calendar.month_abbr, which follows the locale.
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_MONTH_WORDS = {
    **{name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)},
    **{abbr.lower(): i for i, abbr in enumerate(MONTH_ABBR, 1)},
    "sept": 9,
}

# Years outside this range are typos ("0216", "20166"), not board business.
MIN_YEAR, MAX_YEAR = 1900, 2199
FY_START_MONTH = 4  # April

# Patterns, compiled on first use through `re`'s own cache: compiling all seven when the module loaded was
# ~2 ms of every start-up, and most runs need two of them at most.
_FY = r"(?i)(?:FY\s*)?([0-9]{4})\s*[/\-–]\s*([0-9]{2}|[0-9]{4})"
_ISO_DAY = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_ISO_MONTH = r"([0-9]{4})-([0-9]{1,2})"
_YEAR = r"[0-9]{4}"
_UK_DATE = r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"
_WORD_MONTH = r"([A-Za-z]+)\.?\s+([0-9]{4})"
_WORD_DAY = r"(?i)([0-9]{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+([0-9]{4})"
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


# --- financial years ---------------------------------------------------------------------------------------


def fy_label(start_year: int) -> str:
    """Return the label of the financial year starting in April of `start_year`: 2017 → "2017/18"."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_fy(text: str) -> int:
    """Return the start year of the financial year in `text`.

    Accepts "2017/18", "2017-18", "2017/2018", "FY2017/18" (any case, spare spaces). Raises ParseError for
    anything else, including a second year that does not follow the first ("2017/19").
    """
    match = re.fullmatch(_FY, text.strip()) if isinstance(text, str) else None
    if not match:
        raise ParseError(f"{quoted(text)} is not a financial year: write it as 2017/18")
    start, end = int(match.group(1)), match.group(2)
    expected = start + 1 if len(end) == 4 else (start + 1) % 100
    if int(end) != expected:
        raise ParseError(f"{quoted(text)} is not a financial year: the second year must follow the first")
    _check_year(start, text)
    return start


def fy_of(when: date | str) -> int:
    """Return the start year of the financial year holding `when` (a date, "YYYY-MM" or "YYYY-MM-DD")."""
    if isinstance(when, date):
        year, month = when.year, when.month
    else:
        pd = parse_partial_date(when)
        if pd.precision is Precision.YEAR:
            raise ParseError(f"{quoted(when)} is a year: a financial year needs the month too")
        year, month = pd.year, pd.month
    return year if month >= FY_START_MONTH else year - 1


def fy_months(start_year: int) -> list[str]:
    """Return the twelve months of the financial year, M1 (April) to M12 (March), as "YYYY-MM"."""
    return [add_months(f"{start_year}-04", i) for i in range(12)]


def fy_month(start_year: int, number: int) -> str:
    """Return month M`number` (1 = April … 12 = March) of the financial year starting in `start_year`."""
    if not 1 <= number <= 12:
        raise ValueError(f"month number {number} is not between 1 and 12")
    return add_months(f"{start_year}-04", number - 1)


# --- months ------------------------------------------------------------------------------------------------


def parse_month(text: str) -> str:
    """Return `text` as a canonical month "YYYY-MM"; accepts "2017-04", "2017-4", "Apr 2017", "April 2017"."""
    if isinstance(text, str):
        s = text.strip()
        m = re.fullmatch(_ISO_MONTH, s)
        if m:
            return _month_text(int(m.group(1)), int(m.group(2)), text)
        m = re.fullmatch(_WORD_MONTH, s)
        if m and m.group(1).lower() in _MONTH_WORDS:
            return _month_text(int(m.group(2)), _MONTH_WORDS[m.group(1).lower()], text)
    raise ParseError(f"{quoted(text)} is not a month: write it as 2017-04")


def _month_text(year: int, month: int, original: object) -> str:
    if not 1 <= month <= 12:
        raise ParseError(f"{quoted(original)} is not a month: months run from 01 to 12")
    _check_year(year, original)
    return f"{year:04d}-{month:02d}"


def _split_month(month: str) -> tuple[int, int]:
    canonical = parse_month(month)
    return int(canonical[:4]), int(canonical[5:])


def month_number(month: str) -> int:
    """Return the financial-year month number of "YYYY-MM": April is 1, March is 12."""
    _, m = _split_month(month)
    return (m - FY_START_MONTH) % 12 + 1


def month_label(month: str) -> str:
    """Return "YYYY-MM" as people write it: "2017-04" → "Apr 2017"."""
    year, m = _split_month(month)
    return f"{MONTH_ABBR[m - 1]} {year}"


def period_label(month: str) -> str:
    """Return the finance label of a month: "2017-09" → "M6 2017/18"."""
    return f"M{month_number(month)} {fy_label(fy_of(month))}"


def month_of(day: date) -> str:
    """Return the "YYYY-MM" month holding `day`."""
    return f"{day.year:04d}-{day.month:02d}"


def add_months(month: str, count: int) -> str:
    """Return the month `count` months after "YYYY-MM" (before, when negative)."""
    year, m = _split_month(month)
    index = year * 12 + (m - 1) + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_end(month: str) -> date:
    """Return the last day of "YYYY-MM"."""
    year, m = _split_month(month)
    return date(year, m, _month_days(year, m))


def _month_days(year: int, month: int) -> int:
    """How many days `month` (1–12) of `year` has (the `calendar` module costs an import for this alone)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _check_year(year: int, original: object) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParseError(f"{quoted(original)} is not a date: the year must be between {MIN_YEAR} and {MAX_YEAR}")


# --- partial dates -----------------------------------------------------------------------------------------


class Precision(TextEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day ("2016-10-14"), the month ("2016-10") or the year ("2016").

    Constructing one validates `text` (ParseError if it is not one of those ISO forms) and keeps the
    canonical text. `start()` and `end()` give the first and last day it could mean; deadlines are judged on
    `end()`, so a month-precision milestone is late only after its month ends.
    """

    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", _canonical_iso(self.text))

    @classmethod
    def from_date(cls, day: date) -> "PartialDate":
        """Return a day-precision PartialDate for `day`."""
        return cls(day.isoformat())

    @property
    def precision(self) -> Precision:
        length = len(self.text)  # the canonical text is 10, 7 or 4 characters long
        return Precision.DAY if length == 10 else Precision.MONTH if length == 7 else Precision.YEAR

    @property
    def year(self) -> int:
        return int(self.text[:4])

    @property
    def month(self) -> int | None:
        return int(self.text[5:7]) if len(self.text) >= 7 else None

    @property
    def day(self) -> int | None:
        return int(self.text[8:10]) if len(self.text) == 10 else None

    def start(self) -> date:
        """Return the first day this date could mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def end(self) -> date:
        """Return the last day this date could mean: itself, the month's last day, or 31 December."""
        text = self.text  # canonical (checked on construction), read directly: deadlines are judged in bulk
        if len(text) == 10:
            return date.fromisoformat(text)
        year = int(text[:4])
        if len(text) == 7:
            month = int(text[5:7])
            return date(year, month, _month_days(year, month))
        return date(year, 12, 31)

    def sort_key(self) -> tuple[date, date]:
        """Return a key that orders dates by when they end, then by when they start."""
        return (self.end(), self.start())

    def __str__(self) -> str:
        return self.text


def _canonical_iso(text: object) -> str:
    if isinstance(text, str):
        s = text.strip()
        try:
            if re.fullmatch(_ISO_DAY, s):
                _check_year(int(s[:4]), text)
                return date.fromisoformat(s).isoformat()
            if re.fullmatch(_ISO_MONTH, s):
                return parse_month(s)
            if re.fullmatch(_YEAR, s):
                _check_year(int(s), text)
                return s
        except ValueError:  # date.fromisoformat: no such day
            raise ParseError(f"{quoted(text)} is not a date: there is no such day") from None
    raise ParseError(f"{quoted(text)} is not a date: write it as YYYY-MM-DD, YYYY-MM or YYYY")


def parse_partial_date(text: str | date | PartialDate) -> PartialDate:
    """Return `text` as a PartialDate.

    Accepts the ISO forms ("2016-10-14", "2016-10", "2016"), UK dates ("14/10/2016"), and dates as papers
    write them ("14 Oct 2016", "14th October 2016", "Oct 2016"). A `date` or PartialDate is passed through.
    Raises ParseError otherwise.
    """
    if isinstance(text, PartialDate):
        return text
    if isinstance(text, date):
        return PartialDate.from_date(text)
    if isinstance(text, str):
        s = text.strip()
        if s.replace("-", "").isdigit():  # the ISO forms (how dates are stored): none of the patterns below
            return PartialDate(text)
        if re.fullmatch(_UK_DATE, s):
            return PartialDate.from_date(parse_uk_date(s))
        m = re.fullmatch(_WORD_DAY, s)
        if m and m.group(2).lower() in _MONTH_WORDS:
            return _day_from_parts(int(m.group(3)), _MONTH_WORDS[m.group(2).lower()], int(m.group(1)), text)
        m = re.fullmatch(_WORD_MONTH, s)
        if m and m.group(1).lower() in _MONTH_WORDS:
            return PartialDate(parse_month(s))
    return PartialDate(text)


def end_of(text: str) -> date:
    """Return `parse_partial_date(text).end()`, quicker for a canonical day ("2016-10-14"): the form most stored
    dates have, and a large board's dashboard judges a few thousand of them."""
    if len(text) == 10 and re.fullmatch(_ISO_DAY, text) and MIN_YEAR <= int(text[:4]) <= MAX_YEAR:
        try:
            return date.fromisoformat(text)
        except ValueError:  # no such day: parse_partial_date says so
            pass
    return parse_partial_date(text).end()


def as_partial_date(value: str | date | PartialDate | None) -> PartialDate | None:
    """Return `value` as a PartialDate, or None when it is None or blank text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_partial_date(value)


def parse_uk_date(text: str) -> date:
    """Return the date in a UK "dd/mm/yyyy" text ("31/03/2017", "1/4/2017"); the year must have 4 digits."""
    m = re.fullmatch(_UK_DATE, text.strip()) if isinstance(text, str) else None
    if not m:
        raise ParseError(f"{quoted(text)} is not a date: write it as dd/mm/yyyy")
    return _day_from_parts(int(m.group(3)), int(m.group(2)), int(m.group(1)), text).start()


def _day_from_parts(year: int, month: int, day: int, original: object) -> PartialDate:
    _check_year(year, original)
    try:
        return PartialDate.from_date(date(year, month, day))
    except ValueError:
        raise ParseError(f"{quoted(original)} is not a date: there is no such day") from None


def display_date(value: PartialDate | date | str | None) -> str:
    """Return a date as people read it: "14 Oct 2016", "Oct 2016" or "2016" by precision; None is "—".

    Text that is not a date is returned as given (made terminal-safe), so a display never fails.
    """
    if value is None:
        return "—"
    try:
        pd = parse_partial_date(value)
    except ParseError:
        return one_line(value)
    if pd.precision is Precision.DAY:
        return f"{pd.day} {MONTH_ABBR[pd.month - 1]} {pd.year}"
    if pd.precision is Precision.MONTH:
        return f"{MONTH_ABBR[pd.month - 1]} {pd.year}"
    return str(pd.year)
