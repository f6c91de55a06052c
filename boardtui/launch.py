"""Starting boardtui: the `boardtui` command's entry point, and what every start of the terminal UI shares.

`boardtui [--db PATH|URL] [--read-only] [--theme NAME] [--screen NAME]`, the TUI and nearly every start, is read
here without click: the command-line library and its command tree are ~7 ms of a ~270 ms start-up (a quarter of
what the start-up budget leaves boardtui). Anything else (a command, --help, --version, an option twice, a value
that starts with "-") goes to the click command line in cli.py. Both open the board, run the app and report a
failure through the functions below, so they behave alike.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from boardtui.domain.errors import BoardError, Conflict

EXIT_ERROR = 1
EXIT_CONFLICT = 3
EXIT_INTERRUPTED = 130

_VALUED = {"--db": "db", "--theme": "theme", "--screen": "screen"}
_FLAGS = {"--read-only": "read_only"}


def plain_tui_args(argv: list[str]) -> dict[str, str | bool] | None:
    """The TUI's options in `argv` (`--db X` or `--db=X`, each at most once), or None when click must read it."""
    found: dict[str, str | bool] = {}
    i = 0
    while i < len(argv):
        name, equals, value = argv[i].partition("=")
        if name in _FLAGS and not equals:
            key, given = _FLAGS[name], True
        elif name in _VALUED:
            if not equals:
                i += 1
                if i == len(argv):
                    return None  # click says the value is missing
                value = argv[i]
            if not value or value.startswith("-"):
                return None
            key, given = _VALUED[name], value
        else:
            return None
        if key in found:
            return None
        found[key] = given
        i += 1
    return found


def main() -> None:
    """The `boardtui` command (pyproject's entry point, and `python -m boardtui`)."""
    args = plain_tui_args(sys.argv[1:])
    if args is None:
        from boardtui.cli import main as command_line

        command_line()
        return
    # Start-up allocates a great deal and frees little: the collector stays off from here until the first paint
    # (`run_tui`), opening the board included (on PostgreSQL, the driver's import makes ~28,000 objects).
    gc.disable()
    try:
        from boardtui.config import load_config

        config = load_config()
        board = open_for(config, board_path(config, args.get("db"), os.environ.get("BOARDTUI_DB")),
                         read_only=bool(args.get("read_only")), background_check=True)
        code = run_tui(board, config, args.get("screen"), args.get("theme"))
    except Exception as exc:
        code = failure_exit(exc)
    except KeyboardInterrupt as exc:
        code = failure_exit(exc)
    sys.exit(code)


def board_path(config, *given: str | None) -> Path | str:
    """The first board named in `given` (an option, then BOARDTUI_DB), else the config's: a path, or a PostgreSQL
    URL kept as text (a Path would collapse its "//")."""
    from boardtui.store.engine import as_url

    for value in given:
        if value:
            return as_url(value) or Path(value).expanduser()
    return config.default_database()


def open_for(config, path: Path | str, *, read_only: bool, background_check: bool):
    """Open a board with the user's name, journal mode and thresholds from `config`.

    `background_check` (the TUI): the file's quick_check runs in a thread while the app starts, and writes wait
    for its verdict; a command checks the file before it does anything.
    """
    from boardtui.store.connection import open_board

    return open_board(
        path,
        read_only=read_only,
        who=config.name,
        journal_mode=None if config.journal_mode == "auto" else config.journal_mode,
        thresholds=config.thresholds,
        background_check=background_check,
    )


def make_app(board, config=None, *, screen: str | None = None, theme: str | None = None, today=None):
    """The one factory for the TUI, used by the command line and by the tests alike.

    `today` (a date) fixes the day the rules judge by; by default the board's reference date, else today.
    """
    if getattr(board, "damaged", None):  # a file that failed quick_check: the read-only damaged screen only
        from boardtui.ui.screens.damaged import DamagedApp

        return DamagedApp(board)
    from boardtui.config import Config
    from boardtui.ui.app import BoardApp

    return BoardApp(board, config or Config(), start_screen=screen, theme_name=theme, today=today)


def run_tui(board, config, screen: str | None, theme: str | None) -> int:
    """Run the app on `board` (closed afterwards); the app's return code."""
    # Start-up allocates a great deal and frees little, so the collector's passes over it are wasted (~25 ms of
    # the first screen): off until the app has painted, when it freezes what start-up made and turns it back on.
    gc.disable()
    app = make_app(board, config, screen=screen, theme=theme)
    app.settle_gc = True
    try:
        app.run()
        if getattr(app, "closed_for_damage", False):  # the background quick_check failed (ui/integrity.py)
            app = make_app(board, config)
            app.run()
    finally:
        gc.enable()
        board.close()
    return app.return_code or 0


def failure_exit(exc: BaseException) -> int:
    """Say what went wrong in one sentence on stderr and give the exit code; a bug's details go to a log file."""
    if isinstance(exc, BoardError):
        print(str(exc), file=sys.stderr)
        return EXIT_CONFLICT if isinstance(exc, Conflict) else EXIT_ERROR
    if isinstance(exc, KeyboardInterrupt):
        print("Interrupted: nothing more was done.", file=sys.stderr)
        return EXIT_INTERRUPTED
    log = _log_unexpected(exc)
    where = f" Details are in {log}." if log else ""
    print(f"boardtui hit an unexpected problem ({type(exc).__name__}: {exc}).{where}", file=sys.stderr)
    return EXIT_ERROR


def _log_unexpected(exc: BaseException) -> Path | None:
    import traceback

    from boardtui.config import data_dir

    try:
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "error.log"
        fd = os.open(log, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)) + "\n")
        return log
    except OSError:
        return None
