"""Validated import of a 100k-row actions CSV against raw `sqlite3.executemany` of the same rows.

Budget (DESIGN.md): the import — reading the file, matching headers, parsing and checking every cell, writing
every row through the canonical writer with its audit row, all in one transaction — takes at most 6× the time
of inserting the same rows with one `executemany` into the same table of a fresh board (same pragmas, same
indexes, ids made beforehand, one transaction). Best of N runs of each, on fresh files.

    python benchmarks/bench_import.py [--rows 100000] [--runs 3]

Prints both times, the rows per second and the ratio; exits 1 if the ratio is over the budget.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

from boardtui.exchange.importer import import_path
from boardtui.store.connection import create_board
from boardtui.store.ids import new_id, now_iso

BUDGET = 6.0
STATUSES = ("open", "open", "open", "proposed for closure", "closed")


def make_csv(path: Path, rows: int) -> list[list[str]]:
    records = []
    for i in range(rows):
        records.append([f"A-{i:06d}", f"Follow up item {i} of the action log: report back to the board",
                        f"Owner {i % 97}", f"20{16 + i % 4}-{1 + i % 12:02d}-{1 + i % 28:02d}", STATUSES[i % 5],
                        f"Update {i}" if i % 3 == 0 else ""])
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["ref", "text", "owner", "due", "status", "update"])
        w.writerows(records)
    return records


def time_raw(folder: Path, records: list[list[str]]) -> float:
    board = create_board(folder / "raw.db", who="bench")
    at = now_iso()
    params = [(new_id(), r[0], r[1], r[2], r[3], r[3], r[4], r[5] or None, at, at, "bench") for r in records]
    started = time.perf_counter()
    board.conn.execute("BEGIN IMMEDIATE")
    board.conn.executemany(
        "INSERT INTO actions (id, ref, text, owner, due, original_due, status, latest_update, created_at, "
        "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", params)
    board.conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    board.close()
    return elapsed


def time_import(folder: Path, csv_path: Path, rows: int) -> float:
    board = create_board(folder / "import.db", who="bench")
    started = time.perf_counter()
    report = import_path(board, "actions", csv_path)
    elapsed = time.perf_counter() - started
    assert report.rows == rows and report.created == rows, report.lines()
    audit = board.scalar("SELECT count(*) FROM audit WHERE entity = 'action' AND op = 'create'")
    assert audit == rows, audit  # one audit row per record, as every write has
    board.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        csv_path = base / "actions.csv"
        records = make_csv(csv_path, args.rows)
        raws, imports = [], []
        for run in range(args.runs):
            folder = base / f"run{run}"
            folder.mkdir()
            raws.append(time_raw(folder, records))
            imports.append(time_import(folder, csv_path, args.rows))
        raw, imp = min(raws), min(imports)
        ratio = imp / raw
        print(f"rows: {args.rows:,}")
        print(f"raw executemany: {raw:.2f} s ({args.rows / raw:,.0f} rows/s)  runs: {', '.join(f'{t:.2f}' for t in raws)}")
        print(f"validated import: {imp:.2f} s ({args.rows / imp:,.0f} rows/s)  runs: "
              f"{', '.join(f'{t:.2f}' for t in imports)}")
        print(f"ratio: {ratio:.2f}x (budget {BUDGET:.0f}x) — {'within' if ratio <= BUDGET else 'OVER'} budget")
        return 0 if ratio <= BUDGET else 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
