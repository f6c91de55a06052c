"""The actions list's source: what a count already made tells about a longer text (typing a word), and never more
than the board as it is now."""

from __future__ import annotations

import sqlite3

from boardtui.store import actions as actions_store
from boardtui.store.connection import open_board
from boardtui.ui.sources import ActionsSource
from boardtui.ui.widgets.paged_table import Column, Row


def _source(board) -> ActionsSource:
    return ActionsSource(board, (Column("ref", "Ref", 8),), lambda r: Row(r["id"], (r["ref"],)),
                         actions_store.ActionFilter())


def _typed(source: ActionsSource, text: str) -> int:
    source.set_filter(text)
    job = source.count_later()
    return source.count() if job is None else job()


def _refused(*args, **kwargs):
    raise AssertionError("the board was read")


def test_a_text_extending_one_that_matched_none_matches_none_without_a_read(demo_board, monkeypatch):
    source = _source(demo_board)
    assert _typed(source, "zzq") == 0
    monkeypatch.setattr(actions_store, "page", _refused)
    monkeypatch.setattr(actions_store, "count", _refused)
    monkeypatch.setattr(actions_store.Counter, "prepare", _refused)
    for text in ("zzqx", "azzq", "a zzq b"):
        source.set_filter(text)
        assert source.count_later() is None and source.count() == 0 and source.rows(0, 100) == []


def test_a_bound_holds_only_for_the_same_other_filters(demo_board):
    actions_store.create(demo_board, {"text": "The zzqp plan", "owner": "CFO", "due": "2017-05-01"})  # open
    source = _source(demo_board)
    source.set_query(actions_store.ActionFilter(text="zzq", statuses=("closed",)))
    assert source.count_later()() == 0
    source.set_query(actions_store.ActionFilter(text="zzqp"))  # every status
    assert source.count_later()() == 1 and [r.cells[0] for r in source.rows(0, 100)] == [
        r["ref"] for r in actions_store.page(demo_board, 0, 100, actions_store.ActionFilter(text="zzqp"))]


def test_a_text_known_to_match_few_rows_reads_its_page_from_the_matches(demo_board, monkeypatch):
    source = _source(demo_board)
    few = _typed(source, "TH-0")
    assert 0 < few < 50
    walks = []
    page = actions_store.page
    monkeypatch.setattr(actions_store, "page", lambda *a, **k: walks.append(k.get("walk", True)) or page(*a, **k))
    source.set_filter("TH-01")
    rows = [r.cells[0] for r in source.rows(0, 100)]
    assert walks == [False]
    assert rows == [r["ref"] for r in page(demo_board, 0, 100, actions_store.ActionFilter(text="TH-01"))]
    source.set_filter("o")  # not within "TH-0": nothing known about it
    source.rows(0, 100)
    assert walks == [False, True]


def test_what_was_known_goes_when_someone_else_commits_or_the_log_changes(demo_board, demo_path):
    source = _source(demo_board)
    assert _typed(source, "zzq") == 0
    other = open_board(demo_path, who="someone else")
    try:
        actions_store.create(other, {"text": "Agree the zzqx budget", "owner": "CFO", "due": "2017-05-01"})
    finally:
        other.close()
    assert _typed(source, "zzqx") == 1 and len(source.rows(0, 100)) == 1
    # Our own change does not move the data stamp; the screen invalidates the source after it.
    assert _typed(source, "yyq") == 0
    actions_store.create(demo_board, {"text": "The yyqz review", "owner": "CFO", "due": "2017-05-01"})
    source.invalidate()
    assert _typed(source, "yyqz") == 1 and len(source.rows(0, 100)) == 1


def test_a_text_known_to_match_few_rows_is_read_once_for_its_count_and_its_pages(demo_board, monkeypatch):
    source = _source(demo_board)
    few = _typed(source, "TH-0")
    assert 0 < few <= ActionsSource.FEW
    reads = []
    page = actions_store.page
    monkeypatch.setattr(actions_store, "page", lambda *a, **k: reads.append(a[1:3]) or page(*a, **k))
    monkeypatch.setattr(actions_store.Counter, "prepare", _refused)
    source.set_filter("TH-01")
    assert source.count_later() is None  # no count beside it: the rows are the count
    flt = actions_store.ActionFilter(text="TH-01")
    expected = [r["ref"] for r in page(demo_board, 0, 100, flt)]
    assert source.count() == actions_store.count(demo_board, flt) == len(expected)
    assert [r.cells[0] for r in source.rows(0, 100)] == expected
    assert [r.cells[0] for r in source.rows(1, 2)] == expected[1:3]
    assert reads == [(0, few + 1)]


def test_rows_read_whole_are_never_fewer_than_the_board_holds(demo_board):
    # Our own writes leave the data stamp alone (the screen invalidates after them): a bound can then be out of
    # date, and the read that finds more rows than it is not trusted.
    for text in ("qqz alpha", "qqz beta"):
        actions_store.create(demo_board, {"text": text, "owner": "CFO", "due": "2017-05-01"})
    source = _source(demo_board)
    assert _typed(source, "qqz") == 2
    for n in range(3):
        actions_store.create(demo_board, {"text": f"qqz g{n}", "owner": "CFO", "due": "2017-05-01"})
    assert _typed(source, "qqz g") == 3 and len(source.rows(0, 100)) == 3


def test_a_board_that_cannot_be_opened_twice_is_counted_on_its_own_connection(demo_board, monkeypatch):
    def refused(path):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(actions_store, "open_reader", refused)
    source = _source(demo_board)
    source.set_filter("th")
    assert source.count_later() is None
    assert source.count() == actions_store.count(demo_board, actions_store.ActionFilter(text="th")) > 0
