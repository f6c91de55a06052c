"""A large board for proving the performance budget: the demo board plus years of made-up PMO and board business.

`boardtui demo --size large` and `benchmarks/run_all.py` build it. At full size: 50 programmes, 10,000 schemes
with 12 months of plan/forecast/actual, 200 standards × 36 months, 2,000 milestones, 500 meetings with agendas
(a few Part 2 items), 100,000 actions and 200,000 audit changes. Everything is bulk-inserted with `executemany`
through the store's own connection inside one write transaction, with text keys from `store.ids.new_id`, so the
file is built in seconds rather than the minutes the canonical writer would take row by row. Rows are marked
illustrative: none of this is real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from boardtui.store.connection import Board, open_board
from boardtui.store.ids import new_id, now_iso
from boardtui.store.savings import refresh_kept_rollups


@dataclass(frozen=True)
class LargeSize:
    """How much the large board adds to the demo board."""

    programmes: int = 50
    schemes: int = 10_000
    months: int = 12
    standards: int = 200
    standard_months: int = 36
    milestones: int = 2_000
    meetings: int = 500
    items_per_meeting: int = 8
    actions: int = 100_000
    audit: int = 200_000


LARGE = LargeSize()
AREAS = ["Planned care", "Urgent care", "Mental health", "Children and young people", "Primary care",
         "Community services", "Estates", "Workforce", "Digital", "Medicines optimisation", "Continuing care",
         "Maternity", "Cancer", "Diagnostics", "Learning disability", "Prevention", "Back office"]
FOCUS = ["demand management", "productivity", "pathway redesign", "procurement", "system integration",
         "care closer to home", "estates rationalisation", "agency reduction"]
VERBS = ["Review", "Escalate", "Report on", "Agree", "Audit", "Close down", "Refresh", "Quantify", "Benchmark",
         "Re-procure", "Consolidate", "Redesign"]
TOPICS = ["winter plan", "theatre utilisation", "agency spend", "outpatient follow-ups", "A&E 4-hour standard",
          "risk register", "CAMHS waits", "discharge to assess", "prescribing", "community beds", "estate leases",
          "diagnostic capacity", "elective backlog", "delayed transfers", "bank staffing"]
PEOPLE = ["Chief Nurse", "Medical Director", "Chief Finance Officer", "Chief Operating Officer", "Head of PMO",
          "Director of Public Health", "Director of Strategy", "Director of Commissioning", "Clinical Chair",
          "Head of Contracts", "Programme SRO", "Deputy CFO"]
STAGES = ["idea", "prioritise", "business case", "implementation", "implementation", "implementation", "delivered"]
ACTION_STATUSES = ["open"] * 5 + ["proposed for closure", "closed", "closed", "closed"]
AGENDA = [("Apologies and substitutes", 5, None), ("Declarations of interest", 5, None),
          ("Minutes and action log", 10, None), ("Finance report", 20, "assurance"),
          ("QIPP programme update", 20, "assurance"), ("Performance against national standards", 20, "assurance"),
          ("STP milestones", 15, "information"), ("Risk register", 15, "assurance"),
          ("Contract award (commercially confidential)", 15, "decision"),
          ("Any other business", 5, None)]
RAGS = ["R", "A", "G", "B"]


def build_large_board(path: Path, who: str = "demo", size: LargeSize = LARGE, seed: int = 1) -> dict[str, int]:
    """Build the demo board at `path` (which must not exist) and add a large board's worth of business to it.

    Returns the row counts of the tables it filled. Deterministic for a given `seed` (apart from ids and times).
    """
    from boardtui.cli import build_demo  # the demo builder lives with the command that uses it

    build_demo(path, who=who)
    board = open_board(path, who=who)
    try:
        conn = board.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            _fill(board, size, random.Random(seed), who)
            refresh_kept_rollups(board)  # as the store's own writes do before they commit
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("ANALYZE")  # the planner's statistics for tables that grew a thousandfold
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = ("programmes", "schemes", "scheme_periods", "standards", "standard_periods", "milestones",
                  "meetings", "agenda_items", "actions", "audit")
        return {t: board.scalar(f"SELECT count(*) FROM {t}") for t in tables}
    finally:
        board.close()


def _fill(board: Board, size: LargeSize, rng: random.Random, who: str) -> None:
    at = now_iso()
    programmes = _programmes(board, size, rng, at, who)
    schemes = _schemes(board, size, rng, programmes, at, who)
    _standards(board, size, rng, at, who)
    _milestones(board, size, rng, programmes, at, who)
    items = _meetings(board, size, rng, at, who)
    _actions(board, size, rng, items, at, who)
    _audit(board, size, rng, schemes, who)


def _insert(board: Board, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    board.conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})", rows)


def _stamp(at: str, who: str) -> dict:
    return {"illustrative": 1, "version": 1, "updated_at": at, "updated_by": who}


def _programmes(board: Board, size: LargeSize, rng: random.Random, at: str, who: str) -> list[str]:
    org = board.scalar("SELECT id FROM organisations ORDER BY name LIMIT 1")
    existing = [r[0] for r in board.query("SELECT id FROM programmes ORDER BY name")]
    rows = []
    for i in range(max(0, size.programmes - len(existing))):
        rows.append({"id": new_id(), "name": f"{AREAS[i % len(AREAS)]} {i // len(AREAS) + 1}", "org_id": org,
                     "sro": rng.choice(PEOPLE), "focus": rng.choice(FOCUS), "source": "large board generator",
                     **_stamp(at, who)})
    _insert(board, "programmes", rows)
    return existing + [r["id"] for r in rows]


def _schemes(board: Board, size: LargeSize, rng: random.Random, programmes: list[str], at: str,
             who: str) -> list[tuple[str, str]]:
    fy = board.scalar("SELECT max(fy) FROM schemes") or 2017
    months = [f"{fy + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(size.months)]
    actual_months = size.months * 7 // 12  # seven months of actuals in a year of twelve
    schemes, periods = [], []
    for i in range(1, size.schemes + 1):
        plan = rng.randrange(10, 2_000) * 100_000  # £10k–£2m in pence
        fot = plan * rng.randrange(60, 106) // 100
        monthly = plan // size.months if size.months else 0
        actuals = [monthly * rng.randrange(60, 112) // 100 for _ in range(actual_months)]
        sid = new_id()
        schemes.append({
            "id": sid, "ref": f"LB-S{i:05d}", "programme_id": rng.choice(programmes),
            "title": f"{rng.choice(VERBS)} {rng.choice(TOPICS)} ({rng.choice(FOCUS)})", "lead": rng.choice(PEOPLE),
            "stage": rng.choice(STAGES), "fy": fy, "value_status": "quantified", "plan_pence": plan,
            "recurrent_pence": plan * 4 // 5, "non_recurrent_pence": plan - plan * 4 // 5,
            "confidence": rng.choice("HML"), "ytd_plan_pence": monthly * actual_months,
            "ytd_actual_pence": sum(actuals), "fot_pence": fot,
            "latest_month": months[actual_months - 1] if actual_months else None,
            "source": "large board generator", **_stamp(at, who),
        })
        for m, month in enumerate(months):
            periods.append({"id": new_id(), "scheme_id": sid, "month": month, "plan_pence": monthly,
                            "actual_pence": actuals[m] if m < actual_months else None, "fot_pence": fot // size.months,
                            **_stamp(at, who)})
    _insert(board, "schemes", schemes)
    _insert(board, "scheme_periods", periods)
    return [(s["id"], s["ref"]) for s in schemes]


def _standards(board: Board, size: LargeSize, rng: random.Random, at: str, who: str) -> None:
    standards, periods = [], []
    for i in range(1, size.standards + 1):
        code = f"LB{i:03d}"
        threshold = rng.choice([85.0, 90.0, 92.0, 95.0, 99.0])
        standards.append({"id": new_id(), "code": code, "name": f"{rng.choice(TOPICS).capitalize()} standard {i}",
                          "must_do": rng.randrange(1, 10), "threshold": threshold, "comparator": ">=", "unit": "%",
                          "assessment_period": "month", "planning_round": "2016/17", "valid_from": "2015-04-01",
                          "valid_to": "", "source": "large board generator", **_stamp(at, who)})
        for m in range(size.standard_months):
            year, month = 2015 + (m + 3) // 12, (m + 3) % 12 + 1
            denominator = rng.randrange(500, 20_000)
            numerator = denominator * rng.randrange(int(threshold) - 12, 101) // 100
            periods.append({"id": new_id(), "standard_code": code, "period": f"{year}-{month:02d}",
                            "numerator": numerator, "denominator": denominator,
                            "actual": 100.0 * numerator / denominator, "trajectory": threshold - 2.0,
                            **_stamp(at, who)})
    _insert(board, "standards", standards)
    _insert(board, "standard_periods", periods)


def _milestones(board: Board, size: LargeSize, rng: random.Random, programmes: list[str], at: str,
                who: str) -> None:
    start, rows = date(2015, 4, 1), []
    for i in range(1, size.milestones + 1):
        baseline = start + timedelta(days=rng.randrange(0, 1_100))
        slip = rng.choice([0, 0, 0, 14, 30, 60, 120])
        forecast = baseline + timedelta(days=slip)
        done = forecast < date(2016, 11, 8) and rng.random() < 0.7
        rows.append({"id": new_id(), "ref": f"LB-M{i:04d}", "title": f"{rng.choice(VERBS)} {rng.choice(TOPICS)}",
                     "programme_id": rng.choice(programmes), "plan_name": "Large board plan",
                     "owner": rng.choice(PEOPLE), "baseline": baseline.isoformat(),
                     "forecast": forecast.isoformat() if slip else None,
                     "actual": forecast.isoformat() if done else None, "external": int(rng.random() < 0.1),
                     "source": "large board generator", **_stamp(at, who)})
    _insert(board, "milestones", rows)


def _meetings(board: Board, size: LargeSize, rng: random.Random, at: str, who: str) -> list[tuple]:
    """Meetings spread over the bodies, one a week back from 2016, each with an agenda; returns the items."""
    bodies = [r[0] for r in board.query("SELECT id FROM bodies ORDER BY name")]
    taken = {(r[0], r[1]) for r in board.query("SELECT body_id, date FROM meetings")}
    meetings, items, day = [], [], date(2016, 10, 25)
    while len(meetings) < size.meetings:
        for body in bodies:
            if len(meetings) >= size.meetings:
                break
            if (body, day.isoformat()) in taken:
                continue
            mid = new_id()
            meetings.append({"id": mid, "body_id": body, "date": day.isoformat(), "start_time": "14:00",
                             "venue": "Board room (illus.)", "status": "held", "source": "large board generator",
                             **_stamp(at, who)})
            for position in range(1, size.items_per_meeting + 1):
                title, minutes, purpose = AGENDA[(position - 1) % len(AGENDA)]
                part = 2 if "confidential" in title else 1  # a few Part 2 items
                items.append({"id": new_id(), "meeting_id": mid, "position": position, "number": str(position),
                              "title": title, "part": part, "purpose": purpose, "presenter": rng.choice(PEOPLE),
                              "minutes": minutes, "source": "large board generator", **_stamp(at, who)})
        day -= timedelta(days=7)
    _insert(board, "meetings", meetings)
    _insert(board, "agenda_items", items)
    return _items_with_dates(meetings, items)


def _items_with_dates(meetings: list[dict], items: list[dict]) -> list[tuple]:
    dates = {m["id"]: (m["body_id"], m["date"]) for m in meetings}
    return [(dates[i["meeting_id"]][0], i["meeting_id"], i["id"], i["part"], dates[i["meeting_id"]][1])
            for i in items]


def _actions(board: Board, size: LargeSize, rng: random.Random, items: list[tuple], at: str, who: str) -> None:
    rows = []
    for i in range(1, size.actions + 1):
        body, meeting, item, _part, met = items[i % len(items)] if items else (None, None, None, 1, "2016-01-01")
        due = (date.fromisoformat(met) + timedelta(days=rng.randrange(14, 120))).isoformat()
        rows.append({"id": new_id(), "ref": f"LB-{i:06d}", "body_id": body, "meeting_id": meeting, "item_id": item,
                     "text": f"{rng.choice(VERBS)} {rng.choice(TOPICS)} and report back to the board",
                     "owner": rng.choice(PEOPLE), "due": due, "original_due": due,
                     "status": rng.choice(ACTION_STATUSES), "created_at": met + "T15:00:00Z", **_stamp(at, who)})
    _insert(board, "actions", rows)


def _audit(board: Board, size: LargeSize, rng: random.Random, schemes: list[tuple[str, str]], who: str) -> None:
    """RAG and figure changes on schemes through 2016, in time order, as the as-at and changes views read them."""
    if not schemes:
        return
    start, rows = date(2016, 4, 1), []
    span = 220 * 86_400  # April to early November 2016
    for i in range(size.audit):
        sid, ref = schemes[rng.randrange(len(schemes))]
        second = span * i // max(size.audit, 1)
        when = f"{start + timedelta(seconds=second)}"
        at = f"{when}T{second % 86_400 // 3600:02d}:{second % 3600 // 60:02d}:{second % 60:02d}Z"
        if i % 3 == 0:
            field, old, new = "rag_override", rng.choice(RAGS), rng.choice(RAGS)
        else:
            field, old, new = "fot_pence", str(rng.randrange(1, 2_000) * 100_000), str(rng.randrange(1, 2_000) * 100_000)
        rows.append({"id": new_id(), "at": at, "who": rng.choice(PEOPLE), "op": "update", "entity": "scheme",
                     "entity_id": sid, "ref": ref, "field": field, "old": old, "new": new,
                     "reason": "monthly PMO update", "confidential": 0})
    _insert(board, "audit", rows)
