"""Layering: the domain imports no UI or database modules; the store and exchange import no UI; the TUI path
loads no heavy library the start-up budget cannot afford.

Checked in a fresh interpreter, so modules imported by other tests cannot hide a leak.
"""

import json
import subprocess
import sys

import pytest

FORBIDDEN = ("textual", "rich", "sqlite3", "_sqlite3", "sqlite_utils")

_PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [package.__name__]
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
    names.append(info.name)
print(json.dumps({"imported": names, "modules": sorted(sys.modules)}))
"""


def _imports_of(package: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE, package], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _forbidden(modules: list[str], banned: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == b or m.startswith(b + ".") for b in banned)]


@pytest.mark.slow
def test_domain_imports_no_ui_and_no_database():
    found = _imports_of("boardtui.domain")
    assert "boardtui.domain.money" in found["imported"]
    assert "boardtui.domain.entities" in found["imported"]
    assert _forbidden(found["modules"], FORBIDDEN) == []


UI_MODULES = ("textual", "rich")


@pytest.mark.slow
@pytest.mark.parametrize("package", ["boardtui.store", "boardtui.exchange"])
def test_store_and_exchange_import_no_ui(package):
    found = _imports_of(package)
    assert len(found["imported"]) > 3, found["imported"]
    assert _forbidden(found["modules"], UI_MODULES) == []


_OPEN_PROBE = """
import json, sys
from boardtui.store.connection import open_board
import boardtui.cli, boardtui.ui.app
board = open_board(sys.argv[1])
board.close()
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.slow
def test_opening_a_board_in_the_tui_path_loads_no_heavy_libraries(demo_path):
    """Start-up budget: sqlite-utils (migrations only), openpyxl, python-docx and server drivers stay unloaded."""
    done = subprocess.run([sys.executable, "-c", _OPEN_PROBE, str(demo_path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    heavy = ("sqlite_utils", "openpyxl", "docx", "sqlalchemy", "psycopg", "psycopg2", "pandas", "numpy")
    assert _forbidden(json.loads(done.stdout), heavy) == []


_FIRST_SCREEN_PROBE = """
import asyncio, json, sys
from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.store.connection import open_board

async def main():
    app = make_app(open_board(sys.argv[1]), Config(), screen=sys.argv[2])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        print(json.dumps(sorted(sys.modules)))

asyncio.run(main())
"""


@pytest.mark.slow
@pytest.mark.parametrize("screen", ["dashboard", "actions", "programmes"])
def test_the_first_screen_imports_no_form_dialog_or_other_area(demo_path, screen):
    """Start-up budget: forms, dialogs, the palette's providers, the as-at view's store and the other areas load
    when first used."""
    done = subprocess.run([sys.executable, "-c", _FIRST_SCREEN_PROBE, str(demo_path), screen], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    later = ["boardtui.ui.modals", "boardtui.ui.palette", "boardtui.ui.savings_commands", "boardtui.commands",
             "boardtui.exchange", "boardtui.store.savings_history", "textual.widgets._footer",
             "textual.widgets._text_area"]
    later += [f"boardtui.ui.screens.{area}" for area in
              ("dashboard", "programmes", "standards", "milestones", "meetings", "actions") if area != screen]
    if screen == "programmes":  # a list built in memory: no SQL-paged sources, no edit flows until a key asks
        later += ["boardtui.ui.sources", "boardtui.store.actions", "boardtui.store.meetings",
                  "boardtui.ui.screens.savings_actions", "boardtui.store.savings_edit"]
    assert _forbidden(modules, tuple(later)) == []
