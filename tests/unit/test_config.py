"""The config file: every setting validated with file, key and reason; defaults for the rest; safe in-place
updates; and the `boardtui config path|show` commands."""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from boardtui.cli import cli
from boardtui.config import Config, config_path, load_config, save_setting
from boardtui.domain.errors import BoardError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FULL = """\
# my settings
name = "Ann Chair"
database = "~/boards/ccg.db"
money_unit = "m"
theme = "high-contrast"
journal_mode = "delete"

[thresholds]
scheme_green_pct = 90
scheme_amber_pct = 70
milestone_red_slip_days = 21
milestone_due_soon_days = 7
confidence_factors = { H = 1, M = 0.6, L = 0.2 }

[keymap]
"app.help" = "f2"
"paged_table.cursor_down" = "j,down"
"""


def write(text: str):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_defaults_and_no_problems():
    cfg = load_config()
    assert cfg == Config(path=config_path())
    assert (cfg.money_unit, cfg.theme, cfg.journal_mode, cfg.keymap, cfg.problems) == ("000s", "nhs", "auto", {}, [])


def test_every_setting_is_read():
    write(FULL)
    cfg = load_config()
    assert cfg.problems == []
    assert cfg.name == "Ann Chair"
    assert cfg.database == Path("~/boards/ccg.db").expanduser()
    assert (cfg.money_unit, cfg.money_label, cfg.theme, cfg.journal_mode) == ("m", "£m", "high-contrast", "delete")
    assert cfg.thresholds.scheme_green_pct == Decimal("90")
    assert cfg.thresholds.milestone_red_slip_days == 21
    assert cfg.thresholds.factor("M") == Decimal("0.6")
    assert cfg.keymap == {"app.help": "f2", "paged_table.cursor_down": "j,down"}


@pytest.mark.parametrize("written, unit", [("£", "pounds"), ("£000s", "000s"), ("£m", "m"), ("pounds", "pounds")])
def test_money_unit_accepts_the_labels_people_write(written, unit):
    write(f'money_unit = "{written}"\n')
    cfg = load_config()
    assert cfg.problems == [] and cfg.money_unit == unit


@pytest.mark.parametrize(
    "line, key, reason",
    [
        ('name = ""', "name", "non-empty"),
        ("name = 3", "name", "non-empty"),
        ('name = "a\\u001b[2Jb"', "name", "control characters"),
        ("database = 4", "database", "path"),
        ('money_unit = "euros"', "money_unit", "one of"),
        ('theme = "Not a Theme!"', "theme", "theme name"),
        ('journal_mode = "memory"', "journal_mode", "one of"),
        ("thresholds = 5", "thresholds", "table"),
        ("keymap = 5", "keymap", "table"),
        ('colour = "blue"', "colour", "unknown setting"),
    ],
)
def test_each_bad_value_is_reported_with_file_key_and_reason_and_the_default_kept(line, key, reason):
    path = write(line + "\n")
    cfg = load_config()
    assert len(cfg.problems) == 1, cfg.problems
    problem = cfg.problems[0]
    assert problem.startswith(f"{path}: {key}: ")
    assert reason in problem
    default = Config()
    assert getattr(cfg, key, None) == getattr(default, key, None)


def test_bad_threshold_and_keymap_entries_are_reported_one_by_one():
    path = write(
        "[thresholds]\nscheme_green_pct = 150\nspeed = 3\n"
        '[keymap]\n"app.help" = "f2"\n"app.quit" = ""\n"app.area" = 5\n"bad id!" = "x"\n"app.filter" = "ctrl + s"\n'
    )
    cfg = load_config()
    keys = [p.split(": ")[1] for p in cfg.problems]
    assert keys == ["thresholds.scheme_green_pct", "thresholds.speed", "keymap.app.quit", "keymap.app.area",
                    "keymap.bad id!", "keymap.app.filter"]
    assert all(p.startswith(f"{path}: ") for p in cfg.problems)
    assert cfg.thresholds.scheme_green_pct == Decimal("95")
    assert cfg.keymap == {"app.help": "f2"}


@pytest.mark.parametrize("text", ["name = \n", "[keymap\n", "x = 'unterminated\n", "\x00\x01"])
def test_a_malformed_file_is_one_problem_and_all_defaults(text):
    path = write(text)
    cfg = load_config()
    assert len(cfg.problems) == 1
    assert cfg.problems[0].startswith(f"{path}: could not be read")
    assert cfg.theme == "nhs" and cfg.keymap == {}


def test_a_file_that_is_not_utf8_is_a_problem_not_a_crash():
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("name = \"Ann £\"\n".encode("cp1252"))
    cfg = load_config()
    assert len(cfg.problems) == 1 and "could not be read" in cfg.problems[0]


def test_save_setting_creates_the_file_owner_only():
    path = save_setting("theme", "dark")
    assert path == config_path()
    assert load_config().theme == "dark"
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_save_setting_changes_one_line_and_keeps_comments_and_tables():
    write(FULL)
    save_setting("theme", "colour-blind")
    text = config_path().read_text(encoding="utf-8")
    assert text == FULL.replace('theme = "high-contrast"', 'theme = "colour-blind"')
    assert load_config().problems == []


def test_save_setting_adds_a_missing_key_above_the_first_table():
    write("# a comment\n[thresholds]\nscheme_green_pct = 90\n")
    save_setting("theme", "light")
    data = tomllib.loads(config_path().read_text(encoding="utf-8"))
    assert data["theme"] == "light"
    assert data["thresholds"] == {"scheme_green_pct": 90}
    assert config_path().read_text(encoding="utf-8").startswith("# a comment\ntheme = \"light\"\n")


def test_save_setting_refuses_to_touch_a_malformed_file():
    write("name = [unclosed\n")
    with pytest.raises(BoardError, match="fix it first"):
        save_setting("theme", "dark")
    assert config_path().read_text(encoding="utf-8") == "name = [unclosed\n"


def test_save_setting_leaves_the_old_file_when_the_write_fails(monkeypatch):
    write(FULL)

    def fail(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(BoardError, match="could not be written"):
        save_setting("theme", "dark")
    assert config_path().read_text(encoding="utf-8") == FULL
    assert [p.name for p in config_path().parent.iterdir()] == ["config.toml"]  # no temp file left


def test_config_path_command_prints_the_path():
    result = CliRunner().invoke(cli, ["config", "path"])
    assert result.exit_code == 0
    assert result.output.strip() == str(config_path())


def test_config_show_prints_the_effective_settings_as_toml():
    write(FULL)
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 0, result.output
    shown = tomllib.loads(result.stdout)
    assert shown["name"] == "Ann Chair"
    assert shown["money_unit"] == "m" and shown["theme"] == "high-contrast" and shown["journal_mode"] == "delete"
    assert shown["thresholds"]["scheme_green_pct"] == 90
    assert shown["thresholds"]["confidence_factors"] == {"H": 1, "M": 0.6, "L": 0.2}
    assert shown["keymap"] == {"app.help": "f2", "paged_table.cursor_down": "j,down"}


def test_config_show_with_defaults_and_problems():
    path = write('colour = "blue"\n')
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 0
    shown = tomllib.loads(result.stdout)
    assert shown["theme"] == "nhs" and shown["money_unit"] == "000s"
    assert f"{path}: colour: unknown setting" in result.stderr
