"""Start-up to first screen of the real `boardtui`, against a bare Textual app, in tmux.

Run by hand (not part of the test suite):

    /tmp/venv/bin/python benchmarks/bench_startup.py [--runs 7] [--full]

Measures process start → first screen, interleaved, for
  (a) a bare Textual app showing one line (the same app bench_paged_table.py uses),
  (b) `boardtui --db BIG --screen actions` until the first action's ref shows (BIG = demo + 100,000 actions),
  (c) `boardtui --db DEMO` until the dashboard shows "Requirement",
  (d) with --full only: BIG also gets 10,000 schemes and 120,000 monthly figures, and `boardtui --db BIG`
      is timed to its dashboard.
Budgets (DESIGN.md, "Performance budget"): demo ≤ 1.3 × bare; the big board ≤ 1.5 × bare, same run.
The peak RSS of each boardtui process at its first screen is read from /proc (budget: ≤ 150 MB, 100k actions).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from _tmux import POLL_SECONDS, Tmux  # noqa: E402
from bench_paged_table import BARE_APP, BARE_MARKER  # noqa: E402

from boardtui.cli import build_demo  # noqa: E402
from boardtui.store.connection import open_board  # noqa: E402
from boardtui.store.ids import new_id, now_iso  # noqa: E402

ACTIONS = 100_000
SCHEMES = 10_000
MONTHS = 12  # monthly figures per scheme: 10k schemes × 12 = 120k
DASHBOARD_MARKER = "Requirement"
FIRST_ROW_MARKER = "BIG-0"
OWNERS = ["Chief Nurse", "Medical Director", "CFO", "COO", "Head of PMO", "Director of Public Health", "SROs"]
VERBS = ["Review", "Escalate", "Report on", "Agree", "Audit", "Close down", "Refresh", "Quantify"]
TOPICS = ["winter plan", "theatre utilisation", "agency spend", "CIP scheme", "A&E 4-hour standard",
          "risk register", "CAMHS waits", "discharge to assess"]
STATUSES = ["open"] * 6 + ["proposed for closure", "closed", "closed"]


def add_actions(board, n: int, rng: random.Random) -> str:
    """`n` actions in one transaction with one executemany; returns the ref shown first (earliest due).

    Their refs start "BIG-0", which appears nowhere on screen until the table paints its rows (the Ref column
    may be narrower than a whole ref at 120 columns, so the start-up marker is that prefix).
    """
    at, who = now_iso(), "bench"
    body = board.scalar("SELECT id FROM bodies ORDER BY name LIMIT 1")
    start = date(2015, 1, 1)  # before every demo action, so the first row on screen is one of these
    rows = []
    for i in range(1, n + 1):
        due = (start + timedelta(days=i * 1500 // n)).isoformat()
        rows.append({
            "id": new_id(), "ref": f"BIG-{i:06d}", "body_id": body,
            "text": f"{rng.choice(VERBS)} {rng.choice(TOPICS)} for committee {i % 37}",
            "owner": rng.choice(OWNERS), "due": due, "original_due": due, "status": rng.choice(STATUSES),
            "at": at, "who": who,
        })
    conn = board.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany(
            "INSERT INTO actions (id, ref, body_id, text, owner, due, original_due, status, version, created_at, "
            "updated_at, updated_by) VALUES (:id, :ref, :body_id, :text, :owner, :due, :original_due, :status, 1, "
            ":at, :at, :who)",
            rows,
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return board.scalar("SELECT ref FROM actions ORDER BY due, ref LIMIT 1")


def add_schemes(board, n: int, rng: random.Random) -> None:
    """`n` schemes spread over the demo's programmes, each with twelve monthly figures, in one transaction."""
    at, who = now_iso(), "bench"
    programmes = [r[0] for r in board.query("SELECT id FROM programmes ORDER BY name")]
    fy = board.scalar("SELECT max(fy) FROM schemes")
    months = [f"{fy + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(MONTHS)]
    schemes, periods = [], []
    for i in range(1, n + 1):
        plan = rng.randrange(10, 2_000) * 100_000  # £10k–£2m in pence
        sid = new_id()
        schemes.append({"id": sid, "ref": f"BIG-S{i:05d}", "programme_id": rng.choice(programmes),
                        "title": f"{rng.choice(VERBS)} {rng.choice(TOPICS)} ({i})", "fy": fy, "plan": plan,
                        "confidence": rng.choice("HML"), "at": at, "who": who})
        fot = plan * rng.randrange(60, 105) // 100
        for m, month in enumerate(months):
            actual = plan // 12 * rng.randrange(70, 110) // 100 if m < 7 else None
            periods.append({"id": new_id(), "scheme_id": sid, "month": month, "plan": plan // 12, "actual": actual,
                            "fot": fot, "at": at, "who": who})
    conn = board.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany(
            "INSERT INTO schemes (id, ref, programme_id, title, fy, value_status, plan_pence, confidence, "
            "stage, start_month, ytd_plan_pence, ytd_actual_pence, fot_pence, latest_month, version, updated_at, "
            "updated_by) VALUES (:id, :ref, :programme_id, :title, :fy, 'quantified', :plan, :confidence, "
            "'implementation', NULL, NULL, NULL, NULL, NULL, 1, :at, :who)",
            schemes,
        )
        conn.executemany(
            "INSERT INTO scheme_periods (id, scheme_id, month, plan_pence, actual_pence, fot_pence, version, "
            "updated_at, updated_by) VALUES (:id, :scheme_id, :month, :plan, :actual, :fot, 1, :at, :who)",
            periods,
        )
        # The roll-ups the store keeps beside every scheme, computed here in SQL for speed.
        conn.execute(
            "UPDATE schemes SET latest_month = (SELECT max(month) FROM scheme_periods p WHERE p.scheme_id = "
            "schemes.id AND p.actual_pence IS NOT NULL) WHERE ref LIKE 'BIG-S%'"
        )
        conn.execute(
            "UPDATE schemes SET ytd_plan_pence = (SELECT sum(plan_pence) FROM scheme_periods p WHERE p.scheme_id = "
            "schemes.id AND p.month <= schemes.latest_month), ytd_actual_pence = (SELECT sum(actual_pence) FROM "
            "scheme_periods p WHERE p.scheme_id = schemes.id AND p.month <= schemes.latest_month), fot_pence = "
            "(SELECT fot_pence FROM scheme_periods p WHERE p.scheme_id = schemes.id ORDER BY month DESC LIMIT 1) "
            "WHERE ref LIKE 'BIG-S%'"
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def build_big(path: Path, full: bool) -> str:
    build_demo(path, who="bench")
    board = open_board(path, who="bench")
    try:
        rng = random.Random(1)
        first_ref = add_actions(board, ACTIONS, rng)
        if full:
            add_schemes(board, SCHEMES, rng)
        board.conn.execute("ANALYZE")
        board.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        board.close()
    return first_ref


def peak_rss_mb(tmux: Tmux, session: str) -> float | None:
    """Peak resident memory so far of the pane's process (the shell exec'd into it), in MB."""
    pid = tmux.run("display-message", "-p", "-t", session, "#{pane_pid}", check=False).strip()
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def time_start(tmux: Tmux, session: str, argv: list[str], env: dict[str, str], marker: str) -> tuple[float, float | None]:
    """Seconds from the key that starts `argv` to `marker` on screen, and the process's peak RSS then."""
    tmux.start_waiting(session, argv, env)
    try:
        start = tmux.go(session)
        seen = tmux.wait_for(session, marker)
        return seen - start, peak_rss_mb(tmux, session)
    finally:
        tmux.kill_session(session)


def versions() -> str:
    def version(module: str) -> str:
        try:
            from importlib.metadata import version as v

            return v(module)
        except Exception:
            return "?"

    sqlite = subprocess.run([sys.executable, "-c", "import sqlite3; print(sqlite3.sqlite_version)"],
                            capture_output=True, text=True).stdout.strip()
    tmux_v = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip()
    return (f"{date.today().isoformat()}; {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}); "
            f"{platform.platform()}; Python {platform.python_version()}; Textual {version('textual')}; "
            f"SQLite {sqlite}; {tmux_v}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each case (interleaved)")
    parser.add_argument("--full", action="store_true",
                        help="also add 10k schemes and 120k monthly figures to BIG and time its dashboard")
    args = parser.parse_args()

    load_before = os.getloadavg()
    tmux = Tmux(socket=f"boardtui-startup-{os.getpid()}")
    with tempfile.TemporaryDirectory(prefix="bench_startup_") as tmp:
        tmp_path = Path(tmp)
        demo, big = tmp_path / "demo.db", tmp_path / "big.db"
        t0 = time.perf_counter()
        build_demo(demo, who="bench")
        t1 = time.perf_counter()
        first_ref = build_big(big, args.full)
        t2 = time.perf_counter()
        what = f"{ACTIONS:,} actions" + (f", {SCHEMES:,} schemes, {SCHEMES * MONTHS:,} monthly figures" if args.full else "")
        print(f"built the demo board in {t1 - t0:.2f} s; the big board (demo + {what}) in {t2 - t1:.2f} s")
        print(f"big board file: {big.stat().st_size / 1e6:.1f} MB; first action on screen: {first_ref} "
              f"(marker {FIRST_ROW_MARKER!r})")
        assert first_ref.startswith(FIRST_ROW_MARKER)

        bare_script = tmp_path / "bare_app.py"
        bare_script.write_text(textwrap.dedent(BARE_APP))
        env = {
            "PYTHONPATH": str(REPO), "TERM": "xterm-256color", "COLORTERM": "truecolor",
            "BOARDTUI_CONFIG_DIR": str(tmp_path / "config"), "BOARDTUI_DATA_DIR": str(tmp_path / "data"),
            # Measure as installed: with bytecode. A PYTHONDONTWRITEBYTECODE=1 in the caller's environment would
            # make every run compile boardtui from source (~+150 ms); the cache goes to a temporary folder, not
            # into the checkout, and the warm-up runs fill it for every case alike.
            "PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache"),
        }
        boardtui = [sys.executable, "-m", "boardtui"]
        cases = {
            "bare Textual app": ([sys.executable, str(bare_script)], BARE_MARKER, None),
            "demo dashboard": ([*boardtui, "--db", str(demo)], DASHBOARD_MARKER, 1.3),
            "100k actions list": ([*boardtui, "--db", str(big), "--screen", "actions"], FIRST_ROW_MARKER, 1.5),
        }
        if args.full:
            cases["big board dashboard"] = ([*boardtui, "--db", str(big)], DASHBOARD_MARKER, 1.5)

        times: dict[str, list[float]] = {name: [] for name in cases}
        rss: dict[str, list[float]] = {name: [] for name in cases}
        # An idle session keeps the server up between runs: killing the last session stops the server, and the
        # next run's new-session can race its shutdown.
        tmux.run("new-session", "-d", "-s", "keepalive", "sh", "-c", "sleep 86400")
        try:
            for name, (argv, marker, _) in cases.items():  # one untimed run each warms the caches
                time_start(tmux, "warm", argv, env, marker)
            for run in range(args.runs):
                for name, (argv, marker, _) in cases.items():
                    seconds, peak = time_start(tmux, f"run-{run}", argv, env, marker)
                    times[name].append(seconds)
                    if peak is not None:
                        rss[name].append(peak)
        finally:
            tmux.kill_server()

    bare = statistics.median(times["bare Textual app"])
    print(f"\nprocess start → first screen, {args.runs} interleaved runs each (tmux 120x40, polled every "
          f"{POLL_SECONDS * 1000:.0f} ms)")
    print(f"  {'case':<22}{'median':>9}{'ratio':>8}  {'budget':<14}{'peak RSS':>10}  runs (ms)")
    for name, (_, _, budget) in cases.items():
        med = statistics.median(times[name])
        ratio = med / bare
        verdict = "" if budget is None else f"≤ {budget} {'ok' if ratio <= budget else 'OVER'}"
        peak = f"{max(rss[name]):.0f} MB" if rss[name] else "?"
        runs = [round(t * 1000) for t in times[name]]
        print(f"  {name:<22}{med * 1000:7.0f} ms{ratio:7.2f}x  {verdict:<14}{peak:>10}  {runs}")
    print(f"\nmachine: {versions()}")
    print(f"load average before / after: {' '.join(f'{x:.2f}' for x in load_before)} / "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine inflates every case)")


if __name__ == "__main__":
    main()
