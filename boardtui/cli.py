"""The command line (DESIGN.md contract): every command, and the TUI when it is not started the plain way.

The plain start (`boardtui` with only --db, --read-only, --theme and --screen) is read by launch.py without
click; this module shares its board opening, app factory and failure reporting (`launch`). Every failure prints
one plain sentence to stderr and exits non-zero; a user never sees a traceback. An unexpected failure (a bug) is
written in full to a log file in the user data folder, and the sentence says where.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from boardtui import __version__
from boardtui.config import Config, data_dir, load_config
from boardtui.domain.errors import BoardError
from boardtui.launch import EXIT_CONFLICT, EXIT_ERROR, board_path, failure_exit, make_app, open_for, run_tui

__all__ = ["EXIT_CONFLICT", "EXIT_ERROR", "cli", "main", "make_app", "open_from_cli"]
DEMO_REFERENCE_DATE = "2016-11-08"


# Commands kept in boardtui/commands, imported only when named (or listed by --help): opening the TUI needs none.
LAZY_COMMANDS = {
    "minutes": ("boardtui.commands.minutes", "minutes"),
    "import": ("boardtui.commands.transfer", "import_"),
    "export": ("boardtui.commands.transfer", "export"),
    "config": ("boardtui.commands.config_cmd", "config"),
    "checkout": ("boardtui.commands.offline", "checkout"),
    "checkin": ("boardtui.commands.offline", "checkin"),
    "copy": ("boardtui.commands.offline", "copy"),
}


class BoardGroup(click.Group):
    """Turns BoardError into one sentence on stderr, and any other exception into a logged, plain message."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            from importlib import import_module

            module, name = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except (Exception, KeyboardInterrupt) as exc:  # one sentence; a bug's details to the log (launch.py)
            ctx.exit(failure_exit(exc))


def _config(ctx: click.Context) -> Config:
    root = ctx.find_root()
    if "config" not in root.meta:
        root.meta["config"] = load_config()
    return root.meta["config"]


def open_from_cli(ctx: click.Context, db: str | None, *, read_only: bool = False):
    """Open the board named by the command's --db, the root --db / BOARDTUI_DB, or the config (launch.py).

    With no command (the TUI) the file's quick_check runs in the background while the app starts.
    """
    root = ctx.find_root()
    return open_for(_config(ctx), board_path(_config(ctx), db, root.params.get("db")),
                    read_only=read_only or bool(root.params.get("read_only")),
                    background_check=root.invoked_subcommand is None)


def _run_tui(ctx: click.Context, board, screen: str | None, theme: str | None) -> None:
    code = run_tui(board, _config(ctx), screen, theme)
    if code:
        ctx.exit(code)


DB_OPTION = click.option("--db", "db", metavar="PATH", help="Board database (default: BOARDTUI_DB or the config).")


@click.group(cls=BoardGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH", envvar="BOARDTUI_DB", help="Board database file.")
@click.option("--read-only", is_flag=True, help="Browse without changing anything.")
@click.option("--theme", metavar="NAME", help="Colour theme.")
@click.option("--screen", metavar="NAME", help="Screen to open on: dashboard, programmes, standards, "
              "milestones, meetings, actions.")
@click.version_option(__version__, prog_name="boardtui")
@click.pass_context
def cli(ctx: click.Context, db: str | None, read_only: bool, theme: str | None, screen: str | None) -> None:
    """boardtui: boards, committees and their PMO, from the keyboard.

    With no command, opens the board in the terminal user interface.
    """
    if ctx.invoked_subcommand is None:
        board = open_from_cli(ctx, db, read_only=read_only)
        _run_tui(ctx, board, screen, theme)


@cli.command()
@click.argument("path", metavar="PATH|URL")
@click.pass_context
def init(ctx: click.Context, path: str) -> None:
    """Create an empty board database at PATH, or its schema in an empty PostgreSQL database at URL."""
    from boardtui.store import engine
    from boardtui.store.connection import create_board

    url = engine.as_url(path)
    if url is not None:
        engine.initialise_url(url)
        click.echo(f"Created an empty board at {engine.redact(url)}.")
        return
    path = Path(path).expanduser()
    board = create_board(path, who=_config(ctx).name)
    board.close()
    click.echo(f"Created an empty board at {path}.")


def load_demo(board) -> None:
    """Load the demo data (boardtui/data/*.csv) into an empty board through the real importer, one transaction."""
    from importlib import resources

    from boardtui.exchange.canonical import LOAD_ORDER, import_file
    from boardtui.store import meta
    from boardtui.store.tx import writing

    data = resources.files("boardtui") / "data"
    with writing(board, reason="build the demo board"):
        for kind in LOAD_ORDER:
            source = data / f"{kind}.csv"
            if source.is_file():
                with resources.as_file(source) as csv_path:
                    import_file(board, kind, csv_path)
    # The demo board describes autumn 2016: its rules judge "today" as the day of its last meeting.
    meta.put(board, "reference_date", DEMO_REFERENCE_DATE, reason="the demo board stands at 8 Nov 2016")


def build_demo(path: Path, who: str | None = None) -> None:
    """Build the demo board at `path` from the CSV files in boardtui/data, through the real importer.

    Built in a temporary file beside the target and renamed into place, so a failure leaves nothing half-made.
    """
    from boardtui.store.connection import create_board

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".demo-", suffix=".db", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        board = create_board(tmp, who=who or "demo")
        try:
            load_demo(board)
            board.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            board.close()
        for suffix in ("-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        os.replace(tmp, path)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)


@cli.command()
@DB_OPTION
@click.option("--force", is_flag=True, help="Rebuild the demo board even if it exists.")
@click.option("--open/--no-open", "open_", default=True, help="Open it in the TUI afterwards (default: open).")
@click.option("--size", type=click.Choice(["demo", "large"]), default="demo", show_default=True,
              help="large: the demo plus 10,000 schemes, 100,000 actions and more made-up business, for trying "
                   "boardtui at scale.")
@click.pass_context
def demo(ctx: click.Context, db: str | None, force: bool, open_: bool, size: str = "demo") -> None:
    """Build the demo board (Tower Hamlets CCG, Worcestershire HWB, …) and open it."""
    from boardtui.store import engine

    url = engine.as_url(db) if db else None
    if url is not None:  # on a PostgreSQL server: the schema in an empty database, then the demo data
        engine.initialise_url(url)
        board = open_from_cli(ctx, url)
        try:
            load_demo(board)
        finally:
            board.close()
        click.echo(f"Built the demo board at {engine.redact(url)}.", err=True)
        if open_:
            _run_tui(ctx, open_from_cli(ctx, url), ctx.find_root().params.get("screen"),
                     ctx.find_root().params.get("theme"))
        return
    path = Path(db).expanduser() if db else data_dir() / ("demo-large.db" if size == "large" else "demo.db")
    if path.exists() and not force:
        click.echo(f"Opening the existing demo board at {path} (use --force to rebuild it).", err=True)
    else:
        if path.exists():
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        if size == "large":
            from boardtui.demo_large import build_large_board

            build_large_board(path, who=_config(ctx).name or "demo")
        else:
            build_demo(path, who=_config(ctx).name)
        click.echo(f"Built the {'large ' if size == 'large' else ''}demo board at {path}.", err=True)
    if open_:
        board = open_from_cli(ctx, str(path))
        _run_tui(ctx, board, ctx.find_root().params.get("screen"), ctx.find_root().params.get("theme"))


@cli.command()
@click.argument("kind", type=click.Choice(["savings", "standards", "milestones", "actions", "changes"]))
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--as-at", "as_at", metavar="DATE", help="As the board stood at the end of DATE (YYYY-MM-DD).")
@click.option("--since", metavar="DATE", help="Changes since DATE (for `changes`; default: 28 days ago).")
@click.option("--year", metavar="FY", help="Financial year for savings, e.g. 2017/18 (default: the latest).")
@click.option("--since-meeting", "since_meeting", metavar="BOARD",
              help="Changes since the day of BOARD's last meeting on or before today (for `changes`).")
@click.pass_context
def report(ctx: click.Context, kind: str, db: str | None, fmt: str, as_at: str | None, since: str | None,
           year: str | None, since_meeting: str | None) -> None:
    """Print a report to the terminal: savings, standards, milestones, actions or changes."""
    from boardtui.exchange import reports

    if since_meeting and (kind != "changes" or since):
        raise BoardError("--since-meeting goes with `report changes`, instead of --since.")
    board = open_from_cli(ctx, db, read_only=True)
    try:
        if since_meeting:
            from boardtui.store import meta, savings_history

            since = savings_history.last_meeting_date(board, since_meeting, meta.today(board))
        out = reports.render(board, kind, fmt, as_at=as_at, since=since, year=year)
    finally:
        board.close()
    click.echo(out, nl=not out.endswith("\n"))


@cli.command()
@DB_OPTION
@click.pass_context
def check(ctx: click.Context, db: str | None) -> None:
    """Check a board: integrity, schema version, counts, and stated totals that do not add up."""
    from boardtui.store import health

    board = open_from_cli(ctx, db, read_only=True)
    try:
        result = health.check(board)
    finally:
        board.close()
    for line in result.lines:
        click.echo(line)
    if not result.ok:
        ctx.exit(EXIT_ERROR)


@cli.command()
@DB_OPTION
@click.option("-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Backup file.")
@click.pass_context
def backup(ctx: click.Context, db: str | None, output: Path) -> None:
    """Write a consistent copy of the board to a file (safe while others are working)."""
    from boardtui.store.connection import backup_to

    board = open_from_cli(ctx, db, read_only=True)
    try:
        dest = backup_to(board, output)
    finally:
        board.close()
    click.echo(f"Backed up to {dest}.")


def main() -> None:
    cli(prog_name="boardtui")


if __name__ == "__main__":  # pragma: no cover
    main()
