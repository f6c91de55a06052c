"""Fixtures shared by the store's roll-up tests."""

from __future__ import annotations

import pytest

from boardtui.store.connection import create_board


def add_programmes(board) -> None:
    """Programmes p1, p2 and p3 (schemes may also name p9, which does not exist)."""
    for pid in ("p1", "p2", "p3"):
        board.conn.execute("INSERT INTO programmes (id, name) VALUES (:i, :n)", {"i": pid, "n": f"Programme {pid}"})


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A board whose schemes a test writes straight into the table, as a foreign tool might (foreign keys off)."""
    board = create_board(tmp_path_factory.mktemp("rollup") / "b.db", who="tests")
    add_programmes(board)
    board.conn.execute("PRAGMA foreign_keys = OFF")
    yield board
    board.close()
