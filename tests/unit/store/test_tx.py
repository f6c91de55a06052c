"""The one write path: each kind of change leaves its audit row; stale edits are refused; the audit is append-only.
Each test runs on SQLite and on PostgreSQL (the `board` and `any_demo_*` fixtures)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from boardtui.domain.errors import Conflict, NotFound, ValidationError
from boardtui.domain.rag import Rag
from boardtui.store import rag as rag_store
from boardtui.store.connection import open_board
from boardtui.store.tx import writing


def engine_errors(board) -> type[Exception]:
    """The database error the board's engine raises for a refused statement."""
    if getattr(board.conn, "engine", "sqlite") == "postgresql":
        import psycopg

        return psycopg.Error
    return sqlite3.DatabaseError


def _audit(board, **where) -> list[dict]:
    clauses = " AND ".join(f"{k} = :{k}" for k in where) or "1 = 1"
    return [dict(r) for r in board.query(f"SELECT * FROM audit WHERE {clauses} ORDER BY at, id", where)]


def _add_programme(board, name="Adults", **values) -> str:
    with writing(board, reason="set up") as w:
        return w.insert("programmes", {"name": name, **values}, entity="programme", ref=name)


def test_insert_writes_the_row_and_a_create_audit_row(board):
    pid = _add_programme(board, sro="Chief Officer")
    row = board.one("SELECT * FROM programmes WHERE id = :i", {"i": pid})
    assert (row["name"], row["sro"], row["version"], row["updated_by"]) == ("Adults", "Chief Officer", 1, "tester")
    [entry] = _audit(board)
    assert entry["op"] == "create"
    assert (entry["entity"], entry["entity_id"], entry["ref"]) == ("programme", pid, "Adults")
    assert entry["who"] == "tester" and entry["reason"] == "set up"
    assert entry["at"] == row["updated_at"] and entry["at"].endswith("Z")
    assert entry["confidential"] == 0


def test_new_keys_are_text_and_time_ordered(board):
    ids = [_add_programme(board, name=f"P{i}") for i in range(5)]
    assert all(isinstance(i, str) and len(i) == 36 for i in ids)
    assert ids == sorted(ids)


def test_update_audits_each_changed_field_with_old_and_new(board):
    pid = _add_programme(board, sro="Chief Officer", focus="Primary care")
    with writing(board, reason="new SRO") as w:
        version = w.update("programmes", pid, 1, {"sro": "CFO", "focus": "Primary care", "impact": "Fewer admissions"},
                           entity="programme", ref="Adults")
    assert version == 2
    row = board.one("SELECT sro, focus, impact, version FROM programmes WHERE id = :i", {"i": pid})
    assert tuple(row) == ("CFO", "Primary care", "Fewer admissions", 2)
    updates = _audit(board, op="update")
    # one row per field that changed; the unchanged focus leaves none
    assert sorted((u["field"], u["old"], u["new"]) for u in updates) == [
        ("impact", None, "Fewer admissions"),
        ("sro", "Chief Officer", "CFO"),
    ]
    assert {u["reason"] for u in updates} == {"new SRO"}
    assert {u["entity_id"] for u in updates} == {pid}


def test_update_with_no_real_change_writes_nothing(board):
    pid = _add_programme(board, sro="CFO")
    with writing(board) as w:
        assert w.update("programmes", pid, 1, {"sro": "CFO"}) == 1
    assert board.scalar("SELECT version FROM programmes") == 1
    assert _audit(board, op="update") == []


def test_delete_keeps_a_json_snapshot_in_the_audit(board):
    pid = _add_programme(board, sro="CFO", stated_total_pence=123_400_00)
    with writing(board, reason="merged into Complex Adults") as w:
        w.delete("programmes", pid, 1, entity="programme", ref="Adults")
    assert board.scalar("SELECT count(*) FROM programmes") == 0
    [entry] = _audit(board, op="delete")
    assert (entry["entity"], entry["entity_id"], entry["ref"]) == ("programme", pid, "Adults")
    assert entry["reason"] == "merged into Complex Adults" and entry["new"] is None
    snapshot = json.loads(entry["old"])
    assert snapshot["id"] == pid
    assert snapshot["name"] == "Adults"
    assert snapshot["sro"] == "CFO"
    assert snapshot["stated_total_pence"] == 123_400_00
    assert snapshot["version"] == 1


def test_upsert_inserts_then_updates_on_the_natural_key(board):
    with writing(board) as w:
        first, created = w.upsert("programmes", {"name": "Adults"}, {"sro": "CFO"}, entity="programme", ref="Adults")
    assert created
    with writing(board) as w:
        again, created = w.upsert("programmes", {"name": "Adults"}, {"sro": "COO"}, entity="programme", ref="Adults")
    assert not created and again == first
    assert board.query("SELECT name, sro, version FROM programmes")[0][:] == ("Adults", "COO", 2)
    ops = [(a["op"], a["field"], a["old"], a["new"]) for a in _audit(board)]
    assert ops == [("create", None, None, None), ("update", "sro", "CFO", "COO")]


def test_a_failure_inside_the_transaction_rolls_everything_back(board):
    with pytest.raises(RuntimeError):
        with writing(board) as w:
            w.insert("programmes", {"name": "Adults"}, entity="programme")
            raise RuntimeError("boom")
    assert board.scalar("SELECT count(*) FROM programmes") == 0
    assert board.scalar("SELECT count(*) FROM audit") == 0
    assert not board.conn.in_transaction


def test_a_constraint_failure_becomes_a_plain_sentence_and_saves_nothing(board):
    _add_programme(board)
    before = board.scalar("SELECT count(*) FROM audit")
    with pytest.raises(Exception) as caught:
        with writing(board) as w:
            w.insert("programmes", {"name": "Complex Adults"}, entity="programme")
            w.insert("programmes", {"name": "Adults"}, entity="programme")
    assert "nothing was saved" in str(caught.value)
    assert [r[0] for r in board.query("SELECT name FROM programmes")] == ["Adults"]
    assert board.scalar("SELECT count(*) FROM audit") == before


def test_a_stale_update_is_refused_with_who_and_when(any_demo_source):
    alice = open_board(any_demo_source, who="alice")
    bob = open_board(any_demo_source, who="bob")
    try:
        row = alice.one("SELECT id, version FROM actions WHERE ref = 'TH-03'")
        shown_version = row["version"]
        with writing(bob, reason="bob's edit") as w:
            w.update("actions", row["id"], shown_version, {"owner": "Chief Officer"}, entity="action", ref="TH-03")
        bob_at = bob.scalar("SELECT updated_at FROM actions WHERE id = :i", {"i": row["id"]})
        audit_before = alice.scalar("SELECT count(*) FROM audit")

        with pytest.raises(Conflict) as caught:
            with writing(alice, reason="alice's edit") as w:
                w.update("actions", row["id"], shown_version, {"owner": "CFO and COO"}, entity="action", ref="TH-03")
        assert caught.value.who == "bob"
        assert caught.value.when == bob_at
        assert "changed by bob" in str(caught.value)

        after = alice.one("SELECT owner, version FROM actions WHERE id = :i", {"i": row["id"]})
        assert tuple(after) == ("Chief Officer", shown_version + 1)
        assert alice.scalar("SELECT count(*) FROM audit") == audit_before
        assert alice.scalar("SELECT count(*) FROM audit WHERE who = 'alice'") == 0
        assert not alice.conn.in_transaction
    finally:
        alice.close()
        bob.close()


def test_two_writers_racing_on_one_row_exactly_one_wins(any_demo_source):
    first, second = open_board(any_demo_source, who="alice"), open_board(any_demo_source, who="bob")
    try:
        s = first.one("SELECT id, version FROM schemes ORDER BY ref LIMIT 1")
        rag_store.set_rag(first, "scheme", s["id"], s["version"], Rag.R, "alice says red", Rag.G)
        with pytest.raises(Conflict) as caught:
            rag_store.set_rag(second, "scheme", s["id"], s["version"], Rag.A, "bob says amber", Rag.G)
        assert caught.value.who == "alice"
        assert second.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": s["id"]}) == "R"
        assert second.scalar("SELECT count(*) FROM audit WHERE entity_id = :i AND who = 'bob'", {"i": s["id"]}) == 0
    finally:
        first.close()
        second.close()


def test_a_stale_delete_is_refused(any_demo_board):
    row = any_demo_board.one("SELECT id, version FROM actions WHERE ref = 'TH-01'")
    with writing(any_demo_board) as w:
        w.update("actions", row["id"], row["version"], {"status": "closed"}, entity="action")
    with pytest.raises(Conflict):
        with writing(any_demo_board) as w:
            w.delete("actions", row["id"], row["version"], entity="action")
    assert any_demo_board.scalar("SELECT count(*) FROM actions WHERE ref = 'TH-01'") == 1


def test_updating_a_deleted_row_is_not_found(board):
    pid = _add_programme(board)
    with writing(board) as w:
        w.delete("programmes", pid, None)
    with pytest.raises(NotFound, match="no longer exists"):
        with writing(board) as w:
            w.update("programmes", pid, 1, {"sro": "CFO"})


def test_unknown_columns_are_refused_before_any_sql(board):
    with pytest.raises(ValueError, match="unknown column"):
        with writing(board) as w:
            w.insert("programmes", {"name": "A", "name = 'x'; DROP TABLE audit; --": 1})
    assert board.scalar("SELECT count(*) FROM audit") == 0


def test_set_rag_records_the_override_and_commentary(any_demo_board):
    m = any_demo_board.one("SELECT id, version, rag_override FROM milestones WHERE ref = 'W06'")
    assert m["rag_override"] is None
    version = rag_store.set_rag(any_demo_board, "milestone", m["id"], m["version"], Rag.A,
                                "Budgets agreed in principle; sign-off next week", derived=Rag.R)
    assert version == m["version"] + 1
    row = any_demo_board.one("SELECT rag_override, rag_commentary, version FROM milestones WHERE id = :i",
                             {"i": m["id"]})
    assert tuple(row) == ("A", "Budgets agreed in principle; sign-off next week", version)
    entries = _audit(any_demo_board, entity="milestone", entity_id=m["id"], op="update")
    assert sorted((e["field"], e["old"], e["new"]) for e in entries) == [
        ("rag_commentary", None, "Budgets agreed in principle; sign-off next week"),
        ("rag_override", None, "A"),
    ]
    assert {e["ref"] for e in entries} == {"W06"}
    assert {e["reason"] for e in entries} == {"Budgets agreed in principle; sign-off next week"}


def test_set_rag_without_a_needed_commentary_writes_nothing(any_demo_board):
    m = any_demo_board.one("SELECT id, version FROM milestones WHERE ref = 'W11'")
    before = any_demo_board.scalar("SELECT count(*) FROM audit")
    with pytest.raises(ValidationError, match="commentary is required"):
        rag_store.set_rag(any_demo_board, "milestone", m["id"], m["version"], Rag.R, "   ", derived=Rag.G)
    assert any_demo_board.scalar("SELECT rag_override FROM milestones WHERE id = :i", {"i": m["id"]}) is None
    assert any_demo_board.scalar("SELECT count(*) FROM audit") == before


def test_set_rag_on_a_stale_version_is_a_conflict(any_demo_board):
    m = any_demo_board.one("SELECT id, version FROM milestones WHERE ref = 'W11'")
    rag_store.set_rag(any_demo_board, "milestone", m["id"], m["version"], Rag.A, "contracts late", derived=Rag.G)
    before = any_demo_board.scalar("SELECT count(*) FROM audit")
    with pytest.raises(Conflict):
        rag_store.set_rag(any_demo_board, "milestone", m["id"], m["version"], Rag.G, "", derived=Rag.G)
    assert any_demo_board.scalar("SELECT rag_override FROM milestones WHERE id = :i", {"i": m["id"]}) == "A"
    assert any_demo_board.scalar("SELECT count(*) FROM audit") == before


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit SET who = 'someone else'", "DELETE FROM audit", "UPDATE audit SET new = NULL WHERE op = 'create'"],
)
def test_the_audit_table_is_append_only(any_demo_board, statement):
    before = [tuple(r) for r in any_demo_board.query("SELECT * FROM audit ORDER BY id")]
    with pytest.raises(engine_errors(any_demo_board), match="append-only"):
        any_demo_board.conn.execute(statement)
    assert [tuple(r) for r in any_demo_board.query("SELECT * FROM audit ORDER BY id")] == before
