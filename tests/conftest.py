"""Shared fixtures: real board files built by the app's own code (schema, importer, demo data)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from boardtui.cli import build_demo
from boardtui.store.connection import Board, create_board, open_board

DEMO_TODAY = date(2016, 11, 8)  # the demo board's reference date


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's config or data folders."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("BOARDTUI_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("BOARDTUI_DATA_DIR", str(base / "data"))
    monkeypatch.delenv("BOARDTUI_DB", raising=False)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo board, built once per test session through the real importer."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, who="tests")
    return path


@pytest.fixture
def demo_path(demo_template, tmp_path) -> Path:
    """A private copy of the demo board for one test."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    path.chmod(0o600)
    return path


@pytest.fixture
def demo_board(demo_path) -> Board:
    board = open_board(demo_path, who="tester")
    yield board
    board.close()


@pytest.fixture
def empty_board(tmp_path) -> Board:
    board = create_board(tmp_path / "empty.db", who="tester")
    yield board
    board.close()
