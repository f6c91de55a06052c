"""Start-up on PostgreSQL: a board opens in one round trip, and what cannot be opened is said in one sentence."""

from __future__ import annotations

import uuid

import pytest

from boardtui.domain.errors import NotABoard
from boardtui.store import engine
from boardtui.store.connection import open_board
from tests.pgserver import create_database, drop_database


@pytest.fixture
def pg_demo(pg_server, pg_demo_template):
    """The URL of a private copy of the demo board on PostgreSQL."""
    url = create_database(pg_server, template=pg_demo_template)
    yield url
    drop_database(pg_server, url)


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """Every statement sent to the server."""
    seen: list[str] = []
    run = engine.PgConnection.execute

    def counted(self, sql, params=()):
        seen.append(" ".join(sql.split()))
        return run(self, sql, params)

    monkeypatch.setattr(engine.PgConnection, "execute", counted)
    return seen


def test_opening_a_current_board_asks_the_server_once(pg_demo, asked):
    board = open_board(pg_demo, who="tester")
    try:
        assert len(asked) == 1, asked
        assert not board.read_only and board.who == "tester"
    finally:
        board.close()


def test_a_database_missing_a_board_table_is_one_sentence(pg_url):
    conn = engine.connect(pg_url)
    try:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    finally:
        conn.close()
    with pytest.raises(NotABoard, match="no audit table"):
        open_board(pg_url)


def test_a_role_with_no_right_to_the_board_is_told_in_one_sentence(pg_demo):
    import psycopg

    role = f"stranger_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_demo, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
    try:
        with pytest.raises(NotABoard, match="no boardtui schema"):
            open_board(pg_demo.replace("boardtui@", f"{role}@"))
    finally:
        with psycopg.connect(pg_demo, autocommit=True) as conn:
            conn.execute(f"DROP ROLE {role}")
