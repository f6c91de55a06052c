"""The Conflicts screen: reached from the command palette, each conflict resolved with its audit row."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.domain.rag import Rag
from boardtui.store import offline
from boardtui.store.connection import open_board
from boardtui.store.rag import set_rag
from boardtui.ui.screens.conflicts import ConflictsScreen
from tests.conftest import DEMO_TODAY


def _conflicted(demo_path, tmp_path):
    co = offline.checkout(demo_path, tmp_path / "laptop.db")
    lap = open_board(co.file, who="chair")
    s = lap.query("SELECT id, ref, version FROM schemes ORDER BY ref LIMIT 1")[0]
    set_rag(lap, "scheme", s["id"], s["version"], Rag.R, "[b]Chair[/b] says red", Rag.G)
    lap.close()
    src = open_board(demo_path, who="office")
    set_rag(src, "scheme", s["id"], s["version"], Rag.A, "Office says amber", Rag.G)
    src.close()
    assert len(offline.checkin(co.file).conflicts) == 2
    return s


async def test_conflicts_are_resolved_one_by_one_from_the_palette(demo_path, tmp_path):
    s = _conflicted(demo_path, tmp_path)
    board = open_board(demo_path, who="resolver")
    app = make_app(board, Config(), today=DEMO_TODAY)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"conflicts")
        for _ in range(50):
            await pilot.pause(0.1)
            await pilot.press("enter")
            await pilot.pause(0.2)
            if isinstance(app.screen, ConflictsScreen):
                break
        assert isinstance(app.screen, ConflictsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        fields = [r["field"] for r in app.screen.rows]
        # the office's value stands until resolved
        assert board.scalar("SELECT rag_override FROM schemes WHERE id = :i", {"i": s["id"]}) == "A"
        await pilot.press("m" if fields[0] == "rag_override" else "t")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = "Agreed: red"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        assert app.screen.query_one(DataTable).row_count == 0
    row = board.one("SELECT rag_override, rag_commentary FROM schemes WHERE id = :i", {"i": s["id"]})
    assert row["rag_override"] in ("R", "A")
    assert offline.open_conflicts(board) == []
    assert board.scalar("SELECT count(DISTINCT entity_id) FROM audit WHERE entity = 'conflict' AND who = 'resolver'") == 2
    assert board.scalar("SELECT count(*) FROM audit WHERE entity_id = :i AND who = 'resolver'", {"i": s["id"]}) >= 1
    board.close()


async def test_the_screen_says_when_nothing_is_waiting(demo_board):
    app = make_app(demo_board, Config(), today=DEMO_TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        app.push_screen(ConflictsScreen())
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 0
        assert app.screen.query_one("#conflicts-empty").display
