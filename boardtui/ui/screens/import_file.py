"""Import a spreadsheet or CSV file from the TUI: choose the kind and file, preview, then import.

`f2` previews (a dry run: every row checked, nothing kept) and shows what would happen, or the first 20
problems with their row, column and value; `ctrl+s` imports, all rows or none, with a progress bar. Opened from
the command palette ("Import a spreadsheet or CSV file").

The import runs in a thread worker on its own connection to the board (the app's connection stays on the UI
thread, see store/connection.py), and reports progress back with `call_from_thread`. Every text shown is data,
so it goes through `lit` (literal Content) or rich `Text`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, ProgressBar, Select, Static

from boardtui.domain.errors import BoardError
from boardtui.exchange.canonical import KINDS, ImportRefused
from boardtui.ui.literal import lit, lit_text
from boardtui.ui.screens.pushed import PushedScreen

SHOWN_PROBLEMS = 20
UNITS = [("£000s (thousands)", "000s"), ("£ (pounds)", "pounds"), ("£m (millions)", "m")]


class ImportScreen(PushedScreen):
    """Check a file and import it into the open board."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "preview", "Preview", id="import.preview"),
        Binding("ctrl+s", "run_import", "Import", id="import.run"),
    ]

    DEFAULT_CSS = """
    ImportScreen #form {
        height: auto;
        padding: 0 1;
    }
    ImportScreen #form > Horizontal {
        height: auto;
    }
    ImportScreen #form Label {
        width: 14;
        padding: 1 1 0 0;
    }
    ImportScreen #form Input, ImportScreen #form Select {
        width: 1fr;
    }
    ImportScreen #progress {
        display: none;
        margin: 0 1;
    }
    ImportScreen #progress.running {
        display: block;
    }
    ImportScreen #summary {
        height: auto;
        padding: 0 1;
    }
    ImportScreen #problems {
        height: 1fr;
        display: none;
    }
    ImportScreen #problems.shown {
        display: block;
    }
    """

    def __init__(self, path: str = "", kind: str = "schemes") -> None:
        super().__init__()
        self.initial_path = path
        self.initial_kind = kind if kind in KINDS else "schemes"
        self.running = False

    def compose(self) -> ComposeResult:
        yield from self.compose_header("Import a spreadsheet or CSV file")
        with VerticalScroll(id="form"):
            with Horizontal():
                yield Label("Kind")
                yield Select([(k, k) for k in KINDS], value=self.initial_kind, allow_blank=False, id="kind")
            with Horizontal():
                yield Label("File")
                yield Input(self.initial_path, placeholder="path to a .xlsx or .csv file", id="path")
            with Horizontal():
                yield Label("Sheet")
                yield Input(placeholder="(the first sheet with the columns)", id="sheet")
            with Horizontal():
                yield Label("Units")
                yield Select(UNITS, prompt="(from the money headers)", id="units")
            with Horizontal():
                yield Label("Year")
                yield Input(placeholder="(from the sheet) e.g. 2017/18", id="year")
            with Horizontal():
                yield Label("Organisation")
                yield Input(placeholder="(whose savings requirement a target row sets)", id="organisation")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static(lit("f2 previews the import (nothing is kept); ctrl+s imports; escape goes back."), id="summary")
        yield DataTable(id="problems", cursor_type="row", zebra_stripes=True)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        table = self.query_one("#problems", DataTable)
        table.add_columns("Row", "Column", "Value", "Problem")
        self.query_one("#path", Input).focus()

    # ---- gathering the form ---------------------------------------------------------------------------------

    def _options(self) -> dict | None:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self._say("Give the path of the file to import.")
            return None
        p = Path(path).expanduser()
        if not p.is_file():
            self._say(f"{p} not found.")
            return None
        units = self.query_one("#units", Select).value
        return {
            "kind": self.query_one("#kind", Select).value,
            "path": p,
            "sheet": self.query_one("#sheet", Input).value.strip() or None,
            "units": units if isinstance(units, str) else None,
            "year": self.query_one("#year", Input).value.strip() or None,
            "organisation": self.query_one("#organisation", Input).value.strip() or None,
        }

    def _say(self, text: str) -> None:
        self.query_one("#summary", Static).update(lit(text))

    # ---- actions ----------------------------------------------------------------------------------------------

    def action_preview(self) -> None:
        self._start(dry_run=True)

    def action_run_import(self) -> None:
        if self.app.board.read_only:
            self._say("This board is open read-only: nothing can be imported.")
            return
        self._start(dry_run=False)

    def _start(self, *, dry_run: bool) -> None:
        if self.running:
            return
        options = self._options()
        if options is None:
            return
        self.running = True
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.add_class("running")
        self._say(("Checking " if dry_run else "Importing ") + f"{options['path'].name}…")
        self._show_problems([])
        self._import(options, dry_run)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _import(self, options: dict, dry_run: bool) -> None:
        from boardtui.exchange.importer import import_path
        from boardtui.store.connection import open_board

        board_now = self.app.board
        try:
            board = open_board(board_now.path, who=board_now.who, thresholds=board_now.thresholds,
                               read_only=dry_run and board_now.read_only)
        except BoardError as exc:
            self.app.call_from_thread(self._finished, [str(exc)], [], False)
            return

        def progress(phase: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, phase, done, total)

        try:
            report = import_path(board, options["kind"], options["path"], sheet=options["sheet"],
                                 units=options["units"], year=options["year"],
                                 organisation=options["organisation"], dry_run=dry_run, progress=progress)
        except ImportRefused as exc:
            count = len(exc.problems)
            more = f" The first {SHOWN_PROBLEMS} are below." if count > SHOWN_PROBLEMS else ""
            lines = [f"{options['path'].name}: {count:,} problem(s); nothing was imported.{more}"]
            self.app.call_from_thread(self._finished, lines, exc.problems[:SHOWN_PROBLEMS], False)
        except BoardError as exc:
            self.app.call_from_thread(self._finished, [str(exc)], [], False)
        except Exception as exc:  # a bug: report it plainly, keep the app running (RELIABILITY F10)
            self.app.call_from_thread(self._finished, [f"The import failed unexpectedly ({type(exc).__name__}: "
                                                       f"{exc}); nothing was imported."], [], False)
        else:
            self.app.call_from_thread(self._finished, report.lines(), [], not dry_run)
        finally:
            board.close()

    # ---- results (on the UI thread) --------------------------------------------------------------------------

    def _progress(self, phase: str, done: int, total: int) -> None:
        bar = self.query_one("#progress", ProgressBar)
        if phase == "writing":
            bar.update(total=max(total, 1), progress=done)
        self._say(f"{phase.capitalize()} {done:,} of {total:,} rows…")

    def _finished(self, lines: list[str], problems: list, imported: bool) -> None:
        self.running = False
        self.query_one("#progress", ProgressBar).remove_class("running")
        self._say("\n".join(lines))
        self._show_problems(problems)
        if imported:
            self.notify(lines[0], title="Imported", markup=False)

    def _show_problems(self, problems: list) -> None:
        table = self.query_one("#problems", DataTable)
        table.clear()
        for p in problems:
            table.add_row(lit_text(str(p.line)), lit_text(p.column), lit_text(p.value[:60]), lit_text(p.reason))
        table.set_class(bool(problems), "shown")
