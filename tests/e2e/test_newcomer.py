"""End to end, as a newcomer would: the installed `boardtui` in a real terminal (tmux), driven by keys only.

Each test starts its own tmux server (`tmux -L <unique>`) running a plain shell with an isolated config and data
folder, builds the demo board with `boardtui demo --db X --no-open`, runs the app, and reads the screen with
`capture-pane`. Skipped only when tmux is not installed (CI installs it).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

BOARDTUI = Path(sys.executable).parent / "boardtui"
WAIT = 25  # seconds: the longest any screen may take to show what we wait for, on a loaded 2-core box
BODY = "NHS Tower Hamlets CCG Governing Body"


class Terminal:
    """One tmux server with one 120x40 window running a plain shell."""

    def __init__(self, home: Path) -> None:
        self.socket = f"boardtui-e2e-{uuid.uuid4().hex[:10]}"
        self.env = {"PATH": f"{BOARDTUI.parent}:/usr/bin:/bin", "HOME": str(home), "TERM": "xterm-256color",
                    "BOARDTUI_CONFIG_DIR": str(home / "config"), "BOARDTUI_DATA_DIR": str(home / "data"),
                    "PS1": "e2e$ ", "LANG": "C.UTF-8"}
        shell = "env -i " + " ".join(f"{k}='{v}'" for k, v in self.env.items()) + " bash --norc --noprofile"
        self.tmux("new-session", "-d", "-s", "main", "-x", "120", "-y", "40", shell)
        self.wait_for("e2e$")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=15,
                              check=True).stdout

    def keys(self, *keys: str, pause: float = 0.4) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "main", key)
            time.sleep(pause)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "main", "-l", text)
        time.sleep(0.3)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "main")

    def wait_for(self, *texts: str, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if all(t in shown for t in texts):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {texts!r} on screen:\n{shown}")
            time.sleep(0.2)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=15)


@pytest.fixture
def demo(tmp_path):
    """The demo board built by the installed console script, and a terminal to run it in."""
    db = tmp_path / "demo board.db"  # a space in the path, as on many shared drives
    term = Terminal(tmp_path)
    try:
        built = subprocess.run([str(BOARDTUI), "demo", "--db", str(db), "--no-open"], capture_output=True,
                               text=True, timeout=120, env={**os.environ, **term.env})
        assert built.returncode == 0, built.stderr
        yield term, db
    finally:
        term.close()


def _start(term: Terminal, db: Path) -> None:
    term.type(f"boardtui --db '{db}'")
    term.keys("Enter")
    term.wait_for("Savings", "Largest forecast shortfalls")


def _quit_and_check_the_terminal_is_clean(term: Terminal, db: Path) -> None:
    term.keys("C-q")
    shown = term.wait_for(f"boardtui --db '{db}'")
    deadline = time.monotonic() + WAIT
    while term.tmux("display", "-p", "-t", "main", "#{alternate_on} #{pane_current_command}").split() != ["0", "bash"]:
        assert time.monotonic() < deadline, term.tmux("display", "-p", "-t", "main", "#{alternate_on}")
        time.sleep(0.2)
    shown = term.screen()
    lines = [line for line in shown.splitlines() if line.strip()]
    assert lines[-1].strip() == "e2e$"  # the shell prompt, on a clean screen
    assert "Traceback" not in shown and "Largest forecast" not in shown


def test_a_pmo_officer_changes_a_schemes_rag_and_sees_it_on_the_dashboard(demo):
    term, db = demo
    _start(term, db)
    assert "  A  TH-ADU-04" in term.screen()  # the largest shortfall, Amber as derived
    term.keys("2")
    term.wait_for("Programme", "Adults", "Children")
    term.keys("Enter")  # Adults: its schemes
    term.wait_for("TH-ADU-01", "TH-ADU-04")
    term.keys("Down", "Down", "Down", "r")
    term.wait_for("RAG for", "TH-ADU-04")
    term.keys("r")  # Red
    term.type("Urgent care schemes slipping: e2e commentary")
    term.keys("C-s")
    term.keys("1")
    term.wait_for("  R  TH-ADU-04")
    _quit_and_check_the_terminal_is_clean(term, db)
    conn = sqlite3.connect(db)
    try:
        override, commentary = conn.execute(
            "SELECT rag_override, rag_commentary FROM schemes WHERE ref = 'TH-ADU-04'").fetchone()
        audited = conn.execute("SELECT count(*) FROM audit WHERE field = 'rag_override' AND new = 'R'").fetchone()[0]
    finally:
        conn.close()
    assert (override, commentary) == ("R", "Urgent care schemes slipping: e2e commentary")
    assert audited == 1


def test_a_chair_runs_a_meeting_and_the_public_minutes_leave_out_part_2(demo):
    term, db = demo
    conn = sqlite3.connect(db)
    try:
        part2 = [r[0] for r in conn.execute(
            "SELECT i.title FROM agenda_items i JOIN meetings m ON m.id = i.meeting_id WHERE m.date = '2016-11-08' "
            "AND i.part = 2").fetchall()]
    finally:
        conn.close()
    assert part2, "the demo's November meeting has a Part 2 item"
    _start(term, db)
    term.keys("5")
    term.wait_for("2016-11-08")
    term.keys("Down", "g")  # the second row: 8 Nov 2016 (the newest, in January, is still empty)
    term.wait_for("Runner", "Item 1 of 13")
    term.keys("Right")
    term.wait_for("Item 2 of 13")
    term.keys("a")
    term.wait_for("New action")
    term.type("Circulate the e2e urgent care paper")
    term.keys("Tab")
    term.type("Head of PMO")
    term.keys("Tab")
    term.type("2016-12-01")
    term.keys("C-s")
    term.wait_for("Action saved")
    term.keys("Right")
    term.wait_for("Item 3 of 13")
    term.keys("d")
    term.wait_for("Record a decision")
    term.type("Approved the e2e minutes as a true record")
    term.keys("C-s")
    term.wait_for("Decision saved")
    term.keys("Right")
    term.wait_for("Item 4 of 13")
    term.keys("Right")
    term.wait_for("Item 5 of 13")
    term.keys("x")
    term.wait_for("End the meeting")
    term.keys("y")
    term.wait_for("write the minutes now")
    term.keys("Escape")  # later, from the command line
    term.keys("Escape")
    _quit_and_check_the_terminal_is_clean(term, db)

    out = db.parent / "public minutes.md"
    made = subprocess.run([str(BOARDTUI), "minutes", "2016-11-08", "--db", str(db), "--body", BODY,
                           "--audience", "public", "-o", str(out)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **term.env})
    assert made.returncode == 0, made.stderr
    text = out.read_text(encoding="utf-8")
    assert "Circulate the e2e urgent care paper" in text and "Head of PMO" in text
    assert "Approved the e2e minutes as a true record" in text
    for title in part2:
        assert title not in text
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT status FROM meetings WHERE date = '2016-11-08'").fetchone()[0] == "held"
    finally:
        conn.close()
