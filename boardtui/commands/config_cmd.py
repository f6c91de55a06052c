"""`boardtui config path` and `boardtui config show`: where the config file is, and the settings in force.

`show` prints the effective settings as TOML (so it can be copied into the file as a starting point), after
defaults and the file's problems are taken into account; each problem goes to stderr as "FILE: KEY: reason".
"""

from __future__ import annotations

import json
import os
from decimal import Decimal

import click

from boardtui.config import Config, config_path, load_config, themes_dir


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return f"{value:f}" if isinstance(value, Decimal) else str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _key(name: str) -> str:
    # Bare TOML keys are letters, digits, - and _; binding ids have dots, so they are quoted.
    return name if name.replace("-", "").replace("_", "").isalnum() else json.dumps(name)


def render_settings(cfg: Config) -> str:
    """The effective settings of `cfg` as a commented TOML document."""
    from boardtui.store.connection import default_who

    exists = cfg.path is not None and cfg.path.exists()
    lines = [f"# Effective settings. Config file: {cfg.path} ({'read' if exists else 'not found: defaults'})"]
    if cfg.name:
        lines.append(f"name = {_value(cfg.name)}")
    else:
        lines.append(f"# name is not set: the audit trail records the login name {_value(default_who())}")
    source = "BOARDTUI_DB" if os.environ.get("BOARDTUI_DB") else ("config" if cfg.database else "default")
    lines.append(f"database = {_value(cfg.default_database())}  # from: {source}")
    lines.append(f"money_unit = {_value(cfg.money_unit)}  # shown as {cfg.money_label}")
    lines.append(f"theme = {_value(cfg.theme)}  # own themes go in {themes_dir()}")
    lines.append(f"journal_mode = {_value(cfg.journal_mode)}")
    lines += ["", "[thresholds]"]
    nested: dict[str, dict] = {}
    for key, value in cfg.thresholds.as_mapping().items():
        if isinstance(value, dict):
            nested[key] = value
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for table, values in nested.items():
        lines += ["", f"[thresholds.{table}]"]
        lines += [f"{_key(str(k))} = {_value(v)}" for k, v in values.items()]
    lines += ["", "[keymap]"]
    if cfg.keymap:
        lines += [f"{_key(k)} = {_value(v)}" for k, v in sorted(cfg.keymap.items())]
    else:
        lines.append('# nothing remapped; for example: "app.help" = "f2"')
    return "\n".join(lines) + "\n"


@click.group("config")
def config() -> None:
    """Where the config file is, and the settings in force."""


@config.command("path")
def path() -> None:
    """Print the path of the config file (it need not exist yet)."""
    click.echo(str(config_path()))


@config.command("show")
def show() -> None:
    """Print the effective settings as TOML; problems in the file go to stderr."""
    cfg = load_config()
    click.echo(render_settings(cfg), nl=False)
    for problem in cfg.problems:
        click.echo(f"Problem (default used): {problem}", err=True)
