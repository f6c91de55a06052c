"""Upgrading a board on PostgreSQL as it opens (issue 11): the pending migrations' DDL, the `meta` version and an
audit row in one transaction; once however many clients open it together; never by a role that may not; and a
newer schema still refused. Without a server these skip with the reason (tests/pgserver.py)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from boardtui.domain.errors import BoardError, NewerSchema
from boardtui.store import engine, migrations
from boardtui.store.connection import open_board
from tests.pgserver import create_database, drop_database

# The latest migration with DDL for PostgreSQL (a step may hold only SQLite DDL, `migrations.SQLITE_ONLY`), and the
# schema boards made before it have.
NEWEST_STEP = next(step for step in reversed(migrations.STEPS) if step[2])
OLD = NEWEST_STEP[0] - 1


def _connect(url: str, **kwargs):
    import psycopg  # only once a server exists: without the driver, pg_server skips with the reason

    return psycopg.connect(url, **kwargs)


def _catalogue(url: str) -> dict[str, set]:
    """The shape of a board database: columns with their types, indexes with their definitions, triggers."""
    with _connect(url) as conn:
        return {
            "columns": set(conn.execute(
                "SELECT table_name, column_name, data_type, is_nullable, column_default "
                "FROM information_schema.columns WHERE table_schema = current_schema()").fetchall()),
            "indexes": set(conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()").fetchall()),
            "triggers": set(conn.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal").fetchall()),
        }


def _differences(url: str, other: str) -> dict[str, set]:
    """What is in one board's catalogue and not in the other's, by kind (empty when they have the same shape)."""
    mine, theirs = _catalogue(url), _catalogue(other)
    return {kind: mine[kind] ^ theirs[kind] for kind in mine if mine[kind] ^ theirs[kind]}


def _made_at(url: str, version: int) -> None:
    """An empty board as `boardtui init` made it when `version` was the latest schema."""
    with _connect(url) as conn:  # one transaction, committed on leaving the block
        for statement in engine.postgres_ddl(version):
            conn.execute(statement)
        conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', %s)", (str(version),))


def _version(url: str) -> int:
    with _connect(url) as conn:
        return int(conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])


def _newest_step_done(url: str) -> bool:
    """Whether the board shows the newest step: every index it makes is there, every index it drops is gone.
    Read with to_regclass, which takes no lock (an index's definition, pg_get_indexdef, waits for an upgrade that
    is dropping it to commit)."""
    there: dict[str, bool] = {}
    for statement in (*NEWEST_STEP[2], *migrations.POSTGRES_ONLY.get(NEWEST_STEP[0], ())):
        words = statement.split()
        if words[:2] in (["CREATE", "INDEX"], ["DROP", "INDEX"]):
            there[words[2]] = words[0] == "CREATE"
    assert there, "the newest step makes or drops an index these tests can see"
    with _connect(url) as conn:
        return all((conn.execute("SELECT to_regclass(%s)", (name,)).fetchone()[0] is not None) == made
                   for name, made in there.items())


def _made_before(name: str, version: int) -> str:
    """The statement that made index `name` in the schema at `version` (a newer step dropped it)."""
    return [s for number, _, ddl in migrations.STEPS if number <= version for s in ddl
            if s.startswith(f"CREATE INDEX {name} ")][-1]


def _upgrade_rows(url: str) -> list[tuple]:
    with _connect(url) as conn:
        return conn.execute("SELECT who, old, new FROM audit WHERE entity = 'board' AND ref = 'schema_version'"
                            ).fetchall()


@pytest.fixture
def old_demo(pg_server, pg_demo_template):
    """The demo board on PostgreSQL as the previous version left it: its schema is exactly the old DDL's."""
    url = create_database(pg_server, template=pg_demo_template)
    with _connect(url) as conn:
        # Undo the newer steps, last statement first; the comparison below fails if one is not undone.
        newer = [s for number, _, ddl in migrations.STEPS if number > OLD
                 for s in (*ddl, *migrations.POSTGRES_ONLY.get(number, ()))]
        for statement in reversed(newer):
            words = statement.split()
            if words[0] == "CREATE" and words[1] == "TRIGGER":
                conn.execute(f"DROP TRIGGER {words[2]} ON {words[words.index('ON') + 1]}")
            elif words[0] == "CREATE" and words[1] == "FUNCTION":
                conn.execute(f"DROP FUNCTION {words[2]}")
            elif words[0] == "CREATE":
                conn.execute(f"DROP {words[1]} {words[2]}")
            elif words[:2] == ["DROP", "INDEX"]:
                conn.execute(_made_before(words[2], OLD))
        conn.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(OLD),))
    reference = create_database(pg_server)
    try:
        _made_at(reference, OLD)
        assert _differences(url, reference) == {}
    finally:
        drop_database(pg_server, reference)
    yield url
    drop_database(pg_server, url)


def _contents(url: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of its rows, in a fixed order (the tables this board has)."""
    with _connect(url) as conn:
        present = {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                              "WHERE table_schema = current_schema()").fetchall()}
        return {t: tuple(conn.execute(f"SELECT count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) "
                                      f"FROM {t} r").fetchone()) for t in engine.table_order() if t in present}


def test_an_older_board_is_upgraded_as_it_opens_with_its_data_intact(old_demo):
    before = _contents(old_demo)
    assert not _newest_step_done(old_demo)
    board = open_board(old_demo, who="pmo.lead")
    try:
        assert not board.read_only
        assert board.scalar("SELECT value FROM meta WHERE key = 'schema_version'") == str(migrations.LATEST)
    finally:
        board.close()
    assert _newest_step_done(old_demo)
    after = _contents(old_demo)
    if OLD < 5:  # 0005's kept counts: made by the upgrade, and filled from the action log
        assert after.pop("action_counts")[0] > 0
        with _connect(old_demo) as conn:
            assert not conn.execute("SELECT status, due, count(*) FROM actions GROUP BY status, due "
                                    "EXCEPT SELECT status, due, n FROM action_counts").fetchall()
    assert after.pop("audit")[0] == before.pop("audit")[0] + 1  # the upgrade's own row, below
    before["meta"], after["meta"] = before["meta"][0], after["meta"][0]  # schema_version changed, as it should
    assert after == before
    assert _upgrade_rows(old_demo) == [("pmo.lead", str(OLD), str(migrations.LATEST))]
    open_board(old_demo).close()  # a second open finds nothing to do
    assert len(_upgrade_rows(old_demo)) == 1


def test_an_upgraded_board_has_the_same_schema_as_a_new_one(pg_server, pg_url):
    _made_at(pg_url, OLD)
    open_board(pg_url).close()
    new = create_database(pg_server)
    try:
        engine.initialise_url(new)
        assert _differences(pg_url, new) == {}
    finally:
        drop_database(pg_server, new)


def _waiting_on_meta(url: str) -> int:
    with _connect(url) as conn:
        return conn.execute("SELECT count(*) FROM pg_locks WHERE relation = 'meta'::regclass AND NOT granted"
                            ).fetchone()[0]


def _open_in_threads(url: str, n: int, release) -> list:
    """Open the board from `n` threads at once while another session holds the lock on `meta`, then call
    `release` once all of them wait for it; each result is a Board or the exception it raised."""
    results: list = [None] * n

    def opener(i: int) -> None:
        try:
            results[i] = open_board(url)
        except BaseException as exc:  # noqa: BLE001  (reported to the test)
            results[i] = exc

    threads = [threading.Thread(target=opener, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    pause, give_up = threading.Event(), time.monotonic() + 60  # a bound, not a timing: a broken lock never waits
    while _waiting_on_meta(url) < n and any(t.is_alive() for t in threads) and time.monotonic() < give_up:
        pause.wait(0.05)
    release()
    for t in threads:
        t.join(60)
    return results


def test_two_clients_opening_an_older_board_together_upgrade_it_once(old_demo):
    holder = _connect(old_demo)  # a third session holds the lock until both clients wait for it
    holder.execute("LOCK TABLE meta IN EXCLUSIVE MODE")
    boards = _open_in_threads(old_demo, 2, holder.commit)
    holder.close()
    try:
        assert all(not isinstance(b, BaseException) for b in boards), boards
        assert all(b.scalar("SELECT value FROM meta WHERE key = 'schema_version'") == str(migrations.LATEST)
                   for b in boards)
    finally:
        for b in boards:
            if not isinstance(b, BaseException):
                b.close()
    assert len(_upgrade_rows(old_demo)) == 1
    assert _newest_step_done(old_demo)


def test_a_newer_boardtui_that_upgrades_first_is_refused_after_the_wait(old_demo):
    holder = _connect(old_demo)
    holder.execute("LOCK TABLE meta IN EXCLUSIVE MODE")
    holder.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(migrations.LATEST + 1),))
    [result] = _open_in_threads(old_demo, 1, holder.commit)
    holder.close()
    assert isinstance(result, NewerSchema), result
    assert "newer version of boardtui" in str(result)
    assert _upgrade_rows(old_demo) == [] and not _newest_step_done(old_demo)


def _role(url: str, name: str, grant: str) -> str:
    with _connect(url, autocommit=True) as conn:
        conn.execute(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN "
                     f"CREATE ROLE {name} LOGIN; END IF; END $$")
        conn.execute(f"GRANT {grant} ON ALL TABLES IN SCHEMA public TO {name}")
    return url.replace("boardtui@", f"{name}@")


@pytest.mark.parametrize("name, grant", [("upgrade_reader", "SELECT"),
                                         ("upgrade_editor", "SELECT, INSERT, UPDATE, DELETE")])
def test_a_role_that_does_not_own_the_tables_is_told_to_wait_for_the_owner(old_demo, name, grant):
    with pytest.raises(NewerSchema) as caught:
        open_board(_role(old_demo, name, grant))
    message = str(caught.value)
    assert "older schema" in message and "owner role boardtui" in message and "wait" in message
    assert message.count(". ") == 0 and "Traceback" not in message  # one sentence
    assert _version(old_demo) == OLD and not _newest_step_done(old_demo) and _upgrade_rows(old_demo) == []


def test_the_owner_opening_read_only_does_not_upgrade(old_demo):
    with pytest.raises(NewerSchema, match="older schema"):
        open_board(old_demo, read_only=True)
    assert _version(old_demo) == OLD and not _newest_step_done(old_demo)


def test_an_open_that_must_not_migrate_does_not_upgrade(old_demo):
    from boardtui.store.connection import _open_url  # open_board(…, migrate=False): a check-in's source

    with pytest.raises(NewerSchema, match="older schema"):
        _open_url(old_demo, read_only=False, who=None, thresholds=None, migrate=False)
    assert _version(old_demo) == OLD and not _newest_step_done(old_demo)


def test_a_newer_board_is_refused_in_one_sentence(pg_url):
    engine.initialise_url(pg_url)
    with _connect(pg_url) as conn:
        conn.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(migrations.LATEST + 1),))
    with pytest.raises(NewerSchema, match="newer version of boardtui"):
        open_board(pg_url)
    assert _version(pg_url) == migrations.LATEST + 1


def test_an_upgrade_that_fails_part_way_leaves_the_old_schema(old_demo, monkeypatch):
    broken = (migrations.LATEST + 1, "0099_broken",
              ("CREATE TABLE half_done (id TEXT NOT NULL PRIMARY KEY)", "INSERT INTO no_such_table VALUES (1)"))
    monkeypatch.setattr(migrations, "STEPS", (*migrations.STEPS, broken))
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    with pytest.raises(BoardError, match="could not be upgraded.*left as it was"):
        open_board(old_demo)
    assert _version(old_demo) == OLD and not _newest_step_done(old_demo) and _upgrade_rows(old_demo) == []
    with _connect(old_demo) as conn:
        assert conn.execute("SELECT to_regclass('half_done')").fetchone()[0] is None


def test_killing_the_process_mid_upgrade_leaves_the_old_schema(old_demo):
    # The upgrading process is killed while its transaction is open (a last step that sleeps). The server notices
    # the dead client at once (client_connection_check_interval) and rolls the whole transaction back.
    url = f"{old_demo}?options=-c%20client_connection_check_interval%3D100ms"
    script = (
        "from boardtui.store import connection, migrations\n"
        "migrations.STEPS = (*migrations.STEPS, (migrations.LATEST + 1, '0099_slow', ('SELECT pg_sleep(600)',)))\n"
        "migrations.LATEST += 1\n"
        f"connection.open_board({url!r})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parents[3])

    def sleeping() -> int:
        with _connect(old_demo) as conn:
            return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)' "
                                "AND datname = current_database()").fetchone()[0]

    pause, give_up = threading.Event(), time.monotonic() + 60  # bounds, not timings
    try:
        while not sleeping() and proc.poll() is None and time.monotonic() < give_up:
            pause.wait(0.05)
        assert sleeping(), "the upgrade never reached its last step"
        assert not _newest_step_done(old_demo)  # not visible to others before the commit, either
    finally:
        proc.kill()
        proc.wait(30)
    give_up = time.monotonic() + 60
    while sleeping() and time.monotonic() < give_up:
        pause.wait(0.05)
    assert not sleeping(), "the server kept the dead client's transaction"
    assert _version(old_demo) == OLD and not _newest_step_done(old_demo) and _upgrade_rows(old_demo) == []
    open_board(old_demo).close()  # and the next open upgrades it as usual: nothing half-done is in its way
    assert _version(old_demo) == migrations.LATEST and _newest_step_done(old_demo)


def test_a_database_with_a_meta_table_but_no_schema_version_is_not_a_board(pg_url):
    from boardtui.domain.errors import NotABoard

    with _connect(pg_url) as conn:
        conn.execute("CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value TEXT)")
    with pytest.raises(NotABoard, match="not a board database"):
        open_board(pg_url)
    with _connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 1
