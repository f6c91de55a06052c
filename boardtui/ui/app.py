"""The Textual application: six areas on keys 1–6, help on ?/f1, the command palette on ctrl+p.

The app is handed an open Board by the factory (`boardtui.cli.make_app`); it opens nothing itself. Database work
runs synchronously on the UI thread: every query a screen makes is one page or one aggregate (see
store/connection.py for why that is the deliberate choice).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date
from functools import partial
from importlib import import_module
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES, Theme

from boardtui.config import Config
from boardtui.store import meta
from boardtui.store.connection import Board
from boardtui.ui import keys, themes
from boardtui.ui.integrity import IntegrityWatch
from boardtui.ui.safety import TERMINAL_SAFE

AREAS = ("dashboard", "programmes", "standards", "milestones", "meetings", "actions")

# Each area's screen class, imported on first use: importing all six screens (and through them every form,
# modal and widget) before the first paint cost ~95 ms of start-up (docs/performance.md).
_SCREENS = {
    "dashboard": ("boardtui.ui.screens.dashboard", "DashboardScreen"),
    "programmes": ("boardtui.ui.screens.programmes", "ProgrammesScreen"),
    "standards": ("boardtui.ui.screens.standards", "StandardsScreen"),
    "milestones": ("boardtui.ui.screens.milestones", "MilestonesScreen"),
    "meetings": ("boardtui.ui.screens.meetings", "MeetingsScreen"),
    "actions": ("boardtui.ui.screens.actions", "ActionsScreen"),
}


def _lazy(module: str, name: str) -> Callable[[], type]:
    """A callable that imports `module` and returns its `name`; Textual accepts these in MODES and COMMANDS."""

    def load() -> type:
        return getattr(import_module(module), name)

    load.__name__ = f"load_{name}"
    return load


# The palette's providers, imported when the palette first opens (they pull in the history and search stores).
PALETTE_PROVIDERS = (
    _lazy("boardtui.ui.palette", "RecordsProvider"),
    _lazy("boardtui.ui.palette", "ScreenCommandsProvider"),
    _lazy("boardtui.ui.palette", "ThemesProvider"),
    _lazy("boardtui.ui.savings_commands", "SavingsHistoryCommands"),
    _lazy("boardtui.ui.import_commands", "ImportCommands"),
    _lazy("boardtui.ui.conflict_commands", "ConflictCommands"),
)


def screen_class(area: str) -> type[Screen]:
    """The screen class of one area, importing its module the first time it is asked for."""
    return _lazy(*_SCREENS[area])()


AREA_KEYS = Binding.Group("Areas")  # one "1/2/3/4/5/6 Areas" entry in the key bar when the line is short


class BoardApp(IntegrityWatch, App[None]):
    """boardtui's terminal user interface over one open board."""

    TITLE = "boardtui"

    COMMANDS = App.COMMANDS | set(PALETTE_PROVIDERS)
    CSS = themes.APP_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "area('dashboard')", "Dashboard", id="app.dashboard", group=AREA_KEYS),
        Binding("2", "area('programmes')", "Programmes", id="app.programmes", group=AREA_KEYS),
        Binding("3", "area('standards')", "Standards", id="app.standards", group=AREA_KEYS),
        Binding("4", "area('milestones')", "Milestones", id="app.milestones", group=AREA_KEYS),
        Binding("5", "area('meetings')", "Meetings", id="app.meetings", group=AREA_KEYS),
        Binding("6", "area('actions')", "Actions", id="app.actions", group=AREA_KEYS),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("ctrl+p", "command_palette", "Find", id="app.palette", priority=True),
    ]

    _css_variables_wanted = False
    """False while App.__init__ runs: it builds the CSS variables of Textual's default theme (~1 ms of colours),
    which themes.install replaces with the chosen theme's before any stylesheet is parsed."""

    settle_gc = False
    """Set by the command line, which starts the app with garbage collection off (see launch.run_tui)."""

    def __init__(
        self,
        board: Board,
        config: Config | None = None,
        *,
        start_screen: str | None = None,
        theme_name: str | None = None,
        today: date | None = None,
        theme_catalog: themes.ThemeCatalog | None = None,
    ) -> None:
        start = start_screen if start_screen in AREAS else "dashboard"
        # Start in the area's own mode: starting in Textual's default mode and switching in on_mount built and
        # styled a throwaway default screen, then re-parsed every stylesheet twice (~25 ms of start-up).
        self.DEFAULT_MODE = start
        # One mode per area, its screen made (and its module imported) when the area is first shown.
        self.MODES = {area: partial(self._area_screen, area) for area in AREAS}
        self.config = config or Config()
        requested_theme = theme_name or self.config.theme
        # Only the starting theme's file is read now (`get_theme` finds it): the others when the list of themes is
        # first wanted (`available_themes`). Made before App.__init__, which looks up Textual's default theme.
        self.theme_catalog = theme_catalog if theme_catalog is not None else themes.load_themes(first=requested_theme)
        super().__init__()
        self._css_variables_wanted = True
        self.board = board
        # Read once: the title shows it too (a board that describes the past judges "today" as this date).
        self._reference_date = meta.reference_date(board)
        self.today = today or self._reference_date or date.today()
        self.start_screen = start
        self._theme_notice = themes.install(self, self.theme_catalog, requested_theme)

    def _area_screen(self, area: str) -> Screen:
        """A new screen for `area` (the mode's factory), marked as styled by the current stylesheet.

        Textual refreshes the CSS for every new mode screen (`refresh_css`): each stylesheet source parsed again,
        and, as that empties the parse cache, once more when the screen's widgets mount: three parses of every
        source for the first screen, ~7 ms of start-up. The screen is styled by the stylesheet when it is
        registered, which is current unless a theme change's refresh is still to come; that refresh restyles the
        screen then shown, and any other screen is restyled when it is shown (Textual's ScreenResume). So the
        screen is marked as seen by the latest CSS (`_css_update_count`: Textual is pinned to 8.2).
        """
        screen = screen_class(area)()
        screen._css_update_count = self._css_update_count
        # What the refresh would still have done: style the app itself, whose colours the screen's widgets
        # inherit (at start the app is otherwise styled only after its first screen has been composed).
        self.stylesheet.apply(self)
        return screen

    def on_mount(self) -> None:
        as_at = self._reference_date
        self.title = f"boardtui — {self.board.path.name}" + (f" (as at {as_at:%d %b %Y})" if as_at else "")
        themes.remember_changes(self)
        theme_notice = self._theme_notice
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        problems = list(self.config.problems)
        problems += [f"{self.config.path}: keymap.{k}: no key binding has this id" for k in
                     keys.unknown_keymap_ids(self.config.keymap)]
        if problems:  # one notice for the whole file; each setting named there keeps its default
            self.notify("\n".join(problems), title="Configuration problems: defaults used",
                        severity="warning", markup=False, timeout=15)
        if theme_notice:
            self.notify(theme_notice, title="Themes", severity="warning", markup=False, timeout=15)
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        from boardtui.ui import live  # after the first paint: nothing on the first screen needs it

        live.watch(self)  # colleagues' changes appear without a restart
        if self.settle_gc:
            gc.freeze()  # what start-up made stays: later collections (and their pauses on a key) skip it
            # A screen opened makes thousands of objects that live as long as it does: collecting the youngest
            # every 700 allocations (the default) walked them over and over (~3 ms of each screen opened).
            gc.set_threshold(20_000, 20, 20)
            gc.enable()

    def push_screen(self, screen, *args, **kwargs):
        self._hold_collections()
        return super().push_screen(screen, *args, **kwargs)

    def switch_mode(self, mode: str):
        self._hold_collections()
        return super().switch_mode(mode)

    def _hold_collections(self) -> None:
        """No collection while a screen is built and first painted (a detail screen or dialog makes ~50,000 objects:
        two or three young collections fell inside the key's frame); the collector is back on after the next
        frame, and a collection the build made due runs then, between keys. Only where the command line manages
        the collector (`settle_gc`), once it has been turned on after the first paint."""
        if self.settle_gc and gc.isenabled():
            gc.disable()
            self.call_after_refresh(self._collect_again)

    def _collect_again(self) -> None:
        # A method, not gc.enable itself: Textual reads a callback's signature, and a builtin's is parsed from
        # its text with the tokenizer (~1.5 ms, regular expressions compiled the first time).
        gc.enable()

    def action_area(self, name: str) -> None:
        if name in AREAS and self.current_mode != name:
            self.switch_mode(name)

    def action_help(self) -> None:
        from boardtui.ui.modals.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return themes.variable_defaults()

    def get_line_filters(self):
        # Control characters in data (ESC sequences, bidi overrides) never reach the terminal, whatever widget.
        return [*super().get_line_filters(), TERMINAL_SAFE]

    @property
    def available_themes(self) -> dict[str, Theme]:
        """Every theme, with the theme files left unread at start read and registered (Textual's theme picker, a
        theme set by name and boardtui's palette all ask for them here first)."""
        registered = super().available_themes
        for name, theme in self.theme_catalog.themes.items():  # reads the theme files left to read
            if registered.get(name) is not theme:
                self.register_theme(theme)
        return super().available_themes

    def get_theme(self, theme_name: str) -> Theme | None:
        # A theme read so far, or one of Textual's, is found without reading the other theme files: the current
        # theme is looked up on every CSS refresh. (Textual's own lookup lists every theme: `available_themes`.)
        theme = self.theme_catalog.loaded.get(theme_name) or BUILTIN_THEMES.get(theme_name)
        return theme if theme is not None else super().get_theme(theme_name)

    def get_css_variables(self) -> dict[str, str]:
        if not self._css_variables_wanted:
            return {}
        variables = super().get_css_variables()
        themes.apply_console_styles(self, variables)  # RAG cells in tables follow the theme
        return variables
