"""Themes: the shipped files are sound and readable, bad files are reported once and never stop the app, the
choice comes from --theme / config / palette and is remembered, and RAG cells follow the theme."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.color import Color

from boardtui.cli import make_app
from boardtui.config import Config, config_path, load_config, themes_dir
from boardtui.domain.rag import Rag
from boardtui.ui import themes
from boardtui.ui.screens.dashboard import DashboardScreen
from boardtui.ui.widgets import rag as rag_widget
from tests.conftest import DEMO_TODAY

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SHIPPED = {"nhs", "high-contrast", "colour-blind", "monochrome", "light", "dark"}
KEYS_TO_AREAS = "123456"


def _app(board, config: Config | None = None, theme: str | None = None):
    return make_app(board, config or Config(), theme=theme, today=DEMO_TODAY)


def _notices(app, title: str) -> list:
    return [n for n in app._notifications if n.title == title]


def _luminance(colour: str) -> float:
    r, g, b = (c / 255 for c in Color.parse(colour).rgb)

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _simulate(colour: str, kind: str) -> tuple[float, float, float]:
    """How a colour looks with protanopia or deuteranopia (Viénot, Brettel & Mollon 1999), in linear RGB."""
    r, g, b = (c / 255 for c in Color.parse(colour).rgb)

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = lin(r), lin(g), lin(b)
    if kind == "protan":
        return (0.11238 * r + 0.88762 * g, 0.11238 * r + 0.88762 * g, 0.00401 * r - 0.00401 * g + b)
    return (0.29275 * r + 0.70725 * g, 0.29275 * r + 0.70725 * g, -0.02234 * r + 0.02234 * g + b)


def _distance(a, b) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b)) ** 0.5


# --- the files ------------------------------------------------------------------------------------------


def test_every_shipped_theme_loads_without_a_problem():
    catalog = themes.load_themes()
    assert catalog.problems == []
    assert set(catalog.themes) == SHIPPED
    assert all(catalog.sources[name] == f"{name}.toml" for name in SHIPPED)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_shipped_theme_passes_the_checks_a_user_theme_gets(name):
    # At start-up shipped themes skip the trial build of their colour system; this is where it is done.
    path = themes.SHIPPED_DIR / f"{name}.toml"
    theme, problems = themes.parse_theme(path.read_text(encoding="utf-8"), path.name, name)
    assert problems == [] and theme is not None
    assert theme.to_color_system().generate()["primary"]


def test_the_theme_files_are_package_data_so_they_are_in_the_wheel():
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    package_data = tomllib.loads(pyproject)["tool"]["setuptools"]["package-data"]["boardtui"]
    assert "themes/*.toml" in package_data


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_shipped_theme_gives_every_rag_letter_a_readable_fill(name):
    variables = {**themes.variable_defaults(), **themes.load_themes().themes[name].variables}
    fills = []
    for rag, (fill, text) in rag_widget.VARIABLES.items():
        assert _contrast(variables[fill], variables[text]) >= 4.5, (name, rag, "letter must read on its fill")
        fills.append(Color.parse(variables[fill]).hex)
    assert len(set(fills)) == len(fills), "each rating has its own fill"


@pytest.mark.parametrize("kind", ["protan", "deutan"])
def test_colour_blind_theme_keeps_red_amber_green_apart_for_red_green_colour_blindness(kind):
    def fills(name):
        variables = {**themes.variable_defaults(), **themes.load_themes().themes[name].variables}
        return [_simulate(variables[rag_widget.VARIABLES[r][0]], kind) for r in (Rag.R, Rag.A, Rag.G)]

    def closest(name):
        r, a, g = fills(name)
        return min(_distance(r, a), _distance(r, g), _distance(a, g))

    assert closest("colour-blind") > 0.3
    # The control: the nhs theme's red and green collapse together, which is why the other theme exists.
    assert closest("nhs") < closest("colour-blind")


def test_monochrome_theme_has_no_colour_at_all():
    theme = themes.load_themes().themes["monochrome"]
    values = [getattr(theme, f) for f in themes.COLOUR_FIELDS if getattr(theme, f)] + list(theme.variables.values())
    for value in values:
        if value in ("bold", "none"):
            continue
        r, g, b = Color.parse(value).rgb
        assert r == g == b, value


BAD_THEMES = [
    ('name = "x"\nprimary = "not-a-colour"\n', "primary", "is not a colour"),
    ('name = "x"\nprimary = "#005EB8"\nbackground = 12\n', "background", "colour in quotes"),
    ('name = "x"\nprimary = "#005EB8"\ncolour = "red"\n', "colour", "unknown key"),
    ('name = "x"\nprimary = "#005EB8"\ndark = "yes"\n', "dark", "true or false"),
    ('name = "x"\nprimary = "#005EB8"\ntext_alpha = 3\n', "text_alpha", "from 0 to 1"),
    ('name = "x"\nsecondary = "#005EB8"\n', "primary", "missing"),
    ('name = "Bad Name"\nprimary = "#005EB8"\n', "name", "lower-case"),
    ('name = "x"\nprimary = "#005EB8"\n[variables]\nrag-red = "blood"\n', "variables.rag-red", "not a colour"),
    ('name = "x"\nprimary = "#005EB8"\n[variables]\nblock-cursor-text-style = "shiny"\n',
     "variables.block-cursor-text-style", "not a text style"),
    ('name = "x"\nprimary = "#005EB8"\n[variables]\nrag-red = "#ff0000 150%"\n', "variables.rag-red", "opacity"),
    ('name = "x"\nprimary = "#005EB8"\nvariables = 3\n', "variables", "table"),
]


@pytest.mark.parametrize("text, key, reason", BAD_THEMES)
def test_a_bad_theme_file_is_refused_with_file_key_and_reason(text, key, reason):
    theme, problems = themes.parse_theme(text, "mine.toml", "mine")
    assert theme is None
    assert any(p.startswith(f"mine.toml: {key}: ") and reason in p for p in problems), problems


def test_a_theme_file_that_is_not_toml_is_one_problem():
    theme, problems = themes.parse_theme("primary = #005EB8\n", "mine.toml", "mine")
    assert theme is None and len(problems) == 1 and problems[0].startswith("mine.toml: could not be read")


def test_good_variables_with_opacity_and_text_styles_are_accepted():
    text = ('primary = "#005EB8"\n[variables]\ninput-selection-background = "#81a1c1 35%"\n'
            'block-cursor-text-style = "bold reverse"\nrag-red = "ansi_red"\n')
    theme, problems = themes.parse_theme(text, "mine.toml", "mine")
    assert problems == [] and theme is not None and theme.name == "mine"


def test_user_themes_are_added_and_may_replace_a_shipped_one(tmp_path):
    (tmp_path / "mine.toml").write_text('name = "mine"\nprimary = "#123456"\n', encoding="utf-8")
    (tmp_path / "nhs.toml").write_text('name = "nhs"\nprimary = "#654321"\n', encoding="utf-8")
    (tmp_path / "broken.toml").write_text('primary = "nope"\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a theme", encoding="utf-8")
    catalog = themes.load_themes(tmp_path)
    assert set(catalog.themes) == SHIPPED | {"mine"}
    assert catalog.themes["nhs"].primary == "#654321"
    assert catalog.problems == [f"{tmp_path / 'broken.toml'}: primary: 'nope' is not a colour "
                                "(use #RRGGBB, rgb(…), or a colour name)"]
    assert "broken" in catalog.broken


def test_shipped_themes_read_later_never_replace_a_users_theme_of_the_same_name(tmp_path):
    (tmp_path / "dark.toml").write_text('name = "dark"\nprimary = "#123456"\n', encoding="utf-8")
    catalog = themes.load_themes(tmp_path, first="light")
    assert set(catalog.loaded) == {"light", "nhs", "dark"}
    assert set(catalog.themes) == SHIPPED
    assert catalog.themes["dark"].primary == "#123456"
    assert catalog.sources["dark"] == str(tmp_path / "dark.toml")


def test_choose_theme_falls_back_to_nhs_and_says_why():
    available = {name: object() for name in SHIPPED}
    assert themes.choose_theme("dark", available, set()) == ("dark", None)
    assert themes.choose_theme(" Dark ", available, set()) == ("dark", None)
    name, why = themes.choose_theme("neon", available, set())
    assert name == "nhs" and "no theme called 'neon'" in why and "high-contrast" in why
    name, why = themes.choose_theme("broken", available, {"broken"})
    assert name == "nhs" and "'broken' theme could not be used" in why


# --- in the app -----------------------------------------------------------------------------------------


async def test_the_default_theme_is_nhs_with_no_notice(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == "nhs"
        assert list(app._notifications) == []


async def test_only_the_starting_theme_is_read_at_start_and_every_theme_is_offered(demo_board):
    app = _app(demo_board, theme="dark")
    assert {path.stem for path in app.theme_catalog.unread} == SHIPPED - {"dark", "nhs"}
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == "dark" and app.theme_catalog.unread  # nothing on the way to the first screen read them
        assert SHIPPED <= set(app.available_themes)  # what Textual's theme picker lists, and checks a name against
        app.theme = "monochrome"
        await pilot.pause()
        assert app.theme == "monochrome"
        assert list(app._notifications) == []


async def test_theme_from_the_config_and_from_the_command_line(demo_board):
    app = _app(demo_board, Config(theme="colour-blind"))
    async with app.run_test(size=(80, 24), notifications=True):
        assert app.theme == "colour-blind"
    app = _app(demo_board, Config(theme="colour-blind"), theme="high-contrast")
    async with app.run_test(size=(80, 24), notifications=True):
        assert app.theme == "high-contrast"


async def test_a_malformed_theme_file_starts_the_app_on_nhs_with_one_clear_notice(demo_board):
    folder = themes_dir()
    folder.mkdir(parents=True)
    (folder / "projector.toml").write_text(
        'name = "projector"\nprimary = "#005EB8"\nbackground = "#zzzzzz"\n[variables]\nrag-red = "blood"\n',
        encoding="utf-8",
    )
    app = _app(demo_board, theme="projector")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == "nhs"
        assert isinstance(app.screen, DashboardScreen)
        notices = list(app._notifications)
        assert len(notices) == 1
        message = notices[0].message
        assert f"{folder / 'projector.toml'}: background: '#zzzzzz' is not a colour" in message
        assert f"{folder / 'projector.toml'}: variables.rag-red: 'blood' is not a colour" in message
        assert "'projector' theme could not be used: using 'nhs'" in message
        await pilot.press("2")
        await pilot.pause()
        assert app.return_code is None


async def test_a_malformed_config_file_starts_the_app_with_one_clear_notice(demo_board):
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "dark"\nmoney_unit = "euros"\nfavourite = 1\n[keymap\n', encoding="utf-8")
    app = _app(demo_board, load_config())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == "nhs"  # a file that does not parse gives every default
        notices = list(app._notifications)
        assert len(notices) == 1
        assert notices[0].message.startswith(f"{path}: could not be read")
        await pilot.press("6")
        await pilot.pause()
        assert app.return_code is None


async def test_bad_config_values_are_one_notice_and_the_good_ones_apply(demo_board):
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "dark"\nmoney_unit = "euros"\nfavourite = 1\n[keymap]\n"app.hepl" = "f2"\n',
                    encoding="utf-8")
    app = _app(demo_board, load_config())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == "dark"
        notices = list(app._notifications)
        assert len(notices) == 1
        lines = notices[0].message.splitlines()
        assert lines == [
            f"{path}: money_unit: must be one of \"000s\" (£000s), \"pounds\" (£) or \"m\" (£m)",
            f"{path}: favourite: unknown setting (known: name, database, money_unit, theme, journal_mode, "
            "thresholds, keymap)",
            f"{path}: keymap.app.hepl: no key binding has this id",
        ]


async def test_an_unknown_theme_name_is_one_notice(demo_board):
    app = _app(demo_board, theme="neon")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == "nhs"
        assert [n.title for n in app._notifications] == ["Themes"]


async def test_a_theme_chosen_in_the_app_is_remembered_in_the_config_file(demo_board):
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('# mine\nname = "Ann"\n', encoding="utf-8")
    app = _app(demo_board, load_config())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme: high")
        for _ in range(50):  # the palette searches in a worker: wait for the hit before choosing it
            lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
            if any(line.strip() == "Theme: high-contrast" for line in lines):
                break
            await pilot.pause(0.1)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.theme == "high-contrast"
    cfg = load_config()
    assert cfg.theme == "high-contrast" and cfg.name == "Ann" and cfg.problems == []
    assert path.read_text(encoding="utf-8").startswith("# mine\n")
    again = _app(demo_board, cfg)
    async with again.run_test(size=(80, 24), notifications=True):
        assert again.theme == "high-contrast"


async def test_starting_with_a_theme_does_not_rewrite_the_config(demo_board):
    app = _app(demo_board, theme="dark")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
    assert not config_path().exists()


async def test_a_theme_that_cannot_be_remembered_says_so_and_still_applies(demo_board):
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("name = [broken\n", encoding="utf-8")
    app = _app(demo_board, load_config())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.theme = "light"
        await pilot.pause()
        assert app.theme == "light"
        assert any("will not be remembered" in n.message for n in app._notifications)
    assert path.read_text(encoding="utf-8") == "name = [broken\n"


def _rag_segments(app, letter: str):
    """Segments of the rendered screen that show a RAG letter cell (` R `)."""
    out = []
    for strip in app.screen._compositor.render_strips():
        for seg in strip:
            if seg.text.strip() == letter and seg.style and seg.style.bgcolor:
                out.append(seg)
    return out


@pytest.mark.parametrize("name", sorted(SHIPPED))
async def test_rag_cells_take_their_colours_from_the_theme(demo_board, name):
    app = _app(demo_board, theme=name)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("2")
        await pilot.pause()
        variables = app.theme_variables
        for rag in (Rag.R, Rag.A, Rag.G, Rag.U):
            segments = _rag_segments(app, rag.value)
            assert segments, (name, rag)
            fill = Color.parse(variables[rag_widget.VARIABLES[rag][0]])
            cursor_free = [s for s in segments if s.style.bgcolor.triplet == fill.rich_color.triplet]
            assert cursor_free, (name, rag, [s.style for s in segments])


async def test_switching_theme_repaints_the_rag_cells(demo_board):
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("2")
        await pilot.pause()
        app.theme = "colour-blind"
        await pilot.pause()
        await pilot.pause()
        reds = {s.style.bgcolor.triplet.hex.upper() for s in _rag_segments(app, "R")}
        assert "#D55E00" in reds


async def test_no_color_keeps_every_rag_letter(demo_board, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = _app(demo_board)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        assert app.no_color
        await pilot.press("2")
        await pilot.pause()
        for rag in (Rag.R, Rag.A, Rag.G, Rag.U):
            assert _rag_segments(app, rag.value), rag


@pytest.mark.parametrize("name", sorted(SHIPPED) + ["no-color"])
async def test_every_screen_in_every_theme_at_80x24(demo_board, monkeypatch, name):
    if name == "no-color":
        monkeypatch.setenv("NO_COLOR", "1")
    app = _app(demo_board, theme=None if name == "no-color" else name)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for key in KEYS_TO_AREAS:
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        assert app.return_code is None
        assert list(app._notifications) == []


@pytest.mark.parametrize(("name", "dark"), [("light", False), ("dark", True)])
async def test_the_starting_theme_is_applied_as_fully_as_a_theme_picked_later(demo_board, name, dark):
    # The starting theme is set before the app runs, without Textual's theme watcher (it would make Textual
    # parse every stylesheet twice); the app must still look exactly as if the theme had been picked later.
    from textual.filter import ANSIToTruecolor

    started = _app(demo_board, theme=name)
    async with started.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert started.theme == name
        assert started.has_class(f"-theme-{name}")
        assert started.has_class("-dark-mode") is dark and started.has_class("-light-mode") is not dark
        ansi = next(f for f in started._filters if isinstance(f, ANSIToTruecolor))
        assert ansi._terminal_theme is (started.ansi_theme_dark if dark else started.ansi_theme_light)
        first = (started.screen.query_one(".area-title").styles.background, _body_style(started))
    picked = _app(demo_board, theme="high-contrast")
    async with picked.run_test(size=(80, 24)) as pilot:
        picked.theme = name
        await pilot.pause()
        assert (picked.screen.query_one(".area-title").styles.background, _body_style(picked)) == first


def _body_style(app) -> str:
    """The style of the text under the dashboard's first heading, as rendered (it has no colour of its own)."""
    section = app.screen.query(".dash-section").first()
    line = section.render_lines(section.region.reset_offset)[1]
    return str(next(iter(line)).style)
