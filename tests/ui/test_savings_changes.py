"""Changes since a date or the last meeting (palette and CLI), the dashboard's savings, and hostile names."""

from __future__ import annotations

import json

from click.testing import CliRunner
from textual.widgets import Static

from boardtui.cli import cli, make_app
from boardtui.config import Config
from boardtui.domain.rag import Rag
from boardtui.store import savings, savings_edit, savings_history
from boardtui.store.rag import set_rag
from boardtui.ui.modals.prompt import PromptDialog
from boardtui.ui.savings_commands import SavingsHistoryCommands, ask_since, since_last_meeting
from boardtui.ui.screens.changes import ChangesScreen
from boardtui.ui.screens.dashboard import DashboardScreen
from boardtui.ui.screens.programme_detail import ProgrammeDetailScreen
from boardtui.ui.screens.scheme_detail import SchemeDetailScreen
from boardtui.ui.widgets.bars import TextChart
from boardtui.ui.widgets.paged_table import PagedTable
from tests.conftest import DEMO_TODAY
from tests.ui.test_savings_programmes import go_to, table_lines

SIZE = (100, 30)
TH_GB = "NHS Tower Hamlets CCG Governing Body"


def _app(board, screen="programmes"):
    return make_app(board, Config(), screen=screen, today=DEMO_TODAY)


async def test_changes_since_the_last_meeting_of_a_board(demo_board):
    body = savings_history.body_named(demo_board, TH_GB)
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        since_last_meeting(app, body["id"], body["name"])
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        assert screen.TITLE_TEXT == f"Changes since the last meeting of {TH_GB} (8 Nov 2016)"
        table = screen.query_one(PagedTable)
        assert table.row_count == savings_history.changes_count(demo_board, "2016-11-08T00:00:00.000000Z")
        assert "scheme TH-ADU-04" in " ".join(str(c) for i in range(table.row_count) for c in table.get_row(i).cells)
        await pilot.press("escape")
        assert not isinstance(app.screen, ChangesScreen)


async def test_changes_since_a_date_shows_a_rag_move_and_a_figure(demo_board):
    sid = demo_board.scalar("SELECT id FROM schemes WHERE ref = 'TH-CAD-01'")
    set_rag(demo_board, "scheme", sid, savings.get_scheme(demo_board, sid)["version"], Rag.R, "Recovery plan M7",
            Rag.R)
    savings_edit.set_month(demo_board, sid, "2017-09", "fot", 650 * 100_000,
                           savings.scheme_periods(demo_board, sid)["2017-09"]["version"])
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        ask_since(app)
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("enter")  # today's date is offered: the demo board stands at 8 Nov 2016
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        await pilot.press("slash", *"TH-CAD-01")
        await pilot.pause()
        lines = table_lines(screen)
        assert any("scheme TH-CAD-01" in line and "rag_override: — → R" in line for line in lines)
        assert any("fot: 700 → 650" in line for line in lines)


async def test_palette_offers_the_history_commands(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        provider = SavingsHistoryCommands(app.screen)
        names = [hit.text async for hit in provider.discover()]
        assert names[:2] == ["As at…", "Changes since…"]
        assert f"Changes since the last meeting of {TH_GB}" in names
        found = [hit.text async for hit in provider.search("last meeting worcestershire")]
        assert found == ["Changes since the last meeting of Worcestershire Health and Well-being Board"]


def test_cli_report_changes_since_the_last_meeting(demo_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["report", "changes", "--db", str(demo_path), "--since-meeting", TH_GB.lower(),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and {"at", "who", "entity", "ref", "field", "old", "new", "reason"} <= set(rows[0])
    bad = runner.invoke(cli, ["report", "changes", "--db", str(demo_path), "--since-meeting", "Cabinet"])
    assert bad.exit_code == 1 and "There is no board called 'Cabinet'" in bad.output
    wrong = runner.invoke(cli, ["report", "savings", "--db", str(demo_path), "--since-meeting", TH_GB])
    assert wrong.exit_code == 1 and "goes with `report changes`" in wrong.output


async def test_dashboard_shows_totals_bridge_and_largest_shortfalls(demo_board):
    app = _app(demo_board, screen="dashboard")
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        texts = [line for w in screen.query(Static) for line in str(w.render()).splitlines()]
        assert any("Requirement 15,000" in t for t in texts)
        bridge = "\n".join(screen.query_one("#dash-bridge", TextChart).lines(90))
        assert "Risk-adjusted gap" in bridge and "15,000" in bridge
        heading = texts.index("Largest forecast shortfalls 2017/18 (£000s)")
        worst = texts[heading + 1: heading + 6]
        assert [t.split()[1] for t in worst] == ["TH-ADU-04", "TH-CAD-01", "TH-TST-02", "TH-TST-01", "TH-PRO-02"]
        assert "forecast 1,700 of 2,190 (78%), 490 short" in worst[0]


HOSTILE = "[RED] [/] [@click=app.quit]x[/] [b]"


async def test_hostile_names_are_shown_literally_on_every_savings_screen(demo_board):
    pid = savings_edit.create_programme(demo_board, {"name": HOSTILE, "focus": "[TBC]"})
    savings_edit.create_scheme(demo_board, {"ref": "[NA]", "programme": pid, "title": HOSTILE, "year": "2017/18",
                                            "plan": "100", "components": "[/bold]; x", "commentary": "[link=x]y"})
    app = _app(demo_board)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert any(line.strip().startswith("[RED] [/]") for line in table_lines(app.screen))
        await go_to(pilot, HOSTILE)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgrammeDetailScreen)
        assert HOSTILE in screen.TITLE_TEXT
        assert any("[NA]" in line for line in table_lines(screen))
        assert "[NA]" in "\n".join(line[50:] for line in screen.query_one("#charts", TextChart).lines(98))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SchemeDetailScreen)
        fields = str(app.screen.query_one("#fields", Static).render())
        assert f"Title:               {HOSTILE}" in fields and "[/bold]; x" in fields and "[link=x]y" in fields
        await pilot.click("#fields")
        assert app.return_code is None and app.is_running
