"""`boardtui import KIND FILE` (CSV or .xlsx, validated, all or nothing) and `boardtui export KIND`.

A long import shows a progress line on stderr with rows per second. A refused import prints one sentence (the
first problems, how many in all); `--dry-run` lists every problem with its row, column and value, and
`--problems FILE` writes them all to a CSV file.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from pathlib import Path

import click

LONG_IMPORT_ROWS = 10_000


class ProgressLine:
    """Reports import progress on stderr: rewritten in place on a terminal, a line per step otherwise."""

    def __init__(self, name: str, stream=None) -> None:
        self.name = name
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.perf_counter()
        self.phase_started: dict[str, float] = {}
        self.shown = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.perf_counter()
        since = self.phase_started.setdefault(phase, now)
        if total < LONG_IMPORT_ROWS and now - self.started < 2:
            return
        rate = done / (now - since) if now > since and done else 0
        text = f"{self.name}: {phase} {done:,} of {total:,} rows" + (f" ({rate:,.0f} rows/s)" if rate else "")
        if self.tty:
            self.stream.write("\r" + text.ljust(78))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown and self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _write_problems(path: Path, problems) -> None:
    from boardtui.exchange.files import write_atomic
    from boardtui.exchange.safety import inert_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["row", "column", "value", "problem"])
    for p in problems:
        w.writerow([p.line, inert_cell(p.column), inert_cell(p.value), inert_cell(p.reason)])
    write_atomic(path, buf.getvalue().encode("utf-8-sig"), confidential=True)


@click.command("import")
@click.argument("kind")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--db", "db", metavar="PATH", help="Board database (default: BOARDTUI_DB or the config).")
@click.option("--dry-run", is_flag=True, help="Check every row and list every problem; write nothing.")
@click.option("--sheet", metavar="NAME", help="Worksheet to read (default: the first with the KIND's columns).")
@click.option("--units", metavar="UNIT", help="Unit of money columns whose header does not say: 000s, pounds or m.")
@click.option("--year", metavar="FY", help="Financial year of a schemes sheet that does not say, e.g. 2017/18.")
@click.option("--organisation", metavar="NAME", help="Whose savings requirement a target row sets.")
@click.option("--problems", "problems_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every problem found to this CSV file.")
@click.pass_context
def import_(ctx: click.Context, kind: str, file: Path, db: str | None, dry_run: bool, sheet: str | None,
            units: str | None, year: str | None, organisation: str | None, problems_file: Path | None) -> None:
    """Import FILE (.csv or .xlsx) as KIND: programmes, targets, schemes, savings, standards, performance,
    milestones, bodies, members, meetings, agenda, attendance, declarations, decisions, actions or notes."""
    from boardtui.cli import open_from_cli
    from boardtui.domain.errors import NotFound
    from boardtui.exchange.canonical import ImportRefused
    from boardtui.exchange.importer import import_path

    if not file.exists():
        raise NotFound(f"{file} not found.")
    board = open_from_cli(ctx, db)
    progress = ProgressLine(file.name)
    try:
        report = import_path(board, kind.lower(), file, sheet=sheet, units=units, year=year,
                             organisation=organisation, dry_run=dry_run, progress=progress)
    except ImportRefused as exc:
        progress.close()
        if problems_file:
            _write_problems(problems_file, exc.problems)
        if dry_run:
            for p in exc.problems:
                value = f" (value '{p.value}')" if p.value and p.value not in p.reason else ""
                click.echo(f"{file.name} {p}{value}", err=True)
        raise
    finally:
        progress.close()
        board.close()
    for line in report.lines():
        click.echo(line)


EXPORT_KINDS = ["savings", "standards", "milestones", "actions", "changes", "pack", "minutes"]


@click.command("export")
@click.argument("kind", type=click.Choice(EXPORT_KINDS))
@click.option("--db", "db", metavar="PATH", help="Board database (default: BOARDTUI_DB or the config).")
@click.option("--audience", required=True, type=click.Choice(["public", "confidential"]),
              help="public leaves out all Part 2 business; confidential includes it (file readable by you only).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "md", "docx", "json"]),
              help="Output format (default: from the file name).")
@click.option("-o", "output", required=True, type=click.Path(path_type=Path), help="Output file (or folder).")
@click.option("--year", metavar="FY", help="Financial year for savings, e.g. 2017/18 (default: the latest).")
@click.option("--as-at", "as_at", metavar="DATE", help="Figures as the board stood at the end of DATE.")
@click.option("--since", metavar="DATE", help="Changes since DATE (default: the last meeting, or 28 days).")
@click.option("--meeting", metavar="ID|DATE", help="The meeting a pack or minutes are for (default: the next).")
@click.option("--body", metavar="NAME", help="The body that met, when more than one met on that date.")
@click.pass_context
def export(ctx: click.Context, kind: str, db: str | None, audience: str, fmt: str | None, output: Path,
           year: str | None, as_at: str | None, since: str | None, meeting: str | None, body: str | None) -> None:
    """Export KIND to a file for an explicit audience: savings, standards, milestones, actions, changes, the
    board pack for a meeting, or its minutes."""
    from boardtui.cli import open_from_cli
    from boardtui.exchange.export import format_of, write_export
    from boardtui.exchange.sections import Options, validate_day
    from boardtui.store import meetings as meetings_store

    chosen = format_of(output, fmt)
    board = open_from_cli(ctx, db, read_only=True)
    try:
        meeting_id = meetings_store.find(board, meeting, body)["id"] if meeting else None
        options = Options(year=year, as_at=validate_day(as_at, "--as-at"), since=validate_day(since, "--since"),
                          meeting=meeting_id)
        dest = write_export(board, kind, chosen, output, audience=audience, options=options)
    finally:
        board.close()
    mode = " (readable by you only)" if audience == "confidential" else ""
    click.echo(f"Wrote the {audience} {kind} export to {dest}{mode}.")
