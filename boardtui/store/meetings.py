"""Bodies, their members and their meetings: queries, and the writes the meetings screens make.

A new meeting of a body starts from the standard agenda of DOMAIN.md §5 (`domain.agenda.TEMPLATE`), its
resolution to exclude the public citing the body's legal basis. Every write goes through `writing()` with its
audit rows; free text is made terminal-safe on the way in (`store.inputs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from boardtui.domain.errors import BoardError, NotFound, ValidationError
from boardtui.domain.periods import display_date
from boardtui.domain.text import quoted
from boardtui.store import inputs
from boardtui.store.connection import Board
from boardtui.store.tx import writing

# The agenda workflow and the quorum rule (~5 ms of imports) are imported by the functions that use them: the
# dashboard and the actions list, which paint first, only read meetings.
if TYPE_CHECKING:
    from boardtui.domain.quorum import QuorumRule

SELECT = (
    "SELECT m.id, m.date, m.start_time, m.venue, m.status, m.version, m.started_at, m.ended_at, "
    "m.runner_item_id, b.name AS body, b.id AS body_id, "
    "(SELECT count(*) FROM agenda_items i WHERE i.meeting_id = m.id) AS items "
    "FROM meetings m JOIN bodies b ON b.id = m.body_id"
)

BODY_KINDS = ("governing body", "HWB", "programme board", "select committee", "committee")
EXCLUSION_BASES = ("PBAMA 1960", "LGA 1972 Sch 12A")


def _where(text: str) -> tuple[str, dict]:
    if not text:
        return "", {}
    return (" WHERE lower(b.name) LIKE lower(:q) OR m.date LIKE :q OR lower(coalesce(m.venue, '')) LIKE lower(:q)",
            {"q": f"%{text}%"})


def count(board: Board, text: str = "") -> int:
    where, params = _where(text)
    return board.scalar(f"SELECT count(*) FROM meetings m JOIN bodies b ON b.id = m.body_id{where}", params)


def page(board: Board, offset: int, limit: int, text: str = "") -> list:
    where, params = _where(text)
    params.update(limit=limit, offset=offset)
    return board.query(f"{SELECT}{where} ORDER BY m.date DESC, b.name LIMIT :limit OFFSET :offset", params)


def agenda(board: Board, meeting_id: str) -> list:
    return board.query(
        "SELECT * FROM agenda_items WHERE meeting_id = :m ORDER BY position, number", {"m": meeting_id}
    )


def next_meeting(board: Board, today: str):
    """The next meeting on or after today (any body), for the dashboard."""
    return board.one(
        "SELECT m.date, m.start_time, b.name AS body FROM meetings m JOIN bodies b ON b.id = m.body_id "
        "WHERE m.date >= :t ORDER BY m.date LIMIT 1",
        {"t": today},
    )


def get(board: Board, meeting_id: str):
    """One meeting with its body's name, or None."""
    return board.one(f"{SELECT} WHERE m.id = :id", {"id": meeting_id})


def label(meeting) -> str:
    """"NHS Tower Hamlets CCG Governing Body, 8 Nov 2016" for a row from `get`."""
    return f"{meeting['body']}, {display_date(meeting['date'])}"


def in_progress(meeting) -> bool:
    return bool(meeting["started_at"]) and not meeting["ended_at"]


def status_text(meeting) -> str:
    """The meeting's status, with "in progress" while the runner has started and not ended it."""
    return "in progress" if in_progress(meeting) else meeting["status"]


def find(board: Board, text: str, body: str | None = None):
    """A meeting by its id, or by its date (YYYY-MM-DD) with `body` when more than one body met that day.

    Raises NotFound or ValidationError with a sentence saying what to do.
    """
    wanted = (text or "").strip()
    row = get(board, wanted)
    if row is not None:
        return row
    try:
        day = inputs.day(wanted, "meeting", "Meeting")
    except ValidationError:
        raise NotFound(f"No meeting {quoted(wanted)}: give the meeting's id or its date as YYYY-MM-DD.") from None
    params: dict = {"d": day}
    sql = f"{SELECT} WHERE m.date = :d"
    if body:
        sql += " AND (lower(b.name) = lower(:b) OR lower(b.name) LIKE lower(:bl))"
        params.update(b=body.strip(), bl=f"%{body.strip()}%")
    rows = board.query(sql + " ORDER BY b.name", params)
    if not rows:
        who = f" of {quoted(body)}" if body else ""
        raise NotFound(f"No meeting{who} on {display_date(day)}.")
    if len(rows) > 1:
        names = "; ".join(r["body"] for r in rows)
        raise ValidationError(f"More than one body met on {display_date(day)} ({names}): name one with --body.",
                              field="body")
    return rows[0]


# ---- bodies and members -----------------------------------------------------------------------------------------

def bodies(board: Board) -> list:
    """Every body with its member counts, by name."""
    return board.query(
        "SELECT b.*, "
        "(SELECT count(*) FROM members x WHERE x.body_id = b.id) AS members, "
        "(SELECT count(*) FROM members x WHERE x.body_id = b.id AND x.voting = 1) AS voting "
        "FROM bodies b ORDER BY lower(b.name)"
    )


def body(board: Board, body_id: str):
    return board.one("SELECT * FROM bodies WHERE id = :id", {"id": body_id})


def members(board: Board, body_id: str) -> list:
    return board.query(
        "SELECT * FROM members WHERE body_id = :b ORDER BY voting DESC, lower(name)", {"b": body_id}
    )


def member(board: Board, member_id: str):
    return board.one("SELECT * FROM members WHERE id = :id", {"id": member_id})


def current_members(board: Board, body_id: str, on: str) -> list:
    """Members of the body on a date (joined on or before it, not left before it)."""
    return board.query(
        "SELECT * FROM members WHERE body_id = :b AND (from_date IS NULL OR from_date <= :d) "
        "AND (to_date IS NULL OR to_date >= :d) ORDER BY voting DESC, lower(name)",
        {"b": body_id, "d": on},
    )


def quorum_rule(body_row) -> QuorumRule | None:
    """The body's quorum rule, or None when it has none (shown as "no quorum rule", never a crash)."""
    from boardtui.domain.quorum import QuorumRule

    if body_row is None:
        return None
    try:
        return QuorumRule.from_columns(body_row["quorum_min"], body_row["quorum_fraction"], body_row["quorum_roles"])
    except ValidationError:
        return None


def describe_rule(rule: QuorumRule | None) -> str:
    """The quorum rule in a sentence: "at least half of the voting members, including Chair or Vice-chair, GP"."""
    if rule is None or rule.is_empty:
        return "no quorum rule"
    parts = []
    if rule.min_present is not None:
        parts.append(f"at least {rule.min_present} voting members")
    if rule.fraction is not None:
        share = f"{float(rule.fraction) * 100:.0f}%"
        named = {"50%": "half", "33%": "a third", "67%": "two thirds", "25%": "a quarter", "75%": "three quarters"}
        parts.append(f"{named.get(share, share)} of the voting members (rounded up)")
    text = " and ".join(parts) if parts else "no minimum number"
    if rule.required_roles:
        roles = [" or ".join(p.strip() for p in r.split("|")) for r in rule.required_roles]
        text += ", including " + ", ".join(roles)
    return text


def _body_values(values: dict) -> dict:
    from boardtui.domain.quorum import parse_fraction

    name = inputs.line(values.get("name"))
    if not name:
        raise ValidationError("Name is required.", field="name")
    kind = inputs.line(values.get("kind")) or "committee"
    qmin = inputs.whole(values.get("quorum_min"), "quorum_min", "Quorum (members)", minimum=1)
    qfrac_text = inputs.line(values.get("quorum_fraction"))
    qfrac = None
    if qfrac_text:
        try:
            qfrac = float(parse_fraction(qfrac_text))
        except ValidationError as exc:
            raise ValidationError(exc.message, field="quorum_fraction") from None
    roles = inputs.line(values.get("quorum_roles"))
    roles = ";".join(r.strip() for r in roles.split(";") if r.strip()) if roles else None
    return {
        "name": name,
        "kind": kind,
        "exclusion_basis": inputs.line(values.get("exclusion_basis")),
        "quorum_min": qmin,
        "quorum_fraction": qfrac,
        "quorum_roles": roles,
        "cadence": inputs.line(values.get("cadence")),
    }


def save_body(board: Board, body_id: str | None, version: int | None, values: dict) -> str:
    """Create a body (no id) or change one; `values` as typed (quorum fraction "half", roles "Chair|Vice;GP")."""
    row = _body_values(values)
    with writing(board) as w:
        if body_id is None:
            return w.insert("bodies", row, entity="body", ref=row["name"])
        w.update("bodies", body_id, version, row, entity="body", ref=row["name"])
        return body_id


def save_member(board: Board, member_id: str | None, version: int | None, body_id: str, values: dict) -> str:
    name = inputs.line(values.get("name"))
    if not name:
        raise ValidationError("Name is required.", field="name")
    voting = values.get("voting")
    if isinstance(voting, str):
        voting = voting.strip().lower() in ("yes", "y", "true", "1", "voting")
    row = {
        "name": name,
        "role": inputs.line(values.get("role")),
        "voting": 1 if voting else 0,
        "from_date": inputs.day(values.get("from_date"), "from_date", "From", required_=False),
        "to_date": inputs.day(values.get("to_date"), "to_date", "To", required_=False),
    }
    clash = board.one(
        "SELECT id FROM members WHERE body_id = :b AND name = :n", {"b": body_id, "n": name}
    )
    if clash is not None and clash["id"] != member_id:
        raise ValidationError(f"{quoted(name)} is already a member of this body.", field="name")
    with writing(board) as w:
        if member_id is None:
            return w.insert("members", {"body_id": body_id, **row}, entity="member", ref=name)
        w.update("members", member_id, version, row, entity="member", ref=name)
        return member_id


def delete_member(board: Board, member_id: str, version: int | None) -> None:
    """Remove a member who has no attendance or declarations on record (else set the date they left)."""
    m = member(board, member_id)
    if m is None:
        raise NotFound("That member no longer exists.")
    used = board.scalar(
        "SELECT (SELECT count(*) FROM attendance WHERE member_id = :m) + "
        "(SELECT count(*) FROM declarations WHERE member_id = :m)", {"m": member_id}
    )
    if used:
        raise BoardError(f"{m['name']} is in the attendance or declarations of past meetings: "
                         "set the date they left instead of removing them.")
    with writing(board) as w:
        w.delete("members", member_id, version, entity="member", ref=m["name"])


# ---- meetings ---------------------------------------------------------------------------------------------------

def previous_meeting(board: Board, body_id: str, before: str):
    return board.one(
        "SELECT id, date FROM meetings WHERE body_id = :b AND date < :d ORDER BY date DESC LIMIT 1",
        {"b": body_id, "d": before},
    )


def _meeting_values(values: dict) -> dict:
    from boardtui.domain.agenda import MeetingStatus, parse_time

    date = inputs.day(values.get("date"), "date", "Date")
    start = inputs.line(values.get("start_time"))
    if start:
        t = parse_time(start)
        start = f"{t.hour:02d}:{t.minute:02d}"
    out = {"date": date, "start_time": start, "venue": inputs.line(values.get("venue"))}
    if values.get("status"):
        try:
            out["status"] = MeetingStatus.parse(str(values["status"])).value
        except ValidationError as exc:
            raise ValidationError(exc.message, field="status") from None
    return out


def create_meeting(board: Board, body_id: str, values: dict, *, template: bool = True) -> str:
    """A new meeting of the body; with `template`, its agenda starts from the standard items."""
    from boardtui.domain.agenda import TEMPLATE, ItemKind, MeetingStatus, exclusion_text

    b = body(board, body_id)
    if b is None:
        raise ValidationError("Choose the body that is meeting.", field="body")
    row = _meeting_values(values)
    row.setdefault("status", MeetingStatus.PLANNED.value)
    if board.one("SELECT 1 FROM meetings WHERE body_id = :b AND date = :d", {"b": body_id, "d": row["date"]}):
        raise ValidationError(f"{b['name']} already has a meeting on {display_date(row['date'])}.", field="date")
    last = previous_meeting(board, body_id, row["date"])
    with writing(board, reason="new meeting") as w:
        meeting_id = w.insert("meetings", {"body_id": body_id, **row}, entity="meeting",
                              ref=f"{b['name']} {row['date']}")
        if template:
            for position, item in enumerate(TEMPLATE, start=1):
                recommendation = item.recommendation
                if item.kind == ItemKind.EXCLUSION:
                    recommendation = exclusion_text(b["exclusion_basis"])
                elif item.kind == ItemKind.MINUTES and last is not None:
                    recommendation = (f"Approve the minutes of the meeting held on {display_date(last['date'])} "
                                      "as an accurate record")
                w.insert("agenda_items", {
                    "meeting_id": meeting_id, "position": position, "number": str(position),
                    "title": item.title, "part": 1, "purpose": item.purpose, "minutes": item.minutes,
                    "recommendations": recommendation or None, "kind": item.kind,
                }, entity="agenda_item", ref=f"item {position}")
    return meeting_id


def update_meeting(board: Board, meeting_id: str, version: int | None, values: dict) -> None:
    m = get(board, meeting_id)
    if m is None:
        raise NotFound("That meeting no longer exists.")
    row = _meeting_values(values)
    if row["date"] != m["date"] and board.one(
        "SELECT 1 FROM meetings WHERE body_id = :b AND date = :d", {"b": m["body_id"], "d": row["date"]}
    ):
        raise ValidationError(f"{m['body']} already has a meeting on {display_date(row['date'])}.", field="date")
    with writing(board) as w:
        w.update("meetings", meeting_id, version, row, entity="meeting", ref=f"{m['body']} {row['date']}")


@dataclass
class ItemCounts:
    """How many notes, decisions, actions and declarations an agenda item has."""

    notes: int = 0
    decisions: int = 0
    actions: int = 0
    declarations: int = 0

    @property
    def captured(self) -> int:
        return self.notes + self.decisions + self.actions


def item_counts(board: Board, meeting_id: str) -> dict[str | None, ItemCounts]:
    """What has been recorded against each item of a meeting (item id → counts; None = the meeting)."""
    out: dict[str | None, ItemCounts] = {}
    for table, attr in (("minute_notes", "notes"), ("decisions", "decisions"), ("actions", "actions"),
                        ("declarations", "declarations")):
        for row in board.query(
            f"SELECT item_id, count(*) AS n FROM {table} WHERE meeting_id = :m GROUP BY item_id", {"m": meeting_id}
        ):
            setattr(out.setdefault(row["item_id"], ItemCounts()), attr, row["n"])
    return out
