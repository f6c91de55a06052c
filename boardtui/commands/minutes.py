"""`boardtui minutes MEETING --audience public|confidential [--format md|docx] -o FILE`.

MEETING is the meeting's id or its date (YYYY-MM-DD); `--body` picks the body when two met that day. The
audience has no default: public minutes leave out all Part 2 business, confidential ones include it, marked,
and are written readable by their owner only.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("minutes")
@click.argument("meeting")
@click.option("--db", "db", metavar="PATH", help="Board database (default: BOARDTUI_DB or the config).")
@click.option("--body", metavar="NAME", help="The body that met, when more than one met on that date.")
@click.option("--audience", required=True, type=click.Choice(["public", "confidential"]),
              help="public leaves out Part 2 business; confidential includes it, marked.")
@click.option("--format", "fmt", type=click.Choice(["md", "docx"]),
              help="Markdown or Word (default: from the file name, else md).")
@click.option("-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Output file.")
@click.pass_context
def minutes(ctx: click.Context, meeting: str, db: str | None, body: str | None, audience: str, fmt: str | None,
            output: Path) -> None:
    """Write the minutes of MEETING (its id, or its date YYYY-MM-DD) as Markdown or Word."""
    from boardtui.cli import open_from_cli
    from boardtui.exchange import minutes as minutes_export
    from boardtui.store import meetings as meetings_store

    board = open_from_cli(ctx, db, read_only=True)
    try:
        row = meetings_store.find(board, meeting, body)
        chosen = minutes_export.format_for(output, fmt)
        dest = minutes_export.write(board, row["id"], audience, chosen, output)
    finally:
        board.close()
    click.echo(f"Wrote the {audience} minutes of {meetings_store.label(row)} to {dest}.")
