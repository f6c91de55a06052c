"""The chair's offline copy: checkout, the keyed row diff, check-in (clean, with conflicts, re-run)."""

from __future__ import annotations

import sqlite3

import pytest

from boardtui.domain.errors import BoardError
from boardtui.domain.rag import Rag
from boardtui.store import actions, migrations, notes, offline
from boardtui.store.connection import open_board
from boardtui.store.rag import set_rag


def _scheme(board, n: int = 0):
    return board.query("SELECT id, ref, version FROM schemes ORDER BY ref LIMIT 1 OFFSET :n", {"n": n})[0]


def _out(tmp_path):
    co = offline.checkout(tmp_path / "demo.db", tmp_path / "laptop.db")
    return co, open_board(co.file, who="chair")


def test_checkout_writes_an_owner_only_copy_and_base_with_where_it_came_from(demo_path, tmp_path):
    co = offline.checkout(demo_path, tmp_path / "laptop.db")
    assert co.base == tmp_path / "laptop.db.base"
    for p in (co.file, co.base):
        assert oct(p.stat().st_mode & 0o777) == oct(0o600)
        conn = sqlite3.connect(p)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        assert meta[offline.META_SOURCE] == str(demo_path.resolve())
        assert meta[offline.META_SCHEMA] == str(migrations.LATEST)
        assert meta[offline.META_CHECKOUT] == co.checkout_id
        conn.close()
    with pytest.raises(BoardError, match="already exists"):
        offline.checkout(demo_path, tmp_path / "laptop.db")


def test_a_clean_checkin_applies_inserts_updates_of_any_field_and_deletes(demo_path, tmp_path):
    co, lap = _out(tmp_path)
    s = _scheme(lap)
    lap.conn.execute("BEGIN")
    lap.conn.execute("UPDATE schemes SET lead = 'New lead', plan_pence = 123, version = version + 1 WHERE id = :i",
                     {"i": s["id"]})
    lap.conn.execute("COMMIT")
    meeting = lap.query("SELECT id, body_id FROM meetings ORDER BY date DESC LIMIT 1")[0]
    note_id = notes.add(lap, meeting["id"], None, "Discussed offline")
    action_id = actions.create(lap, {"text": "Chase the audit", "owner": "CFO", "due": "2016-12-01"},
                               meeting_id=meeting["id"])
    dep = lap.one("SELECT id FROM milestone_deps LIMIT 1")
    if dep is not None:
        lap.conn.execute("DELETE FROM milestone_deps WHERE id = :i", {"i": dep["id"]})
    lap.close()

    result = offline.checkin(co.file, who="chair")
    assert result.conflicts == []
    assert result.inserted >= 2 and result.updated == 1
    assert not co.base.exists()
    src = open_board(demo_path)
    row = src.one("SELECT lead, plan_pence, version FROM schemes WHERE id = :i", {"i": s["id"]})
    assert (row["lead"], row["plan_pence"], row["version"]) == ("New lead", 123, s["version"] + 1)
    assert src.scalar("SELECT text FROM minute_notes WHERE id = :i", {"i": note_id}) == "Discussed offline"
    assert src.scalar("SELECT owner FROM actions WHERE id = :i", {"i": action_id}) == "CFO"
    # the laptop's audit rows arrive as they were written, with their own keys
    assert src.scalar("SELECT who FROM audit WHERE entity_id = :i AND op = 'create'", {"i": action_id}) == "chair"
    if dep is not None:
        assert src.one("SELECT 1 FROM milestone_deps WHERE id = :i", {"i": dep["id"]}) is None
    assert src.scalar("SELECT count(*) FROM audit WHERE op = 'checkin'") == 1
    src.close()


def test_rows_made_on_both_sides_never_collide_and_action_refs_are_renumbered(demo_path, tmp_path):
    co, lap = _out(tmp_path)
    src = open_board(demo_path, who="office")
    meeting = src.query("SELECT id FROM meetings ORDER BY date DESC LIMIT 1")[0]["id"]
    made = {"office": [], "chair": []}
    for i in range(50):
        made["office"].append(actions.create(src, {"text": f"office {i}", "owner": "PMO", "due": "2016-12-01"},
                                             meeting_id=meeting))
        made["chair"].append(actions.create(lap, {"text": f"chair {i}", "owner": "Chair", "due": "2016-12-01"},
                                            meeting_id=meeting))
    assert not set(made["office"]) & set(made["chair"])
    office_refs = {r[0] for r in src.query("SELECT ref FROM actions WHERE owner = 'PMO'")}
    src.close()
    lap.close()
    result = offline.checkin(co.file)
    assert result.conflicts == [] and len(result.renumbered) == 50
    src = open_board(demo_path)
    assert src.scalar("SELECT count(*) FROM actions WHERE id IN (%s)" % ",".join("?" * 100),
                      tuple(made["office"] + made["chair"])) == 100
    assert {r[0] for r in src.query("SELECT ref FROM actions WHERE owner = 'PMO'")} == office_refs
    assert src.scalar("SELECT count(DISTINCT ref) FROM actions") == src.scalar("SELECT count(*) FROM actions")
    src.close()


def test_a_row_also_changed_at_the_office_is_a_conflict_and_the_office_value_stands(demo_path, tmp_path):
    co, lap = _out(tmp_path)
    s = _scheme(lap)
    set_rag(lap, "scheme", s["id"], s["version"], Rag.R, "Slipping badly", Rag.G)
    lap.close()
    src = open_board(demo_path, who="pmo.officer")
    set_rag(src, "scheme", s["id"], s["version"], Rag.G, "On track", Rag.A)
    src.close()

    result = offline.checkin(co.file)
    lines = [c.sentence() for c in result.conflicts]
    assert any(f"schemes {s['ref']} rag_override: you set R; pmo.officer set G at " in line for line in lines)
    assert co.base.exists()  # kept until the conflicts are resolved
    src = open_board(demo_path, who="resolver")
    assert src.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": s["id"]}) == "G"
    # the chair's audit rows for the conflicted row are held back, not shown as if applied
    assert src.scalar("SELECT count(*) FROM audit WHERE entity_id = :i AND new = 'R'", {"i": s["id"]}) == 0
    pending = offline.open_conflicts(src)
    assert {c["field"] for c in pending} == {"rag_override", "rag_commentary"}
    rag = next(c for c in pending if c["field"] == "rag_override")
    offline.resolve(src, rag["id"], "mine")
    com = next(c for c in pending if c["field"] == "rag_commentary")
    offline.resolve(src, com["id"], "edit", "Slipping; agreed with PMO")
    row = src.one("SELECT rag_override, rag_commentary FROM schemes WHERE id = :i", {"i": s["id"]})
    assert (row["rag_override"], row["rag_commentary"]) == ("R", "Slipping; agreed with PMO")
    assert offline.open_conflicts(src) == []
    assert src.scalar("SELECT count(*) FROM audit WHERE entity_id = :i AND who = 'resolver'", {"i": s["id"]}) == 2
    with pytest.raises(BoardError, match="resolved already"):
        offline.resolve(src, rag["id"], "theirs")
    src.close()


def test_keep_theirs_changes_nothing_but_the_conflict(demo_path, tmp_path):
    co, lap = _out(tmp_path)
    s = _scheme(lap)
    set_rag(lap, "scheme", s["id"], s["version"], Rag.R, "Slipping", Rag.G)
    lap.close()
    src = open_board(demo_path, who="office")
    set_rag(src, "scheme", s["id"], s["version"], Rag.A, "Watch", Rag.G)
    offline.checkin(co.file)
    for c in offline.open_conflicts(src):
        offline.resolve(src, c["id"], "theirs")
    assert src.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": s["id"]}) == "A"
    assert offline.open_conflicts(src) == []
    src.close()


def test_rerunning_a_checkin_applies_nothing_twice(demo_path, tmp_path):
    co, lap = _out(tmp_path)
    meeting = lap.query("SELECT id FROM meetings LIMIT 1")[0]["id"]
    notes.add(lap, meeting, None, "once")
    lap.close()
    keep = tmp_path / "base.keep"
    keep.write_bytes(co.base.read_bytes())
    offline.checkin(co.file)
    with pytest.raises(BoardError, match="checked in already"):
        offline.checkin(co.file)
    keep.rename(co.base)  # as if the crash came after COMMIT but before the base was removed
    with pytest.raises(BoardError, match="checked in already"):
        offline.checkin(co.file)
    src = open_board(demo_path)
    assert src.scalar("SELECT count(*) FROM minute_notes WHERE text = 'once'") == 1
    src.close()


def test_a_checkin_is_refused_across_schema_versions(demo_path, tmp_path):
    co, lap = _out(tmp_path)
    lap.close()
    conn = sqlite3.connect(demo_path)
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = demo_path.read_bytes()
    with pytest.raises(BoardError, match="schema"):
        offline.checkin(co.file)
    assert demo_path.read_bytes() == before


def test_a_checkin_is_refused_for_another_source(demo_path, tmp_path, demo_template):
    co, lap = _out(tmp_path)
    lap.close()
    with pytest.raises(BoardError, match="checked out from"):
        offline.checkin(co.file, source=str(demo_template))
    other = tmp_path / "other.db"
    from boardtui.store.connection import create_board

    create_board(other).close()
    conn = sqlite3.connect(co.file)
    conn.execute("UPDATE meta SET value = :v WHERE key = :k", {"v": str(other), "k": offline.META_SOURCE})
    conn.commit()
    conn.close()
    conn = sqlite3.connect(co.base)
    conn.execute("UPDATE meta SET value = :v WHERE key = :k", {"v": str(other), "k": offline.META_SOURCE})
    conn.commit()
    conn.close()
    with pytest.raises(BoardError, match="not the board"):
        offline.checkin(co.file)


def test_an_office_change_to_a_row_the_chair_deleted_is_a_conflict(demo_path, tmp_path):
    co, lap = _out(tmp_path)
    meeting = lap.query("SELECT id FROM meetings LIMIT 1")[0]["id"]
    lap.close()
    src = open_board(demo_path, who="office")
    note = notes.add(src, meeting, None, "office note")
    src.close()
    co2 = offline.checkout(demo_path, tmp_path / "laptop2.db")
    lap = open_board(co2.file)
    lap.conn.execute("DELETE FROM minute_notes WHERE id = :i", {"i": note})
    lap.close()
    src = open_board(demo_path, who="office")
    v = src.scalar("SELECT version FROM minute_notes WHERE id = :i", {"i": note})
    from boardtui.store.tx import writing

    with writing(src) as w:
        w.update("minute_notes", note, v, {"text": "office note, edited"})
    src.close()
    result = offline.checkin(co2.file)
    assert [c.kind for c in result.conflicts] == ["delete"]
    assert "you deleted it; office changed it" in result.conflicts[0].sentence()
