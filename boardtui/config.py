"""User configuration: a TOML file in the user config directory, validated, with defaults for anything wrong.

A bad value never stops the app: each problem is reported as "file: key: reason" and the default is used.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from boardtui.domain.thresholds import Thresholds, thresholds_from_mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

APP_NAME = "boardtui"
MONEY_UNITS = ("000s", "pounds", "m")
JOURNAL_MODES = ("auto", "wal", "delete")


def config_dir() -> Path:
    override = os.environ.get("BOARDTUI_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    override = os.environ.get("BOARDTUI_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    return config_dir() / "config.toml"


@dataclass
class Config:
    """The effective settings after reading the config file."""

    name: str | None = None
    database: Path | None = None
    money_unit: str = "000s"
    theme: str = "nhs"
    journal_mode: str = "auto"
    thresholds: Thresholds = field(default_factory=Thresholds)
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    path: Path | None = None

    def default_database(self) -> Path:
        env = os.environ.get("BOARDTUI_DB")
        if env:
            return Path(env).expanduser()
        if self.database:
            return self.database
        return data_dir() / "board.db"


def load_config(path: Path | None = None) -> Config:
    """Read the config file if there is one; never raises for a bad file."""
    p = path or config_path()
    cfg = Config(path=p)
    if not p.exists():
        return cfg
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        cfg.problems.append(f"{p}: could not be read ({exc}); using the defaults.")
        return cfg

    def problem(key: str, reason: str) -> None:
        cfg.problems.append(f"{p}: {key}: {reason}")

    for key, value in data.items():
        if key == "name":
            if isinstance(value, str) and value.strip():
                cfg.name = value.strip()
            else:
                problem(key, "must be a non-empty string")
        elif key == "database":
            if isinstance(value, str) and value.strip():
                cfg.database = Path(value).expanduser()
            else:
                problem(key, "must be a path")
        elif key == "money_unit":
            if value in MONEY_UNITS:
                cfg.money_unit = value
            else:
                problem(key, f"must be one of {', '.join(MONEY_UNITS)}")
        elif key == "theme":
            if isinstance(value, str) and value.strip():
                cfg.theme = value.strip()
            else:
                problem(key, "must be a theme name")
        elif key == "journal_mode":
            if value in JOURNAL_MODES:
                cfg.journal_mode = value
            else:
                problem(key, f"must be one of {', '.join(JOURNAL_MODES)}")
        elif key == "thresholds":
            if isinstance(value, dict):
                cfg.thresholds, errors = thresholds_from_mapping(value)
                cfg.problems.extend(f"{p}: {e}" for e in errors)
            else:
                problem(key, "must be a table")
        elif key == "keymap":
            if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                cfg.keymap = dict(value)
            else:
                problem(key, "must be a table of binding id = \"keys\"")
        else:
            problem(key, "unknown setting")
    return cfg
