"""Every key binding of the app and of every screen, modal and widget under boardtui/ui has an id, and its id
and keys are in the README's Keys table, so the README (and the keymap documentation) cannot drift.

When this fails for a new binding, add a row to the Keys table: | `key` | where | what — `binding.id` |.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import boardtui.ui
from boardtui.ui.keys import boardtui_classes
from boardtui.ui.modals.help import key_name

README = Path(__file__).resolve().parents[2] / "README.md"


def _import_all_ui_modules() -> None:
    for module in pkgutil.walk_packages(boardtui.ui.__path__, "boardtui.ui."):
        importlib.import_module(module.name)


def _all_bindings():
    _import_all_ui_modules()
    out = []
    for cls in boardtui_classes():
        for binding in cls.__dict__.get("BINDINGS", []):
            out.append((cls, binding))
    return out


def _keys_table(text: str | None = None) -> list[tuple[set[str], str]]:
    """(keys in the first column, the whole row) for each row of the README's Keys table."""
    text = README.read_text(encoding="utf-8") if text is None else text
    section = text.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        first = line.split("|")[1]
        keys = set(re.findall(r"`([^`]+)`", first))
        for low, high in re.findall(r"`(\d)`\s*[–-]\s*`(\d)`", first):  # `1`–`6`
            keys |= {str(n) for n in range(int(low), int(high) + 1)}
        rows.append((keys, line))
    return rows


def test_the_readme_has_a_keys_table():
    rows = _keys_table()
    assert len(rows) > 10


def test_every_binding_has_an_id():
    missing = [f"{cls.__module__}.{cls.__name__}: {b.key} -> {b.action}"
               for cls, b in _all_bindings() if getattr(b, "id", None) is None]
    assert missing == [], "every Binding needs an id so it can be remapped from the config file"


def test_every_binding_id_and_key_is_in_the_readme_keys_table():
    rows = _keys_table()
    problems = []
    for cls, binding in _all_bindings():
        if getattr(binding, "id", None) is None:
            continue
        mine = [(keys, line) for keys, line in rows if f"`{binding.id}`" in line]
        if not mine:
            problems.append(f"{binding.id} ({cls.__name__}: {binding.key}, {binding.description}) has no row")
            continue
        for key in (k.strip() for k in binding.key.split(",")):
            if not any(key in keys or key_name(key) in keys for keys, _ in mine):
                problems.append(f"{binding.id}: key {key_name(key)!r} is not in its row")
    assert problems == [], "README Keys table is missing:\n" + "\n".join(problems)


def test_key_ranges_are_understood():
    text = "# x\n\n## Keys\n\n| key | where | what |\n|---|---|---|\n| `1`–`6` | a | b |\n\n## End\n"
    keys, _ = _keys_table(text)[-1]
    assert keys >= {"1", "2", "3", "4", "5", "6"}
