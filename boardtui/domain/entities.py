"""Plain records for the entities of DOMAIN.md §3, and the enums of their fixed fields.

These are light value carriers: ids are text, money is integer pence (None with a `ValueStatus` when not
given), dates are `date` or `PartialDate`, months "YYYY-MM", financial years their start year. They hold no
behaviour beyond what a screen needs to read them; the rules live in the sibling modules. Organisation types
and body kinds stay free text, because they change (CCGs became ICBs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import IntEnum

from boardtui.domain.actions import ActionStatus
from boardtui.domain.agenda import MeetingStatus  # noqa: F401 - it lives with the meeting workflow
from boardtui.domain.choices import TextEnum, parse_choice
from boardtui.domain.money import ValueStatus
from boardtui.domain.periods import PartialDate, Precision
from boardtui.domain.quorum import QuorumRule
from boardtui.domain.rag import Rag
from boardtui.domain.savings import Confidence, Stage
from boardtui.domain.standards import Comparator

__all__ = [
    "ActionStatus", "Confidence", "Stage", "Rag", "ValueStatus", "Comparator",
    "MeetingStatus", "Purpose", "AttendanceStatus", "Handling", "Outcome", "Part", "ExclusionBasis",
    "Organisation", "Body", "Member", "Interest", "Programme", "Scheme", "SchemePeriod", "SavingsTarget",
    "Milestone", "Standard", "StandardPeriod", "Meeting", "AgendaItem", "Attendance", "Declaration",
    "Decision", "Action", "MinuteNote", "HighlightReport",
]


class Purpose(TextEnum):
    """Why an item is on the agenda, as its cover sheet says."""

    DECISION = "decision"
    ASSURANCE = "assurance"
    DISCUSSION = "discussion"
    INFORMATION = "information"

    @classmethod
    def parse(cls, text: "str | Purpose") -> "Purpose":
        return parse_choice(cls, text, what="purpose", aliases={
            "for decision": cls.DECISION, "approval": cls.DECISION, "for approval": cls.DECISION,
            "for assurance": cls.ASSURANCE, "for discussion": cls.DISCUSSION,
            "for information": cls.INFORMATION, "noting": cls.INFORMATION, "for noting": cls.INFORMATION,
        })


class AttendanceStatus(TextEnum):
    """Whether a member came, sent apologies, or sent a substitute."""

    PRESENT = "present"
    APOLOGIES = "apologies"
    SUBSTITUTE = "substitute"

    @classmethod
    def parse(cls, text: "str | AttendanceStatus") -> "AttendanceStatus":
        return parse_choice(cls, text, what="attendance status", aliases={"apology": cls.APOLOGIES})


class Handling(TextEnum):
    """How a declared interest was handled on the item."""

    NOTED = "noted"
    NO_VOTE = "no vote"
    WITHDREW = "withdrew"

    @classmethod
    def parse(cls, text: "str | Handling") -> "Handling":
        return parse_choice(cls, text, what="handling", aliases={
            "did not vote": cls.NO_VOTE, "withdrawn": cls.WITHDREW, "left the room": cls.WITHDREW,
        })


class Outcome(TextEnum):
    """What the board resolved on a decision."""

    APPROVED = "approved"
    NOTED = "noted"
    DEFERRED = "deferred"
    REJECTED = "rejected"

    @classmethod
    def parse(cls, text: "str | Outcome") -> "Outcome":
        return parse_choice(cls, text, what="outcome", aliases={
            "agreed": cls.APPROVED, "endorsed": cls.APPROVED, "not approved": cls.REJECTED,
        })


class Part(IntEnum):
    """Part 1 is business in public; Part 2 is confidential (press and public excluded)."""

    PUBLIC = 1
    CONFIDENTIAL = 2


class ExclusionBasis(TextEnum):
    """The law a body cites to take Part 2 business in private (DOMAIN.md §5.3)."""

    PBAMA_1960 = "PBAMA 1960"
    LGA_1972 = "LGA 1972 Sch 12A"


@dataclass(kw_only=True)
class Organisation:
    id: str
    name: str
    type: str | None = None  # CCG, ICB, council, trust, footprint, NHS England
    parent_id: str | None = None


@dataclass(kw_only=True)
class Body:
    id: str
    org_id: str | None
    name: str
    kind: str  # governing body, HWB, programme board, select committee, committee
    exclusion_basis: str | None = None
    quorum_rule: QuorumRule | None = None
    cadence: str | None = None


@dataclass(kw_only=True)
class Member:
    id: str
    body_id: str
    name: str
    role: str | None = None
    voting: bool = True
    from_date: date | None = None
    to_date: date | None = None


@dataclass(kw_only=True)
class Interest:
    id: str
    member_id: str
    type: str | None
    description: str
    declared_on: date | None = None
    reviewed_on: date | None = None


@dataclass(kw_only=True)
class Programme:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    body_id: str | None = None
    sro: str | None = None
    focus: str | None = None
    impact: str | None = None
    rag_override: Rag | None = None
    rag_commentary: str | None = None


@dataclass(kw_only=True)
class Scheme:
    id: str
    programme_id: str
    ref: str
    title: str
    fy: int
    components: tuple[str, ...] = ()
    impact: str | None = None
    lead: str | None = None
    sro: str | None = None
    stage: Stage | None = None
    value_status: ValueStatus = ValueStatus.QUANTIFIED
    plan_fy: int | None = None
    recurrent: int | None = None
    non_recurrent: int | None = None
    start_month: str | None = None
    confidence: Confidence | None = None
    rag_override: Rag | None = None
    rag_commentary: str | None = None
    commentary: str | None = None


@dataclass(kw_only=True)
class SchemePeriod:
    """One month's figures for a scheme; rows are appended, never edited away."""

    id: str
    scheme_id: str
    month: str
    plan: int | None = None
    actual: int | None = None
    fot: int | None = None
    commentary: str | None = None
    rag: Rag | None = None


@dataclass(kw_only=True)
class SavingsTarget:
    id: str
    org_id: str
    fy: int
    requirement: int | None


@dataclass(kw_only=True)
class Milestone:
    id: str
    ref: str
    title: str
    baseline: PartialDate
    parent_id: str | None = None  # the programme (or plan) it belongs to
    forecast: PartialDate | None = None
    actual: PartialDate | None = None
    owner: str | None = None
    external: bool = False
    depends_on: tuple[str, ...] = ()  # refs of predecessor milestones
    rag_override: Rag | None = None
    rag_commentary: str | None = None

    @property
    def precision(self) -> Precision:
        """The baseline's precision (day, month or year)."""
        return self.baseline.precision


@dataclass(kw_only=True)
class Standard:
    id: str
    code: str
    name: str
    threshold: Decimal
    comparator: Comparator
    unit: str = "%"
    must_do: int | None = None
    assessment_period: str = "month"
    planning_round: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(kw_only=True)
class StandardPeriod:
    """A standard's performance and agreed trajectory for one organisation and period."""

    id: str
    standard_code: str
    period: str
    org_id: str | None = None
    numerator: int | None = None
    denominator: int | None = None
    actual: Decimal | None = None
    trajectory: Decimal | None = None
    commentary: str | None = None


@dataclass(kw_only=True)
class Meeting:
    id: str
    body_id: str
    date: date
    venue: str | None = None
    status: MeetingStatus = MeetingStatus.PLANNED
    quorate: bool | None = None


@dataclass(kw_only=True)
class AgendaItem:
    """An agenda item and its cover-sheet fields ([S3]; [S1] adds class, contributors, lateness)."""

    id: str
    meeting_id: str
    number: str  # as printed: "5", "5.1"
    title: str
    part: int = 1
    purpose: Purpose | None = None
    sponsor: str | None = None
    presenter: str | None = None
    author: str | None = None
    enclosure: str | None = None  # None for a verbal item
    minutes: int | None = None  # time allotted
    recommendations: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    groups_of_interest: tuple[str, ...] = ()
    safeguarding_children: bool | None = None
    safeguarding_adults: bool | None = None
    safeguarding_details: str | None = None
    implications: dict[str, str] = field(default_factory=dict)  # legal, financial, HR, privacy, equality…
    lateness_reason: str | None = None
    links: tuple[str, ...] = ()  # "scheme:REF", "milestone:REF", …

    @property
    def confidential(self) -> bool:
        """True for Part 2 business, which public output never shows."""
        return self.part == Part.CONFIDENTIAL


@dataclass(kw_only=True)
class Attendance:
    id: str
    meeting_id: str
    name: str
    status: AttendanceStatus
    member_id: str | None = None
    role: str | None = None
    voting: bool = True
    substitute_for: str | None = None


@dataclass(kw_only=True)
class Declaration:
    id: str
    meeting_id: str
    member_name: str
    item_id: str | None = None
    member_id: str | None = None
    interest: str | None = None
    handling: Handling | None = None


@dataclass(kw_only=True)
class Decision:
    id: str
    meeting_id: str
    resolution: str
    ref: str | None = None
    item_id: str | None = None
    outcome: Outcome | None = None
    mover: str | None = None
    seconder: str | None = None
    conflicts_handling: str | None = None


@dataclass(kw_only=True)
class Action:
    id: str
    ref: str  # "HWB-02"
    text: str
    owner: str
    due: date
    meeting_id: str | None = None
    item_id: str | None = None
    due_history: tuple[str, ...] = ()  # ISO dates, oldest first, current last
    status: ActionStatus = ActionStatus.OPEN
    update: str | None = None


@dataclass(kw_only=True)
class MinuteNote:
    id: str
    meeting_id: str
    text: str
    item_id: str | None = None


@dataclass(kw_only=True)
class HighlightReport:
    """A PRINCE2-style highlight report for a programme and period."""

    id: str
    programme_id: str
    period: str
    rag: Rag = Rag.U
    this_period: str | None = None
    next_period: str | None = None
    tolerances: str | None = None
    risks: str | None = None
    decisions_needed: str | None = None
