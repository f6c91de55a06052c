"""A small executor so the store's SQL runs on PostgreSQL as well as SQLite (DESIGN.md, "Keys, SQL and engines").

The store writes SQL in the subset both engines share, with named parameters (`:name`). On PostgreSQL
`PgConnection` gives the part of `sqlite3.Connection` the store uses — `execute`, `executemany`, `in_transaction`,
explicit `BEGIN`/`COMMIT`/`ROLLBACK` in autocommit mode — translating `:name` to psycopg's `%(name)s`, and rows
that answer both `row[0]` and `row["name"]`, like `sqlite3.Row`. psycopg is imported only here, and only when a
URL asks for PostgreSQL, so the SQLite start-up is untouched (a test checks it).

The SQLite PRAGMA the store reads for column names and types (`table_info`) is answered from PostgreSQL's
catalogue, so `tx.table_columns` and the history code need no second path. `quick_check` answers "ok" and
`foreign_key_check` no rows: PostgreSQL has no such check (its pages and constraints are the server's to keep),
so `boardtui check` on a server reports only the schema version, counts and figures. Other PRAGMAs do nothing. `postgres_ddl` builds the PostgreSQL schema from the same schema files as SQLite's; `initialise_url` is
what `boardtui init URL` runs; `connection.open_board` opens a URL through `connect`.
"""

from __future__ import annotations

import re
from importlib import resources
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
        cur = self.conn.raw.cursor()
        cur.execute(translate(sql), params) if isinstance(params, dict) else cur.execute(translate(sql))
        return _Cursor(cur)


_PRAGMA = re.compile(r"^\s*PRAGMA\s+(\w+)\s*(?:\((\w+)\))?", re.I)
_TYPES = {"bigint": "INTEGER", "integer": "INTEGER", "smallint": "INTEGER", "double precision": "REAL",
          "real": "REAL", "text": "TEXT"}


_BEGIN = re.compile(r"^\s*BEGIN(\s+(IMMEDIATE|EXCLUSIVE|DEFERRED))?\s*(TRANSACTION)?\s*$", re.I)


class PgConnection:
    """The slice of `sqlite3.Connection` the store uses, over a psycopg 3 connection in autocommit mode."""

    engine = "postgresql"

    def __init__(self, raw) -> None:
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

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
        if name in ("quick_check", "integrity_check"):
            return _Fixed([("ok",)], (name,))
        return _Empty()

    def execute(self, sql: str, params: dict | tuple | None = ()) -> _Cursor:
        pragma = _PRAGMA.match(sql)
        if pragma:
            return self._pragma(pragma.group(1), pragma.group(2))
        if _BEGIN.match(sql):
            sql = "BEGIN"  # READ COMMITTED; the version check in UPDATE … WHERE version = :v guards edits
        cur = self.raw.cursor(row_factory=lambda c: _row_factory(c))
        if isinstance(params, dict):
            cur.execute(translate(sql), params)
        elif params:
            cur.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
        else:
            cur.execute(translate(sql))
        return _Cursor(cur)

    def executemany(self, sql: str, rows: Iterable[dict]) -> None:
        rows = list(rows)
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(translate(sql), rows)

    def close(self) -> None:
        self.raw.close()


def connect(url: str) -> PgConnection:
    """Connect to a PostgreSQL URL (libpq finds the password: ~/.pgpass, PGPASSWORD, PGSERVICE)."""
    check_url(url)
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
    return PgConnection(raw)


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


def postgres_ddl() -> list[str]:
    """The latest schema as PostgreSQL DDL, from the same files as SQLite's: BIGINT for integers (pence),
    DOUBLE PRECISION for reals, and the append-only audit rule as a trigger function."""
    from boardtui.store import migrations

    sql = resources.files("boardtui.store").joinpath("schema_v1.sql").read_text(encoding="utf-8")
    out = []
    for statement in [*migrations._statements(sql), *migrations.CONFLICTS_DDL]:
        statement = re.sub(r"\bINTEGER\b", "BIGINT", statement)
        statement = re.sub(r"\bREAL\b", "DOUBLE PRECISION", statement)
        out.append(statement)
    out += [
        "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$",
        "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
    ]
    return out


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


__all__ = ["PgConnection", "Row", "connect", "initialise_url", "is_url", "postgres_ddl", "redact", "translate"]
