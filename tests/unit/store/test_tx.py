"""The one write path: each kind of change leaves its audit row; stale edits are refused; the audit is append-only."""

from __future__ import annotations

import json
import sqlite3

import pytest

from boardtui.domain.errors import Conflict, NotFound, ValidationError
from boardtui.domain.rag import Rag
from boardtui.store import rag as rag_store
from boardtui.store.connection import open_board
from boardtui.store.tx import writing


def _audit(board, **where) -> list[dict]:
    clauses = " AND ".join(f"{k} = :{k}" for k in where) or "1 = 1"
    return [dict(r) for r in board.query(f"SELECT * FROM audit WHERE {clauses} ORDER BY at, id", where)]


def _add_programme(board, name="Adults", **values) -> str:
    with writing(board, reason="set up") as w:
        return w.insert("programmes", {"name": name, **values}, entity="programme", ref=name)


def test_insert_writes_the_row_and_a_create_audit_row(empty_board):
    pid = _add_programme(empty_board, sro="Chief Officer")
    row = empty_board.one("SELECT * FROM programmes WHERE id = :i", {"i": pid})
    assert (row["name"], row["sro"], row["version"], row["updated_by"]) == ("Adults", "Chief Officer", 1, "tester")
    [entry] = _audit(empty_board)
    assert entry["op"] == "create"
    assert (entry["entity"], entry["entity_id"], entry["ref"]) == ("programme", pid, "Adults")
    assert entry["who"] == "tester" and entry["reason"] == "set up"
    assert entry["at"] == row["updated_at"] and entry["at"].endswith("Z")
    assert entry["confidential"] == 0


def test_new_keys_are_text_and_time_ordered(empty_board):
    ids = [_add_programme(empty_board, name=f"P{i}") for i in range(5)]
    assert all(isinstance(i, str) and len(i) == 36 for i in ids)
    assert ids == sorted(ids)


def test_update_audits_each_changed_field_with_old_and_new(empty_board):
    pid = _add_programme(empty_board, sro="Chief Officer", focus="Primary care")
    with writing(empty_board, reason="new SRO") as w:
        version = w.update("programmes", pid, 1, {"sro": "CFO", "focus": "Primary care", "impact": "Fewer admissions"},
                           entity="programme", ref="Adults")
    assert version == 2
    row = empty_board.one("SELECT sro, focus, impact, version FROM programmes WHERE id = :i", {"i": pid})
    assert tuple(row) == ("CFO", "Primary care", "Fewer admissions", 2)
    updates = _audit(empty_board, op="update")
    # one row per field that changed; the unchanged focus leaves none
    assert sorted((u["field"], u["old"], u["new"]) for u in updates) == [
        ("impact", None, "Fewer admissions"),
        ("sro", "Chief Officer", "CFO"),
    ]
    assert {u["reason"] for u in updates} == {"new SRO"}
    assert {u["entity_id"] for u in updates} == {pid}


def test_update_with_no_real_change_writes_nothing(empty_board):
    pid = _add_programme(empty_board, sro="CFO")
    with writing(empty_board) as w:
        assert w.update("programmes", pid, 1, {"sro": "CFO"}) == 1
    assert empty_board.scalar("SELECT version FROM programmes") == 1
    assert _audit(empty_board, op="update") == []


def test_delete_keeps_a_json_snapshot_in_the_audit(empty_board):
    pid = _add_programme(empty_board, sro="CFO", stated_total_pence=123_400_00)
    with writing(empty_board, reason="merged into Complex Adults") as w:
        w.delete("programmes", pid, 1, entity="programme", ref="Adults")
    assert empty_board.scalar("SELECT count(*) FROM programmes") == 0
    [entry] = _audit(empty_board, op="delete")
    assert (entry["entity"], entry["entity_id"], entry["ref"]) == ("programme", pid, "Adults")
    assert entry["reason"] == "merged into Complex Adults" and entry["new"] is None
    snapshot = json.loads(entry["old"])
    assert snapshot["id"] == pid
    assert snapshot["name"] == "Adults"
    assert snapshot["sro"] == "CFO"
    assert snapshot["stated_total_pence"] == 123_400_00
    assert snapshot["version"] == 1


def test_upsert_inserts_then_updates_on_the_natural_key(empty_board):
    with writing(empty_board) as w:
        first, created = w.upsert("programmes", {"name": "Adults"}, {"sro": "CFO"}, entity="programme", ref="Adults")
    assert created
    with writing(empty_board) as w:
        again, created = w.upsert("programmes", {"name": "Adults"}, {"sro": "COO"}, entity="programme", ref="Adults")
    assert not created and again == first
    assert empty_board.query("SELECT name, sro, version FROM programmes")[0][:] == ("Adults", "COO", 2)
    ops = [(a["op"], a["field"], a["old"], a["new"]) for a in _audit(empty_board)]
    assert ops == [("create", None, None, None), ("update", "sro", "CFO", "COO")]


def test_a_failure_inside_the_transaction_rolls_everything_back(empty_board):
    with pytest.raises(RuntimeError):
        with writing(empty_board) as w:
            w.insert("programmes", {"name": "Adults"}, entity="programme")
            raise RuntimeError("boom")
    assert empty_board.scalar("SELECT count(*) FROM programmes") == 0
    assert empty_board.scalar("SELECT count(*) FROM audit") == 0
    assert not empty_board.conn.in_transaction


def test_a_constraint_failure_becomes_a_plain_sentence_and_saves_nothing(empty_board):
    _add_programme(empty_board)
    before = empty_board.scalar("SELECT count(*) FROM audit")
    with pytest.raises(Exception) as caught:
        with writing(empty_board) as w:
            w.insert("programmes", {"name": "Complex Adults"}, entity="programme")
            w.insert("programmes", {"name": "Adults"}, entity="programme")
    assert "nothing was saved" in str(caught.value)
    assert [r[0] for r in empty_board.query("SELECT name FROM programmes")] == ["Adults"]
    assert empty_board.scalar("SELECT count(*) FROM audit") == before


def test_a_stale_update_is_refused_with_who_and_when(demo_path):
    alice = open_board(demo_path, who="alice")
    bob = open_board(demo_path, who="bob")
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


def test_a_stale_delete_is_refused(demo_board):
    row = demo_board.one("SELECT id, version FROM actions WHERE ref = 'TH-01'")
    with writing(demo_board) as w:
        w.update("actions", row["id"], row["version"], {"status": "closed"}, entity="action")
    with pytest.raises(Conflict):
        with writing(demo_board) as w:
            w.delete("actions", row["id"], row["version"], entity="action")
    assert demo_board.scalar("SELECT count(*) FROM actions WHERE ref = 'TH-01'") == 1


def test_updating_a_deleted_row_is_not_found(empty_board):
    pid = _add_programme(empty_board)
    with writing(empty_board) as w:
        w.delete("programmes", pid, None)
    with pytest.raises(NotFound, match="no longer exists"):
        with writing(empty_board) as w:
            w.update("programmes", pid, 1, {"sro": "CFO"})


def test_unknown_columns_are_refused_before_any_sql(empty_board):
    with pytest.raises(ValueError, match="unknown column"):
        with writing(empty_board) as w:
            w.insert("programmes", {"name": "A", "name = 'x'; DROP TABLE audit; --": 1})
    assert empty_board.scalar("SELECT count(*) FROM audit") == 0


def test_set_rag_records_the_override_and_commentary(demo_board):
    m = demo_board.one("SELECT id, version, rag_override FROM milestones WHERE ref = 'W06'")
    assert m["rag_override"] is None
    version = rag_store.set_rag(demo_board, "milestone", m["id"], m["version"], Rag.A,
                                "Budgets agreed in principle; sign-off next week", derived=Rag.R)
    assert version == m["version"] + 1
    row = demo_board.one("SELECT rag_override, rag_commentary, version FROM milestones WHERE id = :i", {"i": m["id"]})
    assert tuple(row) == ("A", "Budgets agreed in principle; sign-off next week", version)
    entries = _audit(demo_board, entity="milestone", entity_id=m["id"], op="update")
    assert sorted((e["field"], e["old"], e["new"]) for e in entries) == [
        ("rag_commentary", None, "Budgets agreed in principle; sign-off next week"),
        ("rag_override", None, "A"),
    ]
    assert {e["ref"] for e in entries} == {"W06"}
    assert {e["reason"] for e in entries} == {"Budgets agreed in principle; sign-off next week"}


def test_set_rag_without_a_needed_commentary_writes_nothing(demo_board):
    m = demo_board.one("SELECT id, version FROM milestones WHERE ref = 'W11'")
    before = demo_board.scalar("SELECT count(*) FROM audit")
    with pytest.raises(ValidationError, match="commentary is required"):
        rag_store.set_rag(demo_board, "milestone", m["id"], m["version"], Rag.R, "   ", derived=Rag.G)
    assert demo_board.scalar("SELECT rag_override FROM milestones WHERE id = :i", {"i": m["id"]}) is None
    assert demo_board.scalar("SELECT count(*) FROM audit") == before


def test_set_rag_on_a_stale_version_is_a_conflict(demo_board):
    m = demo_board.one("SELECT id, version FROM milestones WHERE ref = 'W11'")
    rag_store.set_rag(demo_board, "milestone", m["id"], m["version"], Rag.A, "contracts late", derived=Rag.G)
    before = demo_board.scalar("SELECT count(*) FROM audit")
    with pytest.raises(Conflict):
        rag_store.set_rag(demo_board, "milestone", m["id"], m["version"], Rag.G, "", derived=Rag.G)
    assert demo_board.scalar("SELECT rag_override FROM milestones WHERE id = :i", {"i": m["id"]}) == "A"
    assert demo_board.scalar("SELECT count(*) FROM audit") == before


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit SET who = 'someone else'", "DELETE FROM audit", "UPDATE audit SET new = NULL WHERE op = 'create'"],
)
def test_the_audit_table_is_append_only(demo_board, statement):
    before = [tuple(r) for r in demo_board.query("SELECT * FROM audit ORDER BY id")]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        demo_board.conn.execute(statement)
    assert [tuple(r) for r in demo_board.query("SELECT * FROM audit ORDER BY id")] == before
