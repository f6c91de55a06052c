"""Who came, who sent apologies or a substitute, who declared an interest on which item — and whether the
meeting, and each item after conflicted members step back, is quorate (DOMAIN.md §4.9).

Attendance is one row per person: a member is `present` or sent `apologies`; a substitute has their own row
with status `substitute` and `substitute_for` naming the member they stand in for, and counts towards the
quorum with that member's role and vote. A member who declares an interest on an item and withdrew, or takes
no part in the vote, does not count towards that item's quorum.
"""

from __future__ import annotations

from dataclasses import dataclass

from boardtui.domain.entities import AttendanceStatus, Handling
from boardtui.domain.errors import NotFound, ValidationError
from boardtui.domain.quorum import Attendee, QuorumResult, check_quorum
from boardtui.domain.text import quoted
from boardtui.store import inputs, item_rows
from boardtui.store import meetings as meetings_store
from boardtui.store.connection import Board
from boardtui.store.tx import writing

# Handling that takes a member out of an item's quorum.
STEPS_BACK = (Handling.WITHDREW.value, Handling.NO_VOTE.value)


@dataclass
class RosterLine:
    """One person on the meeting's roster: a member of the body (recorded or not yet), a substitute, or someone
    else in attendance."""

    name: str
    role: str | None
    voting: bool
    member_id: str | None
    status: str | None  # None: not recorded yet
    substitute: str | None = None  # for a member: who stands in for them
    substitute_for: str | None = None  # for a substitute: the member they stand in for
    attendance_id: str | None = None
    version: int | None = None

    @property
    def status_text(self) -> str:
        if self.substitute_for:
            return f"substitute for {self.substitute_for}"
        if self.substitute:
            return f"apologies; substitute {self.substitute}"
        return self.status or "not recorded"


def _meeting(board: Board, meeting_id: str):
    m = meetings_store.get(board, meeting_id)
    if m is None:
        raise NotFound("That meeting no longer exists.")
    return m


def rows(board: Board, meeting_id: str) -> list:
    return board.query("SELECT * FROM attendance WHERE meeting_id = :m ORDER BY lower(name)", {"m": meeting_id})


def roster(board: Board, meeting_id: str) -> list[RosterLine]:
    """Members of the body on the meeting's date (voting first), then substitutes and others in attendance."""
    m = _meeting(board, meeting_id)
    recorded = {r["name"]: r for r in rows(board, meeting_id)}
    members = meetings_store.current_members(board, m["body_id"], m["date"])
    by_name = {x["name"]: x for x in members}
    subs = {r["substitute_for"]: r["name"] for r in recorded.values() if r["substitute_for"]}
    out: list[RosterLine] = []
    for x in members:
        row = recorded.get(x["name"])
        out.append(RosterLine(
            name=x["name"], role=x["role"], voting=bool(x["voting"]), member_id=x["id"],
            status=row["status"] if row else None, substitute=subs.get(x["name"]),
            attendance_id=row["id"] if row else None, version=row["version"] if row else None,
        ))
    for name, row in recorded.items():
        if name in by_name:
            continue
        stood_for = by_name.get(row["substitute_for"] or "")
        out.append(RosterLine(
            name=name, role=stood_for["role"] if stood_for else None,
            voting=bool(stood_for["voting"]) if stood_for else False, member_id=row["member_id"],
            status=row["status"], substitute_for=row["substitute_for"], attendance_id=row["id"],
            version=row["version"],
        ))
    return out


def set_status(board: Board, meeting_id: str, name: str, status: str) -> None:
    """Record a member (or anyone named) as present or sending apologies; written at once."""
    m = _meeting(board, meeting_id)
    who = inputs.line(name)
    if not who:
        raise ValidationError("Name is required.", field="name")
    try:
        value = AttendanceStatus.parse(status).value
    except ValidationError as exc:
        raise ValidationError(exc.message, field="status") from None
    member = board.one("SELECT id FROM members WHERE body_id = :b AND name = :n", {"b": m["body_id"], "n": who})
    with writing(board) as w:
        w.upsert("attendance", {"meeting_id": meeting_id, "name": who},
                 {"status": value, "member_id": member["id"] if member else None}, entity="attendance", ref=who)


def set_substitute(board: Board, meeting_id: str, member_name: str, substitute: str) -> None:
    """`substitute` stands in for `member_name`, who is recorded as sending apologies."""
    m = _meeting(board, meeting_id)
    sub = inputs.line(substitute)
    if not sub:
        raise ValidationError("Substitute's name is required.", field="substitute")
    if sub == member_name:
        raise ValidationError("A member cannot substitute for themselves.", field="substitute")
    if board.one("SELECT 1 FROM members WHERE body_id = :b AND name = :n", {"b": m["body_id"], "n": sub}):
        raise ValidationError(f"{quoted(sub)} is a member in their own right: mark them present instead.",
                              field="substitute")
    member = board.one("SELECT id FROM members WHERE body_id = :b AND name = :n",
                       {"b": m["body_id"], "n": member_name})
    with writing(board) as w:
        for old in w.conn.execute("SELECT id, name FROM attendance WHERE meeting_id = :m AND substitute_for = :f",
                                  {"m": meeting_id, "f": member_name}).fetchall():
            if old["name"] != sub:
                w.delete("attendance", old["id"], None, entity="attendance", ref=old["name"])
        w.upsert("attendance", {"meeting_id": meeting_id, "name": member_name},
                 {"status": AttendanceStatus.APOLOGIES.value, "member_id": member["id"] if member else None},
                 entity="attendance", ref=member_name)
        w.upsert("attendance", {"meeting_id": meeting_id, "name": sub},
                 {"status": AttendanceStatus.SUBSTITUTE.value, "substitute_for": member_name, "member_id": None},
                 entity="attendance", ref=sub)


def clear(board: Board, meeting_id: str, name: str) -> None:
    """Forget what was recorded for a person (and any substitute standing in for them)."""
    with writing(board) as w:
        for row in w.conn.execute(
            "SELECT id, name FROM attendance WHERE meeting_id = :m AND (name = :n OR substitute_for = :n)",
            {"m": meeting_id, "n": name},
        ).fetchall():
            w.delete("attendance", row["id"], None, entity="attendance", ref=row["name"])


# ---- declarations -----------------------------------------------------------------------------------------------

def declarations(board: Board, meeting_id: str, item_id: str | None = None, *, public_only: bool = False) -> list:
    """Declarations at a meeting (of one item when `item_id` is given), with the item's number and part."""
    return item_rows.of_meeting(board, "declarations", meeting_id, item_id, public_only=public_only,
                                order="lower(t.member_name)",
                                columns=", i.title AS item_title, i.position AS item_position")


def declare(board: Board, meeting_id: str, item_id: str | None, member_name: str, interest: str,
            handling: str) -> str:
    """Record a declared interest on an item (or the meeting as a whole when `item_id` is None)."""
    m = _meeting(board, meeting_id)
    who = inputs.line(member_name)
    if not who:
        raise ValidationError("Member is required.", field="member")
    try:
        how = Handling.parse(handling or "noted").value
    except ValidationError as exc:
        raise ValidationError(exc.message, field="handling") from None
    part = item_rows.item_part(board, meeting_id, item_id)
    member = board.one("SELECT id FROM members WHERE body_id = :b AND name = :n", {"b": m["body_id"], "n": who})
    with writing(board) as w:
        decl_id, _ = w.upsert(
            "declarations", {"meeting_id": meeting_id, "item_id": item_id, "member_name": who},
            {"member_id": member["id"] if member else None, "interest": inputs.text(interest), "handling": how},
            entity="declaration", ref=who, confidential=part == 2,
        )
    return decl_id


def remove_declaration(board: Board, declaration_id: str) -> None:
    row = item_rows.one(board, "declarations", declaration_id)
    if row is None:
        raise NotFound("That declaration no longer exists.")
    with writing(board) as w:
        w.delete("declarations", declaration_id, None, entity="declaration", ref=row["member_name"],
                 confidential=row["part"] == 2)


# ---- quorum -----------------------------------------------------------------------------------------------------

@dataclass
class QuorumCheck:
    result: QuorumResult
    rule_text: str
    stepped_back: list[str]  # names of conflicted members who do not count for this item

    @property
    def quorate(self) -> bool | None:
        return self.result.quorate

    @property
    def words(self) -> str:
        text = self.result.reason
        if self.stepped_back:
            text += f" (not counting {', '.join(self.stepped_back)}: declared interest)"
        return text


def quorum(board: Board, meeting_id: str, item_id: str | None = None) -> QuorumCheck:
    """Whether the meeting is quorate — or, for an item, whether it still is once members who declared an
    interest and withdrew or may not vote are left out."""
    m = _meeting(board, meeting_id)
    body = meetings_store.body(board, m["body_id"])
    rule = meetings_store.quorum_rule(body)
    members = meetings_store.current_members(board, m["body_id"], m["date"])
    if rule is None:
        return QuorumCheck(QuorumResult(None, "no quorum rule"), "no quorum rule", [])
    if not members:
        return QuorumCheck(QuorumResult(None, "no quorum rule can be checked: the body has no members recorded"),
                           meetings_store.describe_rule(rule), [])
    voting_total = sum(1 for x in members if x["voting"])
    present = []
    for line in roster(board, meeting_id):
        if line.status == AttendanceStatus.PRESENT.value or line.substitute_for:
            present.append(Attendee(name=line.name, role=line.role or "", voting=line.voting))
    stepped_back: list[str] = []
    if item_id is not None:
        for d in declarations(board, meeting_id, item_id):
            if d["handling"] in STEPS_BACK and d["member_name"] not in stepped_back:
                stepped_back.append(d["member_name"])
    result = check_quorum(rule, voting_total, present, withdrawn=stepped_back)
    return QuorumCheck(result, meetings_store.describe_rule(rule), stepped_back)
