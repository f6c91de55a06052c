"""Financial years, months and partial dates."""

from datetime import date

import pytest

from boardtui.domain.errors import ParseError
from boardtui.domain.periods import (
    PartialDate,
    Precision,
    add_months,
    as_partial_date,
    display_date,
    fy_label,
    fy_month,
    fy_months,
    fy_of,
    month_end,
    month_label,
    month_number,
    month_of,
    parse_fy,
    parse_month,
    parse_partial_date,
    parse_uk_date,
    period_label,
)


def test_fy_label():
    assert fy_label(2017) == "2017/18"
    assert fy_label(1999) == "1999/00"
    assert fy_label(2016) == "2016/17"


@pytest.mark.parametrize(
    "text", ["2017/18", "2017-18", "2017/2018", "FY2017/18", "fy 2017/18", " 2017 / 18 ", "2017–18"]
)
def test_parse_fy_accepts(text):
    assert parse_fy(text) == 2017


def test_parse_fy_across_a_century():
    assert parse_fy("1999/00") == 1999
    assert parse_fy("1999/2000") == 1999


@pytest.mark.parametrize(
    "text", ["2017/19", "2017/2019", "2017", "17/18", "2017/1", "FY17", "", "2017/18/19", "٢٠١٧/١٨"]
)
def test_parse_fy_rejects(text):
    with pytest.raises(ParseError, match="is not a financial year"):
        parse_fy(text)


@pytest.mark.parametrize(
    "when, fy",
    [
        (date(2017, 4, 1), 2017),
        (date(2018, 3, 31), 2017),
        (date(2017, 3, 31), 2016),
        ("2017-04", 2017),
        ("2018-03", 2017),
        ("2017-01", 2016),
        ("2016-10-17", 2016),
    ],
)
def test_fy_of(when, fy):
    assert fy_of(when) == fy


def test_fy_of_needs_a_month():
    with pytest.raises(ParseError):
        fy_of("2017")


def test_fy_months_run_april_to_march():
    months = fy_months(2017)
    assert len(months) == 12
    assert months[0] == "2017-04"
    assert months[8] == "2017-12"
    assert months[9] == "2018-01"
    assert months[-1] == "2018-03"
    assert [month_number(m) for m in months] == list(range(1, 13))
    assert fy_month(2017, 6) == "2017-09"


def test_month_number_and_labels():
    assert month_number("2017-04") == 1
    assert month_number("2018-03") == 12
    assert month_label("2017-04") == "Apr 2017"
    assert month_label("2016-09") == "Sep 2016"
    assert period_label("2017-09") == "M6 2017/18"


@pytest.mark.parametrize("text, month", [("2017-04", "2017-04"), ("2017-4", "2017-04"), ("Apr 2017", "2017-04"),
                                         ("april 2017", "2017-04"), (" Sept 2016 ", "2016-09")])
def test_parse_month(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize("text", ["2017-13", "2017-00", "2017", "17-04", "Foo 2017", "", "0217-04", "2017-04-01"])
def test_parse_month_rejects(text):
    with pytest.raises(ParseError):
        parse_month(text)


def test_month_arithmetic():
    assert add_months("2017-11", 3) == "2018-02"
    assert add_months("2017-01", -1) == "2016-12"
    assert month_end("2016-02") == date(2016, 2, 29)
    assert month_end("2017-02") == date(2017, 2, 28)
    assert month_of(date(2016, 10, 17)) == "2016-10"


def test_partial_date_precisions():
    day, month, year = PartialDate("2016-10-14"), PartialDate("2016-10"), PartialDate("2016")
    assert (day.precision, month.precision, year.precision) == (Precision.DAY, Precision.MONTH, Precision.YEAR)
    assert day.start() == day.end() == date(2016, 10, 14)
    assert month.start() == date(2016, 10, 1)
    assert month.end() == date(2016, 10, 31)
    assert year.start() == date(2016, 1, 1)
    assert year.end() == date(2016, 12, 31)
    assert str(month) == "2016-10"


def test_partial_date_is_canonical_and_comparable():
    assert PartialDate(" 2016-9 ") == PartialDate("2016-09")
    assert str(PartialDate(" 2016-9 ")) == "2016-09"
    assert hash(PartialDate("2016-09")) == hash(PartialDate("2016-09"))
    dates = [PartialDate("2016-10"), PartialDate("2016-10-14"), PartialDate("2016")]
    assert [str(d) for d in sorted(dates, key=PartialDate.sort_key)] == ["2016-10-14", "2016-10", "2016"]


@pytest.mark.parametrize("text", ["2016-02-30", "2016-13", "20161014", "14/10/2016", "", "2016-10-14T00:00", "0000"])
def test_partial_date_rejects_non_iso(text):
    with pytest.raises(ParseError, match="is not a (date|month)"):
        PartialDate(text)


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("2016-10-14", "2016-10-14"),
        ("2016-10", "2016-10"),
        ("2016", "2016"),
        ("14/10/2016", "2016-10-14"),
        ("14 Oct 2016", "2016-10-14"),
        ("1st November 2016", "2016-11-01"),
        ("Oct 2016", "2016-10"),
        (date(2016, 10, 14), "2016-10-14"),
    ],
)
def test_parse_partial_date(text, canonical):
    assert str(parse_partial_date(text)) == canonical


def test_as_partial_date_treats_blank_as_none():
    assert as_partial_date(None) is None
    assert as_partial_date("  ") is None
    assert as_partial_date("2016") == PartialDate("2016")


def test_parse_uk_date():
    assert parse_uk_date("31/03/2017") == date(2017, 3, 31)
    assert parse_uk_date("1/4/2017") == date(2017, 4, 1)


@pytest.mark.parametrize("text", ["31/03/17", "2017-03-31", "31/02/2017", "32/01/2017", "03/31/2017", "31.03.2017", ""])
def test_parse_uk_date_rejects(text):
    with pytest.raises(ParseError, match="is not a date"):
        parse_uk_date(text)


def test_display_date():
    assert display_date(PartialDate("2016-10-14")) == "14 Oct 2016"
    assert display_date("2016-11-01") == "1 Nov 2016"
    assert display_date("2016-10") == "Oct 2016"
    assert display_date("2016") == "2016"
    assert display_date(date(2016, 9, 13)) == "13 Sep 2016"
    assert display_date(None) == "—"
    assert display_date("next public meeting\x1b[2J") == "next public meeting[2J"
