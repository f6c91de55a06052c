"""Colour themes: one TOML file per theme, validated colour by colour, registered only when sound.

Shipped themes live in `boardtui/themes/` (inside the wheel); a user's own go in the `themes/` folder of the
config directory and may replace a shipped one by using its name. A file is either wholly good (registered) or
reported: Textual registers a theme with a bad colour without complaint and then crashes when it is applied,
so every colour and variable is checked with `Color.parse` first. Problems read "FILE: KEY: reason" and the app
shows them in one notice, then starts with the requested theme if it is sound, else with `nhs`.

The theme is chosen by `--theme`, else the config file's `theme`, else `nhs`; a theme picked in the app (the
command palette) is written back to the config file, so it is remembered.
"""

from __future__ import annotations

import re
import sys
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.theme import Theme as RichTheme
from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

from boardtui.config import DEFAULT_THEME, save_setting, themes_dir
from boardtui.domain.errors import BoardError
from boardtui.ui.widgets import rag

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    from textual.app import App

FALLBACK_THEME = "textual-dark"  # only if the shipped nhs file were itself broken

COLOUR_FIELDS = (
    "primary", "secondary", "warning", "error", "success", "accent", "foreground", "background", "surface",
    "panel", "boost",
)
THEME_FIELDS = frozenset(f.name for f in fields(Theme))
_NAME = re.compile(r"[a-z0-9][a-z0-9_\-]{0,39}")
_VARIABLE = re.compile(r"[a-z][a-z0-9\-]*")
_PERCENT = re.compile(r"(?:100|[0-9]{1,2})(?:\.[0-9]+)?%")


# App-level CSS wins over the screens' DEFAULT_CSS. Title bars and banners take their text colour by contrast
# with their fill, so they read in light themes too: a theme's foreground is chosen for its background, not for
# $primary or $warning.
APP_CSS = """
.area-title, .read-only {
    color: $text;
}
"""


def variable_defaults() -> dict[str, str]:
    """CSS variables the app's own styles use, with the values a theme that leaves them out gets."""
    return dict(rag.DEFAULTS)


class ThemeCatalog:
    """The themes that loaded cleanly (by name), where each came from, and every problem found.

    This and `ThemeState` are plain classes rather than dataclasses: making a dataclass when its module loads
    (generating and compiling its methods) costs ~0.5 ms of every start-up.
    """

    def __init__(self) -> None:
        self.loaded: dict[str, Theme] = {}
        """The themes read so far that loaded cleanly, by name."""
        self.sources: dict[str, str] = {}
        self.problems: list[str] = []
        self.broken: set[str] = set()
        """Names (or file stems) of theme files that were refused."""
        self.unread: list[Path] = []
        """Shipped theme files left to read (`load_themes(first=...)`)."""

    @property
    def themes(self) -> dict[str, Theme]:
        """Every theme that loaded cleanly, by name (the shipped files left to read are read first)."""
        self.read_all()
        return self.loaded

    def read_all(self) -> None:
        """Read the shipped files left to read; being read after the user's files, they never replace a user's
        theme of the same name (the order `load_themes` gives)."""
        for path in self.unread:
            if path.stem not in self.loaded:
                self.add(path.name, path.stem, path.read_text(encoding="utf-8"), shipped=True)
        self.unread = []

    def add(self, source: str, stem: str, text: str, shipped: bool = False) -> None:
        """Add the theme in `text` (the file `source`), replacing one of the same name, or note its problems."""
        theme, problems = parse_theme(text, source, stem, shipped=shipped)
        if theme is None:
            self.problems.extend(problems)
            self.broken.add(stem.lower())
            return
        self.loaded[theme.name] = theme
        self.sources[theme.name] = source
        self.broken.discard(theme.name)


def _check_colour(value: Any) -> str | None:
    """Why `value` is not a colour Textual can apply, or None."""
    if not isinstance(value, str):
        return "must be a colour in quotes, e.g. \"#005EB8\""
    try:
        Color.parse(value)
    except ColorParseError:
        return f"{value!r} is not a colour (use #RRGGBB, rgb(…), or a colour name)"
    return None


def _check_variable(name: str, value: Any) -> str | None:
    """Why a [variables] entry cannot be used, or None: a text style for *-text-style, else a colour."""
    if not isinstance(value, str):
        return "must be a string"
    if name.endswith("text-style"):
        words = value.split()
        if not words or any(w not in VALID_STYLE_FLAGS for w in words):
            return f"{value!r} is not a text style (use words such as bold, italic, underline, reverse, none)"
        return None
    parts = value.split()
    if not 1 <= len(parts) <= 2:
        return f"{value!r} is not a colour"
    colour, *alpha = parts
    if colour != "auto":
        try:
            Color.parse(colour)
        except ColorParseError:
            return f"{value!r} is not a colour (use #RRGGBB, optionally followed by an opacity such as 50%)"
    if alpha and not _PERCENT.fullmatch(alpha[0]):
        return f"{value!r}: the opacity must be a percentage such as 50%"
    return None


def parse_theme(text: str, source: str, stem: str, *, shipped: bool = False) -> tuple[Theme | None, list[str]]:
    """Build a Theme from the TOML `text` of the file called `source`; (None, problems) if anything is wrong.

    Accepted keys are exactly Textual's Theme fields plus a [variables] table. `name` defaults to the file's
    stem and must be lower-case letters, digits, `-` or `_`; `primary` is required. A `shipped` theme skips the
    trial build of its colour system (~3 ms a theme at start-up): the test suite builds every shipped one.
    """
    problems: list[str] = []

    def problem(key: str, reason: str) -> None:
        problems.append(f"{source}: {key}: {reason}")

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{source}: could not be read ({exc})"]

    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in THEME_FIELDS:
            problem(key, f"unknown key (a theme has {', '.join(sorted(THEME_FIELDS))})")
        elif key == "name":
            if isinstance(value, str) and _NAME.fullmatch(value):
                values[key] = value
            else:
                problem(key, "must be lower-case letters, digits, - or _ (at most 40), e.g. \"my-theme\"")
        elif key in COLOUR_FIELDS:
            if (why := _check_colour(value)) is None:
                values[key] = value
            else:
                problem(key, why)
        elif key in ("dark", "ansi"):
            if isinstance(value, bool):
                values[key] = value
            else:
                problem(key, "must be true or false")
        elif key in ("luminosity_spread", "text_alpha"):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
                values[key] = float(value)
            else:
                problem(key, "must be a number from 0 to 1")
        elif key == "variables":
            if not isinstance(value, dict):
                problem(key, "must be a table ([variables])")
                continue
            good: dict[str, str] = {}
            for name, raw in value.items():
                if not _VARIABLE.fullmatch(name):
                    problem(f"variables.{name}", "is not a variable name (lower-case letters, digits and -)")
                elif (why := _check_variable(name, raw)) is not None:
                    problem(f"variables.{name}", why)
                else:
                    good[name] = raw
            values[key] = good
    if "name" not in data:
        if _NAME.fullmatch(stem):
            values["name"] = stem
        else:
            problem("name", "missing, and the file name is not a usable theme name")
    if "primary" not in data:
        problem("primary", "missing: every theme needs a primary colour")
    if problems:
        return None, problems
    try:
        theme = Theme(**values)
        # The colour system is what Textual builds when the theme is applied; build it now so nothing
        # that slipped through the checks above can fail later, on screen.
        if not shipped:
            theme.to_color_system().generate()
    except Exception as exc:  # a theme file must never crash the app, whatever it holds
        return None, [f"{source}: could not be used ({exc})"]
    return theme, []


SHIPPED_DIR = Path(__file__).resolve().parent.parent / "themes"
"""The package's own themes. boardtui installs as plain files (never zipped), and `importlib.resources`
would add ~20 ms of imports to every start."""


def load_themes(user_dir: Path | None = None, *, first: str | None = None) -> ThemeCatalog:
    """Load the shipped themes, then the user's (which win on a shared name); never raises.

    With `first` (the theme asked for at start), only that shipped file and the default theme's are read now: the
    others wait in `unread` until `themes` is first read (~1 ms of start-up). Shipped files are named for their
    theme (the test suite checks), and a user's files are all read, so that their problems are shown at start.
    """
    catalog = ThemeCatalog()
    shipped = sorted(SHIPPED_DIR.glob("*.toml"))
    if first is not None:
        now = {wanted_name(first), DEFAULT_THEME}
        catalog.unread = [path for path in shipped if path.stem not in now]
        shipped = [path for path in shipped if path.stem in now]
    for path in shipped:
        catalog.add(path.name, path.stem, path.read_text(encoding="utf-8"), shipped=True)
    folder = user_dir if user_dir is not None else themes_dir()
    try:
        user_files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    except OSError as exc:
        catalog.problems.append(f"{folder}: could not be listed ({exc.strerror or exc})")
        user_files = []
    for path in user_files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            catalog.problems.append(f"{path}: could not be read ({exc})")
            catalog.broken.add(path.stem.lower())
            continue
        catalog.add(str(path), path.stem, text)
    return catalog


def wanted_name(requested: str | None) -> str:
    """The theme name `requested` (from --theme or the config file) stands for: the default when none."""
    return (requested or DEFAULT_THEME).strip().lower()


def choose_theme(requested: str | None, available: dict[str, Theme], broken: set[str],
                 offered: list[str] | None = None) -> tuple[str, str | None]:
    """The theme to start with, and a sentence if it is not the one asked for (naming the `offered` ones).

    Any registered theme may be asked for, Textual's own included; boardtui's are the ones offered.
    """
    default = DEFAULT_THEME if DEFAULT_THEME in available else FALLBACK_THEME
    wanted = wanted_name(requested)
    if wanted in available:
        return wanted, None
    if wanted in broken:
        return default, f"The {wanted!r} theme could not be used: using {default!r}."
    names = ", ".join(sorted(offered if offered is not None else available))
    return default, f"There is no theme called {wanted!r}: using {default!r}. Themes: {names}."


def console_theme(variables: dict[str, str]) -> RichTheme:
    """The Rich named styles (RAG cells) for a set of CSS variables."""
    return RichTheme(rag.console_styles(variables), inherit=False)


class ThemeState:
    """What the app remembers about its theme between calls: the last name written to the config, and whether
    its RAG styles are pushed onto the console."""

    def __init__(self) -> None:
        self.saved: str | None = None
        self.pushed = False


def apply_console_styles(app: App, variables: dict[str, str]) -> None:
    """Point the app console's RAG styles at the current theme (called whenever CSS variables are built)."""
    state = _state(app)
    if state.pushed:
        app.console.pop_theme()
    app.console.push_theme(console_theme(variables))
    state.pushed = True


def _state(app: App) -> ThemeState:
    state = getattr(app, "_boardtui_theme_state", None)
    if state is None:
        state = ThemeState()
        app._boardtui_theme_state = state  # type: ignore[attr-defined]
    return state


def install(app: App, catalog: ThemeCatalog, requested: str | None) -> str | None:
    """Register the good themes read so far and apply the chosen one; call it before the app runs.

    Set before the first stylesheet parse, the theme costs nothing: set in `on_mount` it made Textual parse
    every stylesheet twice. Returns the one notice to show (every problem, one per line, and what was chosen
    instead), or None.
    """
    wanted = wanted_name(requested)
    found = wanted in catalog.loaded
    if not found:
        catalog.read_all()  # every theme is wanted: to choose another, and to name them all
    for theme in catalog.loaded.values():
        app.register_theme(theme)
    if found:
        name, why = wanted, None  # what choose_theme says, without reading the other theme files
    else:
        name, why = choose_theme(requested, app.available_themes, catalog.broken, sorted(catalog.loaded))
    _start_with(app, name)
    _state(app).saved = name
    lines = list(catalog.problems)
    if why:
        lines.append(why)
    elif catalog.problems:
        lines.append(f"Those theme files were skipped; using {name!r}.")
    return "\n".join(lines) if lines else None


def _start_with(app: App, name: str) -> None:
    """Make `name` the theme the app starts with, before it runs, without Textual's theme watcher.

    The watcher exists to restyle a running app: it counts a CSS change, which makes Textual parse every
    stylesheet again for the first screen (~20 ms at start-up). Nothing has been parsed yet, so what the
    watcher does is repeated here without that: the app's theme and light/dark classes, the ANSI colour
    mapping and the stylesheet's variables (Textual is pinned to 8.2, whose watcher this follows).
    """
    from textual.app import App

    app.set_reactive(App.theme, name)
    dark = app.current_theme.dark
    app.set_class(True, f"-theme-{name}", update=False)
    app.set_class(dark, "-dark-mode", update=False)
    app.set_class(not dark, "-light-mode", update=False)
    app._refresh_truecolor_filter(app.ansi_theme)
    app.stylesheet.set_variables(app.get_css_variables())  # read by App() before the theme was chosen


def remember_changes(app: App) -> None:
    """Write a theme picked in the app back to the config file; call it once the app is running."""
    state = _state(app)

    def remember(theme: Theme) -> None:
        if theme.name == state.saved:
            return
        state.saved = theme.name
        try:
            save_setting("theme", theme.name)
        except BoardError as exc:
            app.notify(f"The theme was changed but will not be remembered: {exc}", title="Theme",
                       severity="warning", markup=False)

    app.theme_changed_signal.subscribe(app, remember)
