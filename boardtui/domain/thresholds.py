"""The configurable thresholds behind derived RAG ratings, with their DOMAIN.md §4 defaults.

Settings come from a user's config file, so `thresholds_from_mapping` never fails: a bad setting is reported
and its default used, and the app starts with a list of problems to show rather than a crash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from boardtui.domain.errors import ValidationError

CONFIDENCE_LEVELS = ("H", "M", "L")
_DEFAULT_FACTORS = {"H": Decimal("1"), "M": Decimal("0.5"), "L": Decimal("0.25")}
_MAX_DAYS = 3660  # ten years: anything longer is a typo


def _default_factors() -> Mapping[str, Decimal]:
    return MappingProxyType(dict(_DEFAULT_FACTORS))


@dataclass(frozen=True)
class Thresholds:
    """Thresholds for savings and milestone RAG; the defaults are DOMAIN.md §4's.

    `confidence_factors` maps confidence H/M/L to the share of a plan counted as risk-adjusted value; levels
    left out keep their defaults.
    Construction checks the values and raises ValidationError if they are inconsistent.
    """

    scheme_green_pct: Decimal = Decimal("95")
    scheme_amber_pct: Decimal = Decimal("75")
    confidence_factors: Mapping[str, Decimal] = field(default_factory=_default_factors)
    milestone_red_slip_days: int = 28
    milestone_due_soon_days: int = 14

    def __post_init__(self) -> None:
        # Read-only, so a shared Thresholds cannot be changed under another screen's feet.
        factors = dict(_DEFAULT_FACTORS)
        factors.update({str(k).upper(): Decimal(str(v)) for k, v in self.confidence_factors.items()})
        object.__setattr__(self, "confidence_factors", MappingProxyType(factors))
        object.__setattr__(self, "scheme_green_pct", Decimal(str(self.scheme_green_pct)))
        object.__setattr__(self, "scheme_amber_pct", Decimal(str(self.scheme_amber_pct)))
        problems = _check(self)
        if problems:
            raise ValidationError(problems[0])

    def __hash__(self) -> int:  # the mapping field is unhashable; hash its items instead
        return hash((self.scheme_green_pct, self.scheme_amber_pct, tuple(sorted(self.confidence_factors.items())),
                     self.milestone_red_slip_days, self.milestone_due_soon_days))

    def factor(self, confidence: str) -> Decimal:
        """Return the risk factor for confidence "H", "M" or "L" (any case); KeyError for anything else."""
        return self.confidence_factors[confidence.strip().upper()]

    def as_mapping(self) -> dict[str, object]:
        """Return the settings as plain values, the shape `thresholds_from_mapping` reads."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = dict(value) if isinstance(value, Mapping) else value
        return out


def _check(t: Thresholds) -> list[str]:
    problems = []
    for name in ("scheme_green_pct", "scheme_amber_pct"):
        if not Decimal(0) <= getattr(t, name) <= Decimal(100):
            problems.append(f"thresholds.{name}: must be a percentage from 0 to 100")
    if t.scheme_amber_pct >= t.scheme_green_pct:
        problems.append("thresholds.scheme_amber_pct: must be below scheme_green_pct")
    for level, value in t.confidence_factors.items():
        if level not in CONFIDENCE_LEVELS:
            problems.append(f"thresholds.confidence_factors.{level}: unknown confidence level (use H, M or L)")
        elif not Decimal(0) <= value <= Decimal(1):
            problems.append(f"thresholds.confidence_factors.{level}: must be between 0 and 1")
    for name in ("milestone_red_slip_days", "milestone_due_soon_days"):
        value = getattr(t, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_DAYS:
            problems.append(f"thresholds.{name}: must be a whole number of days from 0 to {_MAX_DAYS}")
    return problems


DEFAULT_THRESHOLDS = Thresholds()


def _as_decimal(raw: object) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float, Decimal)):
        text = str(raw)  # a float from TOML becomes its shortest text, never its binary expansion
    elif isinstance(raw, str):
        text = raw.strip().removesuffix("%").strip()
    else:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def thresholds_from_mapping(m: Mapping[str, object] | None) -> tuple[Thresholds, list[str]]:
    """Return Thresholds built from a config table, and a list of problems ("thresholds.KEY: reason").

    Every setting that is missing, of the wrong type or out of range falls back to its default and, unless
    missing, is reported; unknown keys are reported too. Percentages must run 0–100 with amber below green,
    confidence factors 0–1 for H, M and L, and day counts be whole numbers. Never raises.
    """
    if m is None:
        return DEFAULT_THRESHOLDS, []
    if not isinstance(m, Mapping):
        return DEFAULT_THRESHOLDS, ["thresholds: expected a table of settings"]
    problems: list[str] = []
    values: dict[str, object] = {}
    for key, raw in m.items():
        name = str(key)
        if name in ("scheme_green_pct", "scheme_amber_pct"):
            pct = _as_decimal(raw)
            if pct is None or not Decimal(0) <= pct <= Decimal(100):
                problems.append(f"thresholds.{name}: must be a percentage from 0 to 100")
            else:
                values[name] = pct
        elif name in ("milestone_red_slip_days", "milestone_due_soon_days"):
            if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= _MAX_DAYS:
                problems.append(f"thresholds.{name}: must be a whole number of days from 0 to {_MAX_DAYS}")
            else:
                values[name] = raw
        elif name == "confidence_factors":
            factors = _factors_from(raw, problems)
            if factors:
                values[name] = factors
        else:
            problems.append(f"thresholds.{name}: unknown setting")

    green = values.get("scheme_green_pct", DEFAULT_THRESHOLDS.scheme_green_pct)
    amber = values.get("scheme_amber_pct", DEFAULT_THRESHOLDS.scheme_amber_pct)
    if amber >= green:
        # Drop whichever the user set (both, if both) so the defaults' order is restored.
        if "scheme_amber_pct" in values:
            problems.append(f"thresholds.scheme_amber_pct: must be below scheme_green_pct ({green})")
        else:
            problems.append(f"thresholds.scheme_green_pct: must be above scheme_amber_pct ({amber})")
        values.pop("scheme_green_pct", None)
        values.pop("scheme_amber_pct", None)
    return Thresholds(**values), problems


def _factors_from(raw: object, problems: list[str]) -> dict[str, Decimal]:
    if not isinstance(raw, Mapping):
        problems.append("thresholds.confidence_factors: expected a table such as { H = 1, M = 0.5, L = 0.25 }")
        return {}
    factors: dict[str, Decimal] = {}
    for level, value in raw.items():
        key = str(level).strip().upper()
        if key not in CONFIDENCE_LEVELS:
            problems.append(f"thresholds.confidence_factors.{level}: unknown confidence level (use H, M or L)")
            continue
        factor = _as_decimal(value)
        if factor is None or not Decimal(0) <= factor <= Decimal(1):
            problems.append(f"thresholds.confidence_factors.{level}: must be between 0 and 1")
            continue
        factors[key] = factor
    return factors
