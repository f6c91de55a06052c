"""Find records by name for the command palette: a few indexed-enough LIKE queries, each with a LIMIT.

Every word the user typed must appear (case-insensitively) in the record's searchable text. Nothing is
loaded beyond `limit` rows per kind, so the palette stays instant on a board with 100k actions.
"""

from __future__ import annotations

from dataclasses import dataclass

from boardtui.store.connection import Board

MAX_WORDS = 6


@dataclass(frozen=True)
class Found:
    """One record that matched: what it is, its label as stored, and where the app shows it.

    `area` is the screen that lists it and `key` the row key there (a scheme opens on its programme's row,
    an agenda item on its meeting's row); `id` is the record's own id.
    """

    kind: str
    id: str
    label: str
    context: str
    area: str
    key: str


# kind: (SQL giving id, label, context, key, and the searchable text as `hay`; the screen that shows it)
_QUERIES: dict[str, tuple[str, str]] = {
    "programme": (
        "SELECT p.id, p.name AS label, coalesce(p.sro, '') AS context, p.id AS key, "
        "p.name || ' ' || coalesce(p.aliases, '') AS hay FROM programmes p",
        "programmes",
    ),
    "scheme": (
        "SELECT s.id, s.ref || ' ' || s.title AS label, p.name AS context, s.programme_id AS key, "
        "s.ref || ' ' || s.title AS hay FROM schemes s JOIN programmes p ON p.id = s.programme_id",
        "programmes",
    ),
    "standard": (
        "SELECT s.id, s.code || ' ' || s.name AS label, coalesce(s.planning_round, '') AS context, s.code AS key, "
        "s.code || ' ' || s.name AS hay FROM standards s",
        "standards",
    ),
    "milestone": (
        "SELECT m.id, m.ref || ' ' || m.title AS label, coalesce(m.plan_name, '') AS context, m.id AS key, "
        "m.ref || ' ' || m.title AS hay FROM milestones m",
        "milestones",
    ),
    "meeting": (
        "SELECT m.id, b.name || ' ' || m.date AS label, coalesce(m.venue, '') AS context, m.id AS key, "
        "b.name || ' ' || m.date || ' ' || coalesce(m.venue, '') AS hay "
        "FROM meetings m JOIN bodies b ON b.id = m.body_id",
        "meetings",
    ),
    "agenda item": (
        "SELECT i.id, i.number || ' ' || i.title AS label, b.name || ' ' || m.date AS context, "
        "i.meeting_id AS key, i.number || ' ' || i.title || ' ' || b.name || ' ' || m.date AS hay "
        "FROM agenda_items i JOIN meetings m ON m.id = i.meeting_id JOIN bodies b ON b.id = m.body_id",
        "meetings",
    ),
    "action": (
        "SELECT a.id, a.ref || ' ' || a.text AS label, a.owner || ', due ' || a.due AS context, a.id AS key, "
        "a.ref || ' ' || a.text || ' ' || a.owner AS hay FROM actions a",
        "actions",
    ),
}

KINDS = tuple(_QUERIES)


def _like(word: str) -> str:
    """A LIKE pattern matching `word` anywhere, with LIKE's own wildcards taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find(board: Board, text: str, *, limit: int = 10, kinds: tuple[str, ...] = KINDS) -> list[Found]:
    """Records whose name contains every word of `text`, at most `limit` of each kind, in kind order."""
    words = text.split()[:MAX_WORDS]
    if not words or limit <= 0:
        return []
    params: dict[str, object] = {"limit": limit}
    conditions = []
    for n, word in enumerate(words):
        params[f"w{n}"] = _like(word)
        conditions.append(f"lower(hay) LIKE lower(:w{n}) ESCAPE '\\'")
    where = " AND ".join(conditions)
    found: list[Found] = []
    for kind in kinds:
        select, area = _QUERIES[kind]
        rows = board.query(f"SELECT id, label, context, key FROM ({select}) AS q WHERE {where} "
                           f"ORDER BY label LIMIT :limit", params)
        found.extend(Found(kind, r["id"], r["label"], r["context"] or "", area, r["key"]) for r in rows)
    return found
