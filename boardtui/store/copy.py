"""Copy a whole board between engines (`boardtui copy SOURCE DEST`): every table and the whole audit trail, counts
checked after, refused when DEST is not empty. Also what the offline copy shares with it: naming a source, opening
it, and listing a board's tables parents-first.

Tables are written in the order their foreign keys demand (parents before children), worked out from the
destination's own catalogue (`PRAGMA foreign_key_list`, answered from `pg_constraint` on PostgreSQL), not from the
order a file happens to list them in: a board whose tables were rebuilt by a migration lists them in another order,
and PostgreSQL checks every reference as each row goes in. Rows of a table that refers to itself (organisations and
their parents) go in parents first for the same reason; SQLite additionally defers its checks to the commit.
"""

from __future__ import annotations

import os
from pathlib import Path

from boardtui.domain.errors import BoardError
from boardtui.store import migrations
from boardtui.store.connection import Board, create_board, open_board
from boardtui.store.tx import table_columns, writing

# Never copied or diffed: bookkeeping of one copy, and what SQLite keeps from the rows (made again by its triggers
# as the rows are written; migration 0005).
NOT_COPIED = {"meta", "conflicts", "_sqlite_migrations", "programme_rollups", "rollups_stale", "action_counts"}


def describe_source(source: str | os.PathLike) -> str:
    """How a source is named in a copy and in messages: an absolute path, or a URL with no password."""
    from boardtui.store import engine

    url = engine.as_url(source)
    if url is not None:
        return engine.redact(url)
    return str(Path(source).expanduser().resolve())


def open_source(source: str | os.PathLike, *, read_only: bool = False, who: str | None = None,
                migrate: bool = True) -> Board:
    """The source board (the one place a checkout, check-in or copy opens it)."""
    return open_board(source, read_only=read_only, who=who, migrate=migrate)


def _on_server(conn) -> bool:
    return getattr(conn, "engine", "sqlite") == "postgresql"


def foreign_keys(conn, table: str, schema: str = "main") -> list[tuple[str, str, str]]:
    """(column, parent table, parent column) of each reference `table` makes."""
    sql = f"PRAGMA foreign_key_list({table})" if _on_server(conn) else f"PRAGMA {schema}.foreign_key_list({table})"
    return [(r["from"], r["table"], r["to"]) for r in conn.execute(sql)]


def parents_first(conn, tables: list[str], schema: str = "main") -> list[str]:
    """`tables` reordered so that every table comes after the tables it refers to (a depth-first walk of the
    foreign-key graph, keeping the given order where the graph leaves it free). A table's references to itself
    are left to `copy_board`'s row order."""
    wanted = set(tables)
    parents = {t: [p for _, p, _ in foreign_keys(conn, t, schema) if p in wanted and p != t] for t in tables}
    out: list[str] = []
    placed: set[str] = set()

    def visit(table: str, path: tuple[str, ...]) -> None:
        if table in placed:
            return
        if table in path:
            raise BoardError(f"The board's tables refer to each other in a circle ({' → '.join((*path, table))}): "
                             "they cannot be copied one after another.")
        for parent in parents[table]:
            visit(parent, (*path, table))
        placed.add(table)
        out.append(table)

    for table in tables:
        visit(table, ())
    return out


def board_tables(conn, schema: str = "main") -> list[str]:
    """The board's tables, parents before children, without the bookkeeping tables of one copy."""
    if _on_server(conn):
        rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()
    else:
        rows = conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
                            "AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
    return parents_first(conn, [r[0] for r in rows if r[0] not in NOT_COPIED], schema)


def _rows_parents_first(rows: list, column: str, key: str) -> list:
    """Rows of a self-referencing table ordered so each row's parent (`column` → `key`) is written before it."""
    present = {r[key] for r in rows}
    out, placed, pending = [], set(), list(rows)
    while pending:
        ready = [r for r in pending if r[column] is None or r[column] in placed or r[column] not in present]
        if not ready:  # a circle of rows: written as they are, and the engine says what is wrong
            return out + pending
        out += ready
        placed.update(r[key] for r in ready)
        ready_ids = {id(r) for r in ready}
        pending = [r for r in pending if id(r) not in ready_ids]
    return out


def _counts(board: Board, tables: list[str]) -> dict[str, int]:
    return {t: board.scalar(f"SELECT count(*) FROM {t}") for t in tables}


def _open_dest(dest: str | os.PathLike, who: str | None) -> Board:
    from boardtui.store import engine

    url = engine.as_url(dest)
    if url is not None:
        conn = engine.connect(url)
        try:
            empty = not conn.execute("SELECT count(*) FROM information_schema.tables "
                                     "WHERE table_schema = current_schema()").fetchone()[0]
        finally:
            conn.close()
        if empty:
            engine.initialise_url(url)
        return open_board(url, who=who)
    path = Path(dest).expanduser()
    if path.exists() and path.stat().st_size > 0:
        return open_board(path, who=who)
    path.unlink(missing_ok=True)
    return create_board(path, who=who)


def copy_board(source: str | os.PathLike, dest: str | os.PathLike, who: str | None = None) -> dict[str, int]:
    """Copy every table and the whole audit trail into DEST (new, or an empty board); counts checked after."""
    if describe_source(source) == describe_source(dest):
        raise BoardError("A board cannot be copied onto itself.")
    src = open_source(source, read_only=True)
    try:
        dst = _open_dest(dest, who)
        try:
            tables = parents_first(dst.conn, board_tables(src.conn))
            if any(n for n in _counts(dst, [t for t in board_tables(dst.conn) if t != "audit"]).values()):
                raise BoardError(f"{describe_source(dest)} is not empty: a board is only copied into an empty one.")
            if migrations.schema_version(src.conn) != migrations.schema_version(dst.conn):
                raise BoardError("The two boards have different schema versions: nothing was copied.")
            with writing(dst, reason="copy of a board") as w:
                w.conn.execute("PRAGMA defer_foreign_keys = ON")  # SQLite: references checked at the commit
                for table in tables:
                    _copy_table(src, dst, w.conn, table)
                for row in src.query("SELECT key, value FROM meta WHERE key <> 'schema_version'"):
                    w.conn.execute("INSERT INTO meta (key, value) VALUES (:k, :v) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   {"k": row["key"], "v": row["value"]})
                before, after = _counts(src, tables), _counts(dst, tables)
                if before != after:
                    raise BoardError("The copy's counts did not match the source's: nothing was copied.")
            return after
        finally:
            dst.close()
    finally:
        src.close()


def _copy_table(src: Board, dst: Board, conn, table: str) -> None:
    rows = src.query(f"SELECT * FROM {table}")
    if not rows:
        return
    names = rows[0].keys()
    if set(names) - table_columns(dst, table):
        raise BoardError(f"The two boards' {table} tables differ: nothing was copied.")
    for column, parent, key in foreign_keys(dst.conn, table):
        if parent == table:
            rows = _rows_parents_first(rows, column, key)
    conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})",
                     [dict(r) for r in rows])


__all__ = ["NOT_COPIED", "board_tables", "copy_board", "describe_source", "open_source", "parents_first"]
