"""A programme's schemes for one year, a block at a time, as the programme detail's table reads them.

The rows come back as the table stored them (`savings.SCHEME_COLUMNS`), not judged: the table reads 100 rows a
block and shows about twenty, so the screen judges a row (`savings.scheme_line`: RAG rule, risk adjustment) only
when it paints it. Count, rows and index share one filter, so a row's index always matches where `rows` puts it.
"""

from __future__ import annotations

from boardtui.store.connection import Board
from boardtui.store.savings import SCHEME_COLUMNS


def _where(fy: int, programme_id: str, text: str) -> tuple[str, dict]:
    clauses, params = ["fy = :fy", "programme_id = :p"], {"fy": fy, "p": programme_id}
    needle = text.strip()
    if needle:
        clauses.append("(lower(ref) LIKE lower(:q) OR lower(title) LIKE lower(:q))")
        params["q"] = f"%{needle}%"
    return " AND ".join(clauses), params


def count(board: Board, fy: int, programme_id: str, text: str = "") -> int:
    """How many of the programme's schemes of the year match `text` in ref or title (all when it is blank)."""
    where, params = _where(fy, programme_id, text)
    return board.scalar(f"SELECT count(*) FROM schemes WHERE {where}", params)


def rows(board: Board, fy: int, programme_id: str, offset: int, limit: int, text: str = "") -> list:
    """Up to `limit` scheme rows from `offset`, ordered by ref (the `schemes_programme` index serves it)."""
    where, params = _where(fy, programme_id, text)
    params.update(limit=limit, offset=offset)
    return board.query(
        f"SELECT {SCHEME_COLUMNS} FROM schemes WHERE {where} ORDER BY ref LIMIT :limit OFFSET :offset", params
    )


def index(board: Board, fy: int, programme_id: str, scheme_id: str, text: str = "") -> int | None:
    """Where a scheme sits in `rows`' order (to keep the cursor on it after a reload); None when it is gone."""
    ref = board.scalar("SELECT ref FROM schemes WHERE id = :id", {"id": scheme_id})
    if ref is None:
        return None
    where, params = _where(fy, programme_id, text)
    params["ref"] = ref
    return board.scalar(f"SELECT count(*) FROM schemes WHERE {where} AND ref < :ref", params)
