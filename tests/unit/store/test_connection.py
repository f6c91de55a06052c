"""The connection factory: what opens, what is refused (and left untouched), and the pragmas every connection gets."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest

from boardtui.domain.errors import BoardError, Busy, NewerSchema, NotABoard, NotFound
from boardtui.store import connection, migrations
from boardtui.store.connection import backup_to, create_board, open_board
from boardtui.store.tx import writing


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name and p.name.startswith(path.name))


def test_missing_path_is_not_found_and_creates_nothing(tmp_path):
    target = tmp_path / "typo.db"
    with pytest.raises(NotFound, match="not found"):
        open_board(target)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_not_found(tmp_path):
    with pytest.raises(NotFound):
        open_board(tmp_path / "no such folder" / "board.db")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [b"ref,title\nA-1,not a database\n", b"PK\x03\x04" + b"\x00" * 200, bytes(range(256)) * 8],
    ids=["csv text", "xlsx-like zip", "binary"],
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path, content):
    path = tmp_path / "board.db"
    path.write_bytes(content)
    before = _digest(path)
    with pytest.raises(NotABoard) as caught:
        open_board(path)
    assert "not a board database" in str(caught.value)
    assert _digest(path) == before
    assert _siblings(path) == []


def test_a_zero_byte_file_is_refused_untouched(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(NotABoard, match="empty file"):
        open_board(path)
    assert path.stat().st_size == 0
    assert _siblings(path) == []


def test_a_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT)")
    other.execute("INSERT INTO patients (name) VALUES ('somebody')")
    other.commit()
    other.close()
    before = _digest(path)
    with pytest.raises(NotABoard, match="not a board database"):
        open_board(path)
    assert _digest(path) == before
    assert _siblings(path) == []
    # and its data is still there, in its own journal mode
    check = sqlite3.connect(path)
    assert check.execute("SELECT name FROM patients").fetchall() == [("somebody",)]
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    check.close()


def _fingerprint(source) -> object:
    """What must not change when a board is refused: the file's bytes, or a server database's meta and counts."""
    if isinstance(source, Path):
        return _digest(source)
    import psycopg

    with psycopg.connect(source) as conn:
        return (conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall(),
                conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def test_a_newer_schema_is_refused_untouched(any_demo_source):
    board = open_board(any_demo_source)
    board.conn.execute(
        "UPDATE meta SET value = :v WHERE key = 'schema_version'", {"v": str(migrations.LATEST + 1)}
    )
    board.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    board.close()
    before = _fingerprint(any_demo_source)
    with pytest.raises(NewerSchema) as caught:
        open_board(any_demo_source)
    assert "newer version of boardtui" in str(caught.value)
    assert f"schema {migrations.LATEST + 1}" in str(caught.value)
    assert _fingerprint(any_demo_source) == before


def test_a_locked_database_is_busy_with_a_plain_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "locked.db"
    create_board(path, journal_mode="delete").close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(Busy) as caught:
            open_board(path, journal_mode="delete")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    message = str(caught.value)
    assert "busy" in message and "another program" in message
    assert "\n" not in message and "Traceback" not in message
    # once the other program lets go, it opens
    open_board(path, journal_mode="delete").close()


def test_a_write_while_another_user_writes_is_busy_and_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "board.db"
    create_board(path).close()
    board = open_board(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Busy, match="Nothing was saved"):
            with writing(board) as w:
                w.insert("programmes", {"name": "Adults"}, entity="programme", ref="Adults")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert board.scalar("SELECT count(*) FROM programmes") == 0
    assert board.scalar("SELECT count(*) FROM audit") == 0
    assert not board.conn.in_transaction
    board.close()


def _pragmas(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("foreign_keys", "trusted_schema", "secure_delete", "synchronous")
    }


EXPECTED_PRAGMAS = {"foreign_keys": 1, "trusted_schema": 0, "secure_delete": 1, "synchronous": 2}


def test_pragmas_on_a_new_board(empty_board):
    assert _pragmas(empty_board.conn) == EXPECTED_PRAGMAS
    assert empty_board.conn.execute("PRAGMA busy_timeout").fetchone()[0] == connection.BUSY_TIMEOUT_MS


@pytest.mark.parametrize("read_only", [False, True])
def test_pragmas_on_an_opened_board(demo_path, read_only):
    board = open_board(demo_path, read_only=read_only)
    try:
        assert _pragmas(board.conn) == EXPECTED_PRAGMAS
        assert board.read_only is read_only
    finally:
        board.close()


def test_journal_mode_is_wal_locally_and_delete_on_a_network_path(tmp_path, monkeypatch):
    local = create_board(tmp_path / "local.db")
    assert local.journal_mode == "wal"
    local.close()
    monkeypatch.setattr(connection, "is_network_path", lambda path: True)
    board = open_board(tmp_path / "local.db", journal_mode="wal")
    assert board.journal_mode == "delete"
    assert board.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert any("network drive" in w for w in board.warnings)
    board.close()


def test_new_files_are_owner_only(tmp_path):
    path = tmp_path / "new.db"
    board = create_board(path)
    assert _mode(path) == 0o600
    with writing(board) as w:
        w.insert("programmes", {"name": "Adults"}, entity="programme")
    wal = Path(str(path) + "-wal")
    assert wal.exists() and _mode(wal) == 0o600
    board.close()
    assert board.path == path


def test_create_refuses_an_existing_file(tmp_path):
    path = tmp_path / "board.db"
    path.write_text("keep me")
    with pytest.raises(BoardError, match="already exists"):
        create_board(path)
    assert path.read_text() == "keep me"


def test_a_new_board_is_marked_as_a_board(empty_board):
    assert empty_board.conn.execute("PRAGMA application_id").fetchone()[0] == connection.APPLICATION_ID
    assert migrations.schema_version(empty_board.conn) == migrations.LATEST
    assert empty_board.scalar("SELECT value FROM meta WHERE key = 'created_at'")


@pytest.mark.parametrize(
    "name",
    ["board with spaces.db", "bórd ünïcode 外来.db", "board#1.db", "what?.db", "100% board.db", "a?b#c%d e.db"],
)
def test_awkward_paths_open(tmp_path, name):
    folder = tmp_path / "folder # ? %"
    folder.mkdir()
    path = folder / name
    board = create_board(path, who="creator")
    with writing(board) as w:
        w.insert("programmes", {"name": "Adults"}, entity="programme")
    board.close()
    reopened = open_board(path)
    assert reopened.scalar("SELECT name FROM programmes") == "Adults"
    reopened.close()
    # the file is the one named, not a truncated name at '?' or '#'
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".db") == [name]


def test_read_only_board_refuses_writes(any_demo_source):
    from boardtui.domain.errors import ReadOnly

    board = open_board(any_demo_source, read_only=True)
    before = board.scalar("SELECT count(*) FROM audit")
    with pytest.raises(ReadOnly, match="read-only"):
        with writing(board) as w:
            w.insert("programmes", {"name": "X"})
    assert board.scalar("SELECT count(*) FROM audit") == before
    board.close()


def test_backup_is_owner_only_and_sound(demo_board, tmp_path):
    target = tmp_path / "copy.db"
    backup_to(demo_board, target)
    assert _mode(target) == 0o600
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM actions").fetchone()[0] == demo_board.scalar(
        "SELECT count(*) FROM actions"
    )
    copy.close()
    assert not list(tmp_path.glob(".copy.db.part"))


def test_backup_refuses_to_overwrite_its_own_board(demo_board):
    with pytest.raises(BoardError, match="cannot overwrite"):
        backup_to(demo_board, demo_board.path)


class _SwitchedByAnother:
    """A connection whose journal-mode switch is refused at once the first time, as SQLite refuses one of two
    connections switching together (each holds a shared lock and wants an exclusive one)."""

    def __init__(self, error: str) -> None:
        self.error, self.calls = error, 0

    def execute(self, sql: str):
        self.calls += 1
        if self.calls == 1:
            raise sqlite3.OperationalError(self.error)
        return sqlite3.connect(":memory:").execute("SELECT 'wal'")


def test_a_journal_mode_switch_refused_while_another_switches_is_tried_again():
    conn = _SwitchedByAnother("database is locked")
    assert connection._set_journal_mode(conn, "wal", read_only=False) == "wal" and conn.calls == 2
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):  # anything else is not waited out
        connection._set_journal_mode(_SwitchedByAnother("disk I/O error"), "wal", read_only=False)
