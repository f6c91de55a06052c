"""`boardtui export KIND --audience public|confidential --format F -o FILE`: the registry of every exporter.

Every way boardtui writes board business to a file is an entry in EXPORTERS, keyed (kind, format). The
canary test (tests/reliability/test_export_canary.py) runs every entry for the public audience over a board
whose Part 2 business carries a unique marker and checks the marker never comes out; a unit test fails when a
function that takes an `audience` exists in boardtui.exchange without being registered here (or listed in
NOT_EXPORTERS with the reason it is not one).

An export always names its audience (there is no default), is written atomically, and a confidential one is
readable by its owner only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from boardtui.domain.errors import ValidationError
from boardtui.domain.money import ValueStatus, pence_to_pounds
from boardtui.exchange import render, reports, sections
from boardtui.exchange.files import check_audience, safe_filename, write_atomic
from boardtui.exchange.sections import Day, Document, Money, Options
from boardtui.store.connection import Board
from boardtui.store.tx import snapshot

KINDS = ("savings", "standards", "milestones", "actions", "changes", "pack")
FORMATS = ("csv", "xlsx", "md", "docx", "json")

BUILDERS: dict[str, Callable[[Board, str, Options], Document]] = {
    "savings": sections.savings_document,
    "standards": sections.standards_document,
    "milestones": sections.milestones_document,
    "actions": sections.actions_document,
    "changes": sections.changes_document,
    "pack": sections.pack_document,
}
RENDERERS: dict[str, Callable[[Document], bytes]] = {
    "csv": render.render_csv,
    "xlsx": render.render_xlsx,
    "md": render.render_md,
    "docx": render.render_docx,
}


# ---- JSON: the report shapes for single kinds (README), the document for the pack ------------------------------

def _dumps(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _json_value(value):
    if isinstance(value, Money):
        if value.pence is None:
            return value.status.value if value.status is not ValueStatus.QUANTIFIED else None
        return pence_to_pounds(value.pence)
    if isinstance(value, Day):
        return value.text
    if isinstance(value, Decimal):
        return float(value)
    return value


def document_json(doc: Document) -> dict:
    """A document as JSON: sections of paragraphs and tables (money in pounds, dates ISO)."""
    return {
        "title": doc.title,
        "audience": doc.audience,
        "sections": [
            {
                "title": s.title,
                "paragraphs": s.paragraphs,
                "tables": [
                    {
                        "name": t.name,
                        "columns": [c.name for c in t.columns],
                        "rows": [[_json_value(v) for v in r] for r in t.rows],
                        "footer": [[_json_value(v) for v in r] for r in t.footer],
                    }
                    for t in s.tables
                ],
            }
            for s in doc.sections
        ],
    }


def json_savings(board: Board, audience: str, opts: Options) -> bytes:
    check_audience(audience)
    return _dumps(reports.savings_data(board, opts.year, opts.as_at))


def json_standards(board: Board, audience: str, opts: Options) -> bytes:
    check_audience(audience)
    return _dumps(reports.standards_data(board, opts.as_at))


def json_milestones(board: Board, audience: str, opts: Options) -> bytes:
    check_audience(audience)
    return _dumps(reports.milestones_data(board, opts.as_at))


def json_actions(board: Board, audience: str, opts: Options) -> bytes:
    """The report's action list; the confidential audience adds Part 2 actions and a `part` key."""
    if check_audience(audience) == "public":
        return _dumps(list(reports.actions_rows(board, opts.as_at)))
    part_of = {r[0]: r[1] for r in board.query(
        "SELECT a.ref, coalesce(i.part, 1) FROM actions a LEFT JOIN agenda_items i ON i.id = a.item_id")}
    rows = [dict(r, part=part_of.get(r["ref"], 1)) for r in reports.actions_rows(board, opts.as_at, public_only=False)]
    return _dumps(rows)


def json_changes(board: Board, audience: str, opts: Options) -> bytes:
    doc = sections.changes_document(board, audience, opts)
    keys = ["at", "who", "entity", "ref", "field", "old", "new", "reason"]
    return _dumps([dict(zip(keys, r)) for r in doc.tables()[0].rows])


def json_pack(board: Board, audience: str, opts: Options) -> bytes:
    return _dumps(document_json(sections.pack_document(board, audience, opts)))


JSON_BUILDERS: dict[str, Callable[[Board, str, Options], bytes]] = {
    "savings": json_savings,
    "standards": json_standards,
    "milestones": json_milestones,
    "actions": json_actions,
    "changes": json_changes,
    "pack": json_pack,
}


# ---- the registry ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Exporter:
    """One registered exporter: `run(board, audience, options) -> bytes`.

    `part2` says whether the kind carries Part 2 business for the confidential audience (actions raised on
    Part 2 items, confidential changes, the Part 2 agenda); the canary test checks it comes out there.
    """

    kind: str
    fmt: str
    run: Callable[[Board, str, Options], bytes]
    part2: bool = False


def _documented(kind: str, fmt: str) -> Callable[[Board, str, Options], bytes]:
    build, draw = BUILDERS[kind], RENDERERS[fmt]

    def run(board: Board, audience: str, opts: Options) -> bytes:
        return draw(build(board, check_audience(audience), opts))

    run.__name__ = f"export_{kind}_{fmt}"
    return run


def _minutes(fmt: str) -> Callable[[Board, str, Options], bytes]:
    def run(board: Board, audience: str, opts: Options) -> bytes:
        from boardtui.exchange import minutes

        meeting = sections.pack_meeting(board, opts)
        if meeting is None:
            raise ValidationError("This board has no meetings, so there are no minutes to export.")
        return minutes.render(board, meeting["id"], check_audience(audience), fmt)

    run.__name__ = f"export_minutes_{fmt}"
    run.registers = "boardtui.exchange.minutes.render"  # the function this entry runs
    return run


PART2_KINDS = {"actions", "changes", "pack", "minutes"}


def _registry() -> dict[tuple[str, str], Exporter]:
    out: dict[tuple[str, str], Exporter] = {}
    for kind in KINDS:
        for fmt in FORMATS:
            run = JSON_BUILDERS[kind] if fmt == "json" else _documented(kind, fmt)
            out[(kind, fmt)] = Exporter(kind, fmt, run, kind in PART2_KINDS)
    for fmt in ("md", "docx"):
        out[("minutes", fmt)] = Exporter("minutes", fmt, _minutes(fmt), True)
    return out


EXPORTERS: dict[tuple[str, str], Exporter] = _registry()

# Functions in boardtui.exchange that take an `audience` but are not exporters themselves, and why.
NOT_EXPORTERS = {
    "boardtui.exchange.files.check_audience": "validates the audience",
    "boardtui.exchange.export.export": "dispatches to a registered exporter",
    "boardtui.exchange.export.write_export": "writes what a registered exporter returns",
    "boardtui.exchange.export.default_filename": "names a file",
    "boardtui.exchange.sections.actions_table": "a table inside the registered actions and pack builders",
    "boardtui.exchange.sections.changes_table": "a table inside the registered changes and pack builders",
    "boardtui.exchange.minutes.build": "gathers what the registered minutes exporters render",
    "boardtui.exchange.minutes.write": "writes what the registered minutes exporter (minutes.render) returns",
    "boardtui.exchange.minutes.default_filename": "names a file",
}


def export(board: Board, kind: str, fmt: str, *, audience: str, options: Options | None = None) -> bytes:
    """The bytes of export KIND in FORMAT for AUDIENCE (which must be given: there is no default)."""
    check_audience(audience)
    exporter = EXPORTERS.get((kind, fmt))
    if exporter is None:
        kinds = sorted({k for k, _f in EXPORTERS})
        if kind not in kinds:
            raise ValidationError(f"There is no export '{kind}': use one of {', '.join(kinds)}.")
        fmts = sorted(f for k, f in EXPORTERS if k == kind)
        raise ValidationError(f"{kind} can be exported as {', '.join(fmts)}, not {fmt}.")
    # Every section of an export reads the same state of the board, even while colleagues save.
    with snapshot(board):
        return exporter.run(board, audience, options or Options())


def format_of(path: Path, fmt: str | None) -> str:
    """The format asked for, else the output file's suffix, else an error saying how to choose."""
    if fmt:
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise ValidationError(f"Say which format with --format ({', '.join(FORMATS)}), or end the file name with one.")


def default_filename(kind: str, fmt: str, *, audience: str) -> str:
    return safe_filename(f"{kind}-{check_audience(audience)}.{fmt}", fallback=kind)


def write_export(board: Board, kind: str, fmt: str, path: str | Path, *, audience: str,
                 options: Options | None = None) -> Path:
    """Export to `path` (a folder gets a default file name): atomically, 0600 for the confidential audience."""
    check_audience(audience)
    target = Path(path).expanduser()
    if target.is_dir():
        target = target / default_filename(kind, fmt, audience=audience)
    data = export(board, kind, fmt, audience=audience, options=options)
    return write_atomic(target, data, confidential=audience == "confidential")
