"""The meetings store leaves the agenda workflow and the quorum rule unimported until a function needs them: the
dashboard (the next meeting) and the actions list (bodies) paint first, and those modules cost ~5 ms of it.

Checked in a fresh interpreter, so modules imported by other tests cannot hide a regression.
"""

from __future__ import annotations

import json
import subprocess
import sys

LATER = ("boardtui.domain.agenda", "boardtui.domain.quorum")


def _imported_after(statement: str) -> list[str]:
    probe = f"import json, sys; {statement}; print(json.dumps(sorted(m for m in {LATER!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_importing_the_meetings_store_leaves_them_out():
    assert _imported_after("import boardtui.store.meetings") == []


def test_a_function_that_needs_them_imports_them():
    assert _imported_after("from boardtui.store import meetings; meetings.quorum_rule({'quorum_min': 2, "
                           "'quorum_fraction': None, 'quorum_roles': None})") == ["boardtui.domain.quorum"]
