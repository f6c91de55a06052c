"""B4: an export's reads share one snapshot while a colleague saves; G4: a board upgraded under a running app
refuses that app's writes with "restart" rather than writing by the old rules."""

import dataclasses

import pytest

from boardtui.domain.errors import NewerSchema
from boardtui.exchange.export import export
from boardtui.store import migrations
from boardtui.store.connection import open_board
from boardtui.store.tx import snapshot, writing


def _count(board):
    return board.scalar("SELECT count(*) FROM actions")


def test_reads_inside_a_snapshot_do_not_see_a_colleagues_save(demo_path):
    me, colleague = open_board(demo_path, who="me"), open_board(demo_path, who="colleague")
    try:
        before = _count(me)
        with snapshot(me):
            first = _count(me)
            with writing(colleague) as w:  # the colleague is not blocked (WAL)
                w.insert("actions", {"ref": "B4-1", "text": "x", "owner": "y", "due": "2016-12-01"})
            second = _count(me)
        assert first == second == before
        assert _count(me) == before + 1
    finally:
        me.close()
        colleague.close()


def test_an_export_runs_inside_one_snapshot(demo_board, monkeypatch):
    seen = []

    def spy(board, audience, opts):
        seen.append(board.conn.in_transaction)
        return b""

    from boardtui.exchange import export as export_module

    key = ("actions", "csv")
    monkeypatch.setitem(export_module.EXPORTERS, key, dataclasses.replace(export_module.EXPORTERS[key], run=spy))
    export(demo_board, "actions", "csv", audience="public")
    assert seen == [True]
    assert not demo_board.conn.in_transaction


def test_writes_are_refused_after_a_newer_boardtui_upgraded_the_board(demo_path):
    mine, newer = open_board(demo_path, who="me"), open_board(demo_path, who="newer")
    try:
        newer.conn.execute("UPDATE meta SET value = :v WHERE key = 'schema_version'", {"v": str(migrations.LATEST + 1)})
        with pytest.raises(NewerSchema, match="restart"):
            with writing(mine) as w:
                w.insert("actions", {"ref": "G4-1", "text": "x", "owner": "y", "due": "2016-12-01"})
        assert mine.scalar("SELECT count(*) FROM actions WHERE ref = 'G4-1'") == 0
    finally:
        mine.close()
        newer.close()
