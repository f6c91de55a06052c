"""User configuration: a TOML file in the user config directory, validated, with defaults for anything wrong.

A bad value never stops the app: each problem is reported as "file: key: reason" and the default is used.
`save_setting` changes one top-level setting in place (the theme chosen in the app), keeping the user's
comments and layout, and replaces the file atomically.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from boardtui.domain.errors import BoardError
from boardtui.domain.money import UNIT_LABELS, normalise_unit
from boardtui.domain.text import terminal_safe
from boardtui.domain.thresholds import Thresholds, thresholds_from_mapping


def _toml():
    """The TOML reader, imported when there is a file to read (most starts have none: ~3 ms saved)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib

APP_NAME = "boardtui"
MONEY_UNITS = ("000s", "pounds", "m")
JOURNAL_MODES = ("auto", "wal", "delete")
DEFAULT_THEME = "nhs"

# The settings a config file may hold, in the order `boardtui config show` prints them.
SETTINGS = ("name", "database", "money_unit", "theme", "journal_mode", "thresholds", "keymap")

# A binding id as the app writes them ("app.help", "paged_table.cursor_up"), and a theme name. Patterns here are
# compiled when first used (`re` keeps them): most starts have no config file to check.
_BINDING_ID = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_THEME_NAME = r"[a-z0-9][a-z0-9_\-]*"


def config_dir() -> Path:
    """The user's boardtui config folder (BOARDTUI_CONFIG_DIR overrides the platform's usual place)."""
    override = os.environ.get("BOARDTUI_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The user's boardtui data folder (BOARDTUI_DATA_DIR overrides the platform's usual place)."""
    override = os.environ.get("BOARDTUI_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    """The config file: `config.toml` in the config folder."""
    return config_dir() / "config.toml"


def themes_dir() -> Path:
    """Where a user's own theme files live: `themes/` in the config folder."""
    return config_dir() / "themes"


@dataclass
class Config:
    """The effective settings after reading the config file."""

    name: str | None = None
    database: Path | None = None
    money_unit: str = "000s"
    theme: str = DEFAULT_THEME
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

    @property
    def money_label(self) -> str:
        """How money columns are headed in this unit: "£000s", "£" or "£m"."""
        return UNIT_LABELS[self.money_unit]


def _check_keys(value: str) -> str | None:
    """Why a keymap value is not a list of keys, or None when it is."""
    keys = [k.strip() for k in value.split(",")]
    if not value.strip() or any(not k for k in keys):
        return "must be one or more key names separated by commas, e.g. \"f2\" or \"ctrl+h,f2\""
    for k in keys:
        if any(ch.isspace() for ch in k) or terminal_safe(k) != k:
            import json  # only to quote a bad key: json is not otherwise needed to start

            return f"{json.dumps(k)} is not a key name (use names such as ctrl+s, f2, question_mark)"
    return None


def load_config(path: Path | None = None) -> Config:
    """Read the config file if there is one; never raises for a bad file.

    Every problem (unreadable file, unknown setting, wrong type, value out of range) is added to
    `Config.problems` as "FILE: KEY: reason", and that setting keeps its default.
    """
    p = path or config_path()
    cfg = Config(path=p)
    try:
        if not p.exists():
            return cfg
    except OSError as exc:
        cfg.problems.append(f"{p}: could not be read ({exc}); using the defaults.")
        return cfg
    tomllib = _toml()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        cfg.problems.append(f"{p}: could not be read ({exc}); using the defaults.")
        return cfg

    def problem(key: str, reason: str) -> None:
        cfg.problems.append(f"{p}: {key}: {reason}")

    for key, value in data.items():
        if key == "name":
            if not isinstance(value, str) or not value.strip():
                problem(key, "must be a non-empty string (your name for the audit trail)")
            elif terminal_safe(value) != value or "\n" in value:
                problem(key, "must be one line of text without control characters")
            else:
                cfg.name = value.strip()
        elif key == "database":
            if isinstance(value, str) and value.strip():
                cfg.database = Path(value).expanduser()
            else:
                problem(key, "must be the path of a board file, e.g. \"~/boards/board.db\"")
        elif key == "money_unit":
            try:
                if not isinstance(value, str):
                    raise ValueError
                cfg.money_unit = normalise_unit(value)
            except ValueError:
                problem(key, "must be one of \"000s\" (£000s), \"pounds\" (£) or \"m\" (£m)")
        elif key == "theme":
            if isinstance(value, str) and re.fullmatch(_THEME_NAME, value.strip().lower()):
                cfg.theme = value.strip().lower()
            else:
                problem(key, "must be a theme name such as \"nhs\" or \"high-contrast\"")
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
                problem(key, "must be a table ([thresholds])")
        elif key == "keymap":
            if not isinstance(value, dict):
                problem(key, "must be a table ([keymap]) of binding id = \"keys\"")
                continue
            for binding_id, keys in value.items():
                where = f"keymap.{binding_id}"
                if not re.fullmatch(_BINDING_ID, binding_id):
                    problem(where, "is not a binding id (see the Keys table in the README)")
                elif not isinstance(keys, str):
                    problem(where, "must be a string of key names, e.g. \"f2\"")
                elif (why := _check_keys(keys)) is not None:
                    problem(where, why)
                else:
                    cfg.keymap[binding_id] = ",".join(k.strip() for k in keys.split(","))
        else:
            problem(key, f"unknown setting (known: {', '.join(SETTINGS)})")
    return cfg


def _toml_string(value: str) -> str:
    import json

    # JSON string escapes (\", \\, \n, \uXXXX) are all valid in a TOML basic string.
    return json.dumps(value, ensure_ascii=False)


_TABLE_HEADER = r"^\s*\["


def save_setting(key: str, value: str, path: Path | None = None) -> Path:
    """Set the top-level `key = "value"` in the config file, creating the file if needed; returns its path.

    Only that one line changes (comments and other settings are kept). The new text is checked to parse
    and to hold the value before it atomically replaces the file, so a failure leaves the old file intact.
    Raises BoardError with one sentence when the file cannot be read, is not valid TOML, or cannot be written.
    """
    p = path or config_path()
    tomllib = _toml()
    try:
        old = p.read_text(encoding="utf-8") if p.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise BoardError(f"{p} could not be read ({exc}), so the {key} setting was not saved.") from exc
    try:
        tomllib.loads(old)
    except tomllib.TOMLDecodeError as exc:
        raise BoardError(f"{p} has an error ({exc}): fix it first; the {key} setting was not saved.") from exc

    lines = old.splitlines(keepends=True)
    assignment = re.compile(rf"^\s*{re.escape(key)}\s*=")
    new_line = f"{key} = {_toml_string(value)}\n"
    top_end = next((i for i, line in enumerate(lines) if re.match(_TABLE_HEADER, line)), len(lines))
    at = next((i for i in range(top_end) if assignment.match(lines[i])), None)
    if at is not None:
        lines[at] = new_line
    else:
        # After the opening comment block, before any table: a top-level key must precede the first [table].
        insert = 0
        while insert < top_end and lines[insert].lstrip().startswith("#"):
            insert += 1
        if insert and not lines[insert - 1].endswith("\n"):
            lines[insert - 1] += "\n"
        lines.insert(insert, new_line)
    text = "".join(lines)
    try:
        if tomllib.loads(text).get(key) != value:
            raise ValueError("the edited file does not hold the new value")
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise BoardError(f"{p} could not be updated safely ({exc}); the {key} setting was not saved.") from exc

    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        mode = p.stat().st_mode & 0o777 if p.exists() else 0o600
        fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=p.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, p)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise BoardError(f"{p} could not be written ({exc.strerror or exc}); the {key} setting was not saved.") from exc
    return p
