"""`boardtui check`: integrity, schema version, record counts, and stated totals that do not add up.

On PostgreSQL there is no `quick_check`: the page and index checks are the server's (pg_amcheck), and `check`
says so, then reports what it did check: the server version, that every table and the audit trail's append-only
trigger are in place, broken references (by query), the schema version, counts and stated totals."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from boardtui.domain.money import format_money
from boardtui.store import migrations
from boardtui.store.connection import Board, quick_check

COUNTED = (
    ("programmes", "programmes"),
    ("schemes", "schemes"),
    ("scheme_periods", "monthly savings figures"),
    ("standards", "standards"),
    ("standard_periods", "monthly standard figures"),
    ("milestones", "milestones"),
    ("bodies", "bodies"),
    ("meetings", "meetings"),
    ("agenda_items", "agenda items"),
    ("decisions", "decisions"),
    ("actions", "actions"),
    ("audit", "audit entries"),
)


@dataclass
class CheckResult:
    ok: bool = True
    lines: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def stated_total_flags(board: Board) -> list[str]:
    """Totals kept as a paper stated them that do not match what they recompute to (DOMAIN.md §7)."""
    flags = []
    for t in board.query(
        "SELECT o.name, t.fy, t.requirement_pence, t.stated_identified_pence, t.stated_gap_pence, "
        "t.funding_available_pence, t.funding_need_pence FROM targets t JOIN organisations o ON o.id = t.org_id "
        "ORDER BY o.name, t.fy"
    ):
        label = f"{t['name']} {t['fy']}/{(t['fy'] + 1) % 100:02d}"
        if t["funding_need_pence"] is not None and t["funding_available_pence"] is not None and t["stated_gap_pence"] is not None:
            computed = t["funding_need_pence"] - t["funding_available_pence"]
            if computed != t["stated_gap_pence"]:
                flags.append(
                    f"{label}: the stated gap is £{format_money(t['stated_gap_pence'])}k but need − available "
                    f"computes to £{format_money(computed)}k (stored as stated)."
                )
        if t["stated_identified_pence"] is not None:
            identified = board.scalar(
                "SELECT coalesce(sum(plan_pence), 0) FROM schemes WHERE fy = :fy AND value_status = 'quantified'",
                {"fy": t["fy"]},
            )
            if identified != t["stated_identified_pence"]:
                flags.append(
                    f"{label}: the paper states £{format_money(t['stated_identified_pence'])}k identified but the "
                    f"schemes add up to £{format_money(identified)}k."
                )
    for p in board.query(
        "SELECT p.id, p.name, p.stated_total_pence FROM programmes p WHERE p.stated_total_pence IS NOT NULL"
    ):
        total = board.scalar(
            "SELECT coalesce(sum(plan_pence), 0) FROM schemes WHERE programme_id = :p AND value_status = 'quantified'",
            {"p": p["id"]},
        )
        if total != p["stated_total_pence"]:
            flags.append(
                f"{p['name']}: the stated total is £{format_money(p['stated_total_pence'])}k but its schemes add up "
                f"to £{format_money(total)}k."
            )
    return flags


# SQLite before 3.51.3 has a WAL-reset bug that can corrupt a database written by several connections at once.
WAL_SAFE_SQLITE = (3, 51, 3)


def sqlite_version_lines(journal_mode: str, version: str = sqlite3.sqlite_version) -> list[str]:
    """The SQLite version line for the report, and a warning when WAL runs on a version with the reset bug."""
    if journal_mode.lower() == "postgresql":  # a board on a server: SQLite is not in use
        return []
    lines = [f"SQLite: {version}"]
    parts = tuple(int(x) for x in version.split(".")[:3] if x.isdigit())
    if journal_mode.lower() == "wal" and parts < WAL_SAFE_SQLITE:
        lines.append(
            f"Warning: this SQLite ({version}) is older than 3.51.3 and has a known WAL-reset bug; with several "
            "people writing at once, upgrade Python/SQLite or set journal_mode = \"delete\" in the config."
        )
    return lines


def _server_check(board: Board, result: CheckResult) -> None:
    """What `check` can truly say about a board on PostgreSQL, and what is the server's job, not boardtui's."""
    from boardtui.store import engine

    version = board.scalar("SHOW server_version")
    missing = sorted(set(engine.table_order()) - {
        r[0] for r in board.query("SELECT table_name FROM information_schema.tables "
                                  "WHERE table_schema = current_schema()")})
    guarded = board.scalar("SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_no_change' "
                           "AND tgrelid = 'audit'::regclass AND tgenabled <> 'D'")
    result.ok = not missing and bool(guarded)
    result.lines += [
        f"Integrity: not checked by boardtui on PostgreSQL {version}: pages and indexes are the server's to check "
        "(pg_amcheck) and to back up (pg_dump or the server's own backups).",
        _schema_line(board),
        "Tables: all present" if not missing else f"Tables: MISSING {', '.join(missing)}",
        "Audit trail: append-only (trigger in place)" if guarded else
        "Audit trail: NOT protected (the append-only trigger is missing or disabled)",
    ]


def _schema_line(board: Board) -> str:
    return f"Schema version: {migrations.schema_version(board.conn)} (this boardtui: {migrations.LATEST})"


def check(board: Board) -> CheckResult:
    result = CheckResult()
    if board.journal_mode == "postgresql":
        _server_check(board, result)
        return _common(board, result)
    damage = board.damaged or quick_check(board)
    if damage:
        result.ok = False
        result.lines.append(f"Integrity: DAMAGED ({damage}). Restore from a backup; do not edit this file.")
        # Nothing more can be trusted (or, often, read): say how to rescue what can be read.
        result.lines.append(f"Save what can be read with: boardtui backup --db {board.path} -o rescued.db")
        return result
    result.lines.append("Integrity: ok")
    result.lines.append(_schema_line(board))
    result.lines.append(f"Journal mode: {board.journal_mode}")
    result.lines.extend(sqlite_version_lines(board.journal_mode))
    return _common(board, result)


def _kept_check(board: Board, result: CheckResult) -> None:
    """The totals kept for the first screens (migration 0005) must equal what the rows give."""
    from boardtui.store import savings

    counts_differ = board.scalar(
        "SELECT count(*) FROM (SELECT status, due, n FROM action_counts WHERE n <> 0 EXCEPT "
        "SELECT status, due, count(*) FROM actions GROUP BY status, due) AS kept") or board.scalar(
        "SELECT count(*) FROM (SELECT status, due, count(*) FROM actions GROUP BY status, due EXCEPT "
        "SELECT status, due, n FROM action_counts) AS counted")
    rollups_differ = savings.kept_rollups_differ(board)
    if counts_differ or rollups_differ:
        result.ok = False
        what = [w for w, bad in (("action counts", counts_differ), ("programme roll-ups", rollups_differ)) if bad]
        result.lines.append(f"Kept totals: the {' and '.join(what)} differ from the rows. The board's triggers were "
                            "changed by another tool: restore from a backup.")
    else:
        result.lines.append("Kept totals: agree with the rows")


def _common(board: Board, result: CheckResult) -> CheckResult:
    """The kept totals, broken references (SQLite's foreign_key_check, or the same by query on a server), counts
    and stated totals: the same checks on both engines."""
    _kept_check(board, result)
    fk = board.query("PRAGMA foreign_key_check")
    if fk:
        result.ok = False
        result.lines.append(f"References: {len(fk)} broken")
    elif board.journal_mode == "postgresql":
        result.lines.append("References: none broken (checked by query)")
    for table, label in COUNTED:
        n = board.scalar(f"SELECT count(*) FROM {table}")
        result.lines.append(f"{label.capitalize()}: {n:,}")
    result.flags = stated_total_flags(board)
    for flag in result.flags:
        result.lines.append(f"Flag: {flag}")
    return result
