"""`boardtui copy`: every table and the audit trail, into a file or a PostgreSQL database, refused when the
destination is not empty; tables go in the order their foreign keys demand, whatever order the source lists them in."""

from __future__ import annotations

import sqlite3

import pytest

from boardtui.domain.errors import BoardError
from boardtui.store import copy
from boardtui.store.connection import open_board
from boardtui.store.copy import copy_board, describe_source

COMPARED = ("organisations", "programmes", "schemes", "scheme_periods", "standard_periods", "actions", "audit")


@pytest.fixture(params=("sqlite", "postgres"))
def dest(request, tmp_path) -> str:
    """Where a copy goes: a new file, or an empty PostgreSQL database (skipped without a server, never in CI)."""
    return str(tmp_path / "copy.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")


def _rows(path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    finally:
        conn.close()


def test_describe_source_never_keeps_a_password():
    assert describe_source("postgresql://pmo:s3cret@db.nhs.uk:5432/board") == "postgresql://pmo@db.nhs.uk:5432/board"


def test_a_copy_there_and_back_keeps_every_table_and_the_audit_trail_and_refuses_a_full_dest(demo_path, dest,
                                                                                               tmp_path):
    there = copy_board(demo_path, dest)
    back = copy_board(dest, tmp_path / "back.db")
    src = open_board(demo_path)
    assert there == back and back["audit"] == src.scalar("SELECT count(*) FROM audit") > 0
    src.close()
    for table in COMPARED:
        assert _rows(demo_path, table) == _rows(tmp_path / "back.db", table), table
    with pytest.raises(BoardError, match="not empty"):
        copy_board(demo_path, dest)


def test_tables_are_ordered_parents_first_by_their_foreign_keys(board):
    tables = copy.board_tables(board.conn)
    shuffled = copy.parents_first(board.conn, list(reversed(tables)))
    assert sorted(shuffled) == sorted(tables)
    position = {t: i for i, t in enumerate(shuffled)}
    references = [(t, parent) for t in tables for _, parent, _ in copy.foreign_keys(board.conn, t) if parent != t]
    assert ("programmes", "organisations") in references and ("action_updates", "actions") in references
    assert all(position[parent] < position[t] for t, parent in references)


def _children_listed_first(path) -> None:
    """Rebuild `organisations` so the file lists it after the tables that refer to it, with a child organisation
    stored before its parent: a source where copying in the file's own order breaks every reference."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA legacy_alter_table = ON")  # leave the other tables' references naming organisations
        sql = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'organisations' "
                                          "AND sql IS NOT NULL ORDER BY type DESC")]
        first, *_, last = [r[0] for r in conn.execute("SELECT id FROM organisations ORDER BY rowid")]
        conn.execute("BEGIN")
        conn.execute("UPDATE organisations SET parent_id = :p WHERE id = :c", {"p": last, "c": first})
        conn.execute("ALTER TABLE organisations RENAME TO organisations_old")
        for statement in sql:
            conn.execute(statement)
        conn.execute("INSERT INTO organisations SELECT * FROM organisations_old ORDER BY parent_id IS NULL, id")
        conn.execute("DROP TABLE organisations_old")
        conn.execute("COMMIT")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        listed = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        assert listed.index("organisations") > listed.index("programmes")
        stored = [r[0] for r in conn.execute("SELECT parent_id FROM organisations ORDER BY rowid")]
        assert stored[0] == last  # the child is stored before its parent
    finally:
        conn.close()


def test_a_source_listing_children_before_parents_copies_to_either_engine(demo_path, dest, tmp_path):
    _children_listed_first(demo_path)
    counts = copy_board(demo_path, dest)
    assert counts["organisations"] == 3 and counts["programmes"] > 0
    copy_board(dest, tmp_path / "back.db")
    for table in COMPARED:
        assert _rows(demo_path, table) == _rows(tmp_path / "back.db", table), table
