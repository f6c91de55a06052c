"""The one write path: `BEGIN IMMEDIATE` → work → `COMMIT`, or `ROLLBACK` on any exception.

Every change goes through a `Writer`, which checks the row's `version` (a stale edit is refused with who changed
the row and when, never silently overwritten) and appends the audit rows in the same transaction. `BEGIN
IMMEDIATE` matters: a deferred read-then-write transaction fails at once with "database is locked" whatever the
busy timeout, while an immediate one waits its turn (RELIABILITY.md, measured).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Any, Iterator

from boardtui.domain.errors import BoardError, Busy, Conflict, NewerSchema, NotFound, ReadOnly
from boardtui.store.connection import Board
from boardtui.store.ids import new_id, now_iso

_columns_cache: dict[tuple[int, str], frozenset[str]] = {}
_LOOK_UP = object()  # Writer.upsert: find the row by its key (the default)
_AUDIT_SQL = (
    "INSERT INTO audit (id, at, who, op, entity, entity_id, ref, field, old, new, reason, confidential) "
    "VALUES (:id, :at, :who, :op, :entity, :entity_id, :ref, :field, :old, :new, :reason, :conf)"
)


def table_columns(board: Board, table: str) -> frozenset[str]:
    """The columns of a table, read from the schema: names in generated SQL come only from this allow-list."""
    key = (id(board.conn), table)
    cols = _columns_cache.get(key)
    if cols is None:
        if not table.isidentifier():
            raise ValueError(f"not a table name: {table!r}")
        cols = frozenset(r[1] for r in board.conn.execute(f"PRAGMA table_info({table})").fetchall())
        if not cols:
            raise ValueError(f"no such table: {table}")
        _columns_cache[key] = cols
    return cols


def _check_columns(board: Board, table: str, names) -> None:
    allowed = table_columns(board, table)
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValueError(f"unknown column(s) for {table}: {', '.join(unknown)}")


def audit_text(value: Any) -> str | None:
    """How a value is written into the audit trail (text, None kept as None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def map_sqlite_error(exc: sqlite3.Error) -> BoardError:
    """Turn SQLite's errors into one plain sentence a user can act on."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return Busy("The board is busy: someone else is saving. Nothing was saved; try again in a moment.")
    if "full" in text:
        return BoardError("The disk is full: nothing was saved.")
    if "readonly" in text or "read-only" in text:
        return ReadOnly("The board is read-only here: nothing was saved.")
    if "unique" in text:
        return BoardError(f"That would duplicate an existing record ({exc}); nothing was saved.")
    if "foreign key" in text:
        return BoardError("That refers to a record that does not exist; nothing was saved.")
    if "not null" in text:
        return BoardError(f"A required value is missing ({exc}); nothing was saved.")
    return BoardError(f"The database refused the change ({exc}); nothing was saved.")


class Writer:
    """Changes made inside one write transaction, each with its audit rows."""

    def __init__(self, board: Board, reason: str | None = None) -> None:
        self.board = board
        self.reason = reason
        self.at = now_iso()
        self.conn = board.conn
        self._pending: list[dict] | None = None  # audit rows held back by batched()
        self._held: dict[str, list[dict]] | None = None  # inserts held back by batched(inserts=True)
        self._checked: set[tuple[str, frozenset]] = set()  # (table, column names) already allowed
        self._insert_sql: dict[tuple[str, tuple], str] = {}

    @contextmanager
    def batched(self, *, inserts: bool = False) -> Iterator[None]:
        """Hold audit rows (and, with `inserts`, new rows) and write them with executemany, in this transaction.

        For bulk imports: the same rows and the same audit trail, a few statements instead of one per row.
        Held rows are written before any update, load, delete or key lookup through this Writer; code inside
        must not read the tables involved by other means. Only use `inserts` for a writer that adds rows to
        one table (the order of held rows between tables is not kept).
        """
        if self._pending is not None:
            yield
            return
        self._pending = []
        self._held = {} if inserts else None
        try:
            yield
            self._flush()
        finally:
            self._pending = None
            self._held = None

    def _flush(self) -> None:
        if self._held:
            for sql, rows in self._held.items():
                self.conn.executemany(sql, rows)
            self._held.clear()
        if self._pending:
            self.conn.executemany(_AUDIT_SQL, self._pending)
            self._pending.clear()

    def _allowed(self, table: str, names) -> None:
        key = (table, frozenset(names))
        if key not in self._checked:
            _check_columns(self.board, table, names)
            self._checked.add(key)

    def audit(
        self,
        op: str,
        entity: str,
        entity_id: str | None,
        ref: str | None = None,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
        reason: str | None = None,
        confidential: bool = False,
    ) -> None:
        row = {
            "id": new_id(),
            "at": self.at,
            "who": self.board.who,
            "op": op,
            "entity": entity,
            "entity_id": entity_id,
            "ref": ref,
            "field": field,
            "old": audit_text(old),
            "new": audit_text(new),
            "reason": reason if reason is not None else self.reason,
            "conf": 1 if confidential else 0,
        }
        if self._pending is not None:
            self._pending.append(row)
        else:
            self.conn.execute(_AUDIT_SQL, row)

    def insert(
        self,
        table: str,
        values: dict[str, Any],
        *,
        entity: str | None = None,
        ref: str | None = None,
        confidential: bool = False,
        reason: str | None = None,
        audit: bool = True,
    ) -> str:
        """Insert a row (a new text key unless one is given) and record its creation."""
        row = dict(values)
        row.setdefault("id", new_id())
        cols = table_columns(self.board, table)
        if "updated_at" in cols:
            row.setdefault("updated_at", self.at)
            row.setdefault("updated_by", self.board.who)
        if "created_at" in cols:
            row.setdefault("created_at", self.at)
        names = tuple(row)
        sql = self._insert_sql.get((table, names))
        if sql is None:
            _check_columns(self.board, table, names)
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"
            self._insert_sql[(table, names)] = sql
        if self._held is not None:
            self._held.setdefault(sql, []).append(row)
        else:
            self.conn.execute(sql, row)
        if audit:
            self.audit("create", entity or table, row["id"], ref, reason=reason, confidential=confidential)
        return row["id"]

    def load(self, table: str, row_id: str) -> sqlite3.Row:
        if self._held:
            self._flush()
        _check_columns(self.board, table, ["id"])
        row = self.conn.execute(f"SELECT * FROM {table} WHERE id = :id", {"id": row_id}).fetchone()
        if row is None:
            raise NotFound("That record no longer exists: someone may have deleted it. Reload and try again.")
        return row

    def update(
        self,
        table: str,
        row_id: str,
        version: int | None,
        changes: dict[str, Any],
        *,
        entity: str | None = None,
        ref: str | None = None,
        confidential: bool = False,
        reason: str | None = None,
        audit: bool = True,
    ) -> int:
        """Apply field changes if the row is still at `version`; audit each changed field. Returns the new version.

        `version=None` skips the check, for changes that are not edits of something a person was shown
        (an import matched on its natural key, a roll-up recomputed by the store). `audit=False` is for a
        check-in, whose audit rows arrive from the offline copy itself.
        """
        self._allowed(table, changes)
        current = self.load(table, row_id)
        if version is not None and current["version"] != version:
            raise Conflict(who=current["updated_by"] or "someone", when=current["updated_at"] or "an unknown time")
        changed = {k: v for k, v in changes.items() if current[k] != v}
        if not changed:
            return current["version"]
        params = dict(changed)
        params.update(_id=row_id, _v=current["version"], _at=self.at, _who=self.board.who)
        sets = [f"{k} = :{k}" for k in changed] + ["version = version + 1"]
        cols = table_columns(self.board, table)
        if "updated_at" in cols:
            sets += ["updated_at = :_at", "updated_by = :_who"]
        cur = self.conn.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE id = :_id AND version = :_v", params)
        if cur.rowcount != 1:
            raise Conflict(who=current["updated_by"] or "someone", when=current["updated_at"] or "an unknown time")
        for k, v in changed.items() if audit else ():
            self.audit("update", entity or table, row_id, ref, k, current[k], v, reason, confidential)
        return current["version"] + 1

    def upsert(
        self,
        table: str,
        key: dict[str, Any],
        values: dict[str, Any],
        *,
        entity: str | None = None,
        ref: str | None = None,
        confidential: bool = False,
        reason: str | None = None,
        existing_id: str | None | object = _LOOK_UP,
    ) -> tuple[str, bool]:
        """Update the row matching the natural `key`, or insert it. Returns (id, created).

        A caller that already knows whether the row exists (an import that read every key once) passes
        `existing_id` (the row's id, or None for "no such row") and saves a SELECT per row.
        """
        self._allowed(table, key)
        if existing_id is _LOOK_UP:
            if self._held:
                self._flush()
            # A NULL in the key must match NULL: `=` never does, and `IS :x` is not PostgreSQL.
            where = " AND ".join(f"{k} IS NULL" if v is None else f"{k} = :{k}" for k, v in key.items())
            found = self.conn.execute(f"SELECT id FROM {table} WHERE {where}", key).fetchone()
            existing_id = found[0] if found is not None else None
        if existing_id is not None:
            self.update(table, existing_id, None, values, entity=entity, ref=ref, confidential=confidential,
                        reason=reason)
            return existing_id, False
        new = self.insert(
            table, {**key, **values}, entity=entity, ref=ref, confidential=confidential, reason=reason
        )
        return new, True

    def delete(
        self,
        table: str,
        row_id: str,
        version: int | None,
        *,
        entity: str | None = None,
        ref: str | None = None,
        confidential: bool = False,
        reason: str | None = None,
        audit: bool = True,
    ) -> None:
        """Delete a row if still at `version`, keeping a full snapshot of it in the audit trail (unless `audit`
        is False: a check-in brings the offline copy's own audit rows)."""
        current = self.load(table, row_id)
        if version is not None and current["version"] != version:
            raise Conflict(who=current["updated_by"] or "someone", when=current["updated_at"] or "an unknown time")
        import json  # deletes only: ~1 ms of every start-up otherwise

        snapshot = json.dumps({k: current[k] for k in current.keys()}, sort_keys=True, ensure_ascii=False)
        self.conn.execute(f"DELETE FROM {table} WHERE id = :id", {"id": row_id})
        if audit:
            self.audit("delete", entity or table, row_id, ref, None, snapshot, None, reason, confidential)


def _refuse_if_upgraded(board: Board) -> None:
    """A newer boardtui may have upgraded the schema while this one had the board open (RELIABILITY G4): its
    writes would then follow the old rules, so refuse them and ask for a restart. One indexed read per write."""
    from boardtui.store.migrations import LATEST

    row = board.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is not None and row[0] is not None and int(row[0]) > LATEST:
        raise NewerSchema(
            f"This board was upgraded by a newer version of boardtui (schema {row[0]}) while it was open here: "
            "nothing was saved; upgrade boardtui and restart."
        )


@contextmanager
def snapshot(board: Board) -> Iterator[None]:
    """Run several reads against one consistent state of the board (an export, a board pack: RELIABILITY B4).

    On SQLite in WAL mode the reads share one snapshot and writers carry on meanwhile; in rollback-journal mode
    writers wait (up to the busy timeout) until the reads finish. Inside a write transaction it adds nothing.
    """
    conn = board.conn
    if conn.in_transaction:
        yield
        return
    server = getattr(conn, "engine", "sqlite") == "postgresql"
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ" if server else "BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


@contextmanager
def writing(board: Board, reason: str | None = None) -> Iterator[Writer]:
    """One write transaction. Nested use joins the outer transaction (an import calling store functions)."""
    try:
        board.await_integrity()  # a quick_check still running in the background must pass first (RELIABILITY A8)
    except sqlite3.Error as exc:
        raise map_sqlite_error(exc) from exc
    if board.read_only:
        why = f" ({board.read_only_reason})" if board.read_only_reason else ""
        raise ReadOnly(f"This board is open read-only{why}: nothing was saved.")
    conn = board.conn
    if conn.in_transaction:
        yield Writer(board, reason)
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise map_sqlite_error(exc) from exc
    try:
        _refuse_if_upgraded(board)
        yield Writer(board, reason)
        _before_commit(board)
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise map_sqlite_error(exc) from exc
    except BaseException as exc:
        server = getattr(conn, "engine", "sqlite") == "postgresql" and type(exc).__module__.startswith("psycopg")
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except Exception:
            if not server:
                raise
        if server:  # PostgreSQL's errors, as one sentence like SQLite's (store/engine.py)
            raise map_server_error(exc) from exc
        raise


def _before_commit(board: Board) -> None:
    """Keep the programme roll-ups that this transaction's scheme changes made stale (migration 0005)."""
    from boardtui.store.savings import refresh_kept_rollups  # savings imports this module

    refresh_kept_rollups(board)


def map_server_error(exc: BaseException) -> BoardError:
    """Turn a PostgreSQL error into one plain sentence; the password never appears in these messages."""
    text = str(exc).lower()
    if "permission denied" in text or "read-only transaction" in text:
        return ReadOnly("Your database role may only read this board: nothing was saved.")
    if "duplicate key" in text:
        return BoardError("That would duplicate an existing record; nothing was saved.")
    if "foreign key" in text:
        return BoardError("That refers to a record that does not exist; nothing was saved.")
    if "not-null" in text or "null value" in text:
        return BoardError("A required value is missing; nothing was saved.")
    if "connection" in text or "server closed" in text or "terminating" in text:
        return BoardError("The connection to the board's server was lost: nothing was saved; try again when "
                          "it is back.")
    return BoardError(f"The server refused the change ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); "
                      "nothing was saved.")
