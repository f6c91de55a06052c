"""Keys and timestamps made in Python, so two copies of a board never invent the same ones.

Rows that people create get a UUIDv7-style text key: 48 bits of Unix milliseconds then random bits, so keys
sort by creation time (indexes stay compact) and an offline copy cannot collide with its master. Timestamps
are passed into SQL as ISO 8601 UTC text, never computed by the engine (DESIGN.md, portable SQL).
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timezone

_lock = threading.Lock()
_last_ms = 0
_seq = 0


def new_id() -> str:
    """A time-ordered, globally unique text key in UUID layout (version 7)."""
    global _last_ms, _seq
    with _lock:
        ms = time.time_ns() // 1_000_000
        # Within one millisecond a counter keeps keys from one process strictly increasing.
        if ms <= _last_ms:
            ms = _last_ms
            _seq += 1
        else:
            _seq = 0
        _last_ms = ms
        seq = _seq & 0xFFF
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (seq << 64) | (0b10 << 62) | rand
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def now_iso() -> str:
    """The current time as ISO 8601 UTC text with microseconds (sorts correctly as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
