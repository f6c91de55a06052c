"""Drive terminal programs in a private tmux server for benchmarks: start, wait for a marker, press keys."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.01


@dataclass
class Tmux:
    """A tmux server on its own socket, so benchmarks never touch anyone else's sessions."""

    socket: str
    width: int = 120
    height: int = 40

    def run(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check
        )
        return result.stdout

    def start_waiting(self, session: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        """Open a session whose shell waits for Enter and then execs `argv`, in this checkout's folder.

        Starting the tmux session and the shell is left out of the timing: the clock starts at `go()`. The folder
        matters: `python -m boardtui` puts the working directory first on `sys.path`, so a benchmark started from
        another checkout's folder would time that checkout.
        """
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in (env or {}).items())
        command = f"cd {shlex.quote(str(REPO))} && read _go; exec env {exports} {shlex.join(argv)}"
        self.run(
            "new-session", "-d", "-s", session, "-x", str(self.width), "-y", str(self.height),
            "sh", "-c", command,
        )
        self.run("set-option", "-t", session, "remain-on-exit", "on")

    def go(self, session: str) -> float:
        """Let the waiting command run; returns the time just before the key was sent."""
        start = time.perf_counter()
        self.run("send-keys", "-t", session, "Enter")
        return start

    def capture(self, session: str, escapes: bool = False) -> str:
        args = ["capture-pane", "-p", "-t", session]
        if escapes:
            args.append("-e")
        return self.run(*args)

    def wait_for(self, session: str, marker: str, timeout: float = 30.0, poll: float = POLL_SECONDS) -> float:
        """Poll the pane until `marker` shows; returns the time it was first seen."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if marker in self.capture(session):
                return time.perf_counter()
            time.sleep(poll)
        raise TimeoutError(f"{marker!r} did not appear in {session}:\n{self.capture(session)}")

    def press_and_wait(self, session: str, key: str, timeout: float = 5.0, poll: float = 0.002) -> float:
        """Send `key` and poll (with colours, so a moved highlight counts) until the pane changes.

        Returns seconds from just before send-keys to the first capture that differs.
        """
        before = self.capture(session, escapes=True)
        start = time.perf_counter()
        self.run("send-keys", "-t", session, key)
        deadline = start + timeout
        while time.perf_counter() < deadline:
            if self.capture(session, escapes=True) != before:
                return time.perf_counter() - start
            time.sleep(poll)
        raise TimeoutError(f"pressing {key} did not change {session}")

    def kill_session(self, session: str) -> None:
        self.run("kill-session", "-t", session, check=False)

    def kill_server(self) -> None:
        """Stop this server and remove its socket file (tmux leaves it behind)."""
        self.run("kill-server", check=False)
        socket_dir = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (socket_dir / self.socket).unlink(missing_ok=True)
