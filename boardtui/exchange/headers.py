"""Header matching for spreadsheets people make: an alias table, units read from the header, clear refusals.

A header is matched case- and punctuation-insensitively ("Estimated Financial Impact (£000s)", "Saving £k" and
"plan_000s" all mean the plan), through a per-kind alias table onto the canonical columns of
docs/csv-formats.md. The money unit comes from the header (`£000s`, `£'000`, `£k`, `£m`, `£`) or, where the
header does not say, from `--units`; a money column whose unit cannot be known stops the import rather than
guessing by a factor of 1,000.

Columns boardtui works out itself (RAG, forecast, status in its own exports) are recognised and ignored, and
the import says so; any other unknown column is an error, so a typo is never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from boardtui.domain.errors import ValidationError
from boardtui.domain.money import normalise_unit
from boardtui.exchange import fields as f
from boardtui.exchange.canonical import KINDS, Kind

# Units written in headers, most specific first. Matched on the lower-cased header.
_UNIT_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"£\s*'?\s*000\s*'?\s*s?\b|£\s*thousands?\b|\(\s*'?000'?s?\s*\)|\b'?000'?s\b|_000s\b"), "000s"),
    (re.compile(r"£\s*k\b|\(\s*k\s*\)"), "000s"),
    (re.compile(r"£\s*m(?:n|illions?)?\b|\(\s*m\s*\)|\bmillions?\b"), "m"),
    (re.compile(r"£|\bgbp\b|\bpounds\b"), "pounds"),
)
_PUNCT = re.compile(r"[^0-9a-z]+")


def find_unit(header: str) -> str | None:
    """The money unit a header states ("Saving (£000s)" → "000s", "£m" → "m", "Cost £" → "pounds"), or None."""
    low = header.lower()
    for pattern, unit in _UNIT_PATTERNS:
        if pattern.search(low):
            return unit
    return None


def _strip_units(low: str) -> str:
    for pattern, _unit in _UNIT_PATTERNS:
        low = pattern.sub(" ", low)
    return low


def normalise(header: str) -> str:
    """The matching key of a header: lower case, units removed, `&` as "and", punctuation and spacing folded."""
    low = _strip_units(str(header).lower()).replace("&", " and ").replace("%", " ")
    low = re.sub(r"['\u2019`]", "", low)  # "Children's" → "childrens", not "children s"
    return " ".join(_PUNCT.sub(" ", low).split())


# Other names people give each canonical column, per kind. Canonical names (plan_000s) match themselves.
_OWNER = ("owner", "lead", "sro", "action owner", "responsible", "responsible officer", "by whom", "who")
_COMMENT = ("commentary", "comments", "comment", "notes", "narrative", "update", "latest update", "progress")

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "programmes": {
        "name": ("programme", "programme name", "program", "programme board", "ccg programme board",
                 "programme area", "workstream"),
        "focus": ("areas of focus", "area of focus", "focus areas"),
        "impact": ("impact", "expected impact", "benefits"),
        "sro": ("senior responsible owner", "senior responsible officer", "lead", "owner"),
        "stated_total_000s": ("estimated savings", "savings", "saving", "total", "programme total",
                              "estimated financial impact", "value", "plan"),
    },
    "targets": {
        "organisation": ("organisation", "organization", "org", "ccg", "trust", "body"),
        "year": ("financial year", "fy"),
        "requirement_000s": ("requirement", "savings requirement", "target", "savings target", "qipp target"),
        "stated_identified_000s": ("identified", "total identified"),
        "stated_gap_000s": ("gap", "variance", "shortfall"),
    },
    "schemes": {
        "ref": ("scheme ref", "reference", "ref no", "scheme id", "scheme reference", "scheme number", "id"),
        "programme": ("programme", "programme name", "program", "programme board", "ccg programme board",
                      "programme area", "workstream"),
        "title": ("scheme", "scheme name", "scheme title", "description", "scheme description", "name",
                  "project", "initiative"),
        "components": ("scheme components", "elements"),
        "impact": ("quality and productivity impact", "quality impact", "expected impact", "benefits",
                   "impact"),
        "lead": ("scheme lead", "owner", "lead officer", "responsible officer"),
        "sro": ("senior responsible owner", "senior responsible officer", "executive lead"),
        "stage": ("phase", "gateway", "scheme stage"),
        "year": ("financial year", "fy"),
        "plan_000s": ("plan", "saving", "savings", "estimated savings", "estimated financial impact",
                      "financial impact", "value", "planned saving", "planned savings", "full year saving",
                      "full year effect", "fye", "target saving", "qipp", "amount"),
        "recurrent_000s": ("recurrent", "recurrent saving"),
        "non_recurrent_000s": ("non recurrent", "nonrecurrent", "non recurrent saving"),
        "start_month": ("start", "start month", "start date"),
        "confidence": ("confidence level", "deliverability"),
        "commentary": _COMMENT,
    },
    "savings": {
        "scheme_ref": ("scheme", "scheme ref", "ref", "reference"),
        "month": ("period", "month ending"),
        "plan_000s": ("plan", "monthly plan", "planned"),
        "actual_000s": ("actual", "actuals", "monthly actual"),
        "forecast_000s": ("forecast", "fot", "forecast outturn", "forecast out turn"),
        "commentary": _COMMENT,
    },
    "standards": {
        "code": ("standard code", "indicator code", "id"),
        "name": ("standard", "indicator", "measure", "description"),
        "must_do": ("must do", "must do number"),
        "threshold": ("target", "standard threshold", "national standard"),
        "comparator": ("operator",),
    },
    "performance": {
        "standard_code": ("standard", "code", "indicator", "indicator code"),
        "period": ("month",),
        "actual": ("performance", "value", "achieved"),
        "trajectory": ("plan", "target trajectory", "planned"),
        "commentary": _COMMENT,
    },
    "milestones": {
        "ref": ("milestone ref", "reference", "id", "no"),
        "title": ("milestone", "description", "milestone description", "name"),
        "owner": _OWNER,
        "baseline": ("baseline date", "original date", "planned date", "target date", "date", "due"),
        "forecast": ("forecast date", "new date", "revised date", "expected date", "revised"),
        "actual": ("actual date", "completed", "date completed", "done"),
        "depends_on": ("depends on", "dependencies", "predecessors"),
        "status_note": ("status", "status note", "rag status"),
    },
    "actions": {
        "ref": ("action ref", "reference", "action no", "no", "number", "id"),
        "text": ("action", "description", "action description", "actions"),
        "owner": _OWNER,
        "due": ("due date", "target date", "deadline", "by when", "date due", "new date"),
        "meeting_date": ("meeting", "meeting date", "date raised"),
        "item_number": ("item", "agenda item", "item no"),
        "update": ("latest update", "progress", "comments", "commentary"),
    },
    "agenda": {
        "number": ("item", "item no", "no"),
        "title": ("item title", "subject"),
        "minutes": ("time", "duration", "minutes allotted"),
    },
}

# Columns boardtui computes itself: recognised in its own exports and ignored on import, and said so.
IGNORED: dict[str, tuple[str, ...]] = {
    "schemes": ("status", "value status", "forecast", "rag", "rag reason", "ytd plan", "ytd actual",
                "risk adjusted", "risk adjusted value", "part"),
    "programmes": ("identified", "tbc", "na", "ytd plan", "ytd actual", "forecast", "risk adjusted", "rag",
                   "rag reason"),
    "milestones": ("slip", "slip days", "rag", "rag reason"),
    "standards": ("period", "actual", "trajectory", "rag", "rag reason"),
    "actions": ("overdue", "body", "part"),
}

# Columns that group the rows under them; a blank one is filled from the row above (merged cells).
GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "schemes": ("programme", "year"),
    "savings": ("scheme_ref",),
    "performance": ("standard_code",),
    "milestones": ("programme", "plan"),
    "actions": ("body", "meeting_date"),
    "agenda": ("body", "meeting_date"),
    "members": ("body",),
    "meetings": ("body",),
    "attendance": ("body", "meeting_date"),
    "declarations": ("body", "meeting_date"),
    "decisions": ("body", "meeting_date"),
    "notes": ("body", "meeting_date"),
}

# Canonical columns a messy sheet may leave out because the importer can work them out.
DERIVABLE: dict[str, tuple[str, ...]] = {"schemes": ("ref", "year")}


def column_type(kind: Kind, column: str) -> str:
    """What a column holds, from its canonical parser: money, date, month, fy, number, integer, yes_no or text."""
    parser = kind.columns[column][1]
    return {
        f.money: "money", f.money_or_none: "money", f.date: "date", f.month: "month", f.fy: "fy",
        f.number: "number", f.integer: "integer", f.yes_no: "yes_no",
    }.get(parser, "text")


def _lookup(kind_name: str) -> tuple[dict[str, str], set[str]]:
    kind = KINDS[kind_name]
    table: dict[str, str] = {}
    for column in kind.columns:
        table[normalise(column)] = column
    for column, names in ALIASES.get(kind_name, {}).items():
        for name in names:
            table.setdefault(normalise(name), column)
    ignored = {normalise(n) for n in IGNORED.get(kind_name, ())} - set(table)
    return table, ignored


@dataclass
class Mapped:
    """One recognised column: where it is, what the file called it, its canonical name and money unit."""

    index: int
    header: str
    column: str
    type: str
    unit: str | None = None
    percent: bool = False


@dataclass
class HeaderMap:
    kind: str
    columns: list[Mapped]
    ignored: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {m.column for m in self.columns}

    def by_column(self, column: str) -> Mapped | None:
        return next((m for m in self.columns if m.column == column), None)


def match_headers(kind_name: str, header: list[str]) -> HeaderMap:
    """Map each header cell onto a canonical column (or mark it ignored or unknown); never raises."""
    kind = KINDS[kind_name]
    table, ignored = _lookup(kind_name)
    result = HeaderMap(kind_name, [])
    seen: dict[str, str] = {}
    for i, raw in enumerate(header):
        text = " ".join(str(raw or "").split())
        if not text:
            continue
        key = normalise(text)
        column = table.get(key)
        if column is None:
            (result.ignored if key in ignored else result.unknown).append(text)
            continue
        if column in seen:
            result.duplicated.append(f"{seen[column]} / {text}")
            continue
        seen[column] = text
        ctype = column_type(kind, column)
        unit = None
        if ctype == "money":
            unit = find_unit(text)  # "plan_000s" itself says 000s
        result.columns.append(Mapped(i, text, column, ctype, unit, percent="%" in text))
    optional = set(DERIVABLE.get(kind_name, ()))
    result.missing = [c for c, (req, _p) in kind.columns.items() if req and c not in seen and c not in optional]
    return result


def expected(kind_name: str) -> str:
    """The columns of a kind, required ones first, for error messages."""
    kind = KINDS[kind_name]
    optional = set(DERIVABLE.get(kind_name, ()))
    req = [c for c, (r, _p) in kind.columns.items() if r and c not in optional]
    opt = [c for c, (r, _p) in kind.columns.items() if not r or c in optional]
    return f"required: {', '.join(req)}; optional: {', '.join(opt)}"


def check_headers(m: HeaderMap, file: str, units: str | None = None) -> HeaderMap:
    """Refuse a header with missing, unknown or duplicated columns, or money whose unit is unknown.

    `units` ("000s", "pounds", "m" or a label such as "£k") is used for money columns whose header does not
    say; a header that does say wins.
    """
    bits = []
    if m.missing:
        bits.append(f"missing required column(s) {', '.join(m.missing)}")
    if m.unknown:
        bits.append(f"unknown column(s) {', '.join(repr(u) for u in m.unknown)}")
    if m.duplicated:
        bits.append(f"more than one column for the same thing ({'; '.join(m.duplicated)})")
    if bits:
        raise ValidationError(f"{file}: {'; '.join(bits)}. The {m.kind} columns are {expected(m.kind)}.", row=None)
    fallback = None
    if units:
        try:
            fallback = normalise_unit(units)
        except ValueError:
            raise ValidationError(f"--units must be 000s, pounds or m (£000s, £ or £m), not '{units}'.") from None
    unknown_units = []
    for col in m.columns:
        if col.type == "money" and col.unit is None:
            if fallback:
                col.unit = fallback
            else:
                unknown_units.append(col.header)
    if unknown_units:
        raise UnitsNeeded(
            f"{file}: the money column(s) {', '.join(repr(u) for u in unknown_units)} do not say their unit, "
            "and guessing could be out by 1,000 times: rerun with --units 000s (£ thousands), --units pounds "
            "or --units m (£ millions), or put the unit in the header, e.g. 'Saving (£000s)'."
        )
    return m


class UnitsNeeded(ValidationError):
    """A money column's unit is not in its header and `--units` was not given."""
