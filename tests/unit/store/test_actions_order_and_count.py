"""The action log's sort orders (each walks an index; owner's is migration 0003), the engine's case-insensitive
match, and the counts the actions screen makes off the UI thread."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import date

import pytest

from boardtui.store import actions
from boardtui.store.connection import open_board


def _refs(board, order: str) -> list[str]:
    return [r["ref"] for r in actions.page(board, 0, 100, actions.ActionFilter(order=order))]


def _all(board) -> list:
    return board.query("SELECT ref, owner, due, status FROM actions")


def test_each_order_pages_the_log_in_that_order(any_demo_board):
    # An open action due before the closed one, so the status order differs from the due order.
    actions.create(any_demo_board, {"text": "Early", "owner": "zed", "due": "2016-01-04"})
    rows = _all(any_demo_board)
    expected = {
        "due": sorted(rows, key=lambda r: (r["due"], r["ref"])),
        "owner": sorted(rows, key=lambda r: (r["owner"].lower(), r["due"], r["ref"])),
        "status": sorted(rows, key=lambda r: (r["status"], r["due"], r["ref"])),
        "ref": sorted(rows, key=lambda r: r["ref"]),
    }
    for order, want in expected.items():
        assert _refs(any_demo_board, order) == [r["ref"] for r in want], order
    assert len({tuple(_refs(any_demo_board, order)) for order in actions.ORDERS}) == 4  # the demo tells them apart


def test_pages_in_owner_order_cover_the_log_once(any_demo_board):
    flt = actions.ActionFilter(order="owner")
    paged = [r["ref"] for offset in (0, 4, 8) for r in actions.page(any_demo_board, offset, 4, flt)]
    assert paged == _refs(any_demo_board, "owner") and len(paged) == actions.count(any_demo_board)


def test_the_sort_key_cycles_through_every_order_and_back():
    seen, order = [], "due"
    for _ in actions.ORDERS:
        seen.append(order)
        order = actions.next_order(order)
    assert seen == ["due", "owner", "status", "ref"] and order == "due"
    assert set(actions.ORDER_NAMES) == set(actions.ORDERS)


def test_the_owner_order_walks_its_index(demo_board):
    assert demo_board.scalar("SELECT name FROM sqlite_master WHERE name = 'actions_owner_order'")
    plan = " ".join(r[3] for r in demo_board.query(
        f"EXPLAIN QUERY PLAN SELECT a.ref FROM actions a ORDER BY {actions.ORDERS['owner']} LIMIT 10 OFFSET 5"))
    assert "actions_owner_order" in plan and "TEMP B-TREE" not in plan


NEEDLES = ["cfo", "CFO", "cFo", "élodie", "Élodie", "ÉLODIE", "ørsted", "Ørsted", "straße", "STRASSE", "th-0",
           "TH-0", "%", "_", "a_b", "100%", "GAP"]


def test_the_text_filter_matches_the_same_rows_as_lower_like_lower(any_demo_board):
    """The engine's case-insensitive LIKE (SQLite's LIKE over the joined columns, PostgreSQL's ILIKE over each)
    matches the rows that `lower(col) LIKE lower(:q)` over each column matched, non-ASCII letters included, and
    LIKE's wildcards in the text are the characters themselves."""
    for text, owner in [("Ask Élodie about it", "Élodie Ørsted"), ("Check the 100% figure", "a_b team"),
                        ("Straße works", "Highways"), ("Ask Élodie about the 100% GAP figure. " * 20, "Élodie Ørsted")]:
        actions.create(any_demo_board, {"text": text, "owner": owner, "due": "2017-01-01"})
    old = ("SELECT count(*) FROM actions a WHERE (lower(a.text) LIKE lower(:q) ESCAPE '\\' "
           "OR lower(a.ref) LIKE lower(:q) ESCAPE '\\' OR lower(a.owner) LIKE lower(:q) ESCAPE '\\')")
    for needle in NEEDLES:
        flt = actions.ActionFilter(text=needle)
        assert actions.count(any_demo_board, flt) == any_demo_board.scalar(old, {"q": actions._contains(needle)})
    rows = any_demo_board.query("SELECT text, ref, owner FROM actions")
    for needle in ("%", "_", "a_b", "100%", "\\"):  # found only where the characters are
        written = sum(any(needle in value for value in row) for row in rows)
        assert actions.count(any_demo_board, actions.ActionFilter(text=needle)) == written, needle
        assert actions.count(any_demo_board, actions.ActionFilter(owner=needle)) == sum(needle in r[2] for r in rows)


def test_a_text_count_reads_the_search_index_and_counts_long_rows_too(demo_board):
    long_text = "Winter plan for the ward, step by step. " * 40  # 1,600 characters
    actions.create(demo_board, {"text": long_text, "owner": "Winter Lead", "due": "2017-01-01"})
    for flt in [actions.ActionFilter(text="winter"), actions.ActionFilter(owner="lead"),
                actions.ActionFilter(text="ward", owner="winter"),
                # "open only" and "overdue only" are read from the index too (migration 0006)
                actions.ActionFilter(text="winter", statuses=("open", "proposed for closure")),
                actions.ActionFilter(text="step", overdue_on=date(2017, 6, 1))]:
        sql, params = actions._count_sql(demo_board, flt)
        plan = " ".join(r[3] for r in demo_board.query(f"EXPLAIN QUERY PLAN {sql}", params))
        assert re.fullmatch("SCAN a USING (COVERING )?INDEX actions_search", plan)  # one pass, whatever the mix
        where, _ = flt.where()
        every_column = demo_board.scalar(f"SELECT count(*) FROM actions a NOT INDEXED{where}", params)
        assert actions.count(demo_board, flt) == every_column >= 1


def test_an_action_of_any_length_can_be_saved_whatever_the_engine(any_demo_board):
    # A b-tree entry on PostgreSQL holds at most 2,704 bytes: migration 0004's index leaves long rows out.
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(5_000))  # 15,000 bytes that do not compress
    actions.create(any_demo_board, {"text": text, "owner": "Records", "due": "2017-01-01"})
    assert actions.count(any_demo_board, actions.ActionFilter(text=text[100:110])) == 1


def test_on_sqlite_only_ascii_letters_match_in_either_case(demo_board):
    """SQLite's LIKE and lower() fold ASCII letters only, so "É" matches only "É", as it did with lower()."""
    actions.create(demo_board, {"text": "Ask Élodie about it", "owner": "Élodie Ørsted", "due": "2017-01-01"})
    assert actions.count(demo_board, actions.ActionFilter(text="élodie")) == 0
    assert actions.count(demo_board, actions.ActionFilter(text="Élodie")) == 1
    assert actions.count(demo_board, actions.ActionFilter(text="ÉLODIE")) == 1  # "LODIE" in any ASCII case
    assert actions.count(demo_board, actions.ActionFilter(owner="Élodie øRSTED")) == 0
    assert actions.count(demo_board, actions.ActionFilter(owner="éLODIE ØRSTED")) == 0
    assert actions.count(demo_board, actions.ActionFilter(owner="ÉLODIE ØRSTED")) == 1


def test_a_count_made_apart_agrees_and_runs_on_another_thread(demo_board):
    counter = actions.Counter(demo_board)
    assert counter.apart
    flt = actions.ActionFilter(text="cfo")
    results = []
    worker = threading.Thread(target=lambda: results.append(counter.count(flt)))
    worker.start()
    worker.join()
    assert results == [actions.count(demo_board, flt)] == [2]


def test_a_count_keeps_its_connection_for_the_next_and_still_sees_each_commit(demo_board, demo_path):
    counter = actions.Counter(demo_board)
    flt = actions.ActionFilter(text="cfo")
    assert counter.count(flt) == 2
    kept = list(counter._idle)
    assert len(kept) == 1 and not kept[0].in_transaction  # nothing held between counts
    other = open_board(demo_path, who="someone else")
    try:
        actions.create(other, {"text": "Ask the CFO", "owner": "Chair", "due": "2017-01-01"})
    finally:
        other.close()
    assert counter.count(flt) == 3 and counter._idle == kept  # the same connection, and the new row
    jobs = [counter.prepare(flt) for _ in range(3)]  # three at once: one kept, two opened
    assert [job() for job in jobs] == [3, 3, 3] and len(counter._idle) == counter.IDLE


def test_a_warmed_connection_is_the_one_the_first_count_uses(demo_board):
    counter = actions.Counter(demo_board)
    counter.warm()
    for thread in threading.enumerate():
        if thread.name == "action-count-warm":
            thread.join(10)
    warmed = list(counter._idle)
    assert len(warmed) == 1 and not warmed[0].in_transaction
    assert counter.count(actions.ActionFilter(text="cfo")) == 2 and counter._idle == warmed
    plan = " ".join(r[3] for r in demo_board.query(f"EXPLAIN QUERY PLAN {counter.WARM}"))
    assert plan == "SCAN a USING COVERING INDEX actions_search"  # every page of the index the counts read


def test_a_cancelled_count_returns_none(demo_board, monkeypatch):
    counter = actions.Counter(demo_board)
    started, results = threading.Event(), []
    real_connect = sqlite3.connect

    def connect_then_cancel(*args, **kwargs):
        # The count's own connection; its query never ends, and says so once it is running (registered live).
        conn = real_connect(*args, **kwargs)
        conn.set_progress_handler(lambda: (counter._live and started.set()) or 0, 100)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect_then_cancel)
    flt = actions.ActionFilter(text="x")
    monkeypatch.setattr(actions, "_count_sql", lambda board, f: (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n", {}))
    worker = threading.Thread(target=lambda: results.append(counter.count(flt)), daemon=True)
    worker.start()
    assert started.wait(10)
    counter.cancel()
    worker.join(10)
    assert results == [None]


def test_the_data_stamp_moves_when_another_connection_commits(demo_path, demo_board):
    stamp = actions.data_stamp(demo_board)
    aid = demo_board.scalar("SELECT id FROM actions WHERE ref = 'TH-01'")
    version = demo_board.scalar("SELECT version FROM actions WHERE id = :i", {"i": aid})
    actions.set_status(demo_board, aid, version, "closed")
    assert actions.data_stamp(demo_board) == stamp  # our own commits: the screen refreshes itself after them
    other = open_board(demo_path, who="someone else")
    try:
        actions.set_status(other, aid, version + 1, "open")
    finally:
        other.close()
    assert actions.data_stamp(demo_board) != stamp


@pytest.mark.parametrize("flt, reads", [
    (actions.ActionFilter(), False), (actions.ActionFilter(statuses=("open",)), False),
    (actions.ActionFilter(text="x"), True), (actions.ActionFilter(owner="x"), True),
])
def test_only_substring_filters_read_every_row(flt, reads):
    assert flt.reads_every_row is reads


@pytest.mark.parametrize("order", list(actions.ORDERS))
def test_a_text_filter_page_read_by_the_scan_is_the_page_the_walk_reads(demo_board, monkeypatch, order):
    walked = {}
    filters = [actions.ActionFilter(text=t, order=order) for t in ("th", "o", "-0", "zzq")]
    filters.append(actions.ActionFilter(text="e", statuses=("open",), order=order))
    body = demo_board.scalar("SELECT body_id FROM actions WHERE text LIKE '%e%' ORDER BY ref LIMIT 1")
    filters.append(actions.ActionFilter(text="e", body_id=body, order=order))
    for flt in filters:
        walked[flt] = [[r["ref"] for r in actions.page(demo_board, offset, 3, flt)] for offset in (0, 3, 6)]
    # Every walk over budget at its first step: the scan reads every page.
    monkeypatch.setattr(actions, "WALK_STEPS", 0)
    monkeypatch.setattr(actions, "_STEPS_PER_CALL", 1)
    calls = []
    real_query = demo_board.query
    monkeypatch.setattr(demo_board, "query", lambda sql, params=(): calls.append(sql) or real_query(sql, params))
    for flt in filters:
        assert [[r["ref"] for r in actions.page(demo_board, offset, 3, flt)] for offset in (0, 3, 6)] == walked[flt]
    # A substring match, alone or with a status, reads its refs from migration 0006's index; with a body, the table.
    assert sum("INDEXED BY actions_search" in sql for sql in calls) == 5 * 3
    assert sum("NOT INDEXED" in sql for sql in calls) == 1 * 3
    assert any(walked[flt][0] for flt in filters)


def test_a_text_is_found_within_one_column_never_across_two(demo_board):
    actions.create(demo_board, {"text": "Staffing plan", "owner": "Winter Lead", "due": "2017-01-01"})
    ref = demo_board.scalar("SELECT ref FROM actions WHERE text = 'Staffing plan'")
    sep = actions.SEARCH_SEPARATOR
    # Typed text never holds it (the store keeps text terminal-safe), but a row written before that rule could.
    actions.create(demo_board, {"text": "Parted by the separator", "owner": "Records", "due": "2017-01-01"})
    demo_board.conn.execute("UPDATE actions SET text = ? WHERE text = 'Parted by the separator'", (f"Parted{sep}by",))
    for needle, found in [("plan", 1), (f"plan{sep}{ref}", 0), (f"{ref}{sep}winter", 0), (f"plan{ref}", 0),
                          (f"d{sep}by", 1), ("parted", 1)]:
        flt = actions.ActionFilter(text=needle)
        assert actions.count(demo_board, flt) == found == len(actions.page(demo_board, 0, 50, flt)), needle


@pytest.mark.parametrize("order", list(actions.ORDERS))
def test_a_page_read_from_the_matches_at_once_is_the_page_the_walk_reads(demo_board, order):
    for text in ("th", "o", "-0", "zzq", "cfo"):
        for extra in ({}, {"statuses": ("open",)}):
            flt = actions.ActionFilter(text=text, order=order, **extra)
            for offset in (0, 3, 6):
                walked = [r["ref"] for r in actions.page(demo_board, offset, 3, flt)]
                assert [r["ref"] for r in actions.page(demo_board, offset, 3, flt, walk=False)] == walked


def test_a_count_prepared_on_one_thread_runs_on_another_and_a_cancel_in_between_stops_it(demo_board):
    counter = actions.Counter(demo_board)
    flt = actions.ActionFilter(text="cfo")
    results = []
    run = counter.prepare(flt)  # the connection and the query made here; the job is SQLite alone
    worker = threading.Thread(target=lambda: results.append(run()))
    worker.start()
    worker.join()
    stale = counter.prepare(flt)
    counter.cancel()  # a newer filter came before the job ran
    assert results == [actions.count(demo_board, flt)] and stale() is None


def test_a_text_page_leaves_no_read_open_and_reads_inside_a_write_as_it_is(demo_board):
    flt = actions.ActionFilter(text="th")
    refs = [r["ref"] for r in actions.page(demo_board, 0, 100, flt)]
    assert refs and not demo_board.conn.in_transaction
    demo_board.conn.execute("BEGIN IMMEDIATE")  # as inside the store's writer
    try:
        assert [r["ref"] for r in actions.page(demo_board, 0, 100, flt)] == refs
        assert demo_board.conn.in_transaction
    finally:
        demo_board.conn.execute("ROLLBACK")
