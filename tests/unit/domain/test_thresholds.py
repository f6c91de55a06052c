"""Thresholds: DOMAIN.md §4 defaults, and config tables that never crash the app."""

from decimal import Decimal

import pytest

from boardtui.domain.errors import ValidationError
from boardtui.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds, thresholds_from_mapping


def test_defaults_are_the_domain_ones():
    t = Thresholds()
    assert t.scheme_green_pct == Decimal("95")
    assert t.scheme_amber_pct == Decimal("75")
    assert dict(t.confidence_factors) == {"H": Decimal("1"), "M": Decimal("0.5"), "L": Decimal("0.25")}
    assert t.milestone_red_slip_days == 28
    assert t.milestone_due_soon_days == 14
    assert t == DEFAULT_THRESHOLDS
    assert hash(t) == hash(Thresholds())


def test_factors_are_read_only():
    with pytest.raises(TypeError):
        DEFAULT_THRESHOLDS.confidence_factors["H"] = Decimal("0")
    assert DEFAULT_THRESHOLDS.factor("m") == Decimal("0.5")


def test_inconsistent_construction_is_refused():
    with pytest.raises(ValidationError):
        Thresholds(scheme_amber_pct=Decimal("96"))


def test_good_mapping():
    t, problems = thresholds_from_mapping({
        "scheme_green_pct": 90,
        "scheme_amber_pct": 70.5,
        "confidence_factors": {"h": 0.9, "M": "0.6"},
        "milestone_red_slip_days": 30,
        "milestone_due_soon_days": 7,
    })
    assert problems == []
    assert t.scheme_green_pct == Decimal("90")
    assert t.scheme_amber_pct == Decimal("70.5")
    assert t.confidence_factors == {"H": Decimal("0.9"), "M": Decimal("0.6"), "L": Decimal("0.25")}
    assert (t.milestone_red_slip_days, t.milestone_due_soon_days) == (30, 7)


def test_round_trip_through_as_mapping():
    t, problems = thresholds_from_mapping(Thresholds(milestone_due_soon_days=10).as_mapping())
    assert problems == []
    assert t.milestone_due_soon_days == 10


@pytest.mark.parametrize(
    "mapping, key",
    [
        ({"scheme_green_pct": "lots"}, "scheme_green_pct"),
        ({"scheme_green_pct": 150}, "scheme_green_pct"),
        ({"scheme_green_pct": True}, "scheme_green_pct"),
        ({"scheme_amber_pct": -1}, "scheme_amber_pct"),
        ({"scheme_amber_pct": 96}, "scheme_amber_pct"),  # above the default green
        ({"scheme_green_pct": 70}, "scheme_green_pct"),  # below the default amber
        ({"milestone_red_slip_days": 2.5}, "milestone_red_slip_days"),
        ({"milestone_red_slip_days": -1}, "milestone_red_slip_days"),
        ({"milestone_due_soon_days": "14"}, "milestone_due_soon_days"),
        ({"confidence_factors": {"H": 2}}, "confidence_factors.H"),
        ({"confidence_factors": {"X": 0.5}}, "confidence_factors.X"),
        ({"confidence_factors": 0.5}, "confidence_factors"),
        ({"scheme_gren_pct": 90}, "scheme_gren_pct"),
    ],
)
def test_bad_settings_fall_back_to_defaults_and_are_reported(mapping, key):
    t, problems = thresholds_from_mapping(mapping)
    assert t == DEFAULT_THRESHOLDS
    assert len(problems) == 1
    assert problems[0].startswith(f"thresholds.{key}: ")


def test_amber_above_green_drops_both():
    t, problems = thresholds_from_mapping({"scheme_green_pct": 80, "scheme_amber_pct": 85})
    assert (t.scheme_green_pct, t.scheme_amber_pct) == (Decimal("95"), Decimal("75"))
    assert problems == ["thresholds.scheme_amber_pct: must be below scheme_green_pct (80)"]


def test_good_keys_survive_beside_bad_ones():
    t, problems = thresholds_from_mapping({"milestone_red_slip_days": 21, "colour": "red"})
    assert t.milestone_red_slip_days == 21
    assert problems == ["thresholds.colour: unknown setting"]


def test_not_a_table():
    assert thresholds_from_mapping(None) == (DEFAULT_THRESHOLDS, [])
    assert thresholds_from_mapping(["x"]) == (DEFAULT_THRESHOLDS, ["thresholds: expected a table of settings"])
