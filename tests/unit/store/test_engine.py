"""The PostgreSQL executor: `:name` parameters, rows with index and key access, the schema (BIGINT pence, the
append-only audit trigger), `boardtui init URL`, and psycopg never imported on the SQLite path."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from boardtui.cli import cli
from boardtui.domain.errors import BoardError
from boardtui.domain.rag import Rag
from boardtui.store import engine, migrations, offline
from boardtui.store.connection import open_board
from boardtui.store.copy import copy_board
from boardtui.store.ids import new_id, now_iso
from boardtui.store.rag import set_rag
from tests.pgserver import allow_connections, drop_connections


def test_named_parameters_are_translated_outside_quotes_and_casts():
    sql = "SELECT * FROM t WHERE a = :a AND b LIKE '50% :not' AND c::text = :c AND lower(d) LIKE lower(:q)"
    assert engine.translate(sql) == (
        "SELECT * FROM t WHERE a = %(a)s AND b LIKE '50%% :not' AND c::text = %(c)s AND lower(d) LIKE lower(%(q)s)"
    )


def test_a_url_is_printed_without_its_password():
    assert engine.redact("postgresql://pmo:s3cret@db:5432/board?password=s3cret&sslmode=require") == (
        "postgresql://pmo@db:5432/board?sslmode=require"
    )
    with pytest.raises(BoardError) as caught:
        engine.check_url("mysql://pmo:s3cret@db/board")
    assert "s3cret" not in str(caught.value)


def test_the_sqlite_path_never_imports_psycopg(demo_path):
    probe = (
        "import sys, boardtui.cli\n"
        "from boardtui.store.connection import open_board\n"
        f"b = open_board({str(demo_path)!r}); b.query('SELECT * FROM schemes'); b.close()\n"
        "print(any(m == 'psycopg' or m.startswith('psycopg.') for m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_opening_a_url_is_one_sentence_without_the_password():
    out = CliRunner().invoke(cli, ["report", "savings", "--db", "postgresql://pmo:s3cret@127.0.0.1:1/board"])
    assert out.exit_code == 1
    assert "s3cret" not in out.output and "Traceback" not in out.output


def test_init_url_creates_the_schema_and_the_executor_runs_store_sql(pg_url):
    out = CliRunner().invoke(cli, ["init", pg_url])
    assert out.exit_code == 0, out.output
    conn = engine.connect(pg_url)
    try:
        assert engine.schema_version(conn) == migrations.LATEST
        conn.execute("BEGIN IMMEDIATE")
        org = new_id()
        conn.execute("INSERT INTO organisations (id, name, version, updated_at, updated_by) "
                     "VALUES (:id, :name, 1, :at, :who)", {"id": org, "name": "Tower Hamlets CCG", "at": now_iso(),
                                                           "who": "pmo"})
        conn.execute("INSERT INTO programmes (id, name, org_id, stated_total_pence) VALUES (:id, :n, :o, :p)",
                     {"id": new_id(), "n": "Big money", "o": org, "p": 12_000_000_000})  # over 2^31 pence
        conn.execute("COMMIT")
        assert not conn.in_transaction
        row = conn.execute("SELECT name, stated_total_pence FROM programmes WHERE lower(name) LIKE lower(:q)",
                           {"q": "%MONEY%"}).fetchone()
        assert row[0] == row["name"] == "Big money" and row["stated_total_pence"] == 12_000_000_000
        assert row.keys() == ["name", "stated_total_pence"]
        conn.execute("INSERT INTO meta (key, value) VALUES (:k, :v) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", {"k": "created_at", "v": "x"})
        cur = conn.execute("UPDATE organisations SET name = :n, version = version + 1 WHERE id = :id AND version = :v",
                           {"n": "THCCG", "id": org, "v": 7})
        assert cur.rowcount == 0  # a stale version matches no row, as on SQLite
        conn.execute("INSERT INTO audit (id, at, who, op, entity) VALUES (:id, :at, 'pmo', 'create', 'x')",
                     {"id": new_id(), "at": now_iso()})
        import psycopg

        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("UPDATE audit SET who = 'someone else'")
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("DELETE FROM audit")
    finally:
        conn.close()
    again = CliRunner().invoke(cli, ["init", pg_url])
    assert again.exit_code == 1 and "already holds tables" in again.output


def test_an_unreachable_server_is_one_sentence_naming_host_and_port():
    with pytest.raises(BoardError) as caught:
        engine.connect("postgresql://pmo:s3cret@127.0.0.1:1/board")
    assert "127.0.0.1:1" in str(caught.value) and "s3cret" not in str(caught.value)


def test_the_demo_on_postgres_reports_the_same_savings_figures_as_on_sqlite(pg_url, demo_path):
    runner = CliRunner()
    built = runner.invoke(cli, ["demo", "--db", pg_url, "--no-open"])
    assert built.exit_code == 0, built.output
    for kind in ("savings", "standards", "milestones", "actions"):
        on_pg = runner.invoke(cli, ["report", kind, "--db", pg_url, "--format", "json"])
        on_file = runner.invoke(cli, ["report", kind, "--db", str(demo_path), "--format", "json"])
        assert on_pg.exit_code == 0, on_pg.output
        assert json.loads(on_pg.output) == json.loads(on_file.output), kind


def test_a_chair_checks_out_from_postgres_and_checks_in_with_a_conflict(pg_url, demo_path, tmp_path):
    copy_board(demo_path, pg_url)
    co = offline.checkout(pg_url, tmp_path / "laptop.db")
    assert co.source == pg_url and oct(co.file.stat().st_mode & 0o777) == oct(0o600)
    lap = open_board(co.file, who="chair")
    one, two = lap.query("SELECT id, ref, version FROM schemes ORDER BY ref LIMIT 2")
    set_rag(lap, "scheme", one["id"], one["version"], Rag.R, "Chair: red", Rag.G)
    set_rag(lap, "scheme", two["id"], two["version"], Rag.R, "Chair: red too", Rag.G)
    lap.close()
    office = open_board(pg_url, who="office")
    set_rag(office, "scheme", two["id"], two["version"], Rag.G, "Office: green", Rag.G)
    office.close()
    result = offline.checkin(co.file)
    assert result.updated == 1 and len(result.conflicts) == 2
    src = open_board(pg_url)
    try:
        assert src.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": one["id"]}) == "R"
        assert src.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": two["id"]}) == "G"
        assert src.scalar("SELECT reason FROM audit WHERE entity_id = :i AND field = 'rag_override'",
                          {"i": one["id"]}) == "Chair: red"
        for c in offline.open_conflicts(src):
            offline.resolve(src, c["id"], "mine")
        assert src.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": two["id"]}) == "R"
    finally:
        src.close()
    with pytest.raises(BoardError, match="checked in already"):
        offline.checkin(co.file)


def test_a_select_only_role_gets_a_read_only_board_and_check_works(pg_url, demo_path):
    import psycopg

    copy_board(demo_path, pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reader') THEN "
                     "CREATE ROLE reader LOGIN; END IF; END $$")
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    reader_url = pg_url.replace("boardtui@", "reader@")
    board = open_board(reader_url)
    try:
        assert board.read_only and "only read" in board.read_only_reason
        assert board.who == "reader"
        s = board.one("SELECT id, version FROM schemes LIMIT 1")
        with pytest.raises(BoardError, match="read-only"):
            set_rag(board, "scheme", s["id"], s["version"], Rag.R, "no", Rag.G)
    finally:
        board.close()
    out = CliRunner().invoke(cli, ["check", "--db", pg_url.replace("boardtui@", "boardtui:s3cret@")])
    assert "s3cret" not in out.output and "Traceback" not in out.output
    assert out.exit_code == 0, out.output


def test_a_server_error_inside_a_write_is_one_sentence(pg_url, demo_path):
    from boardtui.store.tx import writing

    copy_board(demo_path, pg_url)
    board = open_board(pg_url)
    try:
        row = board.one("SELECT * FROM schemes LIMIT 1")
        with pytest.raises(BoardError, match="duplicate"):
            with writing(board) as w:
                w.insert("schemes", {**dict(zip(row.keys(), row)), "id": new_id()})
        assert not board.conn.in_transaction
    finally:
        board.close()


def test_the_postgres_schema_has_every_table_and_index_the_sqlite_migrations_make(pg_url, empty_board):
    engine.initialise_url(pg_url)
    on_file = {(r[0], r[1]) for r in empty_board.query(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' "
        "AND tbl_name <> '_sqlite_migrations'")}  # sqlite-migrate's own bookkeeping
    conn = engine.connect(pg_url)
    try:
        on_server = {("table", r[0]) for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").fetchall()}
        on_server |= {("index", r[0]) for r in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()").fetchall()}
        assert engine.schema_version(conn) == migrations.LATEST
    finally:
        conn.close()
    # Kept programme roll-ups (0005) and the action log's joined search value (0006) are SQLite's alone
    sqlite_only = {(kind.lower(), name) for statements in migrations.SQLITE_ONLY.values() for s in statements
                   for kind, name in re.findall(r"CREATE (TABLE|INDEX) (\w+)", s)}
    assert sqlite_only and not sqlite_only & on_server
    assert on_file - sqlite_only <= on_server, sorted(on_file - sqlite_only - on_server)


def test_a_dropped_connection_is_made_again_for_a_read_with_the_sessions_settings(pg_url, demo_path):
    copy_board(demo_path, pg_url)
    board = open_board(pg_url, read_only=True)
    try:
        before = board.scalar("SELECT count(*) FROM actions")
        drop_connections(pg_url, refuse_new=False)
        assert board.scalar("SELECT count(*) FROM actions") == before
        assert board.scalar("SHOW default_transaction_read_only") == "on"  # the read-only session came back
    finally:
        board.close()


def test_a_lost_server_refuses_reads_and_writes_in_one_sentence_until_a_new_connection_is_adopted(pg_url, demo_path):
    copy_board(demo_path, pg_url)
    board = open_board(pg_url.replace("boardtui@", "boardtui:s3cret@"), who="tester")
    s = board.one("SELECT id, version, rag_override FROM schemes ORDER BY ref LIMIT 1")
    try:
        drop_connections(pg_url, refuse_new=True)
        with pytest.raises(engine.ConnectionLost) as caught:
            board.scalar("SELECT count(*) FROM actions")
        assert "was lost" in str(caught.value) and "s3cret" not in str(caught.value)
        with pytest.raises(engine.ConnectionLost, match="nothing was saved"):
            set_rag(board, "scheme", s["id"], s["version"], Rag.R, "said while the server was away", Rag.G)
        with pytest.raises(BoardError, match="Could not connect"):
            board.conn.fresh_raw()
        allow_connections(pg_url)
        board.conn.adopt(board.conn.fresh_raw())
        assert board.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": s["id"]}) == s["rag_override"]
        set_rag(board, "scheme", s["id"], s["version"], Rag.R, "said once it was back", Rag.G)
        assert board.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": s["id"]}) == "R"
    finally:
        allow_connections(pg_url)
        board.close()


def test_a_connection_dropped_inside_a_write_is_not_repeated(pg_url, demo_path):
    from boardtui.store.tx import writing

    copy_board(demo_path, pg_url)
    board = open_board(pg_url, who="tester")
    try:
        row = board.one("SELECT id, version, owner FROM actions ORDER BY ref LIMIT 1")
        audit = board.scalar("SELECT count(*) FROM audit")
        with pytest.raises(engine.ConnectionLost):
            with writing(board, reason="cut off") as w:
                w.update("actions", row["id"], row["version"], {"owner": "Half Written"}, entity="action")
                drop_connections(pg_url, refuse_new=False)
                w.update("actions", row["id"], row["version"] + 1, {"owner": "Never Written"}, entity="action")
        board.conn.adopt(board.conn.fresh_raw())
        assert board.scalar("SELECT owner FROM actions WHERE id = :i", {"i": row["id"]}) == row["owner"]
        assert board.scalar("SELECT count(*) FROM audit") == audit
    finally:
        board.close()
