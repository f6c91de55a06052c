"""RELIABILITY group G: migrations.

G1 (a populated board upgraded: counts kept, a backup first) and G2 (a failing migration rolls back and the
backup is sound) are in tests/unit/store/test_migrations.py; G5 is C4 there too. Here: no cascading deletes in
the schema (G3), a migration while another process reads (G4), and a full disk during the backup (G6).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from boardtui.domain.errors import BoardError, Busy
from boardtui.store import connection, migrations
from boardtui.store.connection import open_board
from tests.reliability.helpers import python_child, reap, sha256, wait_for_line
from tests.unit.store.test_migrations import NEXT, _backups, second_migration  # noqa: F401 (a fixture)


def _tables(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%'").fetchall()]


# ---- G3: a table rebuild under foreign_keys=ON must not empty a child table ------------------------------------

def test_g3_no_foreign_key_cascades_or_sets_anything_on_delete(demo_board):
    conn = demo_board.conn
    actions = {(t, fk["table"], fk["on_delete"], fk["on_update"]) for t in _tables(conn)
               for fk in conn.execute(f"PRAGMA foreign_key_list({t})").fetchall()}
    assert actions, "the schema has foreign keys"
    assert {a for a in actions if a[2] != "NO ACTION" or a[3] != "NO ACTION"} == set()


def test_g3_negative_control_a_cascade_would_empty_the_children_in_a_rebuild(tmp_path):
    """Why the rule exists: DROP TABLE on a parent with ON DELETE CASCADE deletes every child row."""
    conn = sqlite3.connect(tmp_path / "c.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    conn.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id) ON DELETE CASCADE)")
    conn.execute("INSERT INTO parent VALUES (1)")
    conn.execute("INSERT INTO child VALUES (1, 1)")
    conn.execute("CREATE TABLE parent_new (id INTEGER PRIMARY KEY, extra TEXT)")  # a rebuild, done naively
    conn.execute("INSERT INTO parent_new (id) SELECT id FROM parent")
    conn.execute("DROP TABLE parent")
    assert conn.execute("SELECT count(*) FROM child").fetchone()[0] == 0
    conn.close()


# ---- G4: a migration while another process holds a read transaction --------------------------------------------

HOLD_A_READ = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT count(*) FROM schemes").fetchone()
print("reading", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print("done", flush=True)
"""


@pytest.mark.slow
def test_g4_a_migration_waits_for_a_reader_then_refuses_plainly_and_changes_nothing(demo_path, monkeypatch,
                                                                                    second_migration):
    conn = sqlite3.connect(demo_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(migrations, "LATEST", NEXT)
    reader = python_child(HOLD_A_READ, demo_path, 3)
    try:
        wait_for_line(reader, "reading")
        with pytest.raises(Busy) as busy:
            open_board(demo_path, journal_mode="delete")
        assert "busy" in str(busy.value)
        check = sqlite3.connect(demo_path)
        assert check.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(NEXT - 1)
        assert check.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
        check.close()
        wait_for_line(reader, "done")
    finally:
        reap(reader)
    board = open_board(demo_path, journal_mode="delete")  # once the reader has gone, the upgrade goes through
    try:
        assert migrations.schema_version(board.conn) == NEXT
    finally:
        board.close()


# ---- G6: the disk fills during the pre-migration backup -----------------------------------------------------------

def test_g6_a_full_disk_during_the_backup_aborts_the_migration_and_leaves_the_board(demo_path, monkeypatch,
                                                                                   second_migration):
    monkeypatch.setattr(migrations, "LATEST", NEXT)
    before = sha256(demo_path)
    real_connect = sqlite3.connect

    def small_disk(target, *args, **kw):
        conn = real_connect(target, *args, **kw)
        if not kw.get("uri"):  # the backup target (the board itself is always opened with a URI)
            conn.execute("PRAGMA max_page_count = 3")
        return conn

    monkeypatch.setattr(connection.sqlite3, "connect", small_disk)
    with pytest.raises(BoardError) as full:
        open_board(demo_path)
    assert "disk is full" in str(full.value) and "no backup" in str(full.value)
    monkeypatch.setattr(connection.sqlite3, "connect", real_connect)
    assert second_migration == []  # the migration never started
    assert sha256(demo_path) == before
    assert _backups(demo_path) == []
    assert [p.name for p in Path(demo_path).parent.iterdir() if p.name.endswith(".part")] == []
