"""Command palette providers (ctrl+p): jump to any record by name, run any key command, choose a theme.

Names are data, so they are shown literally: every prompt is built as `Content(text)` and highlighted by
offsets, never passed through `Matcher.highlight` (which parses its candidate as markup) or as a plain string
(which the palette also parses as markup). A scheme called `[RED] x` is listed as `[RED] x`.

Record search runs on the UI thread like every other query (see store/connection.py): each keystroke is one
LIMITed query per kind (store/search.py), never a load of the whole board.

Opening a record switches to the area that lists it, then asks that screen to open it: a screen may define
`open_record(kind, record_id, key)`; otherwise the screen's PagedTable gets a RowSelected for the row key, the
same message enter on that row sends.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import TYPE_CHECKING, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from boardtui.domain.errors import BoardError
from boardtui.domain.text import one_line
from boardtui.store import search
from boardtui.ui.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from textual.app import App

KIND_LABELS = {
    "programme": "Programme",
    "scheme": "Scheme",
    "standard": "Standard",
    "milestone": "Milestone",
    "meeting": "Meeting",
    "agenda item": "Agenda item",
    "action": "Action",
}
PER_KIND = 8
LABEL_CELLS = 120
MIN_QUERY = 2
# How far down a table the cursor is moved to a palette choice by scanning, when its source cannot say.
SCAN_ROWS = 1_000


def literal(text: str, query: str, style) -> Content:
    """`text` as literal Content, with each case-insensitive occurrence of a query word styled."""
    content = Content(text)
    lowered = text.lower()
    for word in query.lower().split():
        start = lowered.find(word)
        while word and start != -1:
            content = content.stylize(style, start, start + len(word))
            start = lowered.find(word, start + len(word))
    return content


def _prompt(kind: str, label: str, query: str, style) -> Content:
    return Content.assemble((f"{KIND_LABELS.get(kind, kind.title())}  ", "dim"), literal(label, query, style))


async def open_record(app: App, found: search.Found) -> None:
    """Show `found`: switch to its area, close any dialog there, and open its detail."""
    while len(app.screen_stack) > 1:
        await app.pop_screen()
    if getattr(app, "current_mode", None) != found.area:
        await app.switch_mode(found.area)
    screen = app.screen
    opener = getattr(screen, "open_record", None)
    if callable(opener):
        opener(found.kind, found.id, found.key)
        return
    tables = screen.query(PagedTable)
    table = tables.first() if tables else None
    if table is None:
        app.notify(f"{KIND_LABELS.get(found.kind, found.kind)}: {one_line(found.label, 80)}",
                   title="Found", markup=False)
        return
    index = _index_of(table, found.key)
    if index is not None:
        table.cursor_index = index
    table.focus()
    table.post_message(PagedTable.RowSelected(table, found.key, index if index is not None else -1))


def _index_of(table: PagedTable, key: str) -> int | None:
    """The row index of `key` in the table, if its source can say or it is near the top."""
    index_of = getattr(table.source, "index_of", None)
    if callable(index_of):
        found = index_of(key)
        return None if found is None else int(found)
    for index in range(min(table.row_count, SCAN_ROWS)):
        row = table.get_row(index)
        if row is not None and row.key == key:
            return index
    return None


class RecordsProvider(Provider):
    """Programmes, schemes, standards, milestones, meetings, agenda items and actions, found by name."""

    async def search(self, query: str) -> Hits:
        if len(query.strip()) < MIN_QUERY:
            return
        board = getattr(self.app, "board", None)
        if board is None:
            return
        try:
            results = search.find(board, query, limit=PER_KIND)
        except (sqlite3.Error, BoardError):
            return  # a busy or damaged board must not break the palette; the screens will say why
        matcher = self.matcher(query)
        style = self.match_style or "bold underline"
        for found in results:
            label = one_line(found.label, LABEL_CELLS)
            # Substring hits from SQL may not be fuzzy matches in order; keep them, just below fuzzy ones.
            score = max(matcher.match(label), 0.05)
            context = one_line(found.context, LABEL_CELLS)
            yield Hit(
                score,
                _prompt(found.kind, label, query, style),
                partial(open_record, self.app, found),
                text=f"{KIND_LABELS.get(found.kind, found.kind)} {label}",
                help=Content(context) if context else None,  # type: ignore[arg-type]  # Content is not parsed
            )


def _screen_commands(provider: Provider) -> Iterator[tuple[str, str, object]]:
    """(name, keys, callback) for every enabled binding of the screen the palette was opened from."""
    screen = provider.screen
    app = provider.app
    seen: set[tuple[str, int]] = set()
    for _key, active in screen.active_bindings.items():
        binding = active.binding
        if not active.enabled or binding.action in ("command_palette", "app.command_palette"):
            continue
        ident = (binding.action, id(active.node))
        if ident in seen:
            continue
        seen.add(ident)
        name = binding.description or binding.action
        yield name, app.get_key_display(binding), partial(app.run_action, binding.action, active.node)


class ScreenCommandsProvider(Provider):
    """Every key command of the current screen, by its description, with its key shown as help."""

    async def discover(self) -> Hits:
        for name, keys, callback in sorted(_screen_commands(self), key=lambda c: c[0].lower()):
            yield DiscoveryHit(Content(name), callback, text=name, help=Content(f"key: {keys}"))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        style = self.match_style or "bold underline"
        for name, keys, callback in _screen_commands(self):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, literal(name, query, style), callback, text=name,
                          help=Content(f"key: {keys}"))  # type: ignore[arg-type]


class ThemesProvider(Provider):
    """`Theme: <name>` for each boardtui theme; the choice is applied at once and remembered."""

    def _names(self) -> list[str]:
        catalog = getattr(self.app, "theme_catalog", None)
        return sorted(catalog.themes) if catalog is not None else []

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        style = self.match_style or "bold underline"
        for name in self._names():
            title = f"Theme: {name}"
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, literal(title, query, style), partial(setattr, self.app, "theme", name),
                          text=title, help=Content("switch to this colour theme (remembered)"))  # type: ignore[arg-type]


