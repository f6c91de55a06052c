"""`boardtui checkout SOURCE -o FILE`, `boardtui checkin FILE` and `boardtui copy SOURCE DEST`.

The chair takes a copy of the board offline and brings the changes back; conflicts are listed one line each and
the command exits with status 3 (they are resolved on the Conflicts screen, from the command palette).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("checkout")
@click.argument("source")
@click.option("-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The laptop copy to write (a base copy is written beside it).")
def checkout(source: str, output: Path) -> None:
    """Write an offline copy of the board SOURCE (a file, later a URL) for working away from the office."""
    from boardtui.store import offline

    co = offline.checkout(source, output)
    click.echo(f"Checked out {co.source} to {co.file} (keep {co.base.name} beside it until you check in).")
    click.echo(f"Work on it with `boardtui --db {co.file}`, then bring the changes back with "
               f"`boardtui checkin {co.file}`.")


@click.command("checkin")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", metavar="SOURCE", help="The board it must go back to (default: the one it came from).")
@click.pass_context
def checkin(ctx: click.Context, file: Path, source: str | None) -> None:
    """Bring the changes made in an offline copy back to its source, in one transaction."""
    from boardtui.cli import EXIT_CONFLICT, _config
    from boardtui.store import offline

    result = offline.checkin(file, source=source, who=_config(ctx).name)
    click.echo(f"Checked in {file} to {result.source}: {result.inserted} new, {result.updated} changed, "
               f"{result.deleted} deleted, {result.audit_rows} audit entries.")
    for old, new in result.renumbered:
        click.echo(f"Action {old} was also taken at the office: yours is now {new}.")
    if result.conflicts:
        n = len(result.conflicts)
        click.echo(f"{n} conflict{'s' if n != 1 else ''}: the office's value stands until resolved on the "
                   "Conflicts screen (ctrl+p, Conflicts).")
        for line in result.conflicts:
            click.echo(line.sentence())
        ctx.exit(EXIT_CONFLICT)


@click.command("copy")
@click.argument("source")
@click.argument("dest")
@click.pass_context
def copy(ctx: click.Context, source: str, dest: str) -> None:
    """Copy a whole board, with its audit trail, into DEST (a new file or an empty board)."""
    from boardtui.cli import _config
    from boardtui.store import copy as board_copy

    counts = board_copy.copy_board(source, dest, who=_config(ctx).name)
    total = sum(counts.values())
    click.echo(f"Copied {total} records in {len(counts)} tables, including {counts.get('audit', 0)} audit entries, "
               f"from {board_copy.describe_source(source)} to {board_copy.describe_source(dest)}; counts checked.")
