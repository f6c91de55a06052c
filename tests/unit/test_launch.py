"""The plain start of the TUI (launch.py) reads its four options without click, and behaves as the click command
line does: the same board opened the same way, the same sentence and exit code when it cannot be."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from boardtui.cli import cli
from boardtui.launch import plain_tui_args


@pytest.mark.parametrize("argv, expected", [
    ([], {}),
    (["--db", "b.db"], {"db": "b.db"}),
    (["--db=b.db", "--read-only", "--screen", "actions", "--theme=dark"],
     {"db": "b.db", "read_only": True, "screen": "actions", "theme": "dark"}),
    (["--db", "postgresql://u@h/b"], {"db": "postgresql://u@h/b"}),
])
def test_the_tuis_own_options_are_read_without_click(argv, expected):
    assert plain_tui_args(argv) == expected


@pytest.mark.parametrize("argv", [
    ["check"], ["--db", "b.db", "report", "savings"], ["--help"], ["-h"], ["--version"],
    ["--db", "a.db", "--db", "b.db"], ["--db"], ["--db", "--read-only"], ["--db="], ["--read-only=yes"],
    ["--screen", "actions", "extra"], ["--sc", "actions"],
])
def test_anything_else_goes_to_the_click_command_line(argv):
    assert plain_tui_args(argv) is None


def _run(code: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


# The app replaced by a stand-in that prints what it was given, and whether click was ever imported.
STAND_IN = """
import sys
from boardtui import launch

def run_tui(board, config, screen, theme):
    print(board.path, board.read_only, board.integrity is not None, screen, theme,
          any(m == "click" or m.startswith("click.") for m in sys.modules))
    board.close()
    return 0

launch.run_tui = run_tui
sys.argv[0] = "boardtui"
launch.main()
"""


def test_a_plain_start_opens_the_board_as_the_command_line_does_and_never_imports_click(demo_path, tmp_path):
    done = _run(STAND_IN, "--db", str(demo_path), "--read-only", "--screen", "actions", "--theme=dark")
    assert done.returncode == 0, done.stderr
    # read-only as asked, the file checked in the background (as for every TUI start), the screen and theme passed
    assert done.stdout.split() == [str(demo_path), "True", "True", "actions", "dark", "False"]
    # BOARDTUI_DB names the board when --db does not
    done = _run(STAND_IN, env={"BOARDTUI_DB": str(demo_path), "XDG_CONFIG_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(demo_path), "False", "True", "None", "None", "False"]


def test_a_board_that_cannot_be_opened_is_one_sentence_and_the_same_exit_code_both_ways(tmp_path):
    not_a_board = tmp_path / "notes.db"
    not_a_board.write_text("shopping list\n" * 100)
    plain = _run("import sys; sys.argv[0] = 'boardtui'; from boardtui.launch import main; main()",
                 "--db", str(not_a_board))
    clicked = CliRunner().invoke(cli, ["--db", str(not_a_board), "--db", str(not_a_board)])
    assert plain.returncode == clicked.exit_code == 1
    assert plain.stdout == "" and "Traceback" not in plain.stderr
    assert plain.stderr.strip() == clicked.output.strip() and "notes.db" in plain.stderr
