"""The one connection factory: every way into a board database goes through here.

Rules from RELIABILITY.md: an existing file is opened with a `mode=rw` URI so a typo is "not found" rather than
a new empty database; `busy_timeout`, `foreign_keys`, `trusted_schema=OFF`, `synchronous=FULL`,
`secure_delete=ON` on every connection; WAL on a local disk and the rollback journal on a network path; new
files are created readable by their owner only; the schema version and application id are checked on open.

Threading choice (STYLE.md 5): one `sqlite3` connection per Board, used from the UI thread only. Every query the
UI makes is one page (a LIMIT) or one aggregate, a few milliseconds, so it runs synchronously; nothing ever holds
a read transaction open while a person thinks, because the connection is in autocommit mode and results are
fetched whole (`fetchall` of a page) before returning.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from boardtui.domain.errors import BoardError, NewerSchema, NotABoard, NotFound
from boardtui.domain.thresholds import Thresholds

APPLICATION_ID = 0x42445455  # "BDTU": marks a file as a boardtui board
BUSY_TIMEOUT_MS = 12_000
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "sshfs", "afs", "davfs", "fuse.rclone"}


@dataclass
class Board:
    """An open board database and the settings every store function needs."""

    conn: sqlite3.Connection
    path: Path
    who: str
    read_only: bool = False
    read_only_reason: str = ""
    journal_mode: str = "wal"
    thresholds: Thresholds = field(default_factory=Thresholds)
    warnings: list[str] = field(default_factory=list)
    damaged: str | None = None  # what quick_check said when the file failed it; the board is then read-only

    def query(self, sql: str, params: dict | tuple = ()) -> list[sqlite3.Row]:
        """Run a read and fetch every row at once, so no read transaction outlives the call."""
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: dict | tuple = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: dict | tuple = ()):
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def close(self) -> None:
        self.conn.close()


def default_who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some locked-down machines
        return "unknown user"


def is_network_path(path: Path) -> bool:
    """True when the path lives on a network filesystem, where WAL is unsafe (Linux: /proc/mounts)."""
    try:
        target = str(path.resolve())
        best, fstype = "", ""
        with open("/proc/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                parts = line.split()
                if len(parts) >= 3:
                    mount = parts[1].replace("\\040", " ")
                    if (target == mount or target.startswith(mount.rstrip("/") + "/")) and len(mount) > len(best):
                        best, fstype = mount, parts[2]
        return fstype in NETWORK_FS
    except OSError:
        return False


def _uri(path: Path, mode: str) -> str:
    # as_uri percent-encodes '?', '#' and '%', which would otherwise end the file name (RELIABILITY C10).
    return f"{path.resolve().as_uri()}?mode={mode}"


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    conn = sqlite3.connect(_uri(path, mode), uri=True, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def _apply_pragmas(conn: sqlite3.Connection) -> None:
    """The settings of every connection; none of them writes to the file."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")


def _set_journal_mode(conn: sqlite3.Connection, journal_mode: str, read_only: bool) -> str:
    """Set the journal mode (this writes the file header), only once the file is known to be a board."""
    if read_only:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    return conn.execute(f"PRAGMA journal_mode = {journal_mode}").fetchone()[0]


def choose_journal_mode(path: Path, configured: str | None) -> str:
    if configured in ("wal", "delete"):
        if configured == "wal" and is_network_path(path):
            return "delete"  # WAL cannot work over a network filesystem, whatever the config says
        return configured
    return "delete" if is_network_path(path) else "wal"


def _file_application_id(path: Path) -> int | None:
    """The application id from the file header (bytes 68–71), read without SQLite so damage cannot hide it."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError:
        return None
    if len(header) < 72 or not header.startswith(b"SQLite format 3\x00"):
        return None
    return int.from_bytes(header[68:72], "big")


def _damage(conn: sqlite3.Connection, path: Path) -> str | None:
    """What `quick_check` says is wrong with a board file, or None when it is sound (RELIABILITY A8/A9).

    A check that itself raises counts as damage, unless the file is not a database at all. Cost: under 1 ms on
    the demo board, about 0.26 s on a 230 MB file on the 2-core CI box, so it runs on every open.
    """
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if "not a database" in text or "file is encrypted" in text or "locked" in text or "busy" in text:
            raise
        return str(exc)
    result = "; ".join(str(r[0]) for r in rows)
    if result == "ok":
        return None
    return result


def _open_damaged(path: Path, problem: str, who: str | None, thresholds: Thresholds | None) -> Board:
    """A damaged board, opened read-only so that nothing is ever written to it (the damaged screen explains)."""
    conn = _connect(path, "ro")
    try:
        _apply_pragmas(conn)
    except sqlite3.DatabaseError:
        pass  # read-only and about to be shown as damaged: a pragma that cannot be read changes nothing
    try:
        jm = conn.execute("PRAGMA journal_mode").fetchone()[0]
    except sqlite3.DatabaseError:
        jm = "unknown"
    return Board(
        conn=conn,
        path=path,
        who=who or default_who(),
        read_only=True,
        read_only_reason="the file is damaged",
        journal_mode=jm,
        thresholds=thresholds or Thresholds(),
        damaged=problem,
    )


def _map_open_error(exc: sqlite3.DatabaseError, path: Path) -> BoardError:
    text = str(exc).lower()
    if "not a database" in text or "file is encrypted" in text:
        return NotABoard(f"{path} is not a board database.")
    if "locked" in text or "busy" in text:
        from boardtui.domain.errors import Busy

        return Busy(f"{path} is busy: another program is writing to it. Try again in a moment.")
    if "unable to open" in text:
        return NotFound(f"{path} could not be opened: check the folder exists and you may read it.")
    if "readonly" in text or "read-only" in text:
        from boardtui.domain.errors import ReadOnly

        return ReadOnly(f"{path} needs recovery by a user with write access before it can be opened.")
    return NotABoard(f"{path} could not be read as a board database ({exc}).")


def _refuse_url(path) -> None:
    """A URL where only a file will do (a new board file): one sentence with the password removed."""
    from boardtui.store import engine

    url = engine.as_url(path)
    if url is not None:
        engine.check_url(url)
        raise BoardError(f"{engine.redact(url)}: this needs a board file; a PostgreSQL board is made with "
                         "`boardtui init URL`.")


def _open_url(url: str, *, read_only: bool, who: str | None, thresholds: Thresholds | None) -> Board:
    """A board on PostgreSQL, through the executor in store/engine.py (psycopg is imported only here)."""
    from boardtui.store import engine, migrations

    shown = engine.redact(url)
    conn = engine.connect(url)
    try:
        has_meta = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_name = 'meta'"
        ).fetchone()[0]
        if not has_meta:
            raise NotABoard(f"{shown} is not a board database (it has no boardtui schema; `boardtui init URL` "
                            "makes one in an empty database).")
        version = engine.schema_version(conn)
        if version > migrations.LATEST:
            raise NewerSchema(f"{shown} was made by a newer version of boardtui (schema {version}; this version "
                              f"knows up to {migrations.LATEST}): upgrade boardtui to open it.")
        if version < migrations.LATEST:
            raise NewerSchema(f"{shown} uses an older schema ({version}); this version cannot yet upgrade a board "
                              "on PostgreSQL.")
        reason = "opened read-only" if read_only else ""
        if not read_only and not conn.execute("SELECT has_table_privilege('audit', 'INSERT')").fetchone()[0]:
            read_only, reason = True, "your database role may only read"  # the read-only UI, not a refusal
        if read_only:
            conn.execute("SET default_transaction_read_only = on")
        db_user = conn.execute("SELECT current_user").fetchone()[0]
    except BaseException:
        conn.close()
        raise
    return Board(conn=conn, path=Path(shown), who=who or db_user, read_only=read_only,
                 read_only_reason=reason, journal_mode="postgresql",
                 thresholds=thresholds or Thresholds())


def open_board(
    path: str | os.PathLike,
    *,
    read_only: bool = False,
    who: str | None = None,
    journal_mode: str | None = None,
    thresholds: Thresholds | None = None,
    migrate: bool = True,
    check: bool = True,
) -> Board:
    """Open an existing board database, upgrading its schema if needed (after a backup).

    Raises NotFound (no file is ever created here), NotABoard, NewerSchema, Busy. A board file that fails
    SQLite's `quick_check` is not refused: it comes back read-only with `damaged` set, and nothing is written.
    """
    from boardtui.store import engine, migrations

    url = engine.as_url(path)
    if url is not None:
        return _open_url(url, read_only=read_only, who=who, thresholds=thresholds)
    p = Path(path).expanduser()
    if not p.exists():
        raise NotFound(f"{p} not found.")
    if p.is_dir():
        raise NotABoard(f"{p} is a folder, not a board database.")
    if p.stat().st_size == 0:
        raise NotABoard(f"{p} is an empty file, not a board database (use `boardtui init` to make one).")
    ro_reason = ""
    if not read_only and not os.access(p, os.W_OK):
        read_only, ro_reason = True, "the file is read-only for you"
    elif not read_only and not os.access(p.parent, os.W_OK | os.X_OK):
        read_only, ro_reason = True, "the folder it is in is read-only for you"
    elif read_only:
        ro_reason = "opened read-only"
    mode = "ro" if read_only else "rw"
    conn = None
    try:
        conn = _connect(p, mode)
        try:
            _apply_pragmas(conn)
        except sqlite3.DatabaseError as exc:  # some pragmas read the schema, which may be what is damaged
            if not check or "malformed" not in str(exc).lower():
                raise
            conn.close()
            conn = None
            if _file_application_id(p) != APPLICATION_ID:
                raise NotABoard(f"{p} is not a board database (and SQLite reports damage: {exc}).") from exc
            return _open_damaged(p, str(exc), who, thresholds)
        # Check before setting the journal mode: switching to WAL rewrites the header of someone else's file.
        problem = _damage(conn, p) if check else None
        if problem is None:
            try:
                migrations.check_is_board(conn, p)
            except sqlite3.DatabaseError as exc:  # the schema itself cannot be read
                if not check or "malformed" not in str(exc).lower():
                    raise
                problem = str(exc)
        if problem is not None:
            conn.close()
            conn = None
            if _file_application_id(p) != APPLICATION_ID:
                raise NotABoard(f"{p} is not a board database (and SQLite reports damage: {problem}).")
            return _open_damaged(p, problem, who, thresholds)
        version = migrations.schema_version(conn)
        if version > migrations.LATEST:
            raise NewerSchema(
                f"{p} was made by a newer version of boardtui (schema {version}; this version knows up to "
                f"{migrations.LATEST}): upgrade boardtui to open it."
            )
        jm = _set_journal_mode(conn, choose_journal_mode(p, journal_mode), read_only)
    except (sqlite3.DatabaseError, BoardError) as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, BoardError):
            raise
        raise _map_open_error(exc, p) from exc
    board = Board(
        conn=conn,
        path=p,
        who=who or default_who(),
        read_only=read_only,
        read_only_reason=ro_reason,
        journal_mode=jm,
        thresholds=thresholds or Thresholds(),
    )
    if version < migrations.LATEST:
        if read_only or not migrate:
            conn.close()
            raise NewerSchema(
                f"{p} uses an older schema ({version}) and must be upgraded by a user with write access."
            )
        try:
            migrations.upgrade(board)
        except sqlite3.DatabaseError as exc:
            conn.close()
            mapped = _map_open_error(exc, p)
            if isinstance(mapped, NotABoard):  # the file was a board: it is the upgrade that failed
                raise BoardError(
                    f"{p} could not be upgraded to this version of boardtui ({exc}); it was left as it was."
                ) from exc
            raise mapped from exc
        except BaseException:
            conn.close()
            raise
    if jm == "delete" and is_network_path(p):
        board.warnings.append(
            "This board is on a network drive: one editor at a time is safest; a team belongs on a server."
        )
    return board


def create_board(path: str | os.PathLike, *, who: str | None = None, journal_mode: str | None = None) -> Board:
    """Create a new, empty board database readable by its owner only. Refuses an existing file."""
    from boardtui.store import migrations

    _refuse_url(path)
    p = Path(path).expanduser()
    if p.exists():
        raise BoardError(f"{p} already exists: choose another name or remove it first.")
    if not p.parent.exists():
        raise NotFound(f"The folder {p.parent} does not exist.")
    # Create the file 0600 before SQLite opens it: SQLite gives its journal and WAL files the same mode.
    fd = os.open(p, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        conn = _connect(p, "rw")
        _apply_pragmas(conn)
        jm = _set_journal_mode(conn, choose_journal_mode(p, journal_mode), False)
        board = Board(conn=conn, path=p, who=who or default_who(), journal_mode=jm)
        migrations.initialise(board)
    except BaseException:
        try:
            conn.close()
        except Exception:
            pass
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(p) + suffix).unlink(missing_ok=True)
        raise
    return board


def quick_check(board: Board) -> str | None:
    """Run SQLite's quick_check; None when the file is sound, else what SQLite said.

    A check that itself raises is treated as damage, not a crash (RELIABILITY A9).
    """
    try:
        rows = board.conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    result = "; ".join(str(r[0]) for r in rows)
    return None if result == "ok" else result


def backup_to(board: Board, target: str | os.PathLike) -> Path:
    """Copy the board with SQLite's backup API (consistent even while others write), 0600, atomically."""
    if getattr(board.conn, "engine", "sqlite") == "postgresql":
        raise BoardError("A board on PostgreSQL is backed up with pg_dump, or copied to a file with "
                         "`boardtui copy URL FILE`.")
    dest = Path(target).expanduser()
    if dest.resolve() == board.path.resolve():
        raise BoardError("A backup cannot overwrite the board it copies.")
    if not dest.parent.exists():
        raise NotFound(f"The folder {dest.parent} does not exist.")
    tmp = dest.with_name(f".{dest.name}.part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        out = sqlite3.connect(str(tmp))
        try:
            board.conn.backup(out)
            # A backup is a single self-contained file: no WAL beside it.
            out.execute("PRAGMA journal_mode = DELETE")
        finally:
            out.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except sqlite3.DatabaseError as exc:  # OperationalError (disk full) or damage the copy cannot read past
        tmp.unlink(missing_ok=True)
        if "full" in str(exc).lower():
            raise BoardError(f"The disk is full: no backup was written to {dest}.") from exc
        raise BoardError(f"The backup to {dest} failed: {exc}.") from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BoardError(f"The backup to {dest} failed: {exc.strerror or exc}.") from exc
    return dest
