"""`boardtui check` on a PostgreSQL board says what it checked and what is the server's job, and finds what a
server can still hold wrong: a broken reference, a missing audit guard."""

from __future__ import annotations

import psycopg
import pytest
from click.testing import CliRunner

from boardtui.cli import cli
from boardtui.store import health
from boardtui.store.connection import open_board
from boardtui.store.copy import copy_board


@pytest.fixture
def pg_demo(pg_url, demo_path) -> str:
    copy_board(demo_path, pg_url)
    return pg_url


def _check(url: str) -> health.CheckResult:
    board = open_board(url, read_only=True)
    try:
        return health.check(board)
    finally:
        board.close()


def test_check_on_a_server_names_the_servers_job_instead_of_claiming_integrity(pg_demo, demo_path):
    out = CliRunner().invoke(cli, ["check", "--db", pg_demo])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert "Integrity: ok" not in lines
    assert lines[0].startswith("Integrity: not checked by boardtui on PostgreSQL ")
    assert "pg_amcheck" in lines[0] and "pg_dump" in lines[0]
    assert "Tables: all present" in lines
    assert "Audit trail: append-only (trigger in place)" in lines
    assert "References: none broken (checked by query)" in lines
    on_file = CliRunner().invoke(cli, ["check", "--db", str(demo_path)]).output.splitlines()
    counts = [line for line in on_file if line.split(":")[0] in {label.capitalize() for _, label in health.COUNTED}]
    assert len(counts) == len(health.COUNTED) and set(counts) <= set(lines)


def test_an_orphaned_reference_and_a_disabled_audit_guard_are_found(pg_demo):
    with psycopg.connect(pg_demo, autocommit=True) as conn:
        # Rows loaded with triggers off (as a careless restore can) get past the foreign keys.
        conn.execute("SET session_replication_role = replica")
        conn.execute("UPDATE actions SET body_id = 'no-such-body' WHERE ref = 'TH-01'")
        conn.execute("RESET session_replication_role")
        conn.execute("ALTER TABLE audit DISABLE TRIGGER audit_no_change")
    result = _check(pg_demo)
    assert not result.ok
    assert "References: 1 broken" in result.lines
    assert "Audit trail: NOT protected (the append-only trigger is missing or disabled)" in result.lines


def test_counts_changed_behind_the_kept_totals_back_are_found(pg_demo):
    assert "Kept totals: agree with the rows" in _check(pg_demo).lines
    with psycopg.connect(pg_demo, autocommit=True) as conn:
        # A careless restore loads rows with triggers off: the kept counts no longer add up.
        conn.execute("SET session_replication_role = replica")
        conn.execute("UPDATE actions SET status = 'closed' WHERE ref = 'TH-01'")
    result = _check(pg_demo)
    assert not result.ok
    assert any(line.startswith("Kept totals: the action counts differ") for line in result.lines)
