"""Import of the canonical CSV formats (docs/csv-formats.md): validate every row, then write all or nothing.

Each KIND declares its columns (required or not, and the parser for each) and a writer that upserts rows by
their natural key through the store's write helper. Parsing errors are collected for the whole file before
anything is written; reference errors (a scheme naming an unknown programme) are found inside the one
transaction, which then rolls back, so either every row lands or none does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from boardtui.domain.errors import ParseError, ValidationError
from boardtui.domain.milestones import find_cycle
from boardtui.domain.money import ValueStatus
from boardtui.domain.standards import percentage
from boardtui.exchange import fields as f
from boardtui.exchange.csv_read import FileProblem, read_csv
from boardtui.store import lookups
from boardtui.store.connection import Board
from boardtui.store.savings import refresh_scheme_rollup
from boardtui.store.tx import Writer, writing

MAX_SHOWN = 20

Parser = Callable[[str], Any]

STAGES = {s: s for s in ("idea", "prioritise", "business case", "implementation", "delivered")}
CONFIDENCE = {"h": "H", "m": "M", "l": "L", "high": "H", "medium": "M", "low": "L"}
COMPARATORS = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "≥": ">=", "≤": "<="}
UNITS = {"%": "%", "min": "min", "count": "count"}
PERIODS = {"month": "month", "quarter": "quarter", "year": "year"}
BODY_KINDS = {k.lower(): k for k in ("governing body", "HWB", "programme board", "select committee", "committee")}
MEETING_STATUS = {s: s for s in ("planned", "published", "held", "minutes approved")}
PURPOSES = {"decision": "decision", "assurance": "assurance", "discussion": "discussion",
            "information": "information", "noting": "information"}
ATTENDANCE = {s: s for s in ("present", "apologies", "substitute")}
HANDLING = {s: s for s in ("noted", "no vote", "withdrew")}
OUTCOMES = {s: s for s in ("approved", "noted", "deferred", "rejected")}
ACTION_STATUS = {"open": "open", "proposed for closure": "proposed for closure", "closed": "closed"}
LINK_KINDS = ("programme", "scheme", "standard", "milestone")


def part(cell: str) -> int:
    v = cell.strip()
    if v in ("", "1"):
        return 1
    if v == "2":
        return 2
    raise ParseError(f"'{cell}' is not 1 or 2.")


def links(cell: str) -> list[tuple[str, str]]:
    out = []
    for item in f.listing(cell):
        kind, _, ref = item.partition(":")
        if kind.strip().lower() not in LINK_KINDS or not ref.strip():
            raise ParseError(f"'{item}' is not a link such as programme:NAME, scheme:REF, standard:CODE.")
        out.append((kind.strip().lower(), ref.strip()))
    return out


@dataclass
class Kind:
    name: str
    columns: dict[str, tuple[bool, Parser]]
    write: Callable[["Context", list["Row"]], None]


@dataclass
class Row:
    line: int
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def given(self, column: str) -> bool:
        """Whether the file has this column at all (a blank cell is given; a missing column is not)."""
        return column in self.values


def keep_stored(row: Row, values: dict[str, Any], sources: dict[str, str]) -> dict[str, Any]:
    """Drop the fields whose source column the file does not have, so re-importing a sheet without, say, a
    Status column never reopens closed actions or wipes forecasts typed in the app. `sources` maps each field
    to the file column it comes from."""
    return {k: v for k, v in values.items() if k not in sources or row.given(sources[k])}


@dataclass
class Context:
    board: Board
    w: Writer
    file: str
    cache: dict = field(default_factory=dict)

    def fail(self, row: Row, column: str, message: str) -> None:
        raise FileProblem(f"{self.file} row {row.line}, column {column}: {message}", row=row.line, column=column)

    def cached(self, key: tuple, fn: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]

    def body(self, row: Row, column: str = "body") -> str:
        name = row[column]
        found = self.cached(("body", name), lambda: lookups.body_id(self.board, name))
        if found is None:
            self.fail(row, column, f"no body called '{name}' (import bodies first).")
        return found

    def meeting(self, row: Row, body_col: str = "body", date_col: str = "meeting_date") -> str:
        key = ("meeting", row[body_col], row[date_col])
        found = self.cached(key, lambda: lookups.meeting_id(self.board, row[body_col], row[date_col]))
        if found is None:
            self.fail(row, date_col, f"no meeting of '{row[body_col]}' on {row[date_col]} (import meetings first).")
        return found

    def item(self, row: Row, meeting: str) -> tuple[str | None, int]:
        number = row["item_number"]
        if not number:
            return None, 1
        found = lookups.item(self.board, meeting, number)
        if found is None:
            self.fail(row, "item_number", f"no agenda item {number} at that meeting (import the agenda first).")
        return found


def _plain(row: Row, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: row[n] for n in names}


def write_programmes(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        total, status = row["stated_total_000s"] or (None, None)
        ctx.w.upsert(
            "programmes",
            {"name": row["name"]},
            {
                "aliases": ";".join(row["aliases"] or []) or None,
                "focus": row["focus"],
                "impact": row["impact"],
                "sro": row["sro"],
                "stated_total_pence": total,
                "stated_total_status": status.value if status else None,
                "source": row["source"],
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="programme",
            ref=row["name"],
        )


def write_targets(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        org = lookups.organisation_id(ctx.w, row["organisation"])
        ctx.w.upsert(
            "targets",
            {"org_id": org, "fy": row["year"]},
            {
                "requirement_pence": row["requirement_000s"],
                "stated_identified_pence": row["stated_identified_000s"],
                "stated_gap_pence": row["stated_gap_000s"],
                "funding_available_pence": row["funding_available_000s"],
                "funding_need_pence": row["funding_need_000s"],
                **_plain(row, ("note", "source")),
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="target",
            ref=f"{row['organisation']} {row['year']}",
        )


def write_schemes(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        prog = ctx.cached(("programme", row["programme"]), lambda: lookups.programme_id(ctx.board, row["programme"]))
        if prog is None:
            ctx.fail(row, "programme", f"no programme called '{row['programme']}' (import programmes first).")
        plan, status = row["plan_000s"]
        ctx.w.upsert(
            "schemes",
            {"ref": row["ref"]},
            {
                "programme_id": prog,
                "title": row["title"],
                "components": ";".join(row["components"] or []) or None,
                "fy": row["year"],
                "value_status": status.value,
                "plan_pence": plan,
                "recurrent_pence": row["recurrent_000s"],
                "non_recurrent_pence": row["non_recurrent_000s"],
                **_plain(row, ("impact", "lead", "sro", "stage", "start_month", "confidence", "commentary", "source")),
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="scheme",
            ref=row["ref"],
        )


def write_savings(ctx: Context, rows: list[Row]) -> None:
    touched: set[str] = set()
    for row in rows:
        scheme = ctx.cached(("scheme", row["scheme_ref"]), lambda: lookups.by_ref(ctx.board, "schemes", row["scheme_ref"]))
        if scheme is None:
            ctx.fail(row, "scheme_ref", f"no scheme with ref '{row['scheme_ref']}' (import schemes first).")
        ctx.w.upsert(
            "scheme_periods",
            {"scheme_id": scheme, "month": row["month"]},
            {
                "plan_pence": row["plan_000s"],
                "actual_pence": row["actual_000s"],
                "fot_pence": row["forecast_000s"],
                "commentary": row["commentary"],
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="scheme_period",
            ref=f"{row['scheme_ref']} {row['month']}",
        )
        touched.add(scheme)
    for scheme in sorted(touched):
        refresh_scheme_rollup(ctx.w, scheme)


def write_standards(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        ctx.w.upsert(
            "standards",
            {"code": row["code"], "valid_from": row["valid_from"] or ""},
            {
                "valid_to": row["valid_to"] or "",
                "assessment_period": row["assessment_period"] or "month",
                **_plain(row, ("name", "must_do", "threshold", "comparator", "unit", "planning_round", "source")),
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="standard",
            ref=row["code"],
        )


def write_performance(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        code = row["standard_code"]
        known = ctx.cached(("standard", code), lambda: ctx.board.scalar(
            "SELECT count(*) FROM standards WHERE code = :c", {"c": code}))
        if not known:
            ctx.fail(row, "standard_code", f"no standard with code '{code}' (import standards first).")
        actual = row["actual"]
        if row["numerator"] is not None and row["denominator"] is not None:
            try:
                actual = float(percentage(row["numerator"], row["denominator"]))
            except ValidationError as exc:
                ctx.fail(row, "denominator", str(exc))
        ctx.w.upsert(
            "standard_periods",
            {"standard_code": code, "period": row["period"]},
            {
                "actual": actual,
                **_plain(row, ("numerator", "denominator", "trajectory", "commentary")),
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="standard_period",
            ref=f"{code} {row['period']}",
        )


def write_milestones(ctx: Context, rows: list[Row]) -> None:
    ids: dict[str, str] = {}
    for row in rows:
        prog = None
        if row["programme"]:
            prog = lookups.programme_id(ctx.board, row["programme"])
            if prog is None:
                ctx.fail(row, "programme", f"no programme called '{row['programme']}'.")
        values = keep_stored(row, {
            "programme_id": prog,
            "plan_name": row["plan"],
            "external": int(bool(row["external"])),
            **_plain(row, ("title", "owner", "baseline", "forecast", "actual", "status_note", "source")),
            "illustrative": int(bool(row["illustrative"])),
        }, MILESTONE_SOURCES)
        ids[row["ref"]], _ = ctx.w.upsert(
            "milestones",
            {"ref": row["ref"]},
            values,
            entity="milestone",
            ref=row["ref"],
        )
    edges: dict[str, set[str]] = {
        r[0]: set() for r in ctx.w.conn.execute("SELECT ref FROM milestones").fetchall()
    }
    for a, b in ctx.w.conn.execute(
        "SELECT m.ref, d.ref FROM milestone_deps x JOIN milestones m ON m.id = x.milestone_id "
        "JOIN milestones d ON d.id = x.depends_on_id"
    ).fetchall():
        edges[a].add(b)
    for row in rows:
        if not row.given("depends_on"):
            continue  # a file without the column leaves the dependencies as they are
        wanted = set(row["depends_on"] or [])
        for dep in wanted:
            if lookups.by_ref(ctx.board, "milestones", dep) is None:
                ctx.fail(row, "depends_on", f"no milestone with ref '{dep}'.")
        edges[row["ref"]] = wanted
    cycle = find_cycle(edges)
    if cycle:
        raise FileProblem(f"{ctx.file}: the dependencies form a cycle ({' → '.join(cycle)}); nothing was imported.")
    for row in rows:
        if not row.given("depends_on"):
            continue
        mid = ids[row["ref"]]
        current = {
            r[1]: r[0]
            for r in ctx.w.conn.execute(
                "SELECT x.id, d.ref FROM milestone_deps x JOIN milestones d ON d.id = x.depends_on_id "
                "WHERE x.milestone_id = :m",
                {"m": mid},
            ).fetchall()
        }
        for dep in sorted(edges[row["ref"]] - set(current)):
            ctx.w.insert(
                "milestone_deps",
                {"milestone_id": mid, "depends_on_id": lookups.by_ref(ctx.board, "milestones", dep)},
                entity="milestone_dependency",
                ref=f"{row['ref']} → {dep}",
            )
        for dep in sorted(set(current) - edges[row["ref"]]):
            ctx.w.delete("milestone_deps", current[dep], None, entity="milestone_dependency", ref=f"{row['ref']} → {dep}")


def write_bodies(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        org = lookups.organisation_id(ctx.w, row["organisation"], row["organisation_type"]) if row["organisation"] else None
        ctx.w.upsert(
            "bodies",
            {"name": row["name"]},
            {
                "org_id": org,
                "quorum_roles": ";".join(row["quorum_roles"] or []) or None,
                **_plain(row, ("kind", "exclusion_basis", "quorum_min", "quorum_fraction", "cadence", "source")),
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="body",
            ref=row["name"],
        )


def write_members(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        body = ctx.body(row)
        ctx.w.upsert(
            "members",
            {"body_id": body, "name": row["name"]},
            {
                "role": row["role"],
                "voting": int(row["voting"] if row["voting"] is not None else True),
                "from_date": row["from"],
                "to_date": row["to"],
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="member",
            ref=row["name"],
        )


def write_meetings(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        body = ctx.body(row)
        ctx.w.upsert(
            "meetings",
            {"body_id": body, "date": row["date"]},
            {
                "status": row["status"] or "planned",
                **_plain(row, ("start_time", "venue", "source")),
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="meeting",
            ref=f"{row['body']} {row['date']}",
        )


def write_agenda(ctx: Context, rows: list[Row]) -> None:
    positions: dict[str, int] = {}
    for row in rows:
        meeting = ctx.meeting(row)
        positions[meeting] = positions.get(meeting, 0) + 1
        confidential = row["part"] == 2
        item_id, _ = ctx.w.upsert(
            "agenda_items",
            {"meeting_id": meeting, "number": row["number"]},
            {
                "position": positions[meeting],
                "part": row["part"],
                "recommendations": ";".join(row["recommendations"] or []) or None,
                **_plain(row, ("title", "purpose", "sponsor", "presenter", "author", "minutes", "source")),
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="agenda_item",
            ref=f"item {row['number']}",
            confidential=confidential,
        )
        for kind, ref in row["links"] or []:
            ctx.w.upsert("item_links", {"item_id": item_id, "entity": kind, "ref": ref}, {},
                         entity="item_link", ref=f"{kind}:{ref}", confidential=confidential)


def write_attendance(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        meeting = ctx.meeting(row)
        body = ctx.body(row)
        ctx.w.upsert(
            "attendance",
            {"meeting_id": meeting, "name": row["member"]},
            {
                "member_id": lookups.member_id(ctx.board, body, row["member"]),
                "status": row["status"],
                "substitute_for": row["substitute_for"],
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="attendance",
            ref=row["member"],
        )


def write_declarations(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        meeting = ctx.meeting(row)
        body = ctx.body(row)
        item_id, item_part = ctx.item(row, meeting)
        ctx.w.upsert(
            "declarations",
            {"meeting_id": meeting, "item_id": item_id, "member_name": row["member"]},
            {
                "member_id": lookups.member_id(ctx.board, body, row["member"]),
                "interest": row["interest"],
                "handling": row["handling"],
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="declaration",
            ref=row["member"],
            confidential=item_part == 2,
        )


def write_decisions(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        meeting = ctx.meeting(row)
        item_id, item_part = ctx.item(row, meeting)
        ctx.w.upsert(
            "decisions",
            {"ref": row["ref"]},
            {
                "meeting_id": meeting,
                "item_id": item_id,
                **_plain(row, ("resolution", "outcome", "mover", "seconder")),
                "illustrative": int(bool(row["illustrative"])),
            },
            entity="decision",
            ref=row["ref"],
            confidential=item_part == 2,
        )


ACTION_SOURCES = {"body_id": "body", "meeting_id": "meeting_date", "item_id": "meeting_date", "status": "status",
                  "latest_update": "update", "illustrative": "illustrative"}
MILESTONE_SOURCES = {"programme_id": "programme", "plan_name": "plan", "external": "external", "owner": "owner",
                     "forecast": "forecast", "actual": "actual", "status_note": "status_note", "source": "source",
                     "illustrative": "illustrative"}


def write_actions(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        body = meeting = item_id = None
        item_part = 1
        if row["body"]:
            body = ctx.body(row)
        if row["meeting_date"]:
            if not row["body"]:
                ctx.fail(row, "body", "a meeting date needs the body that met.")
            meeting = ctx.meeting(row)
            item_id, item_part = ctx.item(row, meeting)
        # Every existing ref is read once per import (not two SELECTs per row: action logs reach 100k rows).
        known = ctx.cached(("actions by ref",), lambda: {
            r[0]: r[1] for r in ctx.w.conn.execute("SELECT ref, id FROM actions").fetchall()
        })
        existing = known.get(row["ref"])
        values = {
            "body_id": body,
            "meeting_id": meeting,
            "item_id": item_id,
            "text": row["text"],
            "owner": row["owner"],
            "due": row["due"],
            "status": row["status"] or "open",
            "latest_update": row["update"],
            "illustrative": int(bool(row["illustrative"])),
        }
        if existing is None:
            values["original_due"] = row["due"]
        else:
            values = keep_stored(row, values, ACTION_SOURCES)
        known[row["ref"]], _ = ctx.w.upsert("actions", {"ref": row["ref"]}, values, entity="action", ref=row["ref"],
                                            confidential=item_part == 2, existing_id=existing)


def write_notes(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        meeting = ctx.meeting(row)
        item_id, item_part = ctx.item(row, meeting)
        ctx.w.upsert(
            "minute_notes",
            {"meeting_id": meeting, "item_id": item_id, "text": row["text"]},
            {"illustrative": int(bool(row["illustrative"]))},
            entity="minute_note",
            ref=f"item {row['item_number'] or '-'}",
            confidential=item_part == 2,
        )


R, O = True, False  # required, optional
MONEY_OPT = (O, f.money_or_none)
COMMON = {"source": (O, f.text), "illustrative": (O, f.yes_no)}

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("programmes", {"name": (R, f.text), "aliases": (O, f.listing), "focus": (O, f.text),
                            "impact": (O, f.text), "sro": (O, f.text), "stated_total_000s": (O, f.money), **COMMON},
             write_programmes),
        Kind("targets", {"organisation": (R, f.text), "year": (R, f.fy), "requirement_000s": MONEY_OPT,
                         "stated_identified_000s": MONEY_OPT, "stated_gap_000s": MONEY_OPT,
                         "funding_available_000s": MONEY_OPT, "funding_need_000s": MONEY_OPT,
                         "note": (O, f.text), **COMMON}, write_targets),
        Kind("schemes", {"ref": (R, f.text), "programme": (R, f.text), "title": (R, f.text),
                         "components": (O, f.listing), "impact": (O, f.text), "lead": (O, f.text),
                         "sro": (O, f.text), "stage": (O, f.choice(STAGES)), "year": (R, f.fy),
                         "plan_000s": (R, f.money), "recurrent_000s": MONEY_OPT, "non_recurrent_000s": MONEY_OPT,
                         "start_month": (O, f.month), "confidence": (O, f.choice(CONFIDENCE)),
                         "commentary": (O, f.text), **COMMON}, write_schemes),
        Kind("savings", {"scheme_ref": (R, f.text), "month": (R, f.month), "plan_000s": MONEY_OPT,
                         "actual_000s": MONEY_OPT, "forecast_000s": MONEY_OPT, "commentary": (O, f.text),
                         "illustrative": (O, f.yes_no)}, write_savings),
        Kind("standards", {"code": (R, f.text), "name": (R, f.text), "must_do": (O, f.integer),
                           "threshold": (R, f.number), "comparator": (R, f.choice(COMPARATORS)),
                           "unit": (R, f.choice(UNITS)), "assessment_period": (O, f.choice(PERIODS)),
                           "planning_round": (O, f.text), "valid_from": (O, f.date), "valid_to": (O, f.date),
                           **COMMON}, write_standards),
        Kind("performance", {"standard_code": (R, f.text), "period": (R, f.month), "numerator": (O, f.integer),
                             "denominator": (O, f.integer), "actual": (O, f.number), "trajectory": (O, f.number),
                             "commentary": (O, f.text), "illustrative": (O, f.yes_no)}, write_performance),
        Kind("milestones", {"ref": (R, f.text), "title": (R, f.text), "programme": (O, f.text), "plan": (O, f.text),
                            "owner": (O, f.text), "baseline": (R, f.date), "forecast": (O, f.date),
                            "actual": (O, f.date), "depends_on": (O, f.listing), "external": (O, f.yes_no),
                            "status_note": (O, f.text), **COMMON}, write_milestones),
        Kind("bodies", {"name": (R, f.text), "kind": (R, f.choice(BODY_KINDS)), "organisation": (O, f.text),
                        "organisation_type": (O, f.text), "exclusion_basis": (O, f.text),
                        "quorum_min": (O, f.integer), "quorum_fraction": (O, f.number),
                        "quorum_roles": (O, f.listing), "cadence": (O, f.text), **COMMON}, write_bodies),
        Kind("members", {"body": (R, f.text), "name": (R, f.text), "role": (O, f.text), "voting": (O, f.yes_no),
                         "from": (O, f.date), "to": (O, f.date), "illustrative": (O, f.yes_no)}, write_members),
        Kind("meetings", {"body": (R, f.text), "date": (R, f.date), "start_time": (O, f.text), "venue": (O, f.text),
                          "status": (O, f.choice(MEETING_STATUS)), **COMMON}, write_meetings),
        Kind("agenda", {"body": (R, f.text), "meeting_date": (R, f.date), "number": (R, f.text),
                        "title": (R, f.text), "part": (O, part), "purpose": (O, f.choice(PURPOSES)),
                        "sponsor": (O, f.text), "presenter": (O, f.text), "author": (O, f.text),
                        "minutes": (O, f.integer), "recommendations": (O, f.listing), "links": (O, links),
                        **COMMON}, write_agenda),
        Kind("attendance", {"body": (R, f.text), "meeting_date": (R, f.date), "member": (R, f.text),
                            "status": (R, f.choice(ATTENDANCE)), "substitute_for": (O, f.text),
                            "illustrative": (O, f.yes_no)}, write_attendance),
        Kind("declarations", {"body": (R, f.text), "meeting_date": (R, f.date), "item_number": (O, f.text),
                              "member": (R, f.text), "interest": (O, f.text), "handling": (O, f.choice(HANDLING)),
                              "illustrative": (O, f.yes_no)}, write_declarations),
        Kind("decisions", {"ref": (R, f.text), "body": (R, f.text), "meeting_date": (R, f.date),
                           "item_number": (O, f.text), "resolution": (R, f.text), "outcome": (O, f.choice(OUTCOMES)),
                           "mover": (O, f.text), "seconder": (O, f.text), "illustrative": (O, f.yes_no)},
             write_decisions),
        Kind("actions", {"ref": (R, f.text), "text": (R, f.text), "owner": (R, f.text), "due": (R, f.date),
                         "body": (O, f.text), "meeting_date": (O, f.date), "item_number": (O, f.text),
                         "status": (O, f.choice(ACTION_STATUS)), "update": (O, f.text),
                         "illustrative": (O, f.yes_no)}, write_actions),
        Kind("notes", {"body": (R, f.text), "meeting_date": (R, f.date), "item_number": (O, f.text),
                       "text": (R, f.text), "illustrative": (O, f.yes_no)}, write_notes),
    )
}

# The order the demo board loads its files in: each kind's references exist before it is read.
LOAD_ORDER = tuple(KINDS)


@dataclass
class Problem:
    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.line}, column {self.column}: {self.reason}"


class ImportRefused(FileProblem):
    """An import with problems: nothing was written. `problems` lists every one found."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        shown = "; ".join(str(p) for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        first = problems[0]
        super().__init__(
            f"{file}: {len(problems)} problem(s), nothing was imported — {shown}{more}.",
            row=first.line,
            column=first.column,
            value=first.value,
        )
        self.problems = problems


def validate(kind: Kind, header: list[str], rows: list[tuple[int, list[str]]], file: str) -> list[Row]:
    """Parse every cell of every row; raise ImportRefused listing all problems, or return the parsed rows."""
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h not in kind.columns]
    missing = [c for c, (req, _) in kind.columns.items() if req and c not in names]
    dupes = sorted({h for h in names if names.count(h) > 1})
    if unknown or missing or dupes:
        bits = []
        if missing:
            bits.append(f"missing required column(s) {', '.join(missing)}")
        if unknown:
            bits.append(f"unknown column(s) {', '.join(unknown)}")
        if dupes:
            bits.append(f"duplicated column(s) {', '.join(dupes)}")
        raise FileProblem(
            f"{file}: {'; '.join(bits)}. The {kind.name} columns are: {', '.join(kind.columns)}.", row=1
        )
    problems: list[Problem] = []
    parsed: list[Row] = []
    for line, cells in rows:
        values: dict[str, Any] = {}
        for name, cell in zip(names, cells):
            required, parser = kind.columns[name]
            if required and not cell.strip():
                problems.append(Problem(line, name, cell, "a value is required"))
                continue
            try:
                values[name] = parser(cell)
            except ParseError as exc:
                problems.append(Problem(line, name, cell, str(exc).rstrip(".")))
        parsed.append(Row(line, values))
    if problems:
        raise ImportRefused(file, problems)
    return parsed


@dataclass
class ImportResult:
    kind: str
    file: str
    rows: int
    encoding: str


def import_file(board: Board, kind_name: str, path: str | Path, *, dry_run: bool = False) -> ImportResult:
    """Validate and import one canonical CSV file in a single transaction (joining an outer one if open)."""
    kind = KINDS.get(kind_name)
    if kind is None:
        raise ValidationError(f"There is no import kind '{kind_name}': use one of {', '.join(KINDS)}.")
    p = Path(path)
    table = read_csv(p)
    rows = validate(kind, table.header, table.rows, p.name)
    try:
        with writing(board, reason=f"import {kind.name} from {p.name}") as w:
            kind.write(Context(board, w, p.name), rows)
            w.audit("import", kind.name, None, p.name, None, None, len(rows))
            if dry_run:
                # References are checked by the writers, so a dry run writes and then rolls everything back.
                raise _DryRun
    except _DryRun:
        pass
    return ImportResult(kind.name, p.name, len(rows), table.encoding)


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""
