"""The chair's offline copy: check out a board to a laptop file, check the laptop's changes back in, copy a board.

`checkout` writes the laptop copy and a pristine base copy beside it (both 0600) and records, in both, where the
copy came from (a path or a URL without its password), the schema version and a checkout id. `checkin` compares
the laptop copy with the base row by row, keyed on each table's primary key (inserts, updates of any field,
deletes), and applies the difference to the source in ONE write transaction through the store's Writer:

- a row the office did not touch since checkout (source version = base version) takes the laptop's values;
- a row the office also changed is a conflict: not applied, stored in `conflicts` with both sides, and its
  offline audit rows held back until someone resolves it (keep mine / keep theirs / edit);
- new rows keep their keys (text UUIDv7 keys cannot collide); an action whose human reference was taken at the
  office meanwhile gets the next free one;
- the laptop's own audit rows are appended as they are (who, when and why the chair changed each thing);
- the checkout id is recorded in the source's `meta` in the same transaction, so a re-run after a crash or a
  dropped connection applies nothing twice.

Only the source is opened through `connection.open_board`; the laptop and base copies are always SQLite files.
Copying a whole board (`boardtui copy`, and a checkout from a server) is store/copy.py's.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from boardtui.domain.errors import BoardError, NotFound, ValidationError
from boardtui.store import migrations
from boardtui.store.connection import Board, backup_to
from boardtui.store.copy import board_tables, copy_board, describe_source, open_source
from boardtui.store.ids import new_id, now_iso
from boardtui.store.refs import next_ref
from boardtui.store.tx import map_sqlite_error, table_columns, writing

META_SOURCE = "offline_source"
META_SCHEMA = "offline_schema_version"
META_CHECKOUT = "offline_checkout_id"
META_BOARD = "offline_board_created_at"
CHECKED_IN = "checked_in:"  # + checkout id, in the source's meta
BOOKKEEPING = {"id", "version", "updated_at", "updated_by", "created_at"}
REF_COLUMNS = ("ref", "code", "name")


def base_path(file: str | os.PathLike) -> Path:
    """The pristine copy kept beside a laptop copy until it is checked in."""
    return Path(str(Path(file).expanduser()) + ".base")


def _meta(conn: sqlite3.Connection, key: str, schema: str = "main") -> str | None:
    row = conn.execute(f"SELECT value FROM {schema}.meta WHERE key = :k", {"k": key}).fetchone()
    return None if row is None else row[0]


def _put_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    for k, v in values.items():
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {"k": k, "v": v},
        )


def _ro(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


@dataclass
class Checkout:
    file: Path
    base: Path
    source: str
    schema_version: int
    checkout_id: str


def checkout(source: str | os.PathLike, out: str | os.PathLike) -> Checkout:
    """Write the laptop copy `out` and its base copy, both readable by their owner only."""
    dest = Path(out).expanduser()
    base = base_path(dest)
    for p in (dest, base):
        if p.exists():
            raise BoardError(f"{p} already exists: check it in or remove it before checking out again.")
    board = open_source(source, read_only=True)
    try:
        version = migrations.schema_version(board.conn)
        created = board.scalar("SELECT value FROM meta WHERE key = 'created_at'") or ""
        on_server = getattr(board.conn, "engine", "sqlite") == "postgresql"
        if not on_server:
            backup_to(board, dest)
    finally:
        board.close()
    if on_server:  # a server has no backup API: the copy is made table by table, counts checked
        try:
            copy_board(source, dest)
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
    info = Checkout(dest, base, describe_source(source), version, new_id())
    try:
        conn = sqlite3.connect(str(dest), isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            _put_meta(conn, {META_SOURCE: info.source, META_SCHEMA: str(version), META_CHECKOUT: info.checkout_id,
                             META_BOARD: created})
            conn.execute("COMMIT")
            # The base is made from the laptop copy, not from the source again: the office may have saved since.
            fd = os.open(base, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            out_conn = sqlite3.connect(str(base))
            try:
                conn.backup(out_conn)
            finally:
                out_conn.close()
        finally:
            conn.close()
    except BaseException:
        dest.unlink(missing_ok=True)
        base.unlink(missing_ok=True)
        raise
    return info


@dataclass
class ConflictLine:
    entity: str
    ref: str | None
    field: str | None
    mine: Any
    theirs: Any
    theirs_who: str | None
    theirs_at: str | None
    kind: str = "update"

    def sentence(self) -> str:
        return conflict_sentence(self.kind, self.entity, self.ref, self.field, self.mine, self.theirs,
                                 self.theirs_who, self.theirs_at)


@dataclass
class Checkin:
    source: str
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    audit_rows: int = 0
    conflicts: list[ConflictLine] = field(default_factory=list)
    renumbered: list[tuple[str, str]] = field(default_factory=list)


def _when(at: str | None) -> str:
    if not at or len(at) < 16:
        return "an unknown time"
    return f"{at[11:16]} on {at[:10]}"


def _shown(value: Any) -> str:
    return "(blank)" if value is None or value == "" else str(value)


def conflict_sentence(kind: str, entity: str, ref: str | None, field: str | None, mine: Any, theirs: Any,
                      who: str | None, at: str | None) -> str:
    """One line: what the laptop did, what the office did, who and when."""
    what = f"{entity} {ref}" if ref else entity
    who = who or "someone"
    if kind == "delete":
        return f"{what}: you deleted it; {who} changed it at {_when(at)}"
    if kind == "gone":
        return f"{what}: you changed {field or 'it'}; {who} deleted it"
    return f"{what} {field}: you set {_shown(mine)}; {who} set {_shown(theirs)} at {_when(at)}"


def _ref_of(row: sqlite3.Row | dict) -> str | None:
    keys = row.keys()
    for c in REF_COLUMNS:
        if c in keys and row[c] is not None:
            return str(row[c])
    return None


def _differs(a: Any, b: Any) -> bool:
    return a != b or type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float)))


def _open_copy(path: Path, what: str) -> sqlite3.Connection:
    if not path.is_file():
        raise NotFound(f"{path} not found.")
    try:
        conn = sqlite3.connect(_ro(path), uri=True)
        conn.execute("PRAGMA trusted_schema = OFF")  # a copy that travelled: its schema is not trusted (H1)
        conn.row_factory = sqlite3.Row
        conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return conn
    except sqlite3.DatabaseError as exc:
        raise BoardError(f"{path} is not a boardtui {what} ({exc}).") from exc


def checkin(file: str | os.PathLike, *, source: str | None = None, who: str | None = None) -> Checkin:
    """Apply the laptop copy's changes to its source in one transaction; conflicts are stored, not applied.

    Refused, with nothing written, when the copy is not an offline copy, its base is missing, it came from
    another source, the schema versions differ, or this checkout was checked in already.
    """
    lap_path = Path(file).expanduser()
    base = base_path(lap_path)
    lap = _open_copy(lap_path, "offline copy")
    try:
        recorded = _meta(lap, META_SOURCE)
        checkout_id = _meta(lap, META_CHECKOUT)
        if not recorded or not checkout_id:
            raise BoardError(f"{lap_path} is not an offline copy (it was not made by `boardtui checkout`).")
        if not base.is_file():
            raise BoardError(
                f"{lap_path} has no base copy beside it ({base.name}): it was checked in already, or the base was "
                "removed, so its changes cannot be worked out."
            )
        lap_version = migrations.schema_version(lap)
    finally:
        lap.close()
    if source is not None and describe_source(source) != recorded:
        raise BoardError(f"{lap_path} was checked out from {recorded}, not {describe_source(source)}: nothing was "
                         "checked in.")
    base_conn = _open_copy(base, "base copy")
    try:
        base_version = migrations.schema_version(base_conn)
        base_checkout = _meta(base_conn, META_CHECKOUT)
        board_created = _meta(base_conn, META_BOARD)
        recorded_version = int(_meta(base_conn, META_SCHEMA) or 0)
    finally:
        base_conn.close()
    if base_checkout != checkout_id:
        raise BoardError(f"{base.name} belongs to another checkout than {lap_path.name}: nothing was checked in.")
    if not (lap_version == base_version == recorded_version):
        raise BoardError(f"{lap_path} has schema {lap_version} but was checked out at schema {recorded_version}: "
                         "copies of different schema versions are never merged; nothing was checked in.")
    try:
        board = open_source(recorded if source is None else source, who=who, migrate=False)
    except BoardError as exc:
        if "older schema" in str(exc):
            raise BoardError(f"The source {recorded} uses another schema version than {lap_path} "
                             f"({recorded_version}): nothing was checked in.") from exc
        raise
    try:
        src_version = migrations.schema_version(board.conn)
        if src_version != recorded_version:
            raise BoardError(f"The source {recorded} is at schema {src_version} but {lap_path} was checked out at "
                             f"schema {recorded_version}: nothing was checked in.")
        if (board.scalar("SELECT value FROM meta WHERE key = 'created_at'") or "") != (board_created or ""):
            raise BoardError(f"{recorded} is not the board {lap_path} was checked out from: nothing was checked in.")
        result = _apply(board, lap_path, base, checkout_id, recorded)
    finally:
        board.close()
    if not result.conflicts:
        base.unlink(missing_ok=True)
    return result


def _already(board: Board, checkout_id: str) -> str | None:
    return board.scalar("SELECT value FROM meta WHERE key = :k", {"k": CHECKED_IN + checkout_id})


def _apply(board: Board, lap_path: Path, base: Path, checkout_id: str, recorded: str) -> Checkin:
    diff = sqlite3.connect("file::memory:", uri=True)
    diff.execute("PRAGMA trusted_schema = OFF")  # the attached laptop copy's schema is not trusted (H1)
    diff.row_factory = sqlite3.Row
    result = Checkin(source=recorded)
    try:
        diff.execute("ATTACH DATABASE :p AS lap", {"p": _ro(lap_path)})
        diff.execute("ATTACH DATABASE :p AS base", {"p": _ro(base)})
        tables = board_tables(diff, "base")
        with writing(board, reason="check-in of an offline copy") as w:
            done = _already(board, checkout_id)
            if done:
                raise BoardError(f"{lap_path} was checked in already (at {_when(done)}): nothing was applied twice.")
            held: set[str] = set()  # rows in conflict: their offline audit rows wait for the resolution
            deletes: list[tuple[str, list[sqlite3.Row]]] = []
            new_audit: list[sqlite3.Row] = []
            for table in tables:
                changed = diff.execute(f"SELECT * FROM lap.{table} EXCEPT SELECT * FROM base.{table}").fetchall()
                gone = diff.execute(
                    f"SELECT * FROM base.{table} WHERE id NOT IN (SELECT id FROM lap.{table})"
                ).fetchall()
                if table == "audit":
                    new_audit = changed
                    continue
                cols = table_columns(board, table)
                for row in changed:
                    was = diff.execute(f"SELECT * FROM base.{table} WHERE id = :id", {"id": row["id"]}).fetchone()
                    if was is None:
                        _insert(w, board, table, row, result)
                    else:
                        _update(w, table, cols, row, was, result, held, checkout_id)
                deletes.append((table, gone))
            for table, gone in reversed(deletes):
                cols = table_columns(board, table)
                for was in gone:
                    _delete(w, table, cols, was, result, held, checkout_id)
            rows = [dict(r) for r in new_audit if r["entity_id"] not in held]
            if rows:
                names = list(rows[0])
                w.conn.executemany(
                    f"INSERT INTO audit ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})", rows
                )
            result.audit_rows = len(rows)
            w.conn.execute("INSERT INTO meta (key, value) VALUES (:k, :v)",
                           {"k": CHECKED_IN + checkout_id, "v": w.at})
            summary = (f"{result.inserted} new, {result.updated} changed, {result.deleted} deleted, "
                       f"{len(result.conflicts)} conflicts")
            w.audit("checkin", "board", None, lap_path.name, None, None, summary)
    except sqlite3.Error as exc:
        raise map_sqlite_error(exc) from exc
    finally:
        diff.close()
    return result


def _insert(w, board: Board, table: str, row: sqlite3.Row, result: Checkin) -> None:
    values = dict(row)
    if table == "actions" and w.conn.execute("SELECT 1 FROM actions WHERE ref = :r", {"r": values["ref"]}).fetchone():
        # Two people raised an action on the same day: the office's keeps its reference, the chair's the next one.
        old = values["ref"]
        stem, _, digits = old.rpartition("-")
        values["ref"] = next_ref(w.conn, "actions", f"{stem}-" if stem else "A-", max(len(digits), 2))
        result.renumbered.append((old, values["ref"]))
    w.insert(table, values, audit=False)
    result.inserted += 1


def _conflict(w, table: str, kind: str, row_id: str, ref: str | None, field: str | None, mine: Any, theirs: Any,
              mine_row: sqlite3.Row | None, theirs_row: sqlite3.Row | None, result: Checkin,
              checkout_id: str) -> None:
    t_who = theirs_row["updated_by"] if theirs_row is not None and "updated_by" in theirs_row.keys() else None
    t_at = theirs_row["updated_at"] if theirs_row is not None and "updated_at" in theirs_row.keys() else None
    m_keys = mine_row.keys() if mine_row is not None else ()
    w.insert("conflicts", {
        "checkout_id": checkout_id, "kind": kind, "entity": table, "entity_id": row_id, "ref": ref, "field": field,
        "mine": json.dumps(mine), "theirs": json.dumps(theirs),
        "mine_who": mine_row["updated_by"] if "updated_by" in m_keys else None,
        "mine_at": mine_row["updated_at"] if "updated_at" in m_keys else None,
        "theirs_who": t_who, "theirs_at": t_at,
        "mine_row": json.dumps(dict(mine_row)) if mine_row is not None else None, "status": "open",
    }, entity="conflict", ref=ref)
    result.conflicts.append(ConflictLine(table, ref, field, mine, theirs, t_who, t_at, kind))


def _update(w, table: str, cols, row: sqlite3.Row, was: sqlite3.Row, result: Checkin, held: set[str],
            checkout_id: str) -> None:
    now = w.conn.execute(f"SELECT * FROM {table} WHERE id = :id", {"id": row["id"]}).fetchone()
    fields = [c for c in row.keys() if c not in BOOKKEEPING and _differs(row[c], was[c])]
    if not fields:
        return
    ref = _ref_of(row)
    if now is None:
        held.add(row["id"])
        _conflict(w, table, "gone", row["id"], ref, ", ".join(fields), None, None, row, None, result, checkout_id)
        return
    if "version" in cols:
        untouched = now["version"] == was["version"]
    else:
        untouched = all(not _differs(now[c], was[c]) for c in was.keys())
    if not untouched:
        held.add(row["id"])
        for f in fields:
            _conflict(w, table, "update", row["id"], ref, f, row[f], now[f], row, now, result, checkout_id)
        return
    changes = {f: row[f] for f in fields}
    if "version" in cols:
        w.update(table, row["id"], was["version"], changes, audit=False)
    else:
        sets = ", ".join(f"{f} = :{f}" for f in changes)
        w.conn.execute(f"UPDATE {table} SET {sets} WHERE id = :_id", {**changes, "_id": row["id"]})
    result.updated += 1


def _delete(w, table: str, cols, was: sqlite3.Row, result: Checkin, held: set[str], checkout_id: str) -> None:
    now = w.conn.execute(f"SELECT * FROM {table} WHERE id = :id", {"id": was["id"]}).fetchone()
    if now is None:
        return  # deleted at the office as well: nothing to do
    changed = now["version"] != was["version"] if "version" in cols else any(
        _differs(now[c], was[c]) for c in was.keys())
    if changed:
        held.add(was["id"])
        _conflict(w, table, "delete", was["id"], _ref_of(was), None, None, None, None, now, result, checkout_id)
        return
    w.delete(table, was["id"], was["version"] if "version" in cols else None, audit=False)
    result.deleted += 1


# ---- resolving conflicts --------------------------------------------------------------------------------------

def open_conflicts(board: Board) -> list[sqlite3.Row]:
    """Conflicts not yet resolved, oldest first."""
    return board.query("SELECT * FROM conflicts WHERE status = 'open' ORDER BY created_at, id")


def conflict_line(c: sqlite3.Row) -> str:
    return conflict_sentence(c["kind"], c["entity"], c["ref"], c["field"], json.loads(c["mine"] or "null"),
                             json.loads(c["theirs"] or "null"), c["theirs_who"], c["theirs_at"])


def current_value(board: Board, c: sqlite3.Row) -> Any:
    """The value the source holds now for a conflict's field (None when the row is gone)."""
    if c["field"] is None or c["kind"] != "update":
        return None
    cols = table_columns(board, c["entity"])
    if c["field"] not in cols:
        return None
    return board.scalar(f"SELECT {c['field']} FROM {c['entity']} WHERE id = :id", {"id": c["entity_id"]})


def _typed(text: str, like: Any) -> Any:
    if text.strip() == "":
        return None
    if isinstance(like, bool) or not isinstance(like, (int, float)):
        return text
    try:
        return type(like)(text.strip())
    except ValueError as exc:
        raise ValidationError(f"{text!r} is not a number.", field="value") from exc


def resolve(board: Board, conflict_id: str, choice: str, value: str | None = None) -> None:
    """Keep mine (the laptop's value), keep theirs (the office's), or `edit` to `value`; with audit rows."""
    if choice not in ("mine", "theirs", "edit"):
        raise ValueError(choice)
    with writing(board, reason=f"check-in conflict resolved: keep {choice}" if choice != "edit" else
                 "check-in conflict resolved: edited") as w:
        c = w.load("conflicts", conflict_id)
        if c["status"] != "open":
            raise BoardError("That conflict was resolved already.")
        table, row_id = c["entity"], c["entity_id"]
        if table not in board_tables(board.conn):
            raise BoardError(f"{table} is not a table of this board.")
        cols = table_columns(board, table)
        mine = json.loads(c["mine"] or "null")
        if c["kind"] == "update" and choice != "theirs":
            new = mine if choice == "mine" else _typed(value or "", mine)
            row = w.load(table, row_id)
            w.update(table, row_id, row["version"] if "version" in cols else None, {c["field"]: new},
                     entity=table, ref=c["ref"])
        elif c["kind"] == "delete" and choice == "mine":
            now = w.conn.execute(f"SELECT * FROM {table} WHERE id = :id", {"id": row_id}).fetchone()
            if now is not None:
                w.delete(table, row_id, now["version"] if "version" in cols else None, entity=table, ref=c["ref"])
        elif c["kind"] == "gone" and choice == "mine":
            row = json.loads(c["mine_row"])
            if w.conn.execute(f"SELECT 1 FROM {table} WHERE id = :id", {"id": row_id}).fetchone() is None:
                w.insert(table, row, entity=table, ref=c["ref"])
        elif choice == "edit":
            raise ValidationError("Only a changed value can be edited; keep mine or keep theirs.", field="value")
        w.update("conflicts", conflict_id, c["version"], {"status": "resolved", "resolution": choice},
                 entity="conflict", ref=c["ref"])


__all__ = ["Checkin", "Checkout", "checkin", "checkout", "now_iso"]
