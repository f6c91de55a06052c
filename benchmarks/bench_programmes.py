"""The programmes screen and a programme's detail at 10,000 schemes × 12 months, against a bare Textual app.

Run by hand (not part of the test suite):

    /tmp/venv/bin/python benchmarks/bench_programmes.py [--runs 7] [--schemes 10000] [--keep PATH] [--keys-only]

Builds a board of 20 programmes, `--schemes` schemes and 12 monthly figures each (bulk-inserted through the
store's connection in one transaction, roll-ups computed in SQL), then times, interleaved in a private tmux:
  (a) a bare Textual app to its first screen (the anchor), and the demo board's programmes screen (the app's
      own start-up cost, without scale),
  (b) `boardtui --db BIG --screen programmes` to its first screen (the totals band and the first row),
  (c) in that same process, each key to the frame that shows what it opens: down in the programmes table (the
      floor: the smallest repaint, through the same tmux), enter on the first programme to its detail (the
      bridge, the bars and the first scheme), `r` there to the RAG dialog, enter on the first scheme to its
      detail (title and chart legend), and `r` there to the RAG dialog,
and, in-process, the store calls each screen makes and the same keys once more, each in a fresh process driven
by Textual's Pilot: key to the first frame of the screen it opens, in wall time and in the main thread's CPU
time, without tmux (on a machine shared with other work the CPU figure moves least). `--keys-only` leaves out
(a), (b)'s comparison and the store calls: the keys alone, for trying a change to a screen.
Budgets (DESIGN.md, "Performance budget"): start-up with 10k schemes ≤ 1.5 × a bare Textual app in the same
run; key press to repaint ≤ 50 ms p95. Each key is timed once per process, so every figure is the first use of
that screen (its module imported, its styles parsed), as a user meets it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from _tmux import POLL_SECONDS, Tmux  # noqa: E402

from boardtui.cli import build_demo  # noqa: E402
from boardtui.domain.periods import fy_months  # noqa: E402
from boardtui.store import savings, scheme_pages  # noqa: E402
from boardtui.store.connection import create_board, open_board  # noqa: E402
from boardtui.store.ids import new_id, now_iso  # noqa: E402
from boardtui.store.savings import refresh_kept_rollups  # noqa: E402

BARE_MARKER = "boardtui bare app ready"
BARE_APP = f"""
from textual.app import App, ComposeResult
from textual.widgets import Label


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label({BARE_MARKER!r})


BareApp().run()
"""
FY = 2017
PROGRAMMES = 20
FIRST_PROGRAMME = "Aaa programme 00"
FIRST_SCHEME = "BIG-00000"
LIST_MARKER = "Risk-adjusted gap"
DETAIL_MARKERS = ("Savings bridge", "Plan vs forecast", FIRST_SCHEME)
RAG_MARKERS = (f"RAG for scheme {FIRST_SCHEME}", "escape cancels")
SCHEME_MARKERS = (f"Scheme {FIRST_SCHEME}:", "Forecast outturn path")
KEYS = ("down (programmes table, floor)", "enter → programme detail", "r → RAG dialog (programme detail)",
        "enter → scheme detail", "r → RAG dialog (scheme detail)")
SETTLE = 0.3  # seconds left after each key for its later frames, so the next key starts from a still screen

# The same keys in one Pilot run: (key, the screen whose first frame ends the timing; None: not timed).
IN_PROCESS = f"""
import asyncio, gc, json, sys, time
from boardtui.cli import make_app
from boardtui.config import Config
from boardtui.store.connection import open_board

STEPS = [("down", "ProgrammesScreen"), ("up", None), ("enter", "ProgrammeDetailScreen"), ("r", "RagDialog"),
         ("escape", None), ("enter", "SchemeDetailScreen"), ("r", "RagDialog")]


async def main(path):
    gc.disable()  # as the command line runs the app: off until the first paint, then frozen and back on
    app = make_app(open_board(path), Config(), screen="programmes")
    app.settle_gc = True
    frames = []
    display = app._display  # every frame goes through it; wrapped to note when each screen's first one is out

    def noted(screen, renderable):
        display(screen, renderable)
        if renderable is not None:
            frames.append((type(screen).__name__, time.perf_counter(), time.thread_time()))

    app._display = noted
    out = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await asyncio.sleep({SETTLE})
        for key, screen in STEPS:
            frames.clear()
            wall, cpu = time.perf_counter(), time.thread_time()
            await pilot.press(key)
            while screen and not any(f[0] == screen for f in frames):
                await asyncio.sleep(0.001)
            if screen:
                first = next(f for f in frames if f[0] == screen)
                out.append((first[1] - wall, first[2] - cpu))
            await asyncio.sleep({SETTLE})
    print(json.dumps(out))


asyncio.run(main(sys.argv[1]))
"""
K = 100_000
STAGES = ["idea", "prioritise", "business case", "implementation", "implementation", "delivered"]


def build(path: Path, schemes: int, seed: int = 7) -> None:
    """A board with `schemes` schemes and 12 months of figures each, written in one transaction."""
    rng = random.Random(seed)
    board = create_board(path, who="bench")
    conn = board.conn
    at, who = now_iso(), "bench"
    conn.execute("BEGIN IMMEDIATE")
    org = new_id()
    conn.execute("INSERT INTO organisations (id, name, type, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)",
                 (org, "Bench CCG", "CCG", at, who))
    conn.execute("INSERT INTO targets (id, org_id, fy, requirement_pence, updated_at, updated_by) "
                 "VALUES (?, ?, ?, ?, ?, ?)", (new_id(), org, FY, schemes * 900 * K, at, who))
    programme_ids = []
    for n in range(PROGRAMMES):
        pid = new_id()
        name = FIRST_PROGRAMME if n == 0 else f"Programme {n:02d}"
        conn.execute("INSERT INTO programmes (id, name, org_id, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)",
                     (pid, name, org, at, who))
        programme_ids.append(pid)
    months = fy_months(FY)
    scheme_rows, period_rows = [], []
    # `schemes` quantified schemes with twelve months of figures each (the DESIGN.md scale: 10k schemes, 120k
    # figures), plus one in twenty more that are TBC or NA and so have no figures.
    extra = schemes // 20
    for n in range(schemes + extra):
        sid = new_id()
        status = "quantified" if n < schemes else rng.choice(["TBC", "TBC", "TBC", "NA"])
        plan = rng.randrange(50, 3000) * K if status == "quantified" else None
        scheme_rows.append((sid, f"BIG-{n:05d}", programme_ids[n % PROGRAMMES], f"Scheme {n} of the bench board",
                            rng.choice(STAGES), FY, status, plan, months[0], rng.choice(["H", "M", "L", None]),
                            at, who))
        if plan is None:
            continue
        fot = plan
        for i, month in enumerate(months):
            fot = max(0, fot + rng.randrange(-plan // 20, plan // 40 + 1))
            returned = i < 6
            period_rows.append((new_id(), sid, month, plan // 12, (plan // 12 * rng.randrange(60, 110)) // 100
                                if returned else None, fot if returned else None, at, who))
    conn.executemany(
        "INSERT INTO schemes (id, ref, programme_id, title, stage, fy, value_status, plan_pence, start_month, "
        "confidence, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", scheme_rows)
    conn.executemany(
        "INSERT INTO scheme_periods (id, scheme_id, month, plan_pence, actual_pence, fot_pence, updated_at, "
        "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", period_rows)
    # The roll-ups refresh_scheme_rollup keeps, computed for every scheme at once.
    conn.execute(
        "UPDATE schemes SET latest_month = (SELECT max(month) FROM scheme_periods p WHERE p.scheme_id = schemes.id "
        "AND p.actual_pence IS NOT NULL)")
    conn.execute(
        "UPDATE schemes SET ytd_plan_pence = (SELECT sum(plan_pence) FROM scheme_periods p WHERE p.scheme_id = "
        "schemes.id AND p.month <= schemes.latest_month), ytd_actual_pence = (SELECT sum(actual_pence) FROM "
        "scheme_periods p WHERE p.scheme_id = schemes.id AND p.month <= schemes.latest_month), fot_pence = "
        "(SELECT fot_pence FROM scheme_periods p WHERE p.scheme_id = schemes.id AND p.fot_pence IS NOT NULL "
        "ORDER BY month DESC LIMIT 1) WHERE latest_month IS NOT NULL")
    refresh_kept_rollups(board)  # as every write through the store does before it commits (migration 0005)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    board.close()


def time_store(path: Path, repeats: int = 5) -> dict[str, float]:
    """Median seconds of the store calls behind each screen's first paint."""
    board = open_board(path, read_only=True)
    first = board.scalar("SELECT id FROM programmes WHERE name = :n", {"n": FIRST_PROGRAMME})
    calls = {
        "programme_lines (all 10k schemes)": lambda: savings.programme_lines(board, FY),
        "totals (from those lines)": lambda: savings.totals(board, FY, savings.programme_lines(board, FY)),
        "detail: scheme count": lambda: scheme_pages.count(board, FY, first),
        "detail: first block (100 rows)": lambda: scheme_pages.rows(board, FY, first, 0, 100),
        "detail: largest plans (bars)": lambda: savings.largest_plans(board, FY, first, 6),
    }
    out = {}
    for label, call in calls.items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        out[label] = statistics.median(times)
    board.close()
    return out


def time_start(tmux: Tmux, session: str, argv: list[str], env: dict[str, str], markers: list[str]) -> float:
    tmux.start_waiting(session, argv, env)
    try:
        start = tmux.go(session)
        return max(tmux.wait_for(session, m) for m in markers) - start
    finally:
        tmux.kill_session(session)


def time_in_process(path: Path, env: dict[str, str], runs: int) -> list[list[tuple[float, float]]]:
    """Per run (a fresh process each), (wall, CPU) seconds from each of `KEYS` to its screen's first frame."""
    import json
    import subprocess

    results = []
    for _ in range(runs + 1):  # the first run writes the bytecode and is left out
        done = subprocess.run([sys.executable, "-c", IN_PROCESS, str(path)], env={**os.environ, **env}, cwd=REPO,
                              capture_output=True, text=True, check=True)
        results.append([tuple(pair) for pair in json.loads(done.stdout.splitlines()[-1])])
    return results[1:]


def press_until(tmux: Tmux, session: str, key: str, markers: tuple[str, ...], timeout: float = 5.0) -> float:
    """Seconds from just before `key` is sent to the first capture showing every one of `markers` at once."""
    start = time.perf_counter()
    tmux.run("send-keys", "-t", session, key)
    deadline = start + timeout
    while time.perf_counter() < deadline:
        if all(m in tmux.capture(session) for m in markers):
            return time.perf_counter() - start
        time.sleep(0.002)
    raise TimeoutError(f"{markers!r} did not appear after {key} in {session}:\n{tmux.capture(session)}")


def time_session(tmux: Tmux, session: str, argv: list[str], env: dict[str, str]) -> tuple[float, list[float]]:
    """(start-up to the programmes screen, seconds from each of `KEYS` to its frame)."""
    tmux.start_waiting(session, argv, env)
    try:
        start = tmux.go(session)
        for marker in (LIST_MARKER, FIRST_PROGRAMME):
            tmux.wait_for(session, marker)
        first_screen = time.perf_counter() - start
        keys = []
        time.sleep(SETTLE)
        keys.append(tmux.press_and_wait(session, "Down"))
        time.sleep(SETTLE)
        tmux.press_and_wait(session, "Up")
        time.sleep(SETTLE)
        keys.append(press_until(tmux, session, "Enter", DETAIL_MARKERS))
        time.sleep(SETTLE)
        keys.append(press_until(tmux, session, "r", RAG_MARKERS))
        time.sleep(SETTLE)
        tmux.run("send-keys", "-t", session, "Escape")
        time.sleep(SETTLE)
        keys.append(press_until(tmux, session, "Enter", SCHEME_MARKERS))
        time.sleep(SETTLE)
        keys.append(press_until(tmux, session, "r", RAG_MARKERS))
        return first_screen, keys
    finally:
        tmux.kill_session(session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (interleaved)")
    parser.add_argument("--schemes", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="also keep the built board at this path")
    parser.add_argument("--keys-only", action="store_true",
                        help="time only the keys (tmux and in-process), not the start-ups or the store calls")
    args = parser.parse_args()
    load_before = os.getloadavg()

    tmux = Tmux(socket=f"boardtui-bench-programmes-{os.getpid()}", width=100, height=30)
    env = {"PYTHONPATH": str(REPO), "TERM": "xterm-256color", "COLORTERM": "truecolor",
           "BOARDTUI_CONFIG_DIR": "", "BOARDTUI_DATA_DIR": "",
           # Measure as installed: with bytecode. A PYTHONDONTWRITEBYTECODE=1 in the caller's environment would
           # recompile every module on each start and on each first key to a screen.
           "PYTHONDONTWRITEBYTECODE": ""}
    with tempfile.TemporaryDirectory(prefix="bench_programmes_") as tmp:
        tmp_path = Path(tmp)
        env["BOARDTUI_CONFIG_DIR"] = str(tmp_path / "config")
        env["BOARDTUI_DATA_DIR"] = str(tmp_path / "data")
        env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
        database = tmp_path / "big.db"
        started = time.perf_counter()
        build(database, args.schemes)
        periods = open_board(database, read_only=True)
        counts = periods.one("SELECT (SELECT count(*) FROM schemes), (SELECT count(*) FROM scheme_periods)")
        periods.close()
        print(f"built {counts[0]:,} schemes and {counts[1]:,} monthly figures in "
              f"{time.perf_counter() - started:.2f} s (one transaction)")
        if args.keep:
            import shutil

            shutil.copyfile(database, args.keep)

        demo = tmp_path / "demo.db"
        if not args.keys_only:
            build_demo(demo, who="bench")
        store_times = {} if args.keys_only else time_store(database)
        pilot_times = time_in_process(database, env, args.runs)
        bare_script = tmp_path / "bare_app.py"
        bare_script.write_text(textwrap.dedent(BARE_APP))
        bare_argv = [sys.executable, str(bare_script)]
        app_argv = [sys.executable, "-m", "boardtui", "--db", str(database), "--screen", "programmes"]
        demo_argv = [sys.executable, "-m", "boardtui", "--db", str(demo), "--screen", "programmes"]
        demo_times: list[float] = []
        bare: list[float] = []
        listing: list[float] = []
        keys: list[list[float]] = []
        try:
            # A session that outlives the timed ones, so the tmux server never exits between runs.
            tmux.run("new-session", "-d", "-s", "keeper", "sleep 3600")
            if not args.keys_only:
                time_start(tmux, "warm-bare", bare_argv, env, [BARE_MARKER])
            time_session(tmux, "warm-app", app_argv, env)  # also writes the bytecode of every screen it opens
            for run in range(args.runs):
                if not args.keys_only:
                    bare.append(time_start(tmux, f"bare-{run}", bare_argv, env, [BARE_MARKER]))
                    demo_times.append(time_start(tmux, f"demo-{run}", demo_argv, env, [LIST_MARKER, "Adults"]))
                first, pressed = time_session(tmux, f"app-{run}", app_argv, env)
                listing.append(first)
                keys.append(pressed)
        finally:
            tmux.kill_server()

    print(f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} before, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} after")
    if not args.keys_only:
        print_start_ups(args.schemes, store_times, bare, demo_times, listing)
    print(f"\nkey → frame, {args.runs} runs (one of each key per process; capture-pane polled every 2 ms)")
    for n, label in enumerate(KEYS):
        times = [run[n] for run in keys]
        worst = max(times)
        print(f"  {label:36s}: median {statistics.median(times) * 1000:4.0f} ms  p95 {p95(times) * 1000:4.0f} ms  "
              f"max {worst * 1000:4.0f} ms  {'within' if p95(times) <= 0.050 else 'OVER'} 50 ms p95  "
              f"runs {[round(t * 1000) for t in times]}")
    print(f"\nkey → first frame in-process (Pilot, no tmux), {args.runs} fresh processes: wall / main-thread CPU")
    for n, label in enumerate(KEYS):
        wall = [run[n][0] * 1000 for run in pilot_times]
        cpu = [run[n][1] * 1000 for run in pilot_times]
        print(f"  {label:36s}: wall median {statistics.median(wall):4.0f} max {max(wall):4.0f} ms · CPU median "
              f"{statistics.median(cpu):4.0f} max {max(cpu):4.0f} ms")
    print("\nResolution: each sample includes tmux client spawns for send-keys and capture-pane (a few ms each) "
          "and a poll interval, so the figures are upper bounds; the down key's figure is that floor plus the "
          "smallest repaint.")


def p95(times: list[float]) -> float:
    """The 95th percentile by nearest rank (with fewer than 20 runs, the slowest)."""
    ordered = sorted(times)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def print_start_ups(schemes: int, store_times: dict[str, float], bare: list[float], demo_times: list[float],
                    listing: list[float]) -> None:
    print(f"\nstore calls (in-process, median of 5), {schemes:,} schemes:")
    for label, seconds in store_times.items():
        print(f"  {label:36s} {seconds * 1000:7.1f} ms")
    bare_median = statistics.median(bare)
    list_median = statistics.median(listing)
    ratio = list_median / bare_median
    print(f"\nfirst paint, {len(bare)} runs each, interleaved (tmux 100x30, capture-pane polled every "
          f"{POLL_SECONDS * 1000:.0f} ms)")
    print(f"  bare Textual app          : median {bare_median * 1000:6.0f} ms  runs {[round(t * 1000) for t in bare]}")
    demo_median = statistics.median(demo_times)
    print(f"  programmes screen, demo   : median {demo_median * 1000:6.0f} ms  runs "
          f"{[round(t * 1000) for t in demo_times]}  ({demo_median / bare_median:.2f} x bare)")
    print(f"  programmes screen, 10k    : median {list_median * 1000:6.0f} ms  runs "
          f"{[round(t * 1000) for t in listing]}")
    print(f"  ratio                     : {ratio:.2f} x bare ({'within' if ratio <= 1.5 else 'OVER'} budget 1.5 x); "
          f"10k costs {(list_median - demo_median) * 1000:+.0f} ms over the demo board")


if __name__ == "__main__":
    main()
