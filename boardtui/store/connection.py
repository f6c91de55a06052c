"""The one connection factory: every way into a board database goes through here.

Rules from RELIABILITY.md: an existing file is opened with a `mode=rw` URI so a typo is "not found" rather than
a new empty database; `busy_timeout`, `foreign_keys`, `trusted_schema=OFF`, `synchronous=FULL`,
`secure_delete=ON` on every connection; WAL on a local disk and the rollback journal on a network path; new
files are created readable by their owner only; the schema version and application id are checked on open.

Threading choice (STYLE.md 5): one `sqlite3` connection per Board, used from the UI thread only. Every query the
UI makes is one page (a LIMIT) or one aggregate, a few milliseconds, so it runs synchronously; nothing ever holds
a read transaction open while a person thinks, because the connection is in autocommit mode and results are
fetched whole (`fetchall` of a page) before returning. The one exception is `IntegrityCheck`: the TUI's start-up
`quick_check` runs in a thread on a read-only connection of its own.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from boardtui.domain.errors import BoardError, NewerSchema, NotABoard, NotFound
from boardtui.domain.thresholds import Thresholds

APPLICATION_ID = 0x42445455  # "BDTU": marks a file as a boardtui board
BUSY_TIMEOUT_MS = 12_000
# How long a write waits for a background quick_check still running (0.2–0.4 s at 180 MB; longer under load).
INTEGRITY_WAIT_S = 5.0
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
    integrity: IntegrityCheck | None = None  # a quick_check still running in the background (see open_board)

    def query(self, sql: str, params: dict | tuple = ()) -> list[sqlite3.Row]:
        """Run a read and fetch every row at once, so no read transaction outlives the call."""
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: dict | tuple = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: dict | tuple = ()):
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def await_integrity(self, timeout: float | None = None) -> None:
        """Wait for the background quick_check's verdict, if one is pending; a failed check makes the board
        damaged and read-only, as if the check had run at open (RELIABILITY A8). Every write calls this first.

        Raises Busy when the check is still running after `timeout`, and sqlite3.Error when a check that could
        not run in the background (the file was busy) cannot run now either.
        """
        check = self.integrity
        if check is None:
            return
        if not check.wait(INTEGRITY_WAIT_S if timeout is None else timeout):
            from boardtui.domain.errors import Busy

            raise Busy("The board is still being checked for damage (a large file takes a few seconds): nothing "
                       "was saved; try again in a moment.")
        problem = check.problem if check.checked else _damage(self.conn, self.path)
        self.integrity = None
        if problem is not None:
            self._mark_damaged(problem)

    def _mark_damaged(self, problem: str) -> None:
        """Read-only from now on, on a read-only connection, so that nothing is ever written to the file."""
        self.damaged = problem
        self.read_only = True
        self.read_only_reason = "the file is damaged"
        old = self.conn
        self.conn = _connect(self.path, "ro")
        try:
            _apply_pragmas(self.conn)
        except sqlite3.DatabaseError:
            pass  # as in _open_damaged: a pragma that cannot be read changes nothing on a read-only connection
        old.close()

    def close(self) -> None:
        if self.integrity is not None:
            self.integrity.cancel()
        self.conn.close()


class IntegrityCheck:
    """`PRAGMA quick_check` of a board file in a thread, on its own read-only connection (RELIABILITY A8).

    The check reads the whole file: 0.2–0.4 s at 180 MB, more than the TUI's whole start-up margin. SQLite
    releases the GIL while it works, so the app starts meanwhile; `Board.await_integrity` holds every write
    until the verdict, and the app watches for a failure (ui/integrity.py). `checked` stays False when the check
    could not run (the file was busy, or the board was closed first): the verdict is then taken again on the
    board's own connection before any write.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        self.checked = False
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._cancelled = False
        self._listeners: list = []
        self._thread = threading.Thread(target=self._run, name="boardtui quick_check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:  # on a busy machine the app's own start-up comes first (Linux: a thread has its own nice value)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass
        try:
            conn = _connect(self.path, "ro")
            with self._lock:
                self._conn = conn
            try:
                if not self._cancelled:
                    problem = self._check(conn)
                    if not self._cancelled:  # an interrupted check says "interrupted", which is no verdict
                        self.problem, self.checked = problem, True
            finally:
                with self._lock:
                    self._conn = None
                conn.close()
        except sqlite3.Error:
            pass  # busy, locked, or not readable now: no verdict, so the first write checks for itself
        finally:
            with self._lock:
                self._done.set()
                listeners, self._listeners = self._listeners, []
            for listener in listeners:
                listener()

    def _check(self, conn: sqlite3.Connection) -> str | None:
        try:
            _apply_pragmas(conn)
        except sqlite3.DatabaseError as exc:  # as in open_board: the schema the pragmas read may be what is damaged
            if "malformed" not in str(exc).lower():
                raise
            return str(exc)
        return _damage(conn, self.path)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait up to `timeout` seconds for the check to finish; True when it has."""
        return self._done.wait(timeout)

    def on_done(self, listener) -> bool:
        """Call `listener()` (from the checking thread) once the check finishes. Returns False, without calling it,
        when the check has already finished."""
        with self._lock:
            if self._done.is_set():
                return False
            self._listeners.append(listener)
            return True

    def cancel(self) -> None:
        """Stop a check still running (the board is closing) and wait for its thread to let go of the file."""
        with self._lock:
            self._cancelled = True
            if self._conn is not None:
                self._conn.interrupt()
        self._thread.join(timeout=5)


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
    # Statement journals in memory: every row written to a table with triggers (migration 0005's kept counts)
    # opens one, and in temporary files they doubled the time of a bulk load (100k actions: 2.4 → 4.8 s).
    conn.execute("PRAGMA temp_store = MEMORY")


def open_reader(path: Path) -> sqlite3.Connection:
    """A second, read-only connection to a board file with the settings of every connection: for reading on
    another thread (a count) while the board's own connection stays with the UI thread."""
    conn = _connect(path, "ro")
    try:
        _apply_pragmas(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _set_journal_mode(conn: sqlite3.Connection, journal_mode: str, read_only: bool) -> str:
    """Set the journal mode (this writes the file header), only once the file is known to be a board.

    Two people opening a rollback-journal board at the same instant both switch it to WAL: each switch holds a
    shared lock and wants an exclusive one, and SQLite refuses one of them at once rather than let its busy
    handler deadlock the two (seen in the B1 test as "database is locked"). The refused one tries again until
    the busy timeout, by when the other's switch is done and this one finds the mode already set."""
    if read_only:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    give_up = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return conn.execute(f"PRAGMA journal_mode = {journal_mode}").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > give_up:
                raise
            time.sleep(0.01)


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


def _open_writes(conn: sqlite3.Connection, journal_mode: str, read_only: bool) -> bool:
    """Whether opening this board writes to it: an upgrade of its schema, or a switch of its journal mode."""
    from boardtui.store import migrations

    if migrations.schema_version(conn) < migrations.LATEST:
        return True
    current = conn.execute("PRAGMA journal_mode").fetchone()[0]
    return not read_only and str(current).lower() != journal_mode


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


def _refuse_newer_url(shown: str, version: int) -> None:
    from boardtui.store import migrations

    if version > migrations.LATEST:
        raise NewerSchema(f"{shown} was made by a newer version of boardtui (schema {version}; this version "
                          f"knows up to {migrations.LATEST}): upgrade boardtui to open it.")


def _upgrade_url(conn, shown: str, version: int, *, read_only: bool, migrate: bool, who: str) -> None:
    """Upgrade an older board on PostgreSQL as it opens (engine.upgrade: one transaction), or, for a role that
    may not (or an open that must not: a check-in's), say in one sentence who must open it once first; nothing is
    written then."""
    from boardtui.store import engine, migrations

    allowed, owner = engine.may_upgrade(conn)
    if read_only or not migrate or not allowed:
        raise NewerSchema(f"{shown} has an older schema ({version}) than this version of boardtui needs "
                          f"({migrations.LATEST}): it is upgraded once, in one step, the first time its owner "
                          f"role {owner} opens it read-write with this version, so wait for that (or ask them).")
    try:
        found = engine.upgrade(conn, who)
    except BoardError:
        raise
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BoardError(f"{shown} could not be upgraded to this version of boardtui ({reason}); it was left as "
                         "it was.") from exc
    _refuse_newer_url(shown, found)  # a newer boardtui upgraded it while this one waited for the lock


def _open_url(url: str, *, read_only: bool, who: str | None, thresholds: Thresholds | None,
              migrate: bool = True) -> Board:
    """A board on PostgreSQL, through the executor in store/engine.py (psycopg is imported only here). The checks
    of a board take one round trip (`_board_facts`); a database that fails it is told apart by `_not_a_board`."""
    from boardtui.store import engine, migrations

    shown = engine.redact(url)
    conn = engine.connect(url)
    try:
        facts = _board_facts(conn)
        if facts is None:
            raise _not_a_board(conn, shown)
        version, may_write, db_user = facts
        _check_url_version(shown, version)
        reason = "opened read-only" if read_only else ""
        if not read_only and not may_write:
            read_only, reason = True, "your database role may only read"  # the read-only UI, not a refusal
        if version < migrations.LATEST:
            _upgrade_url(conn, shown, version, read_only=read_only, migrate=migrate, who=who or db_user)
        if read_only:
            conn.execute("SET default_transaction_read_only = on")
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
    background_check: bool = False,
) -> Board:
    """Open an existing board database, upgrading its schema if needed (after a backup).

    Raises NotFound (no file is ever created here), NotABoard, NewerSchema, Busy. A board file that fails
    SQLite's `quick_check` is not refused: it comes back read-only with `damaged` set, and nothing is written.

    With `background_check` (the TUI's start), the check runs in a thread (`IntegrityCheck`) instead, unless
    opening writes to the file itself (a pending upgrade, or a change of journal mode): those still wait for
    a clean check. The board then comes back with `integrity` pending, and every write waits for the verdict.
    """
    from boardtui.store import engine, migrations

    url = engine.as_url(path)
    if url is not None:
        return _open_url(url, read_only=read_only, who=who, thresholds=thresholds, migrate=migrate)
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
        later = check and background_check
        wanted = choose_journal_mode(p, journal_mode)
        problem = _damage(conn, p) if check and not later else None
        if problem is None:
            try:
                migrations.check_is_board(conn, p)
                if later and _open_writes(conn, wanted, read_only):
                    later = False
                    problem = _damage(conn, p)
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
        jm = _set_journal_mode(conn, wanted, read_only)
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
    if later:
        board.integrity = IntegrityCheck(p)
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


# ---- opening a board on PostgreSQL in one round trip ------------------------------------------------------------

def _board_facts(conn) -> tuple[int, bool, str] | None:
    """The schema version, whether the role may write (an INSERT on the audit trail) and the database user, in one
    round trip: on loopback each statement is ~0.3 ms, and information_schema's view of the tables ~3–6 ms in a
    new server session. None when the statement is refused (`meta` or `audit` missing, or not readable by this
    role), which in autocommit mode leaves nothing behind."""
    from psycopg import ProgrammingError

    try:
        row = conn.execute("SELECT (SELECT value FROM meta WHERE key = 'schema_version'), "
                           "has_table_privilege('audit', 'INSERT'), current_user").fetchone()
    except ProgrammingError:  # UndefinedTable, InsufficientPrivilege
        return None
    return (int(row[0]) if row[0] is not None else 0), bool(row[1]), row[2]


def _not_a_board(conn, shown: str) -> BoardError:
    """Why a database that refused `_board_facts` is not a board, in one sentence (NewerSchema for a board of a
    newer boardtui, which may lack a table this one reads). information_schema lists only the tables this role
    has a right to, so a role with none on the board is told it is no board, as before."""
    from boardtui.store import engine

    has_meta = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_name = 'meta'"
    ).fetchone()[0]
    if not has_meta:
        return NotABoard(f"{shown} is not a board database (it has no boardtui schema; `boardtui init URL` "
                         "makes one in an empty database).")
    try:
        _check_url_version(shown, engine.schema_version(conn))
    except BoardError as exc:
        return exc
    return NotABoard(f"{shown} is not a board database (it has no audit table).")


def _check_url_version(shown: str, version: int) -> None:
    if version < 1:  # a `meta` table, but not boardtui's: there is nothing to upgrade from
        raise NotABoard(f"{shown} is not a board database (its meta table holds no schema version).")
    _refuse_newer_url(shown, version)

