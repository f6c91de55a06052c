"""A programme's schemes a block at a time (the programme detail's table): count, rows and index agree."""

from __future__ import annotations

from boardtui.store import scheme_pages


def _id(board, sql: str) -> str:
    return board.scalar(sql)


def test_rows_come_in_ref_order_from_the_offset(demo_board):
    adults = _id(demo_board, "SELECT id FROM programmes WHERE name = 'Adults'")
    assert scheme_pages.count(demo_board, 2017, adults) == 4
    page = scheme_pages.rows(demo_board, 2017, adults, 1, 2)
    assert [r["ref"] for r in page] == ["TH-ADU-02", "TH-ADU-03"]
    assert page[0]["programme_id"] == adults and page[0]["version"] >= 1
    assert [r["ref"] for r in scheme_pages.rows(demo_board, 2017, adults, 3, 100)] == ["TH-ADU-04"]
    assert scheme_pages.count(demo_board, 2018, adults) == 0
    assert scheme_pages.rows(demo_board, 2018, adults, 0, 100) == []


def test_a_filter_narrows_count_rows_and_index_alike(demo_board):
    adults = _id(demo_board, "SELECT id FROM programmes WHERE name = 'Adults'")
    assert scheme_pages.count(demo_board, 2017, adults, "urgent") == 1
    [row] = scheme_pages.rows(demo_board, 2017, adults, 0, 100, "urgent")
    assert scheme_pages.index(demo_board, 2017, adults, row["id"], "urgent") == 0
    assert scheme_pages.count(demo_board, 2017, adults, "  ADU-0  ") == 4  # ref, any case, spaces trimmed


def test_index_finds_a_scheme_where_the_rows_put_it(demo_board):
    adults = _id(demo_board, "SELECT id FROM programmes WHERE name = 'Adults'")
    refs = [r["ref"] for r in scheme_pages.rows(demo_board, 2017, adults, 0, 100)]
    fourth = _id(demo_board, "SELECT id FROM schemes WHERE ref = 'TH-ADU-04'")
    assert scheme_pages.index(demo_board, 2017, adults, fourth) == refs.index("TH-ADU-04") == 3
    assert scheme_pages.index(demo_board, 2017, adults, "no-such-scheme") is None
