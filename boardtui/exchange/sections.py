"""What each export contains, as format-free documents: sections of paragraphs and typed tables.

Every figure comes from the same functions as `boardtui report` and the screens (exchange/reports.py), so an
export never disagrees with what the board saw. The audience is applied here, once, for every format: the
public audience never gets Part 2 business — agenda items, actions raised on them, their decisions and notes,
and audit entries that are confidential or belong to a Part 2 item now (even one reclassified after the event).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from boardtui.domain.errors import NotFound, ValidationError
from boardtui.domain.money import ValueStatus
from boardtui.domain.periods import display_date, parse_fy, parse_partial_date
from boardtui.exchange import reports
from boardtui.exchange.files import check_audience
from boardtui.exchange.messy import requirement_label
from boardtui.store import meta
from boardtui.store.connection import Board

AUDIENCE_NOTES = {
    "public": "Public: Part 2 (confidential) business is not included.",
    "confidential": "CONFIDENTIAL: includes Part 2 business. Not for publication.",
}


@dataclass(frozen=True)
class Money:
    """An amount in pence (None when not provided), with its TBC/NA status."""

    pence: int | None
    status: ValueStatus = ValueStatus.QUANTIFIED

    @classmethod
    def of_pounds(cls, pounds, status: str | ValueStatus = ValueStatus.QUANTIFIED) -> "Money":
        st = ValueStatus(status)
        if pounds is None:
            return cls(None, st)
        return cls(int(Decimal(str(pounds)) * 100), st)

    @property
    def thousands(self) -> Decimal | None:
        """The amount in £000s, exactly."""
        return None if self.pence is None else Decimal(self.pence).scaleb(-5).normalize()


@dataclass(frozen=True)
class Day:
    """A date as text (ISO, possibly month or year precision)."""

    text: str


@dataclass
class Column:
    name: str
    kind: str = "text"  # text, money, number, int, date, bool


@dataclass
class Table:
    name: str
    columns: list[Column]
    rows: list[list[Any]]
    footer: list[list[Any]] = field(default_factory=list)  # Total / requirement / variance rows under the table
    empty: str = "None."

    def __post_init__(self) -> None:
        width = len(self.columns)
        self.footer = [list(r) + [None] * (width - len(r)) for r in self.footer]


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Document:
    title: str
    audience: str
    sections: list[Section]
    subtitle: str = ""
    csv_table: str | None = None  # the one table a CSV export holds, when there are several

    @property
    def confidential(self) -> bool:
        return self.audience == "confidential"

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


@dataclass
class Options:
    """What to export: the financial year, as at a day, changes since a day, a meeting (its id)."""

    year: str | None = None
    as_at: str | None = None
    since: str | None = None
    meeting: str | None = None


def _m(pounds, status="quantified") -> Money:
    return Money.of_pounds(pounds, status)


def _day(text: str | None) -> Day | None:
    return Day(text) if text else None


# ---- savings -------------------------------------------------------------------------------------------------

def savings_tables(board: Board, opts: Options, *, schemes: bool = True) -> list[Table]:
    d = reports.savings_data(board, opts.year, opts.as_at)
    fy = parse_fy(d["year"])
    summary = Table("Summary", [Column("Measure"), Column("£000s", "money")], [
        ["Savings requirement", _m(d["requirement"])],
        ["Identified", _m(d["identified"])],
        ["Gap", _m(d["gap"])],
        ["Risk-adjusted identified", _m(d["risk_adjusted"])],
        ["Risk-adjusted gap", _m(d["risk_adjusted_gap"])],
        ["Schemes TBC (not in the totals)", d["tbc"]],
        ["Schemes NA (not in the totals)", d["na"]],
    ])
    bridge_rows = []
    running = Money.of_pounds(d["requirement"]).pence if d["requirement"] is not None else None
    if running is not None:
        bridge_rows.append([f"Savings requirement {d['year']}", Money(running), Money(running)])
        for p in d["programmes"]:
            step = Money.of_pounds(p["identified"]).pence or 0
            if step:
                running -= step
                bridge_rows.append([f"less {p['name']}", Money(-step), Money(running)])
        bridge_rows.append(["Gap still to find", Money(running), Money(running)])
    bridge = Table("Bridge", [Column("Step"), Column("Change (£000s)", "money"), Column("Running total (£000s)", "money")],
                   bridge_rows, empty="No savings requirement is set for this year.")
    programmes = Table("Programmes", [
        Column("Programme"), Column("Identified (£000s)", "money"), Column("TBC", "int"), Column("NA", "int"),
        Column("YTD plan (£000s)", "money"), Column("YTD actual (£000s)", "money"),
        Column("Forecast (£000s)", "money"), Column("Risk-adjusted (£000s)", "money"), Column("RAG"),
        Column("RAG reason"),
    ], [[p["name"], _m(p["identified"]), p["tbc"], p["na"], _m(p["ytd_plan"]), _m(p["ytd_actual"]),
         _m(p["forecast"]), _m(p["risk_adjusted"]), p["rag"], p["rag_reason"]] for p in d["programmes"]])
    out = [summary, bridge, programmes]
    if schemes:
        extra = {r["ref"]: r for r in board.query(
            "SELECT ref, stage, confidence, start_month FROM schemes WHERE fy = :fy", {"fy": fy})}
        rows = []
        for p in d["programmes"]:
            for s in p["schemes"]:
                e = extra.get(s["ref"])
                rows.append([p["name"], s["ref"], s["title"], d["year"], _m(s["value"], s["status"]), s["status"],
                             e["stage"] if e else None, e["confidence"] if e else None,
                             e["start_month"] if e else None, _m(s["forecast"]), s["rag"], s["rag_reason"]])
        footer = [["Total", None, None, None, _m(d["identified"])]]
        targets = board.query(
            "SELECT o.name, t.requirement_pence FROM targets t JOIN organisations o ON o.id = t.org_id "
            "WHERE t.fy = :fy AND t.requirement_pence IS NOT NULL ORDER BY o.name", {"fy": fy})
        if len(targets) == 1 and d["requirement"] is not None:
            footer.append([requirement_label(fy, targets[0][0]), None, None, None, _m(d["requirement"])])
        else:
            footer += [[requirement_label(fy, t[0]), None, None, None, Money(t[1])] for t in targets]
        if d["gap"] is not None:
            footer.append(["Variance", None, None, None, _m(d["gap"])])
        out.append(Table("Schemes", [
            Column("Programme"), Column("Ref"), Column("Title"), Column("Year"), Column("Value (£000s)", "money"),
            Column("Status"), Column("Stage"), Column("Confidence"), Column("Start month"),
            Column("Forecast (£000s)", "money"), Column("RAG"), Column("RAG reason"),
        ], rows, footer))
    return out


def savings_document(board: Board, audience: str, opts: Options) -> Document:
    check_audience(audience)
    tables = savings_tables(board, opts)
    year = reports.savings_data(board, opts.year, opts.as_at)["year"]
    return Document(f"Savings {year}", audience, [Section(t.name, tables=[t]) for t in tables],
                    subtitle=_as_at(opts), csv_table="Schemes")


def _as_at(opts: Options) -> str:
    return f"As at {display_date(opts.as_at)}" if opts.as_at else ""


# ---- standards and milestones --------------------------------------------------------------------------------

STANDARD_COLUMNS = [Column("Code"), Column("Must-do", "int"), Column("Standard"), Column("Comparator"),
                    Column("Threshold", "number"), Column("Unit"), Column("Period"), Column("Actual", "number"),
                    Column("Trajectory", "number"), Column("RAG"), Column("RAG reason")]


def standards_table(board: Board, opts: Options) -> Table:
    rows = [[r["code"], r["must_do"], r["name"], r["comparator"], r["threshold"], r["unit"], r["period"],
             r["actual"], r["trajectory"], r["rag"], r["rag_reason"]] for r in reports.standards_data(board, opts.as_at)]
    return Table("Standards", STANDARD_COLUMNS, rows, empty="No standards on this board.")


def standards_document(board: Board, audience: str, opts: Options) -> Document:
    check_audience(audience)
    return Document("Standards against threshold and trajectory", audience,
                    [Section("Standards", tables=[standards_table(board, opts)])], subtitle=_as_at(opts))


MILESTONE_COLUMNS = [Column("Ref"), Column("Milestone"), Column("Plan"), Column("Baseline", "date"),
                     Column("Forecast", "date"), Column("Actual", "date"), Column("Slip (days)", "int"),
                     Column("Depends on"), Column("RAG"), Column("RAG reason")]


def milestones_table(board: Board, opts: Options, *, slipping_only: bool = False) -> Table:
    rows = []
    for r in reports.milestones_data(board, opts.as_at):
        if slipping_only and not ((r["slip_days"] or 0) > 0 or r["rag"] in ("R", "A")):
            continue
        rows.append([r["ref"], r["title"], r["plan"], _day(r["baseline"]), _day(r["forecast"]), _day(r["actual"]),
                     r["slip_days"], "; ".join(r["depends_on"] or []), r["rag"], r["rag_reason"]])
    name = "Milestones slipping" if slipping_only else "Milestones"
    return Table(name, MILESTONE_COLUMNS, rows, empty="No milestone is slipping." if slipping_only else "None.")


def milestones_document(board: Board, audience: str, opts: Options) -> Document:
    check_audience(audience)
    return Document("Milestones against baseline", audience,
                    [Section("Milestones", tables=[milestones_table(board, opts)])], subtitle=_as_at(opts))


# ---- actions and changes -------------------------------------------------------------------------------------

def actions_table(board: Board, audience: str, opts: Options, *, body: str | None = None,
                  open_only: bool = False) -> Table:
    confidential = check_audience(audience) == "confidential"
    part2 = _part2_items(board) if confidential else set()
    columns = [Column("Ref"), Column("Action"), Column("Owner"), Column("Due", "date"), Column("Status"),
               Column("Overdue", "bool"), Column("Body"), Column("Meeting", "date"), Column("Item")]
    if confidential:
        columns.append(Column("Part"))
    item_of = {}
    if confidential:
        item_of = {r["ref"]: r["item_id"] for r in board.query("SELECT ref, item_id FROM actions")}
    rows = []
    for a in reports.actions_rows(board, opts.as_at, public_only=not confidential):
        if body and a["body"] != body:
            continue
        if open_only and a["status"] == "closed":
            continue
        row = [a["ref"], a["text"], a["owner"], _day(a["due"]), a["status"], a["overdue"], a["body"],
               _day(a["meeting"]), a["item"]]
        if confidential:
            row.append("2" if item_of.get(a["ref"]) in part2 else "1")
        rows.append(row)
    return Table("Action log", columns, rows, empty="No actions.")


def actions_document(board: Board, audience: str, opts: Options) -> Document:
    return Document("Action log", audience, [Section("Action log", tables=[actions_table(board, audience, opts)])],
                    subtitle=_as_at(opts))


def _part2_items(board: Board) -> set[str]:
    return {r[0] for r in board.query("SELECT id FROM agenda_items WHERE part = 2")}


def part2_entities(board: Board) -> set[str]:
    """Ids of everything that is Part 2 business now: Part 2 items and what hangs off them."""
    ids = _part2_items(board)
    for table in ("actions", "decisions", "minute_notes", "declarations", "item_links"):
        ids |= {r[0] for r in board.query(
            f"SELECT id FROM {table} WHERE item_id IN (SELECT id FROM agenda_items WHERE part = 2)")}
    return ids


def changes_table(board: Board, audience: str, opts: Options) -> Table:
    confidential = check_audience(audience) == "confidential"
    skip = None
    if not confidential:
        hidden = part2_entities(board)
        skip = lambda c: c.confidential or c.entity_id in hidden  # noqa: E731 - a one-line filter
    since = opts.since or (meta.today(board) - timedelta(days=28)).isoformat()
    rows = [[r["at"][:19].replace("T", " "), r["who"], r["entity"], r["ref"], r["field"], _text(r["old"]),
             _text(r["new"]), r["reason"]]
            for r in reports.changes_rows(board, since, opts.as_at, include_confidential=confidential, skip=skip)]
    return Table("Changes", [Column("When (UTC)"), Column("Who"), Column("Record"), Column("Ref"), Column("Field"),
                             Column("Old"), Column("New"), Column("Reason")], rows,
                 empty=f"No changes since {display_date(since)}.")


def _text(value) -> str | None:
    return None if value is None else str(value)


def changes_document(board: Board, audience: str, opts: Options) -> Document:
    since = opts.since or (meta.today(board) - timedelta(days=28)).isoformat()
    return Document(f"Changes since {display_date(since)}", audience,
                    [Section("Changes", tables=[changes_table(board, audience, opts)])])


# ---- the board pack ------------------------------------------------------------------------------------------

def pack_meeting(board: Board, opts: Options):
    """The meeting a pack is for: the one asked for, else the next on or after today, else the latest."""
    from boardtui.store import meetings as meetings_store

    if opts.meeting:
        row = meetings_store.get(board, opts.meeting)
        if row is None:
            raise NotFound("That meeting does not exist.")
        return row
    today = meta.today(board).isoformat()
    row = board.one("SELECT id FROM meetings WHERE date >= :t ORDER BY date, id LIMIT 1", {"t": today}) or \
        board.one("SELECT id FROM meetings ORDER BY date DESC, id LIMIT 1")
    return meetings_store.get(board, row[0]) if row else None


def pack_document(board: Board, audience: str, opts: Options) -> Document:
    """Cover and agenda, savings summary and bridge, standards, milestones slipping, the action log, and the
    changes since the body's last meeting."""
    confidential = check_audience(audience) == "confidential"
    meeting = pack_meeting(board, opts)
    sections: list[Section] = []
    cover = Section("Cover")
    since = opts.since
    body = None
    if meeting is not None:
        body = meeting["body"]
        title = f"Board pack: {meeting['body']}, {display_date(meeting['date'])}"
        cover.paragraphs.append(f"Meeting of {meeting['body']} on {display_date(meeting['date'])}"
                                + (f" at {meeting['start_time']}" if meeting["start_time"] else "")
                                + (f", {meeting['venue']}" if meeting["venue"] else "") + ".")
        previous = board.one("SELECT date FROM meetings WHERE body_id = :b AND date < :d ORDER BY date DESC LIMIT 1",
                             {"b": meeting["body_id"], "d": meeting["date"]})
        if since is None and previous is not None:
            since = previous[0]
        items = board.query("SELECT number, title, part, purpose, presenter, minutes FROM agenda_items "
                            "WHERE meeting_id = :m ORDER BY position, number", {"m": meeting["id"]})
        columns = [Column("No"), Column("Item"), Column("Purpose"), Column("Presenter"), Column("Minutes", "int")]
        rows = [[i["number"], i["title"], i["purpose"], i["presenter"], i["minutes"]] for i in items if i["part"] != 2]
        cover.tables.append(Table("Agenda", columns, rows, empty="No agenda items yet."))
        if confidential:
            part2 = [[i["number"], i["title"], i["purpose"], i["presenter"], i["minutes"]] for i in items
                     if i["part"] == 2]
            if part2:
                cover.tables.append(Table("Agenda Part 2 (confidential)", columns, part2))
    else:
        title = "Board pack"
        cover.paragraphs.append("This board has no meetings yet: the pack shows the board as it stands.")
    sections.append(cover)
    try:
        sections.append(Section("Savings", tables=savings_tables(board, opts, schemes=False)))
    except ValidationError:
        sections.append(Section("Savings", paragraphs=["This board has no savings plan or requirement yet."]))
    sections.append(Section("Standards against target and trajectory", tables=[standards_table(board, opts)]))
    sections.append(Section("Milestones slipping", tables=[milestones_table(board, opts, slipping_only=True)]))
    sections.append(Section("Action log", tables=[actions_table(board, audience, opts, body=body, open_only=True)]))
    changes_opts = Options(opts.year, opts.as_at, since or (meta.today(board) - timedelta(days=28)).isoformat())
    changes = changes_table(board, audience, changes_opts)
    changes.name = "Changes since the last meeting"
    sections.append(Section(changes.name, paragraphs=[f"Since {display_date(changes_opts.since)}."],
                            tables=[changes]))
    return Document(title, audience, sections)


def validate_day(text: str | None, what: str) -> str | None:
    if not text:
        return None
    d = parse_partial_date(text)
    if d.precision.value != "day":
        raise ValidationError(f"{what} must be a date such as 2016-11-08, not '{text}'.")
    return d.text
