"""Human references for new actions and decisions ("TH-07", "TH-D05"), in the style a body already uses.

A body's stem comes from the refs its actions already carry ("TH-01" → "TH"), else from the initials of its
name. The next number is found inside the write transaction, so two people saving at once never get the same
reference (the write lock serialises them).
"""

from __future__ import annotations

import re
import sqlite3

_SKIP = {"nhs", "and", "of", "the", "for", "&"}
_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def body_stem(conn: sqlite3.Connection, body_id: str | None) -> str:
    """The prefix of a body's action refs, without the dash: "TH", "HWB"; "A" for actions of no body."""
    if body_id is None:
        return "A"
    for row in conn.execute("SELECT ref FROM actions WHERE body_id = :b ORDER BY ref LIMIT 20", {"b": body_id}):
        stem = row[0].rsplit("-", 1)[0] if "-" in row[0] else ""
        if stem and stem.isalnum():
            return stem
    name = conn.execute("SELECT name FROM bodies WHERE id = :b", {"b": body_id}).fetchone()
    words = [w for w in re.split(r"[\s\-/]+", name[0] if name else "") if w and w.lower() not in _SKIP]
    stem = "".join(w[0] for w in words[:4] if w[0].isalnum()).upper()
    return stem or "A"


def next_ref(conn: sqlite3.Connection, table: str, prefix: str, width: int = 2) -> str:
    """`prefix` followed by one more than the highest number already used after it ("TH-" → "TH-07")."""
    if table not in ("actions", "decisions"):
        raise ValueError(f"no refs on {table}")
    hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    # A range on the ref (not LIKE) so the unique index on actions.ref does the work at 100k actions.
    highest = 0
    for (ref,) in conn.execute(f"SELECT ref FROM {table} WHERE ref >= :lo AND ref < :hi", {"lo": prefix, "hi": hi}):
        match = _NUMBERED.match(ref[len(prefix):])
        if match and not match.group(1):
            highest = max(highest, int(match.group(2)))
    return f"{prefix}{highest + 1:0{width}d}"
