"""Every budget line of DESIGN.md in one run, each measured against its floor in the same run.

Run by hand (not part of the test suite), on a quiet machine if you can:

    /tmp/venv/bin/python benchmarks/run_all.py [--runs 5] [--keys 20] [--import-rows 100000] [--write]

It builds the demo board and the large board (`boardtui demo --size large`: 50 programmes, 10,000 schemes with
12 months of figures, 200 standards × 36 months, 2,000 milestones, 500 meetings, 100,000 actions, 200,000 audit
changes), then measures, in a private tmux server at 120×40 with bytecode cached in a temporary folder:

- start-up to the first screen, interleaved, of a bare Textual app (the floor), the demo dashboard, the large
  board's dashboard, actions list and programmes screen;
- key press → repaint in the 100k actions list: down, page down, end/home (the far end of 100k rows), the `o`
  filter (open only) and typing into the `/` filter — each timed from send-keys until the pane stops changing;
- a RAG change on the programmes screen: ctrl+s in the RAG dialog → commit, audit row, dialog closed and the
  table repainted;
- the programmes "as at" view on the large board (rebuilt from the 200,000-row audit trail): enter → painted;
- a validated import of a 100k-row actions CSV against raw `sqlite3.executemany` of the same rows
  (bench_import.py's functions);
- peak RSS of the large board's processes (VmHWM, after paging through the 100k actions).

Prints one table of medians (p95 for key presses) with the ratio to each floor and the budget; `--write` puts
the table and the machine into docs/performance.md between the `run_all` markers.
"""

from __future__ import annotations

import argparse
import os
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

from _tmux import Tmux  # noqa: E402
from bench_paged_table import BARE_APP, BARE_MARKER  # noqa: E402
from bench_startup import peak_rss_mb, versions  # noqa: E402

from boardtui.cli import build_demo  # noqa: E402
from boardtui.demo_large import build_large_board  # noqa: E402

DASHBOARD = "Requirement"
ACTIONS_ROW = "LB-"  # the large board's action refs; its earliest-due action is first on screen
PROGRAMMES = "Risk-adjusted gap"
AS_AT = "nothing can be changed here"  # the as-at band (the prompt's hint also says "rebuilt from the audit trail")
DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- run_all:begin -->", "<!-- run_all:end -->"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def press_and_settle(tmux: Tmux, session: str, key: str, *, literal: bool = False, quiet: float = 0.04,
                     timeout: float = 5.0) -> float:
    """Seconds from send-keys to the last change of the pane (with colours) before it stays still for `quiet`.

    The first change alone is not enough: an input may echo a letter before the table below it is re-queried.
    """
    before = tmux.capture(session, escapes=True)
    start = time.perf_counter()
    tmux.run("send-keys", "-t", session, *(["-l", key] if literal else [key]))
    last_change, current = None, before
    deadline = start + timeout
    while time.perf_counter() < deadline:
        shot = tmux.capture(session, escapes=True)
        now = time.perf_counter()
        if shot != current:
            current, last_change = shot, now
        elif last_change is not None and now - last_change >= quiet:
            return last_change - start
        time.sleep(0.002)
    if last_change is None:
        raise TimeoutError(f"pressing {key!r} did not change {session}")
    return last_change - start


def settle(tmux: Tmux, session: str, quiet: float = 0.5, timeout: float = 10.0) -> None:
    """Wait until the pane has not changed for `quiet` seconds (the footer settles after the first paint)."""
    current, since = tmux.capture(session, escapes=True), time.perf_counter()
    deadline = since + timeout
    while time.perf_counter() < deadline:
        time.sleep(0.02)
        shot = tmux.capture(session, escapes=True)
        if shot != current:
            current, since = shot, time.perf_counter()
        elif time.perf_counter() - since >= quiet:
            return


def time_start(tmux: Tmux, session: str, argv: list[str], env: dict[str, str], marker: str):
    tmux.start_waiting(session, argv, env)
    try:
        start = tmux.go(session)
        seen = tmux.wait_for(session, marker)
        return seen - start, peak_rss_mb(tmux, session)
    finally:
        tmux.kill_session(session)


def start_up(tmux: Tmux, cases: dict, env: dict[str, str], runs: int) -> tuple[dict, dict]:
    times = {name: [] for name in cases}
    rss = {name: [] for name in cases}
    for argv, marker in cases.values():  # one untimed run each fills the bytecode and page caches
        time_start(tmux, "warm", argv, env, marker)
    for run in range(runs):
        for name, (argv, marker) in cases.items():
            seconds, peak = time_start(tmux, f"run-{run}", argv, env, marker)
            times[name].append(seconds)
            if peak is not None:
                rss[name].append(peak)
    return times, rss


def keys_in_actions(tmux: Tmux, argv: list[str], env: dict[str, str], n: int) -> tuple[dict, float | None]:
    """Key press → repaint samples in the 100k actions list, and the process's peak RSS afterwards."""
    session = "keys"
    tmux.start_waiting(session, argv, env)
    samples: dict[str, list[float]] = {"down": [], "page down": [], "end / home": [], "filter o (open only)": [],
                                       "sort S (due, owner, status, ref)": [], "filter / typing": []}
    try:
        tmux.go(session)
        tmux.wait_for(session, ACTIONS_ROW)
        settle(tmux, session)
        for _ in range(n):
            samples["down"].append(press_and_settle(tmux, session, "Down"))
        for _ in range(n):
            samples["page down"].append(press_and_settle(tmux, session, "PageDown"))
        for _ in range(max(3, n // 4)):
            samples["end / home"].append(press_and_settle(tmux, session, "End"))
            samples["end / home"].append(press_and_settle(tmux, session, "Home"))
        for _ in range(max(4, n // 4)):
            samples["filter o (open only)"].append(press_and_settle(tmux, session, "o"))
        for _ in range(4 * max(1, n // 10)):  # whole turns of the four orders: typing starts in due order again
            samples["sort S (due, owner, status, ref)"].append(press_and_settle(tmux, session, "S", literal=True))
        press_and_settle(tmux, session, "/")
        for _ in range(max(1, n // 10)):
            for letter in "winter":
                samples["filter / typing"].append(press_and_settle(tmux, session, letter, literal=True))
            for _ in "winter":
                samples["filter / typing"].append(press_and_settle(tmux, session, "BSpace"))
        peak = peak_rss_mb(tmux, session)
    finally:
        tmux.kill_session(session)
    return samples, peak


def rag_changes(tmux: Tmux, argv: list[str], env: dict[str, str], n: int) -> list[float]:
    """ctrl+s in the RAG dialog of the first programme → commit + audit + dialog gone + table repainted."""
    session = "rag"
    tmux.start_waiting(session, argv, env)
    samples = []
    try:
        tmux.go(session)
        tmux.wait_for(session, PROGRAMMES)
        settle(tmux, session)
        for i in range(n):
            tmux.run("send-keys", "-t", session, "r")
            tmux.wait_for(session, "RAG for", poll=0.005)
            tmux.run("send-keys", "-t", session, "rag"[i % 3])
            settle(tmux, session, quiet=0.2)
            tmux.run("send-keys", "-t", session, "-l", f" benchmark {i}")
            settle(tmux, session, quiet=0.2)
            # To the first repaint: the dialog's screen is popped and the table re-read in the same step, so the
            # first frame that differs shows the saved RAG; the footer re-lays its keys in later frames.
            samples.append(tmux.press_and_wait(session, "C-s"))
            settle(tmux, session, quiet=0.2)
            if "RAG for" in tmux.capture(session):
                raise RuntimeError(f"the RAG dialog did not save:\n{tmux.capture(session)}")
    finally:
        tmux.kill_session(session)
    return samples


def as_at_views(tmux: Tmux, argv: list[str], env: dict[str, str], n: int, when: str) -> list[float]:
    """Command palette → "As at…" → a date → enter, timed from that enter until the as-at view shows."""
    samples = []
    for i in range(n):
        session = f"asat-{i}"
        tmux.start_waiting(session, argv, env)
        try:
            tmux.go(session)
            tmux.wait_for(session, PROGRAMMES)
            settle(tmux, session)
            tmux.run("send-keys", "-t", session, "C-p")
            settle(tmux, session, quiet=0.2)
            tmux.run("send-keys", "-t", session, "-l", "As at")
            settle(tmux, session, quiet=0.3)
            tmux.run("send-keys", "-t", session, "Enter")
            tmux.wait_for(session, "Programmes as at", poll=0.005)
            settle(tmux, session, quiet=0.2)
            tmux.run("send-keys", "-t", session, "End", *["BSpace"] * 24)  # whatever date it offers
            settle(tmux, session, quiet=0.2)
            tmux.run("send-keys", "-t", session, "-l", when)
            settle(tmux, session, quiet=0.2)
            start = time.perf_counter()
            tmux.run("send-keys", "-t", session, "Enter")
            samples.append(tmux.wait_for(session, AS_AT, poll=0.005) - start)
        finally:
            tmux.kill_session(session)
    return samples


def _guarded(measure, *args) -> list[float]:
    """A phase that drives the UI through several dialogs: its failure is reported, the other figures kept."""
    try:
        return measure(*args)
    except (TimeoutError, RuntimeError) as exc:
        print(f"  {measure.__name__} failed: {str(exc)[:2000]}", flush=True)
        return []


def import_ratio(folder: Path, rows: int) -> tuple[float, float]:
    from bench_import import make_csv, time_import, time_raw

    csv_path = folder / "actions.csv"
    records = make_csv(csv_path, rows)
    run = folder / "import"
    run.mkdir()
    return time_raw(run, records), time_import(run, csv_path, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="interleaved start-up runs of each case")
    parser.add_argument("--keys", type=int, default=20, help="presses of each key in the actions list")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--write", action="store_true", help="record the results in docs/performance.md")
    args = parser.parse_args()

    load_before = os.getloadavg()
    tmux = Tmux(socket=f"boardtui-run-all-{os.getpid()}")
    rows: list[tuple[str, str, str, str, str]] = []  # measure, figure, floor, ratio, budget verdict
    with tempfile.TemporaryDirectory(prefix="bench_run_all_") as tmp:
        tmp_path = Path(tmp)
        demo, large = tmp_path / "demo.db", tmp_path / "large.db"
        t0 = time.perf_counter()
        build_demo(demo, who="bench")
        t1 = time.perf_counter()
        counts = build_large_board(large, who="bench")
        t2 = time.perf_counter()
        print(f"demo board built in {t1 - t0:.1f} s; large board in {t2 - t1:.1f} s "
              f"({', '.join(f'{v:,} {k}' for k, v in counts.items())}; {large.stat().st_size / 1e6:.0f} MB)",
              flush=True)

        bare_script = tmp_path / "bare_app.py"
        bare_script.write_text(textwrap.dedent(BARE_APP))
        env = {
            "PYTHONPATH": str(REPO), "TERM": "xterm-256color", "COLORTERM": "truecolor",
            "BOARDTUI_CONFIG_DIR": str(tmp_path / "config"), "BOARDTUI_DATA_DIR": str(tmp_path / "data"),
            # As installed: with bytecode, cached outside the checkout (see docs/performance.md).
            "PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache"),
        }
        boardtui = [sys.executable, "-m", "boardtui"]
        cases = {
            "bare Textual app (floor)": ([sys.executable, str(bare_script)], BARE_MARKER),
            "demo: dashboard": ([*boardtui, "--db", str(demo)], DASHBOARD),
            "large: dashboard": ([*boardtui, "--db", str(large)], DASHBOARD),
            "large: 100k actions list": ([*boardtui, "--db", str(large), "--screen", "actions"], ACTIONS_ROW),
            "large: programmes": ([*boardtui, "--db", str(large), "--screen", "programmes"], PROGRAMMES),
        }
        tmux.run("new-session", "-d", "-s", "keepalive", "sh", "-c", "sleep 86400")
        try:
            print(f"start-up: {len(cases)} cases × {args.runs} interleaved runs …", flush=True)
            times, rss = start_up(tmux, cases, env, args.runs)
            print("key presses in the 100k actions list …", flush=True)
            keys, keys_rss = keys_in_actions(tmux, cases["large: 100k actions list"][0], env, args.keys)
            print("as-at view on the large board …", flush=True)
            as_at = _guarded(as_at_views, tmux, cases["large: programmes"][0], env, max(3, args.runs // 2),
                             "2016-08-01")
            print("RAG changes …", flush=True)
            rag = _guarded(rag_changes, tmux, cases["large: programmes"][0], env, max(5, args.runs))
        finally:
            tmux.kill_server()
        print(f"import of {args.import_rows:,} actions …", flush=True)
        raw, validated = import_ratio(tmp_path, args.import_rows)

    bare = statistics.median(times["bare Textual app (floor)"])
    budgets = {"demo: dashboard": 1.3}
    for name in cases:
        med = statistics.median(times[name])
        if name == next(iter(cases)):
            rows.append((f"start-up, {name}", f"{med * 1000:.0f} ms", "—", "1.00×", ""))
            continue
        budget = budgets.get(name, 1.5)
        ratio = med / bare
        rows.append((f"start-up, {name}", f"{med * 1000:.0f} ms", f"{bare * 1000:.0f} ms", f"{ratio:.2f}×",
                     f"≤ {budget}× {'ok' if ratio <= budget else 'OVER'}"))
    demo_med, large_med = statistics.median(times["demo: dashboard"]), statistics.median(times["large: dashboard"])
    rows.append(("start-up growth, large vs demo dashboard", f"{(large_med - demo_med) * 1000:+.0f} ms", "—",
                 f"{large_med / demo_med:.2f}×", "(large within 1.5× of bare)"))
    every_key = [s for values in keys.values() for s in values]
    for name, values in [*keys.items(), ("all keys", every_key)]:
        figure = p95(values) * 1000
        rows.append((f"key → repaint p95, {name} (n={len(values)})", f"{figure:.0f} ms",
                     f"median {statistics.median(values) * 1000:.0f} ms", "—",
                     f"≤ 50 ms {'ok' if figure <= 50 else 'OVER'}"))
    if rag:
        rag_med = statistics.median(rag) * 1000
        rows.append((f"RAG change: commit + audit + repaint (n={len(rag)})", f"{rag_med:.0f} ms",
                     f"max {max(rag) * 1000:.0f} ms", "—", f"≤ 30 ms {'ok' if rag_med <= 30 else 'OVER'}"))
    else:
        rows.append(("RAG change: commit + audit + repaint", "failed", "—", "—", "≤ 30 ms OVER (not measured)"))
    rows.append((f"as-at view, large board, enter → painted (n={len(as_at)})",
                 f"{statistics.median(as_at) * 1000:.0f} ms" if as_at else "failed", "—", "—",
                 "(no budget line; ≤ 1 s aimed)"))
    ratio = validated / raw
    rows.append((f"import {args.import_rows:,} actions vs raw executemany", f"{validated:.2f} s", f"{raw:.2f} s",
                 f"{ratio:.2f}×", f"≤ 6× {'ok' if ratio <= 6 else 'OVER'}"))
    peak = max([*rss["large: 100k actions list"], *rss["large: dashboard"], *([keys_rss] if keys_rss else [])])
    rows.append(("peak RSS, large board open (after paging 100k actions)", f"{peak:.0f} MB", "—", "—",
                 f"≤ 150 MB {'ok' if peak <= 150 else 'OVER'}"))

    machine = versions()
    load = (f"{' '.join(f'{x:.2f}' for x in load_before)} before / "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} after")
    table = _table(rows)
    print()
    print(table)
    print(f"\nmachine: {machine}\nload average: {load}")
    if args.write:
        _write_doc(table, machine, load, args)
        print(f"written to {DOC.relative_to(REPO)}")
    return 0 if all("OVER" not in r[4] for r in rows) else 1


def _table(rows: list[tuple[str, ...]]) -> str:
    header = ("measure", "figure", "floor / spread", "ratio", "budget")
    lines = [f"| {' | '.join(header)} |", f"|{'|'.join('---' for _ in header)}|"]
    lines += [f"| {' | '.join(r)} |" for r in rows]
    return "\n".join(lines)


def _write_doc(table: str, machine: str, load: str, args: argparse.Namespace) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = (f"{BEGIN}\n_Last run: `python benchmarks/run_all.py --runs {args.runs} --keys {args.keys} --write`; "
             f"start-up and RAG are medians, key presses p95._\n\n{table}\n\nMachine: {machine}. "
             f"Load average: {load}.\n{END}")
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Every budget line in one run: `benchmarks/run_all.py`\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
