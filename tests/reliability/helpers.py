"""Helpers for the reliability tests: child processes with hard time limits, file hashes, corrupted copies."""

from __future__ import annotations

import hashlib
import selectors
import shutil
import subprocess
import sys
import time
from pathlib import Path

CHILD_DEADLINE = 30  # seconds: no child process of these tests lives longer, whatever happens


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def python_child(code: str, *args: str) -> subprocess.Popen:
    """Start `python -c code args…` with its stdout piped (text, line by line)."""
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for_line(child: subprocess.Popen, wanted: str, timeout: float = CHILD_DEADLINE) -> list[str]:
    """Read the child's stdout until a line equal to `wanted`; fail (killing the child) after `timeout`."""
    seen: list[str] = []
    sel = selectors.DefaultSelector()
    sel.register(child.stdout, selectors.EVENT_READ)
    started = time.monotonic()
    try:
        while time.monotonic() - started < timeout:
            if not sel.select(timeout=0.5):
                if child.poll() is not None:
                    break
                continue
            line = child.stdout.readline()
            if not line:
                break
            seen.append(line.strip())
            if line.strip() == wanted:
                return seen
    finally:
        sel.close()
    child.kill()
    child.wait(timeout=10)
    raise AssertionError(f"the child never printed {wanted!r}: {seen}; stderr: {child.stderr.read()[-2000:]}")


def reap(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.kill()
    child.wait(timeout=10)
    for stream in (child.stdout, child.stderr):
        if stream:
            stream.close()


def corrupt_copy(source: Path, target: Path, how: str) -> Path:
    """A damaged copy of a board: 64 bytes of 0xFF over page 4, or the file cut to half its length."""
    shutil.copyfile(source, target)
    target.chmod(0o600)
    data = bytearray(target.read_bytes())
    if how == "page 4":
        page = int.from_bytes(data[16:18], "big")
        data[page * 3 : page * 3 + 64] = b"\xff" * 64
    elif how == "half":
        data = data[: len(data) // 2]
    else:
        raise ValueError(how)
    target.write_bytes(bytes(data))
    return target
