"""The app's key bindings as data: every binding id declared by boardtui's own classes.

Used to check the config file's `[keymap]` (an id that matches nothing is a typo worth reporting) and by the
test that keeps the README's Keys table complete.
"""

from __future__ import annotations

from typing import Iterator

from textual.binding import Binding
from textual.dom import DOMNode


def boardtui_classes(root: type = DOMNode) -> Iterator[type[DOMNode]]:
    """Every loaded subclass of `root` defined in a boardtui module (the app, screens, modals, widgets)."""
    seen: set[type] = set()
    stack = [root]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            stack.append(sub)
            if sub.__module__.startswith("boardtui."):
                yield sub


def own_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The Binding objects a class declares itself (not inherited), in order."""
    return [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]


def binding_ids() -> set[str]:
    """The ids of every binding declared by a loaded boardtui class."""
    return {b.id for cls in boardtui_classes() for b in own_bindings(cls) if b.id}


def unknown_keymap_ids(keymap: dict[str, str]) -> list[str]:
    """The keymap's binding ids that no binding has, sorted."""
    known = binding_ids()
    return sorted(k for k in keymap if k not in known)
