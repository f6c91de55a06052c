"""RELIABILITY group B: two or more processes on one board file.

B5 does not apply (boardtui keeps no lock file: SQLite's own locks are the only ones, and they die with the
process); B7 is test_journal_mode_is_wal_locally_and_delete_on_a_network_path in tests/unit/store/
test_connection.py, with the configured-WAL case added here. See docs/reliability.md.
"""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from boardtui.cli import make_app
from boardtui.domain.errors import Busy, Conflict
from boardtui.domain.rag import Rag
from boardtui.exchange.canonical import import_file
from boardtui.store import connection
from boardtui.store.connection import open_board
from boardtui.store.rag import set_rag
from boardtui.store.tx import writing
from tests.reliability.helpers import python_child, reap, wait_for_line

JOIN = 60  # seconds: the hard limit for any worker process
CTX = multiprocessing.get_context("spawn")  # a clean interpreter per worker: no inherited connections or threads


def _schemes(path: Path, n: int) -> list[tuple[str, int]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, version FROM schemes ORDER BY ref LIMIT ?", (n,)).fetchall()
    finally:
        conn.close()


def _join_all(procs) -> None:
    for p in procs:
        p.join(JOIN)
    for p in procs:
        if p.is_alive():
            p.kill()
            p.join(5)
            raise AssertionError("a worker did not finish in time")


# ---- B1: the same RAG changed by two people at the same instant ------------------------------------------------

def _b1_worker(path, who, scheme_id, version, barrier, results):
    board = open_board(path, who=who)
    try:
        barrier.wait(timeout=30)
        try:
            set_rag(board, "scheme", scheme_id, version, Rag.R, f"{who} says red", Rag.G)
            results.put((who, "ok"))
        except Conflict as exc:
            results.put((who, "conflict" if exc.who else "conflict?"))
    finally:
        board.close()


@pytest.mark.slow
@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_b1_two_people_change_the_same_rag_at_once_exactly_one_wins(demo_path, journal_mode):
    open_board(demo_path, journal_mode=journal_mode).close()
    (scheme_id, version), = _schemes(demo_path, 1)
    barrier, results = CTX.Barrier(2), CTX.Queue()
    procs = [CTX.Process(target=_b1_worker, args=(str(demo_path), who, scheme_id, version, barrier, results))
             for who in ("alice", "bob")]
    for p in procs:
        p.start()
    _join_all(procs)
    outcome = sorted(results.get(timeout=5)[1] for _ in procs)
    assert outcome == ["conflict", "ok"]
    board = open_board(demo_path)
    try:
        assert board.scalar("SELECT version FROM schemes WHERE id = ?", (scheme_id,)) == version + 1
        assert board.scalar("SELECT count(*) FROM audit WHERE entity_id = ? AND field = 'rag_override'",
                            (scheme_id,)) == 1
    finally:
        board.close()


# ---- B2: a writer blocked for longer than the busy timeout -------------------------------------------------------

HOLD_THE_WRITE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print("released", flush=True)
"""


@pytest.mark.slow
def test_b2_a_writer_blocked_past_the_busy_timeout_gets_a_sentence_and_can_retry(demo_path):
    board = open_board(demo_path, who="pmo")
    board.conn.execute("PRAGMA busy_timeout = 500")
    (scheme_id, version), = _schemes(demo_path, 1)
    holder = python_child(HOLD_THE_WRITE_LOCK, demo_path, 2.5)
    try:
        wait_for_line(holder, "holding")
        started = time.monotonic()
        with pytest.raises(Busy) as busy:
            set_rag(board, "scheme", scheme_id, version, Rag.R, "blocked", Rag.G)
        assert time.monotonic() - started < 2.0
        assert "busy" in str(busy.value) and "try again" in str(busy.value)
        assert not board.conn.in_transaction
        wait_for_line(holder, "released")
    finally:
        reap(holder)
    assert set_rag(board, "scheme", scheme_id, version, Rag.R, "retried", Rag.G) == version + 1
    board.close()


# ---- B3: read-then-write transactions: IMMEDIATE waits, DEFERRED fails fast ------------------------------------

def test_b3_two_read_then_write_transactions_with_begin_immediate_both_commit(demo_path):
    a, b = open_board(demo_path, who="a"), open_board(demo_path, who="b")
    (scheme_id, _), = _schemes(demo_path, 1)
    seen, errors = {}, []

    def bump(board, name, pause):
        try:
            with writing(board) as w:
                current = w.conn.execute("SELECT version FROM schemes WHERE id = ?", (scheme_id,)).fetchone()[0]
                seen[name] = current
                time.sleep(pause)
                w.conn.execute("UPDATE schemes SET version = ? WHERE id = ?", (current + 1, scheme_id))
        except Exception as exc:  # any error fails the test below
            errors.append(exc)

    first = threading.Thread(target=bump, args=(a, "a", 0.5))
    first.start()
    time.sleep(0.1)
    second = threading.Thread(target=bump, args=(b, "b", 0))
    second.start()
    first.join(20)
    second.join(20)
    assert errors == []
    assert seen["b"] == seen["a"] + 1  # b waited, then read a's committed version: serialised, not lost
    a.close()
    b.close()


def test_b3_negative_control_a_deferred_read_then_write_fails_at_once_despite_the_busy_timeout(demo_path):
    """Keeps anyone from 'simplifying' BEGIN IMMEDIATE back to a deferred transaction (or `db.atomic()`)."""
    a = sqlite3.connect(demo_path, isolation_level=None, timeout=10)
    b = sqlite3.connect(demo_path, isolation_level=None, timeout=10)
    a.execute("PRAGMA journal_mode = WAL")
    a.execute("BEGIN")
    b.execute("BEGIN")
    a.execute("SELECT count(*) FROM schemes").fetchone()
    b.execute("SELECT count(*) FROM schemes").fetchone()
    a.execute("UPDATE schemes SET version = version + 1")
    a.execute("COMMIT")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        b.execute("UPDATE schemes SET version = version + 1")
    assert time.monotonic() - started < 2  # no waiting helps: b's snapshot is stale
    b.execute("ROLLBACK")
    a.close()
    b.close()


# ---- B6: stress: 4 processes x 200 RAG updates ----------------------------------------------------------------

def _b6_worker(path, who, schemes, count, results):
    rng = random.Random(who)
    board = open_board(path, who=who)
    ok = conflicts = 0
    try:
        for n in range(count):
            scheme_id = rng.choice(schemes)
            version = board.scalar("SELECT version FROM schemes WHERE id = ?", (scheme_id,))
            rag = rng.choice([Rag.R, Rag.A, Rag.G])
            try:
                set_rag(board, "scheme", scheme_id, version, rag, f"{who} update {n}", Rag.G)
                ok += 1
            except Conflict:
                conflicts += 1
    finally:
        board.close()
    results.put((who, ok, conflicts))


@pytest.mark.slow
@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_b6_four_processes_two_hundred_updates_each_lose_nothing(demo_path, journal_mode):
    open_board(demo_path, journal_mode=journal_mode).close()
    picked = _schemes(demo_path, 5)
    start = {sid: v for sid, v in picked}
    results = CTX.Queue()
    procs = [CTX.Process(target=_b6_worker, args=(str(demo_path), f"user{i}", list(start), 200, results))
             for i in range(4)]
    for p in procs:
        p.start()
    _join_all(procs)
    done = [results.get(timeout=5) for _ in procs]
    ok = sum(d[1] for d in done)
    assert sum(d[1] + d[2] for d in done) == 800
    board = open_board(demo_path)
    try:
        assert board.scalar("PRAGMA integrity_check") == "ok"
        bumps = sum(board.scalar("SELECT version FROM schemes WHERE id = ?", (sid,)) - v for sid, v in start.items())
        assert bumps == ok
        marks = ",".join("?" * len(start))
        audited = board.scalar(
            f"SELECT count(*) FROM audit WHERE field = 'rag_commentary' AND entity_id IN ({marks})", tuple(start))
        assert audited == ok  # every commentary is new, so each successful update has exactly one such row
    finally:
        board.close()


# ---- B7: WAL is never used on a network path, even when configured -------------------------------------------

def test_b7_configured_wal_on_a_network_path_falls_back_to_the_rollback_journal(demo_path, monkeypatch):
    monkeypatch.setattr(connection, "is_network_path", lambda path: True)
    board = open_board(demo_path, journal_mode="wal")
    try:
        assert board.scalar("PRAGMA journal_mode") == "delete"
        assert any("one editor at a time" in w for w in board.warnings)
    finally:
        board.close()


# ---- B8: the app never holds a read transaction while a person thinks ----------------------------------------

SAVE_WITH_ONE_SECOND = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=1)
try:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta (key, value) VALUES ('other user', 'saved')")
    conn.execute("COMMIT")
    print("saved", flush=True)
except sqlite3.OperationalError as exc:
    print("failed:", exc, flush=True)
"""


def _other_user_saves(path: Path) -> str:
    child = python_child(SAVE_WITH_ONE_SECOND, path)
    try:
        out, _ = child.communicate(timeout=20)
    finally:
        reap(child)
    return out.strip()


@pytest.fixture(scope="module")
def big_board_template(tmp_path_factory, demo_template):
    """The demo board plus 5,000 actions, in rollback-journal mode (where any open read blocks a commit)."""
    import shutil

    folder = tmp_path_factory.mktemp("big")
    path = folder / "big.db"
    shutil.copyfile(demo_template, path)
    source = folder / "actions.csv"
    with source.open("w", encoding="utf-8") as fh:
        fh.write("ref,text,owner,due,status\n")
        for i in range(5_000):
            fh.write(f"B8-{i:05d},Action {i},Owner {i % 30},2017-{1 + i % 12:02d}-{1 + i % 28:02d},open\n")
    board = open_board(path, journal_mode="delete")
    import_file(board, "actions", source)
    board.close()
    return path


@pytest.mark.slow
async def test_b8_an_idle_actions_screen_on_5000_rows_does_not_block_another_users_save(big_board_template, tmp_path):
    import shutil

    path = tmp_path / "big.db"
    shutil.copyfile(big_board_template, path)
    board = open_board(path, journal_mode="delete")
    app = make_app(board, screen="actions")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        for _ in range(5):
            await pilot.press("down")
        await pilot.press("pagedown")
        await pilot.pause(0.3)
        assert not board.conn.in_transaction
        assert _other_user_saves(path) == "saved"
        assert app.return_code is None
    board.close()


@pytest.mark.slow
def test_b8_negative_control_a_held_cursor_blocks_the_other_users_save(big_board_template, tmp_path):
    import shutil

    path = tmp_path / "big.db"
    shutil.copyfile(big_board_template, path)
    board = open_board(path, journal_mode="delete")
    cursor = board.conn.execute("SELECT * FROM actions")
    cursor.fetchone()  # an un-exhausted cursor: the read transaction stays open
    try:
        assert _other_user_saves(path).startswith("failed: database is locked")
    finally:
        cursor.close()
        board.close()
