"""The TUI over a board on PostgreSQL: every area opens, and the title never shows a password."""

from __future__ import annotations

from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.store.connection import open_board
from boardtui.store.copy import copy_board
from tests.conftest import DEMO_TODAY
from tests.pgserver import pg_server, pg_url  # noqa: F401  (fixtures)


async def test_every_area_opens_on_a_postgres_board(pg_url, demo_path):
    copy_board(demo_path, pg_url)
    board = open_board(pg_url.replace("boardtui@", "boardtui:s3cret@"))
    app = make_app(board, Config(), today=DEMO_TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        for key in "123456":
            await pilot.press(key)
            await pilot.pause(0.2)
        assert "s3cret" not in app.title
        assert app.screen.query("*")
    board.close()
