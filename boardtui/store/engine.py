"""A small executor so the store's SQL runs on PostgreSQL as well as SQLite (DESIGN.md, "Keys, SQL and engines").

The store writes SQL in the subset both engines share, with named parameters (`:name`). On PostgreSQL
`PgConnection` gives the part of `sqlite3.Connection` the store uses — `execute`, `executemany`, `in_transaction`,
explicit `BEGIN`/`COMMIT`/`ROLLBACK` in autocommit mode — translating `:name` to psycopg's `%(name)s`, and rows
that answer both `row[0]` and `row["name"]`, like `sqlite3.Row`. psycopg is imported only here, and only when a
URL asks for PostgreSQL, so the SQLite start-up is untouched (a test checks it).

The SQLite PRAGMAs the store reads are answered from PostgreSQL's catalogue: `table_info` (column names and
types, so `tx.table_columns` and the history code need no second path), `foreign_key_list` (the copy orders its
tables by it) and `foreign_key_check` (orphaned references, found by query). There is no `quick_check`: pages and
indexes are the server's to check (pg_amcheck), and `boardtui check` says so rather than answering "ok". Other
PRAGMAs do nothing. `postgres_ddl` builds the PostgreSQL schema from the same schema files and migration steps as
SQLite's; `initialise_url` is what `boardtui init URL` runs; `connection.open_board` opens a URL through `connect`,
and `upgrade` brings an older board's schema up to date there, in one transaction.

A connection that drops mid-session is made again at once for a statement that is safe to repeat (a read, or a
BEGIN with nothing open); otherwise, or when the server cannot be reached, it raises `ConnectionLost` (one
sentence, nothing saved) until a new connection is adopted: ui/live.py keeps trying in a thread.
"""

from __future__ import annotations

import re
from typing import Iterable
from urllib.parse import urlsplit, urlunsplit

from boardtui.domain.errors import BoardError

SCHEMES = ("postgresql", "postgres")

# A quoted literal (kept as it is), a `::` cast (kept), or a `:name` parameter.
_TOKEN = re.compile(r"'(?:[^']|'')*'|::|(?<![\w:]):([A-Za-z_]\w*)")


_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):/+")  # two letters at least: "C:/" is a Windows path


def as_url(value: object) -> str | None:
    """The URL in a --db value, or None for a path; mends the "//" that `pathlib.Path` collapses."""
    text = str(value)
    match = _URL.match(text)
    return _URL.sub(lambda m: f"{m.group(1)}://", text, count=1) if match else None


def is_url(value: object) -> bool:
    return as_url(value) is not None


def redact(url: str) -> str:
    """A URL fit to print: the password removed, whatever else it holds."""
    parts = urlsplit(str(url))
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("password="))
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def check_url(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise BoardError(f"{redact(url)}: boardtui keeps boards in SQLite files or on PostgreSQL "
                         f"(postgresql://user@host:port/dbname), not {scheme or 'this kind of URL'}.")


def translate(sql: str) -> str:
    """`:name` → `%(name)s` (and a literal `%` → `%%`), leaving quoted text and `::` casts alone."""
    out, pos = [], 0
    for m in _TOKEN.finditer(sql):
        out.append(sql[pos:m.start()].replace("%", "%%"))
        token = m.group(0)
        if m.group(1):
            out.append(f"%({m.group(1)})s")
        else:
            out.append(token.replace("%", "%%"))
        pos = m.end()
    out.append(sql[pos:].replace("%", "%%"))
    return "".join(out)


class Row(tuple):
    """A result row answering both `row[0]` and `row["name"]`, with `keys()`, like `sqlite3.Row`."""

    __slots__ = ()
    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key])
            except KeyError:
                raise IndexError(f"No item with that key: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor):
    names = tuple(d.name for d in cursor.description or ())
    cls = type("Row", (Row,), {"_names": names, "_index": {n: i for i, n in enumerate(names)}})
    return cls


class _Cursor:
    def __init__(self, cur) -> None:
        self._cur = cur

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def fetchone(self):
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self) -> list:
        return self._cur.fetchall() if self._cur.description else []

    def __iter__(self):
        return iter(self.fetchall())


class _Fixed:
    """Rows made here (a PRAGMA answered from the catalogue), with the same index and key access."""

    def __init__(self, rows: list[tuple], names: tuple[str, ...]) -> None:
        cls = type("Row", (Row,), {"_names": names, "_index": {n: i for i, n in enumerate(names)}})
        self.rows = [cls(r) for r in rows]
        self.rowcount = len(rows)

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list:
        return list(self.rows)

    def __iter__(self):
        return iter(self.rows)


class _Empty:
    rowcount = 0
    description = None

    def fetchone(self):
        return None

    def fetchall(self) -> list:
        return []


class _Tuples:
    """`conn.cursor()` for code that sets `row_factory = None` to read plain tuples (a hot path on SQLite)."""

    def __init__(self, conn: "PgConnection") -> None:
        self.conn = conn
        self.row_factory = None

    def execute(self, sql: str, params: dict | tuple = ()):
        def work() -> _Cursor:
            cur = self.conn.raw.cursor()
            cur.execute(translate(sql), params) if isinstance(params, dict) else cur.execute(sql)  # see execute
            return _Cursor(cur)

        return self.conn._run(sql, work)


_PRAGMA = re.compile(r"^\s*PRAGMA\s+(\w+)\s*(?:\((\w+)\))?", re.I)
_TYPES = {"bigint": "INTEGER", "integer": "INTEGER", "smallint": "INTEGER", "double precision": "REAL",
          "real": "REAL", "text": "TEXT"}


_BEGIN = re.compile(r"^\s*BEGIN(\s+(IMMEDIATE|EXCLUSIVE|DEFERRED))?\s*(TRANSACTION)?\s*$", re.I)
# Statements safe to run again on a new connection when the old one dropped before answering: reads, and BEGIN.
_RETRYABLE = re.compile(r"^\s*(SELECT|SHOW|WITH|PRAGMA|BEGIN)\b", re.I)
_SESSION = re.compile(r"^\s*SET\s", re.I)


class ConnectionLost(BoardError):
    """The connection to the server dropped mid-session and could not be made again at once. Nothing more is read
    or written through it until `PgConnection.adopt` hands it a new one (ui/live.py keeps trying)."""


class PgConnection:
    """The slice of `sqlite3.Connection` the store uses, over a psycopg 3 connection in autocommit mode."""

    engine = "postgresql"

    def __init__(self, raw, url: str | None = None) -> None:
        self.raw = raw
        self.url = url
        self.session: list[str] = []  # SET statements, made again on a new connection
        self.lost: str | None = None  # why the connection is down, until a new one is adopted

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        if self.lost is not None:
            return False  # whatever was open died with the connection: the server rolled it back
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def _run(self, sql: str, work):
        """Run `work()`. When the connection drops under it, a statement that is safe to repeat (a read or a
        BEGIN, with no transaction open) is run again on a new connection; anything else — a write or a COMMIT
        whose outcome is unknown — raises ConnectionLost, and so does everything after, until a new connection
        is adopted."""
        if self.lost is not None:
            raise ConnectionLost(self.lost)
        was_idle = not self.in_transaction
        try:
            return work()
        except Exception as exc:
            if not (self.raw.broken or self.raw.closed):
                raise
            self.lost = self._lost_sentence(exc)
            if was_idle and _RETRYABLE.match(sql) and self.url:
                try:
                    self.adopt(self.fresh_raw())
                except BoardError:
                    raise ConnectionLost(self.lost) from exc
                return work()
            raise ConnectionLost(self.lost) from exc

    def _lost_sentence(self, exc: Exception) -> str:
        parts = urlsplit(self.url or "")
        where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (f"The connection to the PostgreSQL server at {where} was lost ({_scrub(reason, self.url or '')}): "
                "nothing was saved.")

    def fresh_raw(self):
        """A new server connection with this session's settings; safe to call from another thread (it touches
        nothing of this object's but the URL and the settings list). Raises BoardError when the server is not
        reachable."""
        raw = _open_raw(self.url or "")
        try:
            for statement in self.session:
                raw.execute(statement)
        except Exception:
            raw.close()
            raise
        return raw

    def adopt(self, raw) -> None:
        """Use `raw` from now on (on the thread that uses this connection); the dead one is closed."""
        old, self.raw, self.lost = self.raw, raw, None
        try:
            old.close()
        except Exception:
            pass  # it is gone already

    def cursor(self) -> _Tuples:
        return _Tuples(self)

    def _pragma(self, name: str, arg: str | None):
        """The few SQLite PRAGMAs the store reads, answered from PostgreSQL's catalogue; the rest do nothing."""
        name = name.lower()
        if name == "table_info" and arg:
            rows = self.raw.execute(
                "SELECT c.ordinal_position - 1, c.column_name, c.data_type, (c.is_nullable = 'NO')::int, "
                "c.column_default, (EXISTS (SELECT 1 FROM information_schema.key_column_usage k "
                "JOIN information_schema.table_constraints t ON t.constraint_name = k.constraint_name "
                "AND t.table_schema = k.table_schema WHERE t.constraint_type = 'PRIMARY KEY' "
                "AND k.table_name = c.table_name AND k.column_name = c.column_name "
                "AND k.table_schema = c.table_schema))::int "
                "FROM information_schema.columns c WHERE c.table_schema = current_schema() "
                "AND c.table_name = %s ORDER BY c.ordinal_position", (arg.lower(),)
            ).fetchall()
            return _Fixed([(r[0], r[1], _TYPES.get(r[2], r[2].upper()), r[3], r[4], r[5]) for r in rows],
                          ("cid", "name", "type", "notnull", "dflt_value", "pk"))
        if name == "foreign_key_list" and arg:
            return _Fixed([(i, 0, parent, col, pcol, "NO ACTION", "NO ACTION", "NONE")
                           for i, (_, col, parent, pcol) in enumerate(self.foreign_keys(arg.lower()))],
                          ("id", "seq", "table", "from", "to", "on_update", "on_delete", "match"))
        if name == "foreign_key_check":
            return _Fixed(self._orphans(), ("table", "rowid", "parent", "fkid"))
        return _Empty()

    def foreign_keys(self, table: str | None = None) -> list[tuple[str, str, str, str]]:
        """(table, column, parent table, parent column) for each single-column foreign key in the schema."""
        rows = self.raw.execute(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, pa.attname "
            "FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1] "
            "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace "
            "AND cardinality(c.conkey) = 1 AND (%(t)s::text IS NULL OR c.conrelid::regclass::text = %(t)s) "
            "ORDER BY 1, c.conname", {"t": table}
        ).fetchall()
        return [tuple(r) for r in rows]

    def _orphans(self) -> list[tuple]:
        """Rows whose reference points at no row, found by query, as SQLite's `foreign_key_check` lists them.
        The server enforces the constraints; this finds what got past them (a constraint added NOT VALID, or
        rows loaded with triggers disabled)."""
        out = []
        # Names from the catalogue (pg_constraint), never from user text.
        for fkid, (table, col, target, pk) in enumerate(self.foreign_keys()):
            n = self.raw.execute(
                f'SELECT count(*) FROM "{table}" c WHERE c."{col}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM "{target}" p WHERE p."{pk}" = c."{col}")'
            ).fetchone()[0]
            out += [(table, None, target, fkid)] * n
        return out

    def execute(self, sql: str, params: dict | tuple | None = ()) -> _Cursor:
        pragma = _PRAGMA.match(sql)
        if pragma:
            return self._run(sql, lambda: self._pragma(pragma.group(1), pragma.group(2)))
        if _BEGIN.match(sql):
            sql = "BEGIN"  # READ COMMITTED; the version check in UPDATE … WHERE version = :v guards edits

        def work() -> _Cursor:
            cur = self.raw.cursor(row_factory=lambda c: _row_factory(c))
            if isinstance(params, dict):
                cur.execute(translate(sql), params)
            elif params:
                cur.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
            else:  # no parameters: psycopg sends the text as it is, so a `%` must not be doubled (DEFAULT '%')
                cur.execute(sql)
            return _Cursor(cur)

        result = self._run(sql, work)
        if _SESSION.match(sql) and not self.in_transaction:
            self.session.append(sql)
        return result

    def executemany(self, sql: str, rows: Iterable[dict]) -> None:
        rows = list(rows)
        if rows:
            def work() -> None:
                with self.raw.cursor() as cur:
                    cur.executemany(translate(sql), rows)

            self._run(sql, work)

    def close(self) -> None:
        self.raw.close()


def connect(url: str) -> PgConnection:
    """Connect to a PostgreSQL URL (libpq finds the password: ~/.pgpass, PGPASSWORD, PGSERVICE)."""
    check_url(url)
    return PgConnection(_open_raw(url), url)


def _open_raw(url: str):
    """A psycopg connection in autocommit mode, loading numbers as SQLite does; one sentence when it fails."""
    try:
        import psycopg
    except ImportError as exc:
        raise BoardError("PostgreSQL needs the optional driver: pip install \"boardtui[postgres]\".") from exc
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        parts = urlsplit(url)
        where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BoardError(f"Could not connect to the PostgreSQL server at {where} ({_scrub(reason, url)}).") from exc
    _load_numbers_as_sqlite_does(raw)
    return raw


def _load_numbers_as_sqlite_does(raw) -> None:
    """`sum()` of a BIGINT is NUMERIC on PostgreSQL (a Decimal in Python); SQLite gives an int. Whole numbers come
    back as int and others as float, so money code (integer pence) sees the same types on both engines."""
    from psycopg.adapt import Loader

    class NumberLoader(Loader):
        def load(self, data):
            text = bytes(data).decode()
            if "." in text or "e" in text.lower() or text in ("NaN", "Infinity", "-Infinity"):
                return float(text)
            return int(text)

    raw.adapters.register_loader("numeric", NumberLoader)


def _scrub(text: str, url: str) -> str:
    password = urlsplit(url).password
    return text.replace(password, "***") if password else text


def _pg_types(statement: str) -> str:
    """A portable statement in PostgreSQL's types: BIGINT for integers (pence), DOUBLE PRECISION for reals."""
    statement = re.sub(r"\bINTEGER\b", "BIGINT", statement)
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", statement)


def _steps_after(version: int, upto: int) -> list[str]:
    """The DDL of migrations `version`+1 … `upto` (migrations.STEPS, the same statements SQLite runs)."""
    from boardtui.store import migrations

    return [_pg_types(statement) for number, _, ddl in migrations.STEPS if version < number <= upto
            for statement in (*ddl, *migrations.POSTGRES_ONLY.get(number, ()))]


def postgres_ddl(version: int | None = None) -> list[str]:
    """The schema at `version` (the latest by default) as PostgreSQL DDL, from the same files and migration steps
    as SQLite's, in their order, with the append-only audit rule of 0001 as a trigger function."""
    from importlib import resources  # only when a server board's schema is wanted (~1 ms of every start)

    from boardtui.store import migrations

    sql = resources.files("boardtui.store").joinpath("schema_v1.sql").read_text(encoding="utf-8")
    out = [_pg_types(statement) for statement in migrations._statements(sql)]
    out += [
        "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$",
        "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
    ]
    return out + _steps_after(1, migrations.LATEST if version is None else version)


def table_order() -> list[str]:
    """The board's tables in the order the schema creates them: parents before children."""
    names = []
    for statement in postgres_ddl():
        match = re.match(r"CREATE TABLE (\w+)", statement)
        if match:
            names.append(match.group(1))
    return names


def initialise_url(url: str) -> None:
    """Create the latest schema in an existing, empty PostgreSQL database (one transaction)."""
    from boardtui.store import migrations
    from boardtui.store.ids import now_iso

    conn = connect(url)
    try:
        found = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchone()[0]
        if found:
            raise BoardError(f"{redact(url)} already holds tables: a board is only created in an empty database.")
        conn.execute("BEGIN")
        try:
            for statement in postgres_ddl():
                conn.execute(statement)
            for key, value in (("schema_version", str(migrations.LATEST)), ("created_at", now_iso())):
                conn.execute("INSERT INTO meta (key, value) VALUES (:k, :v)", {"k": key, "v": value})
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except BoardError:
        raise
    except Exception as exc:
        raise BoardError(f"The board could not be created at {redact(url)} ({_scrub(str(exc), url)}).") from exc
    finally:
        conn.close()


def schema_version(conn: PgConnection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def may_upgrade(conn: PgConnection) -> tuple[bool, str]:
    """Whether this role may upgrade the board's schema (it owns the tables, or is a member of the role that
    does: new indexes and tables need that), and the name of the owner role, for the sentence when it may not."""
    row = conn.execute(
        "SELECT tableowner, pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables "
        "WHERE schemaname = current_schema() AND tablename = 'meta'"
    ).fetchone()
    return bool(row[1]), str(row[0])


def upgrade(conn: PgConnection, who: str) -> int:
    """Bring an older board to the latest schema: every pending migration's DDL, the `meta` version and an audit
    row, in one transaction (PostgreSQL's DDL is transactional, so a failure or a killed process leaves the old
    schema). The lock on `meta` lets one client upgrade while another waits, then finds the work done; readers
    carry on meanwhile, except those of a table a step drops an index of (0006: the action log), who wait for the
    upgrade's commit. Returns the version found under the lock: one above LATEST (a newer boardtui got there first)
    is the caller's to refuse."""
    from boardtui.store import migrations
    from boardtui.store.ids import new_id, now_iso

    conn.execute("BEGIN")
    try:
        conn.execute("LOCK TABLE meta IN EXCLUSIVE MODE")
        version = schema_version(conn)  # again, under the lock: another client may have upgraded meanwhile
        if version < migrations.LATEST:
            for statement in _steps_after(version, migrations.LATEST):
                conn.execute(statement)
            conn.execute("UPDATE meta SET value = :v WHERE key = 'schema_version'", {"v": str(migrations.LATEST)})
            conn.execute(
                "INSERT INTO audit (id, at, who, op, entity, ref, field, old, new, reason) "
                "VALUES (:id, :at, :who, 'update', 'board', 'schema_version', 'value', :old, :new, :reason)",
                {"id": new_id(), "at": now_iso(), "who": who, "old": str(version), "new": str(migrations.LATEST),
                 "reason": "upgraded on open by this version of boardtui"},
            )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return version


__all__ = ["ConnectionLost", "PgConnection", "Row", "connect", "initialise_url", "is_url", "postgres_ddl", "redact",
           "translate", "upgrade"]
