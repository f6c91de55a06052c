"""Schema migrations: on an empty file, twice in a row, and on a populated board, with a backup first."""

from __future__ import annotations

import re
import sqlite3

import pytest

from boardtui.domain.errors import BoardError
from boardtui.store import migrations
from boardtui.store.connection import create_board, open_board

TABLES = (
    "programmes", "targets", "schemes", "scheme_periods", "standards", "standard_periods", "milestones",
    "milestone_deps", "bodies", "members", "meetings", "agenda_items", "attendance", "declarations",
    "decisions", "minute_notes", "actions", "audit", "meta",
)


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _applied(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY name").fetchall()]


REAL = ["0001_initial", "0002_conflicts", "0003_actions_owner_order", "0004_actions_search",
        "0005_first_screen_aggregates", "0006_actions_search_one_like"]  # the migrations this version ships
NEXT = migrations.LATEST + 1  # the pretend next schema of the tests below


def _backups(path) -> list:
    return sorted(path.parent.glob(f"{path.name}.v*.bak"))


@pytest.fixture
def second_migration(monkeypatch):
    """Pretend this boardtui knows one more schema that adds a table; yields a list recording each run."""
    runs: list[str] = []
    build = migrations._build

    def build_with_two():
        m = build()

        @m(name="0099_test_extra")
        def extra(db) -> None:
            runs.append("0099")
            db.execute("CREATE TABLE extra (id TEXT NOT NULL PRIMARY KEY, note TEXT)")

        return m

    monkeypatch.setattr(migrations, "_build", build_with_two)
    monkeypatch.setattr(migrations, "LATEST", NEXT)
    return runs


def test_an_empty_file_gets_the_whole_schema(tmp_path):
    board = create_board(tmp_path / "new.db")
    conn = board.conn
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(TABLES) <= tables
    assert migrations.schema_version(conn) == migrations.LATEST
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert _applied(conn) == REAL
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert all(n == 0 for t, n in _counts(conn).items() if t not in ("meta",))
    board.close()


def _board_tables(board) -> list[str]:
    if getattr(board.conn, "engine", "sqlite") == "postgresql":
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return [r[0] for r in board.query(sql) if r[0] != "_sqlite_migrations"]


def test_every_table_has_a_non_null_primary_key(board):
    tables = _board_tables(board)
    assert set(TABLES) <= set(tables)
    for table in tables:
        info = board.query(f"PRAGMA table_info({table})")
        keys = [r for r in info if r["pk"]]
        assert keys, f"{table} has no primary key"
        assert all(r["notnull"] for r in keys), f"{table} primary key may be NULL"


def test_running_the_migrations_twice_changes_nothing(empty_board):
    before = _counts(empty_board.conn)
    schema = empty_board.query("SELECT sql FROM sqlite_master ORDER BY name")
    migrations._apply(empty_board)
    assert _applied(empty_board.conn) == REAL
    assert migrations.schema_version(empty_board.conn) == migrations.LATEST
    assert _counts(empty_board.conn) == before
    assert [tuple(r) for r in empty_board.query("SELECT sql FROM sqlite_master ORDER BY name")] == [
        tuple(r) for r in schema
    ]


def test_opening_an_up_to_date_board_twice_writes_no_backup(demo_path):
    for _ in range(2):
        open_board(demo_path).close()
    assert _backups(demo_path) == []


def test_a_pending_migration_backs_up_first_then_upgrades_a_populated_board(demo_path, second_migration):
    old = sqlite3.connect(demo_path)
    before = _counts(old)
    old.close()

    board = open_board(demo_path)
    assert second_migration == ["0099"]
    assert migrations.schema_version(board.conn) == NEXT
    assert board.conn.execute("PRAGMA user_version").fetchone()[0] == NEXT
    assert _applied(board.conn) == REAL + ["0099_test_extra"]
    assert board.scalar("SELECT count(*) FROM extra") == 0
    assert _counts(board.conn) == before
    assert board.query("PRAGMA foreign_key_check") == []
    assert board.scalar("PRAGMA integrity_check") == "ok"
    board.close()

    [backup] = _backups(demo_path)
    assert backup.name.startswith(f"demo.db.v{NEXT - 1}-")
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(NEXT - 1)
    assert _counts(copy) == before
    assert copy.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
    copy.close()
    assert oct(backup.stat().st_mode & 0o777) == oct(0o600)

    # a second open finds nothing to do: no second backup, the migration does not run again
    open_board(demo_path).close()
    assert second_migration == ["0099"]
    assert len(_backups(demo_path)) == 1


def test_a_failing_migration_leaves_the_previous_version(demo_path, monkeypatch):
    build = migrations._build

    def build_broken():
        m = build()

        @m(name="0099_broken")
        def broken(db) -> None:
            db.execute("CREATE TABLE half_done (id TEXT NOT NULL PRIMARY KEY)")
            db.execute("INSERT INTO no_such_table VALUES (1)")

        return m

    monkeypatch.setattr(migrations, "_build", build_broken)
    monkeypatch.setattr(migrations, "LATEST", NEXT)
    with pytest.raises(BoardError) as caught:
        open_board(demo_path)
    assert "upgrade" in str(caught.value)
    conn = sqlite3.connect(demo_path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(NEXT - 1)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(REAL)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    [backup] = _backups(demo_path)
    check = sqlite3.connect(backup)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


def test_a_read_only_open_of_an_older_board_refuses_rather_than_migrating(demo_path, second_migration):
    with pytest.raises(BoardError, match="older schema"):
        open_board(demo_path, read_only=True)
    assert second_migration == []
    assert _backups(demo_path) == []


def test_each_migration_step_is_declared_once_and_run_by_both_engines(empty_board):
    from boardtui.store import engine

    assert [number for number, _, _ in migrations.STEPS] == list(range(2, migrations.LATEST + 1))
    assert REAL == ["0001_initial", *(name for _, name, _ in migrations.STEPS)]
    on_file = {r[0] for r in empty_board.query("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")}
    last_made: dict[str, str] = {}  # what each name was last made by: a later step may drop it and make it again
    for number, _, ddl in migrations.STEPS:
        sqlite_only = migrations.SQLITE_ONLY.get(number, ())
        postgres_only = tuple(engine._pg_types(s) for s in migrations.POSTGRES_ONLY.get(number, ()))
        for statement in (*ddl, *sqlite_only):
            made = re.match(r"CREATE (?:TABLE|INDEX|TRIGGER) (\w+)", statement)
            if made:
                last_made[made.group(1)] = statement
            elif statement.startswith("DROP INDEX "):
                del last_made[statement.split()[2]]
        # PostgreSQL: a new board at this version ends with the step (in its types) and then its own statements,
        # one made a version before has none of them; what only SQLite runs is not in PostgreSQL's DDL at all
        step = [engine._pg_types(s) for s in ddl] + list(postgres_only)
        assert engine.postgres_ddl(number)[len(engine.postgres_ddl(number - 1)):] == step
        assert not set(engine.postgres_ddl(number - 1)) & set(step)
        assert not set(engine.postgres_ddl()) & {engine._pg_types(s) for s in sqlite_only}
    assert set(last_made.values()) <= on_file  # SQLite keeps each statement's text as it ran
