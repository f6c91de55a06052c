"""Start-up to the first screen of the 100k-action board on PostgreSQL (loopback) against a bare Textual app, in tmux.

Run by hand (not part of the test suite), with a PostgreSQL server you may create databases on:

    /tmp/venv/bin/python benchmarks/bench_pg_startup.py --server postgresql://user@127.0.0.1:5432/postgres [--runs 7]

(`--server` defaults to BOARDTUI_TEST_PG_URL, which .ci/run exports.) It creates a scratch database, builds the
demo board there with `boardtui demo --db URL --no-open`, adds 100,000 actions through the store's connection in
one transaction (bench_startup.py's `add_actions`), runs VACUUM ANALYZE, and builds the same board as a SQLite file.
Then, interleaved, it times process start → first screen for
  (a) the bare Textual app of bench_paged_table.py,
  (b) `boardtui --db FILE --screen actions` (SQLite, for comparison),
  (c) `boardtui --db URL --screen actions` (PostgreSQL), until the first action's ref shows,
  (d) the bare app after importing psycopg and connecting to URL as boardtui does (`engine.connect`): the floor
      any PostgreSQL client of boardtui's pays.
Budget (issue 11, "Done when"): (c) ≤ 1.5 × (a) in the same run. The scratch database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from _tmux import POLL_SECONDS, Tmux  # noqa: E402
from bench_paged_table import BARE_APP, BARE_MARKER  # noqa: E402
from bench_startup import ACTIONS, FIRST_ROW_MARKER, add_actions, build_big, time_start, versions  # noqa: E402

from boardtui.store.connection import open_board  # noqa: E402

BUDGET = 1.5


def scratch_database(server: str) -> str:
    """A new empty database on `server`; returns its URL."""
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server.rpartition('/')[0]}/{name}"


def drop_database(server: str, url: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {url.rpartition('/')[2]} WITH (FORCE)")


def build_pg(url: str, env: dict[str, str]) -> str:
    subprocess.run([sys.executable, "-m", "boardtui", "demo", "--db", url, "--no-open"], check=True,
                   env={**os.environ, **env}, capture_output=True)
    board = open_board(url, who="bench")
    try:
        first_ref = add_actions(board, ACTIONS, random.Random(1))
        # A server's autovacuum does this soon after a bulk load; without it every count(*) reads the heap
        # (no visibility map for index-only scans) and the first screen's queries take ~2.5 × as long.
        board.conn.execute("VACUUM ANALYZE")
    finally:
        board.close()
    return first_ref


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("BOARDTUI_TEST_PG_URL"),
                        help="URL of a PostgreSQL server's maintenance database (default: BOARDTUI_TEST_PG_URL)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each case (interleaved)")
    args = parser.parse_args()
    if not args.server:
        parser.error("give --server URL (or set BOARDTUI_TEST_PG_URL)")

    load_before = os.getloadavg()
    tmux = Tmux(socket=f"boardtui-pgstart-{os.getpid()}")
    url = scratch_database(args.server)
    try:
        with tempfile.TemporaryDirectory(prefix="bench_pg_startup_") as tmp:
            tmp_path = Path(tmp)
            env = {
                "PYTHONPATH": str(REPO), "TERM": "xterm-256color", "COLORTERM": "truecolor",
                "BOARDTUI_CONFIG_DIR": str(tmp_path / "config"), "BOARDTUI_DATA_DIR": str(tmp_path / "data"),
                # Measured as installed: with bytecode, cached in a temporary folder (see bench_startup.py).
                "PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache"),
            }
            t0 = time.perf_counter()
            first_ref = build_pg(url, env)
            t1 = time.perf_counter()
            big = tmp_path / "big.db"
            assert build_big(big, full=False) == first_ref
            t2 = time.perf_counter()
            print(f"built the PostgreSQL board (demo + {ACTIONS:,} actions) in {t1 - t0:.1f} s, the SQLite one in "
                  f"{t2 - t1:.1f} s; first action on screen: {first_ref}")
            bare_script = tmp_path / "bare_app.py"
            bare_script.write_text(textwrap.dedent(BARE_APP))
            driver_script = tmp_path / "bare_psycopg.py"
            driver_script.write_text(f"import sys\nfrom boardtui.store.engine import connect\n"
                                     f"connect(sys.argv[1]).close()\n{textwrap.dedent(BARE_APP)}")
            boardtui = [sys.executable, "-m", "boardtui"]
            cases = {
                "bare Textual app": ([sys.executable, str(bare_script)], BARE_MARKER, None),
                "100k actions, SQLite": ([*boardtui, "--db", str(big), "--screen", "actions"], FIRST_ROW_MARKER, None),
                "100k actions, PostgreSQL": ([*boardtui, "--db", url, "--screen", "actions"], FIRST_ROW_MARKER, BUDGET),
                "bare app + driver connect": ([sys.executable, str(driver_script), url], BARE_MARKER, None),
            }
            times: dict[str, list[float]] = {name: [] for name in cases}
            tmux.run("new-session", "-d", "-s", "keepalive", "sh", "-c", "sleep 86400")
            try:
                for argv, marker, _ in cases.values():  # one untimed run each fills the bytecode cache
                    time_start(tmux, "warm", argv, env, marker)
                for run in range(args.runs):
                    for name, (argv, marker, _) in cases.items():
                        times[name].append(time_start(tmux, f"run-{run}", argv, env, marker)[0])
            finally:
                tmux.kill_server()
    finally:
        drop_database(args.server, url)

    bare = statistics.median(times["bare Textual app"])
    print(f"\nprocess start → first screen, {args.runs} interleaved runs each (tmux 120x40, polled every "
          f"{POLL_SECONDS * 1000:.0f} ms)")
    print(f"  {'case':<26}{'median':>9}{'ratio':>8}  {'budget':<12}  runs (ms)")
    for name, (_, _, budget) in cases.items():
        med = statistics.median(times[name])
        ratio = med / bare
        verdict = "" if budget is None else f"≤ {budget} {'ok' if ratio <= budget else 'OVER'}"
        print(f"  {name:<26}{med * 1000:7.0f} ms{ratio:7.2f}x  {verdict:<12}  {[round(t * 1000) for t in times[name]]}")
    print(f"\nmachine: {versions()}")
    print(f"load average before / after: {' '.join(f'{x:.2f}' for x in load_before)} / "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
