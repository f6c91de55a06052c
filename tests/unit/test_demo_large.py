"""The large-board generator at a small size: the counts it promises, keys and links that hold, a board that opens."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from boardtui.cli import cli
from boardtui.demo_large import LargeSize, build_large_board
from boardtui.store.connection import open_board

SMALL = LargeSize(programmes=8, schemes=30, months=12, standards=4, standard_months=6, milestones=10, meetings=6,
                  items_per_meeting=9, actions=50, audit=40)


def _counts(path):
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t} WHERE illustrative = 1 AND source = 'large board generator'"
                                ).fetchone()[0]
                for t in ("schemes", "standards", "milestones", "meetings", "agenda_items")}
    finally:
        conn.close()


def test_small_large_board_has_the_promised_rows(tmp_path):
    path = tmp_path / "large.db"
    counts = build_large_board(path, who="tester", size=SMALL)
    assert counts["programmes"] == SMALL.programmes
    added = _counts(path)
    assert added == {"schemes": 30, "standards": 4, "milestones": 10, "meetings": 6, "agenda_items": 54}
    conn = sqlite3.connect(path)
    try:
        one = conn.execute
        assert one("SELECT count(*) FROM scheme_periods p JOIN schemes s ON s.id = p.scheme_id "
                   "WHERE s.ref LIKE 'LB-S%'").fetchone()[0] == 30 * 12
        assert one("SELECT count(*) FROM standard_periods WHERE standard_code LIKE 'LB%'").fetchone()[0] == 4 * 6
        assert one("SELECT count(*) FROM actions WHERE ref LIKE 'LB-%'").fetchone()[0] == 50
        assert one("SELECT count(*) FROM audit WHERE reason = 'monthly PMO update'").fetchone()[0] == 40
        # Part 2 items exist, and every action hangs off a real meeting and agenda item of that meeting.
        assert one("SELECT count(*) FROM agenda_items WHERE part = 2 AND source = 'large board generator'"
                   ).fetchone()[0] > 0
        assert one("SELECT count(*) FROM actions a LEFT JOIN agenda_items i ON i.id = a.item_id "
                   "WHERE a.ref LIKE 'LB-%' AND (i.id IS NULL OR i.meeting_id <> a.meeting_id)").fetchone()[0] == 0
        # The roll-ups the store keeps beside each scheme agree with its monthly figures.
        assert one("SELECT count(*) FROM schemes s WHERE s.ref LIKE 'LB-S%' AND s.ytd_actual_pence <> "
                   "(SELECT sum(actual_pence) FROM scheme_periods p WHERE p.scheme_id = s.id)").fetchone()[0] == 0
        assert one("SELECT count(*) FROM audit a LEFT JOIN schemes s ON s.id = a.entity_id "
                   "WHERE a.reason = 'monthly PMO update' AND s.id IS NULL").fetchone()[0] == 0
        assert one("PRAGMA foreign_key_check").fetchall() == []
        assert one("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    board = open_board(path, who="tester")  # the store accepts it as a current board
    board.close()


def test_demo_size_large_is_a_cli_choice():
    result = CliRunner().invoke(cli, ["demo", "--help"])
    assert result.exit_code == 0
    assert "--size [demo|large]" in result.output
