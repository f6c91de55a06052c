"""Kept programme roll-ups (migration 0005, SQLite): a screen reads one row per programme, and what it reads always
equals the roll-up of the schemes as they are now — after the store's own edits, after a foreign tool's SQL, and
under other thresholds."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boardtui.domain.rag import Rag
from boardtui.domain.thresholds import Thresholds
from boardtui.store import savings, savings_edit
from boardtui.store.connection import open_board
from boardtui.store.rag import set_rag
from boardtui.store.tx import writing
from tests.unit.store.test_savings_rollup import SCHEME, THRESHOLDS, _fill


def _by_rule(board, fy: int) -> list:
    """The roll-up judged scheme by scheme from every row, touching no kept row."""
    return savings.programme_lines(board, fy, scheme_rows=board.query("SELECT * FROM schemes"))


def _kept(board) -> dict[tuple[int, str], int]:
    return {(r["fy"], r["programme_id"]): r["schemes"] for r in board.query("SELECT * FROM programme_rollups")}


def _stale(board) -> set[tuple[int, str]]:
    return {(r[0], r[1]) for r in board.query("SELECT fy, programme_id FROM rollups_stale")}


def test_the_demo_board_keeps_a_roll_up_for_each_programme_year_with_schemes(demo_board):
    with_schemes = {(r[0], r[1]) for r in demo_board.query("SELECT DISTINCT fy, programme_id FROM schemes")}
    assert set(_kept(demo_board)) == with_schemes and not _stale(demo_board)
    for fy in savings.years(demo_board):
        assert savings.programme_lines(demo_board, fy) == _by_rule(demo_board, fy)
        assert savings.totals(demo_board, fy) == savings.totals(demo_board, fy, _by_rule(demo_board, fy))


def test_a_store_edit_keeps_its_programme_again_in_the_same_transaction(demo_board):
    sid, pid, fy, version = demo_board.one(
        "SELECT id, programme_id, fy, version FROM schemes WHERE ref = 'TH-CAD-01'")
    before = {line.id: line for line in savings.programme_lines(demo_board, fy)}
    set_rag(demo_board, "scheme", sid, version, Rag.G, "Recovering", Rag.R)
    savings_edit.create_scheme(demo_board, {"ref": "TH-CAD-09", "programme": "Complex Adults", "title": "New one",
                                            "year": "2017/18", "plan": "120", "stage": "delivered"})
    assert not _stale(demo_board) and (fy, pid) in _kept(demo_board)
    after = {line.id: line for line in savings.programme_lines(demo_board, fy)}
    assert after[pid] != before[pid] and after[pid].schemes == before[pid].schemes + 1
    assert list(after.values()) == _by_rule(demo_board, fy)


def test_a_foreign_tools_change_is_never_read_from_a_stale_row(demo_path):
    board = open_board(demo_path, who="tests")
    try:
        pid, fy = board.one("SELECT programme_id, fy FROM schemes WHERE ref = 'TH-CAD-01'")
        assert (fy, pid) in _kept(board)
        raw = sqlite3.connect(demo_path)  # as a foreign tool would: no Writer, no audit, no refresh
        with raw:
            raw.execute("UPDATE schemes SET plan_pence = plan_pence + 100000000 WHERE ref = 'TH-CAD-01'")
        raw.close()
        assert (fy, pid) not in _kept(board) and (fy, pid) in _stale(board)
        assert savings.programme_lines(board, fy) == _by_rule(board, fy)  # that programme is rolled up live
        with writing(board, reason="any later write"):
            pass
        assert (fy, pid) in _kept(board) and not _stale(board)
        assert savings.programme_lines(board, fy) == _by_rule(board, fy)
    finally:
        board.close()


def test_a_scheme_moved_or_deleted_leaves_both_programmes_right(demo_board):
    sid, pid, fy = demo_board.one("SELECT id, programme_id, fy FROM schemes WHERE ref = 'TH-CAD-01'")
    other = demo_board.scalar("SELECT id FROM programmes WHERE id <> :p ORDER BY name LIMIT 1", {"p": pid})
    with writing(demo_board, reason="move") as w:
        w.conn.execute("UPDATE schemes SET programme_id = :o WHERE id = :s", {"o": other, "s": sid})
    assert savings.programme_lines(demo_board, fy) == _by_rule(demo_board, fy)
    with writing(demo_board, reason="delete") as w:
        w.conn.execute("DELETE FROM scheme_periods WHERE scheme_id = :s", {"s": sid})
        w.conn.execute("DELETE FROM schemes WHERE id = :s", {"s": sid})
    assert not _stale(demo_board)
    assert savings.programme_lines(demo_board, fy) == _by_rule(demo_board, fy)


def test_rows_kept_under_other_thresholds_are_not_read(demo_board):
    fy = savings.years(demo_board)[0]
    kept = dict(_kept(demo_board))
    demo_board.thresholds = Thresholds(scheme_green_pct=Decimal("99.5"), scheme_amber_pct=Decimal("99"),
                                       confidence_factors={"H": Decimal("0.5"), "M": Decimal("0.25"),
                                                           "L": Decimal("0")})
    assert savings.programme_lines(demo_board, fy) == _by_rule(demo_board, fy)
    assert savings.totals(demo_board, fy) == savings.totals(demo_board, fy, _by_rule(demo_board, fy))
    assert _kept(demo_board) == kept  # reading never writes


@settings(max_examples=150, deadline=None)
@given(thresholds=THRESHOLDS, rows=st.lists(SCHEME, max_size=25), changed=st.lists(SCHEME, max_size=3))
def test_kept_rows_equal_the_rule_whatever_the_schemes_hold(scratch, thresholds, rows, changed):
    _fill(scratch, thresholds, rows)
    savings.refresh_kept_rollups(scratch)
    # every programme with schemes is read from its kept row, unless a figure is past 64 bits (rolled up live)
    fits = {line.id for line in _by_rule(scratch, 2017)
            if all(-2**63 <= v < 2**63 for v in (line.identified, line.ytd_plan, line.ytd_actual, line.fot,
                                                  line.risk_adjusted))}
    assert {row[0] for row in rows} & fits <= {pid for _, pid in _kept(scratch)}
    assert savings.programme_lines(scratch, 2017) == _by_rule(scratch, 2017)
    assert savings.totals(scratch, 2017) == savings.totals(scratch, 2017, _by_rule(scratch, 2017))
    # a foreign tool changes some schemes after the roll-ups were kept: what is read still equals the rule
    for i, row in enumerate(changed):
        scratch.conn.execute(
            "UPDATE schemes SET programme_id = ?, stage = ?, value_status = ?, plan_pence = ?, start_month = ?, "
            "latest_month = ?, ytd_plan_pence = ?, ytd_actual_pence = ?, fot_pence = ?, confidence = ?, "
            "rag_override = ? WHERE id = ?", (*row, f"s{i}"))
    assert savings.programme_lines(scratch, 2017) == _by_rule(scratch, 2017)
    assert savings.totals(scratch, 2017) == savings.totals(scratch, 2017, _by_rule(scratch, 2017))


# ---- the action log's kept counts -------------------------------------------------------------------------------

def _kept_counts(board) -> dict[tuple[str, str], int]:
    return {(r[0], r[1]): r[2] for r in board.query("SELECT status, due, n FROM action_counts")}


def _counted(board) -> dict[tuple[str, str], int]:
    return {(r[0], r[1]): r[2] for r in board.query("SELECT status, due, count(*) FROM actions GROUP BY status, due")}


# Each example's changes are rolled back, so the board file is the same for every example.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(["insert", "status", "due", "both", "title", "delete"]),
                                  st.integers(0, 30), st.sampled_from(["open", "proposed for closure", "closed"]),
                                  st.sampled_from(["2017-05-01", "2017-06-30", "2018-01-15"])), max_size=12))
def test_the_action_counts_are_kept_exactly_whatever_writes_them(demo_path, changes):
    raw = sqlite3.connect(demo_path)  # as a foreign tool would; the store's writes run the same triggers
    try:
        with raw:
            assert _kept_counts(_Rows(raw)) == _counted(_Rows(raw))
            ids = [r[0] for r in raw.execute("SELECT id FROM actions ORDER BY id")]
            for i, (kind, pick, status, due) in enumerate(changes):
                target = ids[pick % len(ids)] if ids else None
                if kind == "insert" or target is None:
                    raw.execute("INSERT INTO actions (id, ref, text, owner, due, status) VALUES (?, ?, 't', 'o', ?, ?)",
                                (f"new{i}", f"NEW-{i}", due, status))
                    ids.append(f"new{i}")
                elif kind == "delete":
                    raw.execute("DELETE FROM action_updates WHERE action_id = ?", (target,))
                    raw.execute("DELETE FROM actions WHERE id = ?", (target,))
                    ids.remove(target)
                else:
                    sets = {"status": "status = ?", "due": "due = ?", "both": "status = ?, due = ?",
                            "title": "text = text || ?"}[kind]
                    args = {"status": (status,), "due": (due,), "both": (status, due), "title": ("!",)}[kind]
                    raw.execute(f"UPDATE actions SET {sets} WHERE id = ?", (*args, target))
                assert _kept_counts(_Rows(raw)) == _counted(_Rows(raw))
            assert 0 not in _kept_counts(_Rows(raw)).values()
            raw.rollback()
    finally:
        raw.close()


class _Rows:
    """A raw connection seen through the one method the helpers above use."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def query(self, sql: str):
        return self.conn.execute(sql).fetchall()


def test_check_says_when_the_kept_totals_differ_from_the_rows(demo_path):
    from boardtui.store import health

    def kept_line(board):
        return [line for line in health.check(board).lines if line.startswith("Kept totals")]

    board = open_board(demo_path, who="tests", read_only=True)
    try:
        assert kept_line(board) == ["Kept totals: agree with the rows"] and health.check(board).ok
    finally:
        board.close()
    raw = sqlite3.connect(demo_path)  # another tool drops a trigger, then changes rows
    with raw:
        raw.execute("DROP TRIGGER schemes_rollup_update")
        raw.execute("UPDATE schemes SET plan_pence = plan_pence + 1 WHERE ref = 'TH-CAD-01'")
        raw.execute("UPDATE action_counts SET n = n + 1 WHERE status = 'open'")
    raw.close()
    board = open_board(demo_path, who="tests", read_only=True)
    try:
        result = health.check(board)
        assert not result.ok
        assert kept_line(board) == ["Kept totals: the action counts and programme roll-ups differ from the rows. "
                                    "The board's triggers were changed by another tool: restore from a backup."]
    finally:
        board.close()


def test_the_action_counts_are_kept_on_each_engine(any_demo_board):
    b = any_demo_board
    assert _kept_counts(b) == _counted(b) and _counted(b)
    first, second = [r[0] for r in b.query("SELECT id FROM actions ORDER BY id LIMIT 2")]
    with writing(b, reason="counts") as w:
        w.conn.execute("INSERT INTO actions (id, ref, text, owner, due, status) "
                       "VALUES ('x1', 'X-1', 't', 'o', '2030-01-01', 'open')")
        w.conn.execute("UPDATE actions SET status = 'closed' WHERE id = :i", {"i": first})
        w.conn.execute("UPDATE actions SET due = '2030-01-01', text = 'moved' WHERE id = :i", {"i": second})
        w.conn.execute("UPDATE actions SET owner = 'someone else' WHERE id = 'x1'")  # neither status nor due
    assert _kept_counts(b) == _counted(b)
    with writing(b, reason="counts") as w:
        w.conn.execute("DELETE FROM actions WHERE id = 'x1'")
    assert _kept_counts(b) == _counted(b) and 0 not in _kept_counts(b).values()


def test_a_board_upgraded_to_0005_has_its_roll_ups_kept_at_once(demo_path):
    raw = sqlite3.connect(demo_path)  # the demo as the version before 0005 left it
    with raw:
        for kind, name in raw.execute("SELECT type, name FROM sqlite_master WHERE name IN ('schemes_shortfall', "
                                      "'action_counts', 'programme_rollups', 'rollups_stale') OR type = 'trigger' "
                                      "AND name NOT LIKE 'audit_%' ORDER BY type = 'table'").fetchall():
            raw.execute(f"DROP {kind.upper()} {name}")
        raw.execute("DELETE FROM _sqlite_migrations WHERE name LIKE '0005_%'")
        raw.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    raw.execute("PRAGMA user_version = 4")
    raw.close()
    board = open_board(demo_path, who="tests")
    try:
        with_schemes = {(r[0], r[1]) for r in board.query("SELECT DISTINCT fy, programme_id FROM schemes")}
        assert set(_kept(board)) == with_schemes and not _stale(board)
        assert _kept_counts(board) == _counted(board)
        for fy in savings.years(board):
            assert savings.programme_lines(board, fy) == _by_rule(board, fy)
    finally:
        board.close()


def test_status_and_due_counts_come_from_the_kept_rows_and_equal_a_count_of_the_log(any_demo_board):
    from datetime import date

    from boardtui.store import action_counts, actions

    b = any_demo_board
    filters = [actions.ActionFilter(), actions.ActionFilter(statuses=("open",)),
               actions.ActionFilter(statuses=("open", "proposed for closure")),
               actions.ActionFilter(overdue_on=date(2016, 11, 8)),
               actions.ActionFilter(statuses=("closed",), overdue_on=date(2017, 6, 1), order="owner")]
    for flt in filters:
        sql, params = actions._count_sql(b, flt)
        assert "action_counts" in sql
        where, same = flt.where(actions._on_sqlite(b))
        assert actions.count(b, flt) == b.scalar(f"SELECT count(*) FROM actions a{where}", same)
    c = action_counts.counts(b, date(2016, 11, 8))
    assert c.by_status == {r[0]: r[1] for r in b.query("SELECT status, count(*) FROM actions GROUP BY status")}
    assert c.overdue == b.scalar("SELECT count(*) FROM actions WHERE status IN ('open', 'proposed for closure') "
                                 "AND due < '2016-11-08'") > 0
