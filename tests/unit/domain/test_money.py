"""Money parsing and display: pence in, board-paper figures out, TBC/NA never zero."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boardtui.domain.errors import BoardError, ParseError, ValidationError
from boardtui.domain.money import (
    MAX_PENCE,
    UNIT_LABELS,
    ValueStatus,
    as_value,
    format_money,
    normalise_unit,
    parse_money,
    pence_to_pounds,
    pounds_from_000s,
)

THOUSAND = 100_000  # pence in £1,000


@pytest.mark.parametrize(
    "text, pence",
    [
        ("£1,651", 1651 * THOUSAND),
        ("1651", 1651 * THOUSAND),
        ("1,651.50", 165_150_000),
        ("(1,200)", -1200 * THOUSAND),
        ("(£1,200)", -1200 * THOUSAND),
        ("-£5k", -500_000),
        ("£-5k", -500_000),
        ("−5", -5 * THOUSAND),  # U+2212 minus sign, as Word pastes it
        ("+5", 5 * THOUSAND),
        ("£1.2m", 120_000_000),
        ("£1.2M", 120_000_000),
        ("5K", 500_000),
        ("1.2 m", 120_000_000),
        (" 1651 ", 1651 * THOUSAND),
        ("\u00a01651\t", 1651 * THOUSAND),  # NBSP and tab from a spreadsheet cell
        ("0", 0),
        ("-0", 0),
        ("0.5", THOUSAND // 2),  # £500
        (".5", THOUSAND // 2),
        ("1651.501", 165_150_100),  # £1,651,501 in £000s is a whole pound
        ("0.00001", 1),  # one penny, in £000s
        ("100,000,000", MAX_PENCE),  # £100bn exactly is the largest accepted
        ("2190", 219_000_000),
    ],
)
def test_parse_money_accepts(text, pence):
    assert parse_money(text) == pence


@pytest.mark.parametrize(
    "text, unit, pence",
    [
        ("1651", "pounds", 165_100),
        ("1,651.50", "pounds", 165_150),
        ("£1,651", "£", 165_100),
        ("1.65", "m", 165_000_000),
        ("5k", "pounds", 500_000),  # the suffix overrides the column unit
        ("5k", "m", 500_000),
        ("2m", "000s", 200_000_000),
        ("1651", "£000s", 1651 * THOUSAND),
        ("0.01", "pounds", 1),
    ],
)
def test_parse_money_units(text, unit, pence):
    assert parse_money(text, unit) == pence


@pytest.mark.parametrize(
    "text, status",
    [
        ("TBC", ValueStatus.TBC),
        ("tbc", ValueStatus.TBC),
        (" TBD ", ValueStatus.TBC),
        ("tbd", ValueStatus.TBC),
        ("NA", ValueStatus.NA),
        ("N/A", ValueStatus.NA),
        ("n/a", ValueStatus.NA),
        (" na ", ValueStatus.NA),
        ("", ValueStatus.TBC),
        ("   ", ValueStatus.TBC),
        ("-", ValueStatus.TBC),
        ("—", ValueStatus.TBC),
        ("–", ValueStatus.TBC),
        (" - ", ValueStatus.TBC),
    ],
)
def test_not_provided_is_a_status_never_zero(text, status):
    result = parse_money(text)
    assert result is status
    assert result != 0


@pytest.mark.parametrize(
    "text, why",
    [
        ("1_651", "underscores"),
        ("nan", "not a number"),
        ("NaN", "not a number"),
        ("inf", "not a number"),
        ("-Infinity", "not a number"),
        ("1e3", "exponents"),
        ("1E3", "exponents"),
        ("１６５１", "digits 0 to 9"),
        ("١٦٥١", "digits 0 to 9"),
        ("1.651,00", "commas for thousands"),
        ("£1,65", "commas must separate groups of three digits"),
        ("1,2k", "commas must separate groups of three digits"),
        ("1,6510", "commas must separate groups of three digits"),
        ("12%", "percentage"),
        ("--5", "more than one sign"),
        ("-£-5", "more than one sign"),
        ("+-5", "more than one sign"),
        ("(-5)", "more than one sign"),
        ("5-", "sign must come before"),
        ("()", "brackets are empty"),
        ("( )", "brackets are empty"),
        ("(5", "brackets"),
        ("5)", "brackets"),
        ("((5))", "brackets"),
        ("££5", "more than one £"),
        ("£", "no digits"),
        ("k", "no digits"),
        ("1.2.3", "more than one decimal point"),
        ("1.", "decimal point must be followed by digits"),
        ("1 651", "spaces"),
        ("0x10", "'x' is not allowed"),
        ("5 pounds", "spaces"),
        ("1.000001", "more precise than a penny"),  # £1,000.001 in £000s
        ("99999999999999999", "larger than £100bn"),
        ("100,000,000.00001", "larger than £100bn"),
        ("1" * 40, "too large"),
        ("0." + "0" * 30 + "1", "more precise than a penny"),
    ],
)
def test_parse_money_rejects_with_a_reason(text, why):
    with pytest.raises(ParseError) as caught:
        parse_money(text)
    message = str(caught.value)
    assert "is not an amount: " in message
    assert why in message
    assert "\n" not in message


def test_rejection_message_is_one_plain_sentence():
    with pytest.raises(ParseError) as caught:
        parse_money("£1,65")
    assert str(caught.value) == "'£1,65' is not an amount: commas must separate groups of three digits"
    assert caught.value.value == "£1,65"


def test_sub_penny_in_pounds_is_refused():
    with pytest.raises(ParseError, match="more precise than a penny"):
        parse_money("1.001", "pounds")


def test_hostile_text_in_the_message_is_made_safe():
    with pytest.raises(ParseError) as caught:
        parse_money("\x1b]52;c;x\x07" + "9" * 100 + "x")
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message
    assert len(message) < 200


def test_parse_error_is_a_validation_error_and_a_board_error():
    assert issubclass(ParseError, ValidationError)
    assert issubclass(ParseError, BoardError)


def test_spreadsheet_numbers_are_taken_as_their_text():
    assert parse_money(1651) == 1651 * THOUSAND
    assert parse_money(Decimal("1651.5")) == 165_150_000


@pytest.mark.parametrize("value", [1651.0, True, None, b"1651", ["1651"]])
def test_other_types_are_refused_with_parse_error(value):
    with pytest.raises(ParseError):
        parse_money(value)


def test_unknown_unit_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_money("1", "furlongs")
    assert normalise_unit("£000s") == "000s"
    assert normalise_unit(" Pounds ") == "pounds"


@given(st.text())
def test_parse_money_only_returns_pence_or_status_or_raises_parse_error(text):
    try:
        result = parse_money(text)
    except ParseError:
        return
    assert isinstance(result, (int, ValueStatus))
    if isinstance(result, int):
        assert not isinstance(result, bool)
        assert abs(result) <= MAX_PENCE


@given(st.text(alphabet="0123456789,.£-+()kKmM ", max_size=20))
def test_parse_money_on_money_like_text_never_raises_anything_else(text):
    try:
        result = parse_money(text, "pounds")
    except ParseError:
        return
    assert isinstance(result, (int, ValueStatus))


@given(st.integers(-(10**9), 10**9))
def test_whole_pounds_round_trip(n):
    assert parse_money(f"£{n:,}", "pounds") == n * 100


@given(st.integers(-MAX_PENCE, MAX_PENCE))
def test_format_in_pounds_parses_back_exactly(pence):
    assert parse_money(format_money(pence, "pounds"), "pounds") == pence


@given(st.integers(-MAX_PENCE, MAX_PENCE))
def test_format_in_000s_parses_back_to_the_nearest_thousand(pence):
    back = parse_money(format_money(pence), "000s")
    assert abs(back - pence) <= THOUSAND // 2


@given(st.one_of(st.integers(-(10**30), 10**30), st.integers(-300_000, 300_000).map(lambda n: n * 50_000)))
def test_format_in_000s_rounds_half_up_away_from_zero_as_decimal_does(pence):
    from decimal import ROUND_HALF_UP, localcontext

    with localcontext() as ctx:
        ctx.prec = 80
        expected = int(Decimal(pence).scaleb(-5).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert format_money(pence) == f"{expected:,}"


@pytest.mark.parametrize(
    "pence, unit, text",
    [
        (165_100_000, "000s", "1,651"),
        (165_150_000, "000s", "1,652"),  # £1,651,500 rounds half up
        (165_149_999, "000s", "1,651"),
        (-120_000_000, "000s", "-1,200"),
        (-165_150_000, "000s", "-1,652"),  # half up means away from zero, as papers print it
        (-100, "000s", "0"),
        (0, "000s", "0"),
        (1_081_600_000, "000s", "10,816"),
        (165_100_000, "pounds", "£1,651,000"),
        (165_100_050, "pounds", "£1,651,000.50"),
        (-150, "pounds", "-£1.50"),
        (-120_000, "pounds", "-£1,200"),
        (165_000_000, "m", "£1.65m"),
        (165_500_000, "m", "£1.66m"),
        (-120_000_000, "m", "-£1.20m"),
        (-100, "m", "£0.00m"),
        (1_545_000_000, "m", "£15.45m"),
    ],
)
def test_format_money(pence, unit, text):
    assert format_money(pence, unit) == text


def test_format_money_without_a_figure():
    assert format_money(None) == "—"
    assert format_money(None, status=ValueStatus.TBC) == "TBC"
    assert format_money(None, "pounds", status=ValueStatus.NA) == "NA"
    assert format_money(None, status=ValueStatus.QUANTIFIED) == "—"
    assert format_money(None, status="TBC") == "TBC"


def test_unit_labels():
    assert UNIT_LABELS == {"000s": "£000s", "pounds": "£", "m": "£m"}


def test_pence_to_pounds_for_json():
    assert pence_to_pounds(None) is None
    assert pence_to_pounds(165_100_000) == 1_651_000
    assert isinstance(pence_to_pounds(165_100_000), int)
    assert pence_to_pounds(150) == 1.5
    assert pence_to_pounds(-150) == -1.5
    assert pence_to_pounds(1) == 0.01


def test_pounds_from_000s():
    assert pounds_from_000s(1651) == 165_100_000
    assert pounds_from_000s("1651.5") == 165_150_000
    with pytest.raises(TypeError):
        pounds_from_000s(1.5)


def test_as_value_splits_into_the_stored_pair():
    assert as_value(parse_money("TBC")) == (None, ValueStatus.TBC)
    assert as_value(parse_money("n/a")) == (None, ValueStatus.NA)
    assert as_value(parse_money("1,651")) == (165_100_000, ValueStatus.QUANTIFIED)


def test_value_status_is_text():
    assert ValueStatus.TBC == "TBC"
    assert f"{ValueStatus.NA}" == "NA"
    assert ValueStatus.parse("n/a") is ValueStatus.NA
    assert ValueStatus.parse("Quantified") is ValueStatus.QUANTIFIED
