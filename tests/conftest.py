"""Shared fixtures: real board files built by the app's own code (schema, importer, demo data), and the same
boards on PostgreSQL for the store tests that run on both engines (`board`, `any_demo_board`)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from boardtui.cli import build_demo
from boardtui.store.connection import Board, create_board, open_board
from tests.pgserver import create_database, drop_database, pg_server, pg_url  # noqa: F401  (pg_*: fixtures)

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


# ---- one board on each engine (issue 11: the store's tests run on SQLite and on PostgreSQL) -------------------

ENGINES = ("sqlite", "postgres")


@pytest.fixture(params=ENGINES)
def board(request, tmp_path) -> Board:
    """An empty board, once on a SQLite file and once in a fresh PostgreSQL database. The postgres case starts
    a throwaway server only when it runs; without one it skips with the reason on a laptop and fails in CI."""
    if request.param == "sqlite":
        b = create_board(tmp_path / "empty.db", who="tester")
    else:
        from boardtui.store import engine

        url = request.getfixturevalue("pg_url")
        engine.initialise_url(url)
        b = open_board(url, who="tester")
    yield b
    b.close()


@pytest.fixture(scope="session")
def pg_demo_template(pg_server, demo_template) -> str:
    """The demo board, copied once per session into a database the postgres cases clone (CREATE DATABASE …
    TEMPLATE, a file copy on the server: the meetings and standards store tests took 32 s instead of 67 s)."""
    from boardtui.store.copy import copy_board

    url = create_database(pg_server)
    copy_board(demo_template, url)
    yield url
    drop_database(pg_server, url)


@pytest.fixture(params=ENGINES)
def any_demo_source(request, demo_path) -> Path | str:
    """Where a private demo board is, on each engine: its file, or the URL of a PostgreSQL database holding the
    same board (for tests that open several connections, as several users do)."""
    if request.param == "sqlite":
        yield demo_path
        return
    server = request.getfixturevalue("pg_server")
    url = create_database(server, template=request.getfixturevalue("pg_demo_template"))
    yield url
    drop_database(server, url)


@pytest.fixture
def any_demo_board(any_demo_source) -> Board:
    """The demo board on each engine."""
    b = open_board(any_demo_source, who="tester")
    yield b
    b.close()
