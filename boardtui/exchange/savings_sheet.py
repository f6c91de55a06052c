"""What a savings sheet leaves implicit, worked out for the importer (exchange/importer.py).

- The financial year: `--year`, else the one a target row ("Savings target for 2017/18") or a title row names.
- Refs: a sheet without them is matched on programme + title + year, so re-importing updates the same schemes;
  new ones get readable refs (`ADU-01`). A multi-line title cell becomes the title and its bullet components.
- Columns the sheet does not have keep the values boardtui has (the sheet is not the whole record).
- Summary rows: a Total is checked against the rows it covers; a target row becomes the year's requirement
  (through the canonical targets writer), with the Total and Variance kept as the stated figures.

`report` arguments are the importer's ImportReport (its `summaries`, `warnings`, `requirements`, `dry_run`).
"""

from __future__ import annotations

import re

from boardtui.domain.errors import ParseError, ValidationError
from boardtui.domain.money import ValueStatus
from boardtui.domain.periods import fy_label, parse_fy
from boardtui.exchange import messy
from boardtui.exchange.canonical import Problem, Row
from boardtui.exchange.csv_read import FileProblem
from boardtui.store import lookups
from boardtui.store.connection import Board


# ---- schemes: year, title, refs, fields the file leaves out ------------------------------------------------

def _column(header: list[str], rows: list[tuple[int, list[str]]], name: str) -> int:
    """Index of column `name`, adding it (blank in every row) if the file has no such column."""
    if name not in header:
        header.append(name)
        for _line, texts in rows:
            texts.append("")
    return header.index(name)


def derived_year(prepared: messy.Prepared, context: list[str], year: str | None) -> int | None:
    """The financial year of a sheet: --year, else the one its target rows, else its title rows, name."""
    if year:
        return parse_year_option(year)
    found = set()
    for s in prepared.summaries:
        if s.kind == "requirement":
            found.update(messy.years_in(s.label))
    if not found:
        for text in context:
            found.update(messy.years_in(text))
    return found.pop() if len(found) == 1 else None


def parse_year_option(text: str) -> int:
    try:
        return parse_fy(text)
    except ParseError:
        raise ValidationError(f"--year must be a financial year such as 2017/18, not '{text}'.") from None


def _prefix(programme: str) -> str:
    words = re.findall(r"[A-Za-z]+", programme.replace("'", "").replace("’", ""))
    if not words:
        return "S"
    if len(words) == 1:
        return words[0][:3].upper()
    return "".join(w[0] for w in words[:4]).upper()


_SCHEME_KEEP = ("components", "impact", "lead", "sro", "stage", "recurrent_000s", "non_recurrent_000s",
                "start_month", "confidence", "commentary", "source", "illustrative")


def _scheme_cell(row, column: str) -> str:
    """An existing scheme's stored value as canonical text, so a file without that column keeps it."""
    if column.endswith("_000s"):
        pence = row[column.replace("_000s", "_pence")]
        return "" if pence is None else messy.pence_text(pence)
    if column == "illustrative":
        return "yes" if row["illustrative"] else "no"
    value = row[column]
    return "" if value is None else str(value)


def shape_schemes(board: Board, file: str, context: list[str], mapped: set[str], prep: messy.Prepared,
                  year: str | None) -> None:
    """Work out what a schemes sheet leaves implicit: the year, components in the title cell, and refs."""
    header, rows = prep.header, prep.rows
    fy = derived_year(prep, context, year)
    y = _column(header, rows, "year")
    for line, texts in rows:
        if not texts[y].strip():
            if fy is None:
                raise FileProblem(
                    f"{file} does not say which financial year its schemes are for (no year column, and no "
                    "title or target row naming one): rerun with --year, e.g. --year 2017/18.")
            texts[y] = fy_label(fy)
    t = header.index("title")
    c = _column(header, rows, "components")
    for _line, texts in rows:
        if "\n" in texts[t].strip():
            title, components = messy.split_title(texts[t])
            texts[t] = title
            if components and not texts[c].strip():
                texts[c] = ";".join(x.replace(";", ",") for x in components)
    r = _column(header, rows, "ref")
    p = header.index("programme")
    existing = board.query("SELECT * FROM schemes")
    by_ref = {row["ref"]: row for row in existing}
    by_key = {(row["programme_id"], " ".join(row["title"].lower().split()), row["fy"]): row for row in existing}
    used = set(by_ref)
    programmes: dict[str, str | None] = {}
    counters: dict[str, int] = {}
    for line, texts in rows:
        if texts[r].strip():
            continue
        name = " ".join(texts[p].split())
        if name not in programmes:
            programmes[name] = lookups.programme_id(board, name) if name else None
        try:
            year_start = parse_fy(texts[y].strip())
        except ParseError:
            continue  # validate() reports the year
        found = by_key.get((programmes[name], " ".join(texts[t].lower().split()), year_start))
        if found is not None and programmes[name] is not None:
            texts[r] = found["ref"]
            continue
        prefix = _prefix(name)
        n = counters.get(prefix, 0)
        while True:
            n += 1
            ref = f"{prefix}-{n:02d}"
            if ref not in used:
                break
        counters[prefix] = n
        used.add(ref)
        texts[r] = ref
    # A column the file leaves out keeps the value boardtui has (the file is not the whole record).
    missing = [col for col in _SCHEME_KEEP if col not in mapped]
    for col in missing:
        i = _column(header, rows, col)
        for _line, texts in rows:
            row = by_ref.get(texts[r].strip())
            if row is not None and not texts[i].strip():
                texts[i] = _scheme_cell(row, col)


# ---- summary rows: requirement, totals, variance --------------------------------------------------------------

def _money_of(row: Row, column: str) -> int | None:
    value = row[column]
    if isinstance(value, tuple):
        pence, status = value
        return pence if status is ValueStatus.QUANTIFIED else None
    return value


def count_not_provided(rows: list[Row], money_cols: list[str]) -> int:
    n = 0
    for row in rows:
        for col in money_cols:
            value = row[col]
            if isinstance(value, tuple) and value[1] is not ValueStatus.QUANTIFIED:
                n += 1
    return n


def check_summaries(prep: messy.Prepared, parsed: list[Row], money_cols: list[str], report) -> None:
    """Compare each Total / Sub-total row with what the rows it covers add up to; report matches and mismatches."""
    for s in prep.summaries:
        if s.kind not in ("total", "subtotal"):
            continue
        for col, stated in s.money.items():
            covered = parsed[s.first:s.last]
            values = [_money_of(r, col) for r in covered]
            total = sum(v for v in values if v is not None)
            skipped = sum(1 for v in values if v is None)
            extra = f", leaving out {skipped} not provided" if skipped else ""
            if total == stated:
                report.summaries.append(f"Row {s.line} ('{s.label}'): {messy.show_000s(stated)} matches the "
                                        f"{len(covered)} row(s) it covers{extra} (£000s).")
            else:
                report.warnings.append(
                    f"row {s.line} ('{s.label}') says {messy.show_000s(stated)} but the {len(covered)} row(s) it "
                    f"covers add up to {messy.show_000s(total)}{extra} (£000s): a difference of "
                    f"{messy.show_000s(stated - total)}.")


def requirement_rows(board: Board, kind: str, prep: messy.Prepared, parsed: list[Row], fy: int | None,
                     organisation: str | None, problems: list[Problem], report) -> list[Row]:
    """Targets rows (for the canonical targets writer) from the requirement, total and variance rows."""
    if kind not in messy.REQUIREMENT_KINDS:
        return []
    reqs = [s for s in prep.summaries if s.kind == "requirement"]
    out: list[Row] = []
    for s in reqs:
        years = messy.years_in(s.label)
        year = years[0] if years else fy
        if year is None:
            problems.append(Problem(s.line, "-", s.label, "the requirement row does not say its financial year: "
                                    "name it in the label (Savings requirement 2017/18) or rerun with --year"))
            continue
        if not s.money:
            problems.append(Problem(s.line, "-", s.label, "the requirement row has no amount"))
            continue
        org = messy.organisation_in(s.label) or organisation or _organisation_for(board, year)
        if org is None:
            problems.append(Problem(s.line, "-", s.label, "say whose requirement this is: rerun with --organisation "
                                    "NAME, or write it after a dash: 'Savings requirement 2017/18 — NHS Example CCG'"))
            continue
        requirement = next(iter(s.money.values()))
        values = _existing_target(board, org, year)
        values["requirement_000s"] = requirement
        after = [x for x in prep.summaries if x.line > s.line or x.kind == "total"]
        total = next((x for x in prep.summaries if x.kind == "total" and x.money), None)
        variance = next((x for x in after if x.kind == "variance" and x.money), None)
        if total is not None:
            values["stated_identified_000s"] = next(iter(total.money.values()))
        if variance is not None:
            stated_gap = next(iter(variance.money.values()))
            values["stated_gap_000s"] = stated_gap
            identified = values.get("stated_identified_000s")
            if identified is None:
                money_col = next((c for c in prep.header if c.endswith("_000s")), None)
                identified = sum(_money_of(r, money_col) or 0 for r in parsed) if money_col else None
            if identified is not None and abs(stated_gap) != abs(requirement - identified):
                report.warnings.append(
                    f"row {variance.line} ('{variance.label}') says {messy.show_000s(stated_gap)} but the requirement "
                    f"less the total is {messy.show_000s(requirement - identified)} (£000s).")
        out.append(Row(s.line, values))
        report.requirements.append(f"The {fy_label(year)} savings requirement of {org} "
                                   f"{'would be' if report.dry_run else 'is'} set to "
                                   f"{messy.show_000s(requirement)} (£000s), from row {s.line}.")
    return out


def _organisation_for(board: Board, fy: int) -> str | None:
    rows = board.query("SELECT DISTINCT o.name FROM targets t JOIN organisations o ON o.id = t.org_id "
                       "WHERE t.fy = :fy", {"fy": fy})
    if len(rows) == 1:
        return rows[0][0]
    if not rows:
        orgs = board.query("SELECT name FROM organisations")
        if len(orgs) == 1:
            return orgs[0][0]
    return None


def _existing_target(board: Board, org: str, fy: int) -> dict:
    row = board.one("SELECT t.* FROM targets t JOIN organisations o ON o.id = t.org_id "
                    "WHERE o.name = :o AND t.fy = :fy", {"o": org, "fy": fy})
    values = {"organisation": org, "year": fy}
    for col in ("requirement", "stated_identified", "stated_gap", "funding_available", "funding_need"):
        values[f"{col}_000s"] = row[f"{col}_pence"] if row is not None else None
    for col in ("note", "source"):
        values[col] = row[col] if row is not None else None
    values["illustrative"] = bool(row["illustrative"]) if row is not None else False
    return values
