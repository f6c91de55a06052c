"""The key bar: one line at the bottom of a screen naming the keys that work there.

Textual's `Footer` builds a widget per key and rebuilds them all whenever the bindings change (a focus change, a
dialog closing, a screen switch): three rebuilds before the first screen, ~50 ms of start-up measured here, and
more after every RAG change. This bar is one widget whose single line of text is worked out again only when the
bindings change, and repainted only when that text differs. A click on a key presses it, as in the Footer.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

GAP = 2  # spaces between two keys


class Key(NamedTuple):
    key: str  # what `simulate_key` presses
    display: str  # as shown, e.g. "^s" or "?"
    description: str
    enabled: bool
    action: str = ""
    group: str | None = None  # keys of one group (the areas 1–6) share one entry when the line is short


def _collapsed(keys: list[Key]) -> list[Key]:
    """Each run of keys from one group as a single entry: "1/2/3/4/5/6 Areas" (a click presses the first)."""
    out: list[Key] = []
    for key in keys:
        last = out[-1] if out else None
        if key.group and last is not None and last.group == key.group:
            out[-1] = last._replace(display=f"{last.display}/{key.display}", enabled=last.enabled or key.enabled)
        else:
            out.append(key._replace(description=key.group) if key.group else key)
    return out


def _cells(keys: list[Key]) -> int:
    return sum(len(k.display) + (1 + len(k.description) if k.description else 0) + GAP for k in keys)


class KeyBar(Widget):
    """The screen's shown bindings on one line: its own keys first, then the app's; when the line is too long,
    grouped keys share an entry, then keys are dropped from the end, but the help key (which lists them all)
    is always in sight."""

    HELP_ACTION = "help"  # the app's help lists every key, so its key is never dropped

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
        }
        & > .key-bar--disabled {
            text-style: dim;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: tuple[Key, ...] = ()
        self._spans: list[tuple[int, int, Key]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.keys = self._shown_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is not self.screen:
            return
        keys = self._shown_keys()
        if keys != self.keys:
            self.keys = keys
            self.refresh()

    def _shown_keys(self) -> tuple[Key, ...]:
        """One key per action (the first bound): the screen's and its widgets' keys, then the app's."""
        seen: set[str] = set()
        own: list[Key] = []
        app_keys: list[tuple[bool, Key]] = []
        app = self.app
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            group = binding.group.description if binding.group else None
            key = Key(binding.key, app.get_key_display(binding), binding.description, enabled, binding.action, group)
            if node is app:
                app_keys.append((binding.priority, key))  # quit (a priority key) after the areas
            else:
                own.append(key)
        return tuple(own + [key for _priority, key in sorted(app_keys, key=lambda pk: pk[0])])

    def _fitted(self, width: int) -> list[Key]:
        """The keys that fit in `width` cells, the help key last."""
        keys = list(self.keys)
        help_key = next((k for k in keys if k.action == self.HELP_ACTION), None)
        if help_key is not None:
            keys.remove(help_key)
            keys.append(help_key)
        if _cells(keys) > width + GAP:
            keys = _collapsed(keys)
        while len(keys) > 1 and _cells(keys) > width + GAP:
            keys.pop(-2 if help_key is not None and keys[-1].action == self.HELP_ACTION else -1)
        return keys

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        disabled_style = self.get_component_rich_style("key-bar--disabled", partial=True)
        line = Text(" ", no_wrap=True, overflow="crop", end="")
        self._spans = []
        for key in self._fitted(max(0, self.size.width - 1)):
            start = line.cell_len
            line.append(key.display, key_style if key.enabled else key_style + disabled_style)
            if key.description:
                line.append(" " + key.description, description_style if key.enabled else
                            description_style + disabled_style)
            self._spans.append((start, line.cell_len, key))
            line.append(" " * GAP)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
