"""Layering: the domain (and, when added, the store) import no UI or database modules they must not.

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
