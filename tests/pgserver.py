"""A throwaway PostgreSQL server for the tests that need one (issue 11): BOARDTUI_TEST_PG_URL if set (CI starts
a cluster in .ci/run), else a cluster started here on 127.0.0.1 from Debian's server binaries. Without either,
those tests skip with the reason on a developer's laptop, and fail in CI (CI=true), where a server must exist.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid

import pytest


def _bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI needs a PostgreSQL server for these tests: {reason}")
    pytest.skip(f"no PostgreSQL server for these tests: {reason}")


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL server (maintenance database `postgres`) where tests may create databases."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install \"boardtui[postgres]\")")
    url = os.environ.get("BOARDTUI_TEST_PG_URL")
    if url:
        yield url
        return
    bins = _bin_dir()
    if bins is None:
        _unavailable("no server binaries under /usr/lib/postgresql (apt-get install postgresql), and "
                     "BOARDTUI_TEST_PG_URL is not set")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = tempfile.mkdtemp(prefix="boardtui-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = os.path.join(folder, "data"), _free_port()
    try:
        subprocess.run([*as_postgres, f"{bins}/initdb", "-D", data, "-A", "trust", "-U", "boardtui"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run([*as_postgres, f"{bins}/pg_ctl", "-D", data, "-o",
                        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "-l", f"{folder}/log", "-w",
                        "start"], check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"a throwaway cluster could not be started ({exc})")
    try:
        yield f"postgresql://boardtui@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, f"{bins}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def create_database(server: str, template: str | None = None) -> str:
    """A new database on `server` (empty, or a copy of the database at URL `template`); returns its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    like = f" TEMPLATE {template.rpartition('/')[2]}" if template else ""
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}{like}")
    return f"{server.rpartition('/')[0]}/{name}"


def drop_database(server: str, url: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {url.rpartition('/')[2]} WITH (FORCE)")


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty database on the test server; dropped afterwards."""
    url = create_database(pg_server)
    yield url
    drop_database(pg_server, url)


def drop_connections(url: str, *, refuse_new: bool) -> None:
    """What a server restart or a network cut does to the board's connections: end them (and, with `refuse_new`,
    turn new ones away until `allow_connections`)."""
    import psycopg

    maintenance, name = url.rpartition("/")[0] + "/postgres", url.rpartition("/")[2]
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if refuse_new:
            conn.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                     "AND pid <> pg_backend_pid()", (name,))


def allow_connections(url: str) -> None:
    import psycopg

    with psycopg.connect(url.rpartition("/")[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {url.rpartition('/')[2]} ALLOW_CONNECTIONS true")
