"""Quorum: enough voting members present, and every required role among them (DOMAIN.md §4.9).

Quorum is checked for the meeting and again for each item after conflicted members withdraw, because a
meeting that starts quorate can lose its only GP on a procurement item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from math import ceil

from boardtui.domain.errors import ValidationError
from boardtui.domain.text import quoted

_FRACTION_WORDS = {
    "half": Fraction(1, 2), "a half": Fraction(1, 2), "one half": Fraction(1, 2),
    "third": Fraction(1, 3), "a third": Fraction(1, 3), "one third": Fraction(1, 3),
    "two thirds": Fraction(2, 3), "two-thirds": Fraction(2, 3),
    "quarter": Fraction(1, 4), "a quarter": Fraction(1, 4), "one quarter": Fraction(1, 4),
    "three quarters": Fraction(3, 4), "majority": Fraction(1, 2),
}
_RATIO = re.compile(r"([0-9]+)\s*/\s*([0-9]+)")


def parse_fraction(value: "Decimal | Fraction | int | float | str") -> Fraction:
    """Return a quorum fraction as an exact Fraction: 0.5, "0.5", "50%", "1/2", "half", "two thirds".

    Raises ValidationError unless it is more than 0 and at most 1.
    """
    result: Fraction | None = None
    if isinstance(value, Fraction):
        result = value
    elif isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        result = Fraction(value)
    elif isinstance(value, float):
        result = Fraction(Decimal(str(value)))  # 0.5 from a REAL column, read as the text it was typed as
    elif isinstance(value, str):
        text = " ".join(value.lower().split())
        text = text.removesuffix(" the voting members").removesuffix(" of members")
        match = _RATIO.fullmatch(text)
        try:
            if text in _FRACTION_WORDS:
                result = _FRACTION_WORDS[text]
            elif match and int(match.group(2)):
                result = Fraction(int(match.group(1)), int(match.group(2)))
            elif text.endswith("%"):
                result = Fraction(Decimal(text[:-1].strip())) / 100
            else:
                result = Fraction(Decimal(text))
        except (InvalidOperation, ValueError):
            result = None
    if result is None or not 0 < result <= 1:
        raise ValidationError(f"{quoted(value)} is not a quorum fraction: use a share such as 0.5, 1/2 or half")
    return result


def _as_decimal(share: Fraction) -> Decimal:
    # Rounded down, so "two thirds" of 3 members is ceil(1.99…) = 2 rather than ceil(2.00…01) = 3: an error
    # below 10^-27 can never lift a whole count over the next integer, and never drops a fractional one.
    with localcontext() as ctx:
        ctx.rounding = ROUND_DOWN
        return Decimal(share.numerator) / Decimal(share.denominator)


def _roles_tuple(roles: "Iterable[str] | str | None") -> tuple[str, ...]:
    if roles is None:
        return ()
    if isinstance(roles, str):
        roles = roles.split(";")
    return tuple(r.strip() for r in roles if r and r.strip())


@dataclass(frozen=True)
class QuorumRule:
    """A body's quorum: at least `min_present` voting members and/or `fraction` of them (rounded up),
    including someone holding each of `required_roles`.

    A required role may list alternatives separated by "|" ("Chair|Vice-chair"). `fraction` accepts anything
    `parse_fraction` does ("half" is 0.5) and is kept as a Decimal. `required_roles` may be given as
    a ";"-separated string. Roles count only when held by a voting member unless `roles_need_vote` is False.
    """

    min_present: int | None = None
    fraction: Decimal | None = None
    required_roles: tuple[str, ...] = ()
    roles_need_vote: bool = True

    def __post_init__(self) -> None:
        if self.min_present is not None and (isinstance(self.min_present, bool)
                                             or not isinstance(self.min_present, int) or self.min_present < 1):
            raise ValidationError(f"{quoted(self.min_present)} is not a quorum: it must be a whole number above 0")
        if self.fraction is not None:
            object.__setattr__(self, "fraction", _as_decimal(parse_fraction(self.fraction)))
        object.__setattr__(self, "required_roles", _roles_tuple(self.required_roles))

    @classmethod
    def from_columns(cls, quorum_min: int | None, quorum_fraction: "float | str | None",
                     quorum_roles: str | None) -> "QuorumRule | None":
        """Return the rule stored in a body's quorum columns, or None when they are all blank."""
        fraction = None if quorum_fraction in (None, "") else quorum_fraction
        rule = cls(min_present=quorum_min or None, fraction=fraction, required_roles=quorum_roles)
        return None if rule.is_empty else rule

    @property
    def is_empty(self) -> bool:
        return self.min_present is None and self.fraction is None and not self.required_roles

    def needed(self, voting_members_total: int) -> int:
        """Return how many voting members must be present: the larger of the two counts, at least 1 when a
        count is set at all, and 0 when the rule is only about roles."""
        counts = []
        if self.min_present is not None:
            counts.append(self.min_present)
        if self.fraction is not None:
            counts.append(max(1, ceil(Fraction(self.fraction) * voting_members_total)))
        return max(counts, default=0)


@dataclass(frozen=True)
class Attendee:
    """Someone at the meeting: their name, their role on the body, and whether they have a vote."""

    name: str
    role: str
    voting: bool


@dataclass(frozen=True)
class QuorumResult:
    """Whether the meeting (or item) is quorate — None when the body has no rule — and a one-sentence reason."""

    quorate: bool | None
    reason: str


def holds_role(role: str | None, wanted: str) -> bool:
    """Return True when `role` is, or contains as whole words, one of the "|"-separated `wanted` roles.

    Case is ignored, so "GP member" and "Chair (GP)" hold "GP"; a hyphen joins words, so "Vice-chair" does
    not hold "Chair".
    """
    if not role:
        return False
    text = " ".join(role.lower().split())
    for option in wanted.split("|"):
        word = " ".join(option.lower().split())
        if word and re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            return True
    return False


def _alternatives(wanted: str) -> str:
    return " or ".join(part.strip() for part in wanted.split("|") if part.strip())


def check_quorum(
    rule: QuorumRule | None,
    voting_members_total: int,
    present: Iterable[Attendee],
    withdrawn: Iterable[str] = frozenset(),
) -> QuorumResult:
    """Return whether the people `present` make a quorum under `rule`, and why.

    Only voting members who are present and not in `withdrawn` (names) count. A fraction rule needs
    ceil(fraction × `voting_members_total`). With no rule the answer is None, "no quorum rule". Reasons read
    like "inquorate: 3 of 4 voting members needed are present; no GP present".
    """
    if rule is None or rule.is_empty:
        return QuorumResult(None, "no quorum rule")
    gone = set(withdrawn)
    here: dict[str, Attendee] = {}
    for person in present:
        if person.name not in gone:
            here.setdefault(person.name, person)
    voters = [p for p in here.values() if p.voting]
    role_pool = voters if rule.roles_need_vote else list(here.values())

    needed = rule.needed(voting_members_total)
    problems = []
    if len(voters) < needed:
        problems.append(f"{len(voters)} of {needed} voting members needed are present")
    for wanted in rule.required_roles:
        if not any(holds_role(p.role, wanted) for p in role_pool):
            problems.append(f"no {_alternatives(wanted)} present")
    if problems:
        return QuorumResult(False, "inquorate: " + "; ".join(problems))

    parts = []
    if needed:
        parts.append(f"{len(voters)} voting members present ({needed} needed)")
    if rule.required_roles:
        roles = [_alternatives(w) for w in rule.required_roles]
        listed = roles[0] if len(roles) == 1 else ", ".join(roles[:-1]) + " and " + roles[-1]
        parts.append(f"{listed} present")
    return QuorumResult(True, "quorate: " + "; ".join(parts))
