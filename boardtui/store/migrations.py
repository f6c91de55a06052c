"""Numbered schema migrations, run through `sqlite_utils.Migrations` (SQLite) and `engine.upgrade` (PostgreSQL).

The schema version lives in the `meta` table (portable; `PRAGMA user_version` is mirrored for SQLite tools).
Opening a board only reads `meta`; sqlite-utils (≈0.12 s to import) is loaded only when a migration is pending,
so the start-up budget is not spent on it. Before migrating an existing file, a backup-API copy is written beside
it; all pending migrations then run inside one exclusive transaction, so a failure leaves the previous version.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from boardtui.domain.errors import BoardError, NotABoard
from boardtui.store.ids import now_iso

if TYPE_CHECKING:
    from boardtui.store.connection import Board

MIGRATION_SET = "boardtui"


# Migration 0002, portable DDL. Check-in conflicts of a chair's offline copy (store/offline.py): one row per field
# the chair changed on a row the office also changed, kept until someone keeps mine, keeps theirs or edits the value.
CONFLICTS_DDL = (
    "CREATE TABLE conflicts ("
    "id TEXT NOT NULL PRIMARY KEY, checkout_id TEXT NOT NULL, kind TEXT NOT NULL, "
    "entity TEXT NOT NULL, entity_id TEXT NOT NULL, ref TEXT, field TEXT, "
    "mine TEXT, theirs TEXT, mine_who TEXT, mine_at TEXT, theirs_who TEXT, theirs_at TEXT, "
    "mine_row TEXT, status TEXT NOT NULL DEFAULT 'open', resolution TEXT, "
    "version INTEGER NOT NULL DEFAULT 1, created_at TEXT, updated_at TEXT, updated_by TEXT)",
    "CREATE INDEX conflicts_status ON conflicts (status, created_at)",
)

# Migration 0003, portable DDL (SQLite and PostgreSQL both index expressions): the action log's owner order
# (`actions.ORDERS["owner"]`) walks this index instead of sorting 100k rows for every page (30–150 ms).
ACTIONS_OWNER_ORDER_DDL = (
    "CREATE INDEX actions_owner_order ON actions (lower(owner), due, ref)",
)

# Migration 0004, portable DDL: counting a text filter over the action log (`actions.count`) reads only the three
# searched columns from `actions_search` instead of every column from the table (100k actions: ~29 → ~20 ms). The
# index holds the rows whose three values are short (nearly all), so an entry stays within PostgreSQL's b-tree
# limit (2,704 bytes; 600 characters are at most 2,400 bytes) whatever is written; the long ones are found by
# `actions_search_long`. Both were replaced by migration 0006.
ACTIONS_SEARCH_DDL = (
    "CREATE INDEX actions_search ON actions (text, ref, owner) "
    "WHERE length(text) + length(ref) + length(owner) < 600",
    "CREATE INDEX actions_search_long ON actions ((length(text) + length(ref) + length(owner)))",
)

# Migration 0005: what the first screens would otherwise aggregate from 10,000 schemes and 100,000 actions on every
# start, kept beside the rows and exact by construction, and an index for the dashboard's largest shortfalls.
# - Portable: `schemes_shortfall`, from whose front `savings.largest_shortfalls` reads its five rows instead of
#   sorting the year's schemes (~3 → ~0.03 ms); `action_counts`, the action log's counts by status and due date
#   (`action_counts.counts`, ~10 → ~0.7 ms), kept by a trigger on each engine that adds or takes one from a counter
#   row — exact under PostgreSQL's side-by-side writers too, as an UPDATE re-reads the committed count.
# - SQLite only: each programme's roll-up for a year (store/savings.py, "kept roll-ups"). Any change to a scheme
#   deletes its programme-year's row and notes the key; the store rolls the noted keys up again before its
#   transaction commits. SQLite runs one writer at a time; on a PostgreSQL server two transactions could each
#   refresh a row from a view without the other's change, so there the server rolls up live.
FIRST_SCREEN_DDL = (
    "CREATE INDEX schemes_shortfall ON schemes (fy, (fot_pence - plan_pence), ref) WHERE value_status = "
    "'quantified' AND plan_pence IS NOT NULL AND fot_pence IS NOT NULL AND fot_pence < plan_pence",
    "CREATE TABLE action_counts (status TEXT NOT NULL, due TEXT NOT NULL, n INTEGER NOT NULL, "
    "PRIMARY KEY (status, due))",
    "INSERT INTO action_counts (status, due, n) SELECT status, due, count(*) FROM actions GROUP BY status, due",
)
FIRST_SCREEN_SQLITE_DDL = (
    "CREATE TRIGGER actions_count_insert AFTER INSERT ON actions BEGIN "
    "INSERT INTO action_counts (status, due, n) VALUES (new.status, new.due, 1) "
    "ON CONFLICT (status, due) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER actions_count_update AFTER UPDATE OF status, due ON actions "
    "WHEN old.status IS NOT new.status OR old.due IS NOT new.due BEGIN "
    "UPDATE action_counts SET n = n - 1 WHERE status = old.status AND due = old.due; "
    "DELETE FROM action_counts WHERE status = old.status AND due = old.due AND n = 0; "
    "INSERT INTO action_counts (status, due, n) VALUES (new.status, new.due, 1) "
    "ON CONFLICT (status, due) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER actions_count_delete AFTER DELETE ON actions BEGIN "
    "UPDATE action_counts SET n = n - 1 WHERE status = old.status AND due = old.due; "
    "DELETE FROM action_counts WHERE status = old.status AND due = old.due AND n = 0; END",
    "CREATE TABLE programme_rollups ("
    "fy INTEGER NOT NULL, programme_id TEXT NOT NULL, basis TEXT NOT NULL, "
    "schemes INTEGER NOT NULL, tbc INTEGER NOT NULL, na INTEGER NOT NULL, identified_pence INTEGER NOT NULL, "
    "ytd_plan_pence INTEGER NOT NULL, ytd_actual_pence INTEGER NOT NULL, fot_pence INTEGER NOT NULL, "
    "risk_adjusted_pence INTEGER NOT NULL, rag_r INTEGER NOT NULL, rag_a INTEGER NOT NULL, "
    "rag_g INTEGER NOT NULL, rag_b INTEGER NOT NULL, rag_u INTEGER NOT NULL, "
    "PRIMARY KEY (fy, programme_id))",
    "CREATE TABLE rollups_stale (fy INTEGER NOT NULL, programme_id TEXT NOT NULL, PRIMARY KEY (fy, programme_id))",
    "CREATE TRIGGER schemes_rollup_insert AFTER INSERT ON schemes BEGIN "
    "DELETE FROM programme_rollups WHERE fy = new.fy AND programme_id = new.programme_id; "
    "INSERT OR IGNORE INTO rollups_stale (fy, programme_id) VALUES (new.fy, new.programme_id); END",
    "CREATE TRIGGER schemes_rollup_update AFTER UPDATE ON schemes BEGIN "
    "DELETE FROM programme_rollups WHERE fy = old.fy AND programme_id = old.programme_id; "
    "DELETE FROM programme_rollups WHERE fy = new.fy AND programme_id = new.programme_id; "
    "INSERT OR IGNORE INTO rollups_stale (fy, programme_id) VALUES (old.fy, old.programme_id); "
    "INSERT OR IGNORE INTO rollups_stale (fy, programme_id) VALUES (new.fy, new.programme_id); END",
    "CREATE TRIGGER schemes_rollup_delete AFTER DELETE ON schemes BEGIN "
    "DELETE FROM programme_rollups WHERE fy = old.fy AND programme_id = old.programme_id; "
    "INSERT OR IGNORE INTO rollups_stale (fy, programme_id) VALUES (old.fy, old.programme_id); END",
    # A board upgraded with schemes in it: every key is rolled up at its next write.
    "INSERT INTO rollups_stale (fy, programme_id) SELECT DISTINCT fy, programme_id FROM schemes",
)
FIRST_SCREEN_POSTGRES_DDL = (
    "CREATE FUNCTION actions_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.due = NEW.due THEN RETURN NULL; END IF; "
    "IF TG_OP <> 'INSERT' THEN "
    "UPDATE action_counts SET n = n - 1 WHERE status = OLD.status AND due = OLD.due; "
    "DELETE FROM action_counts WHERE status = OLD.status AND due = OLD.due AND n = 0; END IF; "
    "IF TG_OP <> 'DELETE' THEN "
    "INSERT INTO action_counts (status, due, n) VALUES (NEW.status, NEW.due, 1) "
    "ON CONFLICT (status, due) DO UPDATE SET n = action_counts.n + 1; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER actions_count AFTER INSERT OR UPDATE OF status, due OR DELETE ON actions "
    "FOR EACH ROW EXECUTE FUNCTION actions_count()",
)

# Migration 0006: a text filter over the action log is one LIKE over the action's text, ref and owner joined
# (`actions.SEARCH_HAY`) where it was three over the columns, and "open only", "overdue only" and the owner filter
# are read beside it. On SQLite an index of that value, the owner, status and due date answers any mix of them
# (100k actions, counting "w": 0004's index ~16 ms, and 40-64 ms with "open only", which read the table; now ~11
# and ~13 ms). PostgreSQL never read 0004's two indexes (its count has no size condition for the partial one to
# match, and its ILIKE scans the table): they go on both engines, and PostgreSQL gets nothing in their place.
ACTIONS_SEARCH_ONE_LIKE_DDL = (
    "DROP INDEX actions_search",
    "DROP INDEX actions_search_long",
)
ACTIONS_SEARCH_ONE_LIKE_SQLITE_DDL = (
    "CREATE INDEX actions_search ON actions ((text || char(31) || ref || char(31) || owner), owner, status, due)",
)

# Every migration after 0001 (the schema file), declared once as (version, name, portable DDL): SQLite runs them
# through sqlite-utils (`_build`), PostgreSQL through `engine.postgres_ddl` for a new board and `engine.upgrade`
# for an older one, so the two engines cannot drift. A new migration is one more entry here.
STEPS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (2, "0002_conflicts", CONFLICTS_DDL),
    (3, "0003_actions_owner_order", ACTIONS_OWNER_ORDER_DDL),
    (4, "0004_actions_search", ACTIONS_SEARCH_DDL),
    (5, "0005_first_screen_aggregates", FIRST_SCREEN_DDL),
    (6, "0006_actions_search_one_like", ACTIONS_SEARCH_ONE_LIKE_DDL),
)
# Statements each engine runs after a step's portable DDL: triggers, in each engine's own language, and what only
# one writer at a time can keep exact (see 0005).
SQLITE_ONLY: dict[int, tuple[str, ...]] = {5: FIRST_SCREEN_SQLITE_DDL, 6: ACTIONS_SEARCH_ONE_LIKE_SQLITE_DDL}
POSTGRES_ONLY: dict[int, tuple[str, ...]] = {5: FIRST_SCREEN_POSTGRES_DDL}
LATEST = STEPS[-1][0]


def _statements(sql: str) -> list[str]:
    """Split a DDL script into statements (the schema files hold no semicolons inside literals)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _build():
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)

    @migrations(name="0001_initial")
    def initial(db) -> None:
        from importlib import resources  # only when a board is made or upgraded (~1 ms of start-up otherwise)

        sql = resources.files("boardtui.store").joinpath("schema_v1.sql").read_text(encoding="utf-8")
        for statement in _statements(sql):
            db.execute(statement)
        # The audit trail is append-only, enforced by the engine as well as by the store's API.
        db.execute(
            "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
        db.execute(
            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )

    for version, name, ddl in STEPS:
        def step(db, ddl=ddl + SQLITE_ONLY.get(version, ())) -> None:
            for statement in ddl:
                db.execute(statement)

        migrations(name=name)(step)

    return migrations


def schema_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def check_is_board(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is SQLite but not a board (a foreign database, or one with no schema)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    from boardtui.store.connection import APPLICATION_ID

    if app_id != APPLICATION_ID or not has_meta:
        raise NotABoard(f"{path} is not a board database (it has no boardtui schema).")


def _set_version(conn: sqlite3.Connection, version: int) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', :v) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {"v": str(version)},
    )
    conn.execute(f"PRAGMA user_version = {int(version)}")


def _apply(board: "Board") -> None:
    from sqlite_utils import Database

    conn = board.conn
    db = Database(conn, execute_plugins=False)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        # Inside our exclusive transaction each sqlite-utils migration runs as a savepoint.
        _build().apply(db)
        _set_version(conn, LATEST)
        from boardtui.store.savings import refresh_kept_rollups  # savings imports the store's writer

        refresh_kept_rollups(board)  # 0005's roll-ups made now, not left to the board's next write
        bad = conn.execute("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise BoardError(f"The upgrade would break {len(bad)} references between records; nothing was changed.")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def initialise(board: "Board") -> None:
    """Give a brand-new file the latest schema and mark it as a board."""
    from boardtui.store.connection import APPLICATION_ID

    board.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    _apply(board)
    board.conn.execute(
        "INSERT INTO meta (key, value) VALUES ('created_at', :at) ON CONFLICT (key) DO NOTHING",
        {"at": now_iso()},
    )


def upgrade(board: "Board") -> Path:
    """Back up an existing board, then apply every pending migration in one transaction."""
    from boardtui.store.connection import backup_to

    stamp = now_iso().replace(":", "").replace("-", "")[:15]
    backup = board.path.with_name(f"{board.path.name}.v{schema_version(board.conn)}-{stamp}.bak")
    backup_to(board, backup)
    _apply(board)
    return backup
