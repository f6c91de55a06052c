"""`boardtui import KIND FILE` for .xlsx and .csv files as people make them, built on the canonical importer.

The steps, each of which collects every problem before anything is written:

1. read the file (spreadsheet.py for .xlsx, csv_read.decode for CSV) and find the header row (the first of the
   first 30 rows that has the kind's required columns; title rows above it are kept as context);
2. match the headers through the alias table and read the money units (headers.py);
3. turn each row into canonical text: units to £000s, merged group cells filled, summary rows taken out,
   continuation rows joined (messy.py), and for schemes the year and refs worked out;
4. canonical.validate() parses every cell; then one transaction writes every row through the kind's canonical
   writer (or none), records the import in the audit trail, and reports totals that do not add up.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from boardtui.domain.errors import ValidationError
from boardtui.exchange import headers as hdr
from boardtui.exchange import messy
from boardtui.exchange import savings_sheet as sheet_rules
from boardtui.exchange.canonical import KINDS, Context, ImportRefused, Problem, Row, validate
from boardtui.exchange.csv_read import MAX_CELL, FileProblem, decode
from boardtui.exchange.spreadsheet import MAX_COLUMNS, open_workbook
from boardtui.store import lookups
from boardtui.store.connection import Board
from boardtui.store.tx import writing

HEADER_SEARCH = 30
CHUNK = 5_000
# Kinds whose canonical writer treats each row on its own, so rows can be written a chunk at a time (with
# progress) inside the one transaction. Agenda numbering, milestone dependencies and savings roll-ups look at
# the whole file, so those are written in one call.
CHUNKABLE = {"programmes", "targets", "schemes", "standards", "performance", "bodies", "members", "meetings",
             "attendance", "declarations", "decisions", "actions", "notes"}
# Kinds whose writer only adds rows to its own table: those rows can be held and written with executemany.
BULK_INSERTS = {"actions"}
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls")

Progress = Callable[[str, int, int], None]


@dataclass
class SourceTable:
    """A file's header row, the rows under it, and the text above it (titles that may name the year)."""

    file: str
    header_line: int
    header: list[str]
    rows: list[tuple[int, list]]
    context: list[str]
    source: str  # "utf-8", "cp1252", … or "sheet 'Name'"
    epoch: object = None
    mapped: set[str] = field(default_factory=set)  # canonical columns the file itself has


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    file: str
    rows: int
    source: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    header_line: int = 1
    ignored_columns: list[str] = field(default_factory=list)
    programmes_created: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_provided: int = 0
    joined: int = 0
    filled: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The report as plain sentences, first the headline."""
        verb = "would import" if self.dry_run else "imported"
        where = f" from {self.source}" if self.source.startswith("sheet") else f" ({self.source})"
        head = f"{self.file}: {verb} {self.rows:,} {self.kind} row(s){where}"
        unchanged = self.rows - self.created - self.updated
        head += f": {self.created:,} new, {self.updated:,} changed, {unchanged:,} unchanged"
        out = [head + "."]
        if self.header_line != 1:
            out.append(f"The header is on row {self.header_line}.")
        if self.not_provided:
            out.append(f"{self.not_provided:,} amount(s) not provided (TBC/NA/blank), kept as such, not as zero.")
        if self.programmes_created:
            out.append(f"New programme(s): {', '.join(self.programmes_created)}.")
        out += self.requirements
        out += self.summaries
        if self.ignored_columns:
            out.append(f"Ignored column(s), which boardtui works out itself: {', '.join(self.ignored_columns)}.")
        if self.filled:
            out.append(f"{self.filled:,} blank grouping cell(s) filled from the row above (merged cells).")
        if self.joined:
            out.append(f"{self.joined:,} continuation row(s) joined to the row above.")
        out += [f"Warning: {w}" for w in self.warnings]
        return out


# ---- reading ------------------------------------------------------------------------------------------------

def is_spreadsheet(path: Path) -> bool:
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
    except OSError:
        return False


def _find_header(kind: str, rows: list[tuple[int, list[str]]], file: str) -> int:
    """Index in `rows` of the header row: the first with every required column (and at least two known)."""
    best, best_count = None, -1
    for i, (_line, cells) in enumerate(rows[:HEADER_SEARCH]):
        m = hdr.match_headers(kind, cells)
        if not m.missing and len(m.columns) >= min(2, len(KINDS[kind].columns)):
            return i
        if len(m.columns) > best_count:
            best, best_count = i, len(m.columns)
    if best is None or best_count <= 0:
        raise FileProblem(f"{file}: no row in the first {HEADER_SEARCH} looks like a {kind} header. "
                          f"The {kind} columns are {hdr.expected(kind)}.")
    line, cells = rows[best]
    m = hdr.match_headers(kind, cells)
    raise FileProblem(f"{file}: missing required column(s) {', '.join(m.missing)} (the header is row {line}). "
                      f"The {kind} columns are {hdr.expected(kind)}.", row=line)


def read_csv_table(path: Path, kind: str, problems: list[Problem]) -> SourceTable:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileProblem(f"{path} not found.") from None
    except OSError as exc:
        raise FileProblem(f"{path} could not be read: {exc.strerror or exc}.") from None
    text, encoding = decode(data, path.name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 0
    try:
        for record in reader:
            line += 1
            if "".join(record).strip():
                records.append((line, record))
    except csv.Error as exc:
        raise FileProblem(f"{path.name} row {line + 1} is not valid CSV ({exc}).", row=line + 1) from None
    if not records:
        raise FileProblem(f"{path.name} is empty: it needs a header row.")
    at = _find_header(kind, records, path.name)
    header_line, header = records[at]
    header = [h.strip() for h in header]
    width = len(header)
    rows = []
    for line, record in records[at + 1:]:
        if len(record) > width:
            if any(c.strip() for c in record[width:]):
                problems.append(Problem(line, "-", ",".join(record[width:width + 3])[:40],
                                        f"the row has {len(record)} cells but the header has {width}: check for an "
                                        "unquoted comma (such as £1,651) or a missing cell"))
                continue
            record = record[:width]
        rows.append((line, record))
    context = [" ".join(c for c in cells if c.strip()) for _l, cells in records[:at]]
    return SourceTable(path.name, header_line, header, rows, context, encoding)


def read_xlsx_table(path: Path, kind: str, sheet: str | None) -> SourceTable:
    wb = open_workbook(path)
    names = [wb.find_sheet(sheet)] if sheet else wb.visible_first()
    tried = []
    for name in names:
        head = [(line, [c.label() for c in cells]) for line, cells in wb.rows(name, max_rows=HEADER_SEARCH)]
        if not head:
            tried.append(f"'{name}' is empty")
            continue
        try:
            at = _find_header(kind, head, f"{path.name} sheet '{name}'")
        except FileProblem as exc:
            if sheet:
                raise
            tried.append(str(exc))
            continue
        header_line, header = head[at]
        if len(header) > MAX_COLUMNS and any(h.strip() for h in header[MAX_COLUMNS:]):
            raise FileProblem(f"{path.name} sheet '{name}' has more than {MAX_COLUMNS} columns.")
        while header and not header[-1].strip():
            header.pop()
        rows = [(line, cells) for line, cells in wb.rows(name, width=len(header)) if line > header_line]
        context = [name] + [" ".join(c for c in cells if c.strip()) for _l, cells in head[:at]]
        return SourceTable(path.name, header_line, header, rows, context, f"sheet '{name}'", wb.epoch)
    raise FileProblem(f"{path.name}: no sheet has the {kind} columns ({hdr.expected(kind)}); "
                      f"use --sheet to choose one. Sheets: {', '.join(repr(n) for n in wb.sheet_names())}.")


def read_source(path: Path, kind: str, sheet: str | None, problems: list[Problem]) -> SourceTable:
    if is_spreadsheet(path):
        return read_xlsx_table(path, kind, sheet)
    if sheet:
        raise FileProblem(f"--sheet is for spreadsheets, and {path.name} is a CSV file.")
    return read_csv_table(path, kind, problems)


# ---- the import -----------------------------------------------------------------------------------------------

class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def import_path(
    board: Board,
    kind_name: str,
    path: str | Path,
    *,
    sheet: str | None = None,
    units: str | None = None,
    year: str | None = None,
    organisation: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a CSV or .xlsx file as KIND: validate every row, then write all of them in one transaction or none.

    `sheet` picks a worksheet (else the first with the kind's columns); `units` is the money unit for columns
    whose header does not say; `year` the financial year of a schemes sheet that does not say; `organisation`
    whose savings requirement a target row sets (else the one named in the row, or the board's only one).
    Raises ImportRefused (with `problems`, every one found) or another ValidationError for the file as a whole.
    """
    started = time.perf_counter()
    kind = KINDS.get(kind_name)
    if kind is None:
        raise ValidationError(f"There is no import kind '{kind_name}': use one of {', '.join(KINDS)}.")
    p = Path(path)
    if not p.exists():
        raise FileProblem(f"{p} not found.")
    tell = progress or (lambda phase, done, total: None)
    problems: list[Problem] = []
    src = read_source(p, kind.name, sheet, problems)
    file = src.file
    tell("reading", len(src.rows), len(src.rows))
    hm = hdr.check_headers(hdr.match_headers(kind.name, src.header), file, units)
    src.mapped = hm.names
    headers = {m.column: m.header for m in hm.columns}
    prep = messy.prepare(kind.name, hm, src.rows, epoch=src.epoch)
    problems.extend(prep.problems)
    for line, texts in prep.rows:
        for col, text in zip(prep.header, texts):
            if len(text) > MAX_CELL:
                problems.append(Problem(line, headers.get(col, col), text[:40] + "…",
                                        f"the cell is longer than {MAX_CELL:,} characters"))
    if kind.name == "schemes":
        sheet_rules.shape_schemes(board, file, src.context, src.mapped, prep, year)
    problems.extend(messy.duplicate_problems(kind.name, prep, headers))
    tell("checking", 0, len(prep.rows))
    parsed: list[Row] = []
    try:
        parsed = validate(kind, prep.header, prep.rows, file)
    except ImportRefused as exc:
        problems.extend(Problem(pr.line, headers.get(pr.column, pr.column), pr.value, pr.reason)
                        for pr in exc.problems)
    tell("checking", len(prep.rows), len(prep.rows))
    report = ImportReport(kind.name, file, len(prep.rows), src.source, dry_run=dry_run,
                          header_line=src.header_line, ignored_columns=hm.ignored, joined=prep.joined,
                          filled=prep.filled)
    fy = sheet_rules.derived_year(prep, src.context, year) if kind.name in messy.REQUIREMENT_KINDS else None
    targets = sheet_rules.requirement_rows(board, kind.name, prep, parsed, fy, organisation, problems, report)
    if problems:
        raise ImportRefused(file, sorted(problems, key=lambda pr: (pr.line, pr.column)))
    money_cols = [m.column for m in hm.columns if m.type == "money"]
    report.not_provided = sheet_rules.count_not_provided(parsed, money_cols)
    sheet_rules.check_summaries(prep, parsed, money_cols, report)
    reason = f"import {kind.name} from {file}" + (f" ({src.source})" if src.source.startswith("sheet") else "")
    try:
        with writing(board, reason=reason) as w:
            ctx = Context(board, w, file)
            if kind.name == "schemes":
                report.programmes_created = _create_programmes(ctx, parsed)
            total = len(parsed)
            with w.batched(inserts=kind.name in BULK_INSERTS):
                if kind.name in CHUNKABLE and total > CHUNK:
                    for start in range(0, total, CHUNK):
                        kind.write(ctx, parsed[start:start + CHUNK])
                        tell("writing", min(start + CHUNK, total), total)
                else:
                    kind.write(ctx, parsed)
                    tell("writing", total, total)
                if targets:
                    KINDS["targets"].write(ctx, targets)
            w.audit("import", kind.name, None, file, None, None, total)
            counts = board.query(
                "SELECT op, count(DISTINCT entity_id) FROM audit WHERE at = :at AND op IN ('create', 'update') "
                "AND entity = :e AND reason = :r GROUP BY op",
                {"at": w.at, "e": _entity(kind.name), "r": reason},
            )
            found = {r[0]: r[1] for r in counts}
            report.created, report.updated = found.get("create", 0), found.get("update", 0)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report.seconds = time.perf_counter() - started
    return report


_ENTITIES = {"programmes": "programme", "targets": "target", "schemes": "scheme", "savings": "scheme_period",
             "standards": "standard", "performance": "standard_period", "milestones": "milestone",
             "bodies": "body", "members": "member", "meetings": "meeting", "agenda": "agenda_item",
             "attendance": "attendance", "declarations": "declaration", "decisions": "decision",
             "actions": "action", "notes": "minute_note"}


def _entity(kind: str) -> str:
    return _ENTITIES.get(kind, kind)


def _create_programmes(ctx: Context, parsed: list[Row]) -> list[str]:
    """Programmes a schemes file names that the board does not have yet, made through the programmes writer."""
    new: dict[str, Row] = {}
    for row in parsed:
        name = row["programme"]
        key = " ".join(name.lower().split())
        if key in new:
            continue
        if ctx.cached(("programme", name), lambda: lookups.programme_id(ctx.board, name)) is None:
            new[key] = Row(row.line, {"name": name})
    if new:
        KINDS["programmes"].write(ctx, list(new.values()))
        ctx.cache.clear()
    return [r["name"] for r in new.values()]
