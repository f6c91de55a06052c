"""Meeting queries: bodies, a page of meetings, and one meeting's agenda."""

from __future__ import annotations

from boardtui.store.connection import Board

SELECT = (
    "SELECT m.id, m.date, m.start_time, m.venue, m.status, m.version, b.name AS body, b.id AS body_id, "
    "(SELECT count(*) FROM agenda_items i WHERE i.meeting_id = m.id) AS items "
    "FROM meetings m JOIN bodies b ON b.id = m.body_id"
)


def _where(text: str) -> tuple[str, dict]:
    if not text:
        return "", {}
    return (" WHERE lower(b.name) LIKE lower(:q) OR m.date LIKE :q OR lower(coalesce(m.venue, '')) LIKE lower(:q)",
            {"q": f"%{text}%"})


def count(board: Board, text: str = "") -> int:
    where, params = _where(text)
    return board.scalar(f"SELECT count(*) FROM meetings m JOIN bodies b ON b.id = m.body_id{where}", params)


def page(board: Board, offset: int, limit: int, text: str = "") -> list:
    where, params = _where(text)
    params.update(limit=limit, offset=offset)
    return board.query(f"{SELECT}{where} ORDER BY m.date DESC, b.name LIMIT :limit OFFSET :offset", params)


def agenda(board: Board, meeting_id: str) -> list:
    return board.query(
        "SELECT * FROM agenda_items WHERE meeting_id = :m ORDER BY position, number", {"m": meeting_id}
    )


def next_meeting(board: Board, today: str):
    """The next meeting on or after today (any body), for the dashboard."""
    return board.one(
        "SELECT m.date, m.start_time, b.name AS body FROM meetings m JOIN bodies b ON b.id = m.body_id "
        "WHERE m.date >= :t ORDER BY m.date LIMIT 1",
        {"t": today},
    )


def get(board: Board, meeting_id: str):
    """One meeting with its body's name, or None."""
    return board.one(f"{SELECT} WHERE m.id = :id", {"id": meeting_id})
