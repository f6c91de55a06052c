"""Per-area queries over the demo board: one page at a time, with counts and totals from SQL."""

from __future__ import annotations

from datetime import date

from boardtui.domain.money import ValueStatus
from boardtui.domain.rag import Rag
from boardtui.store import action_counts, actions, health, meetings, savings
from boardtui.store.milestones import milestone_lines
from boardtui.store.standards import standard_lines
from boardtui.store.tx import writing

TODAY = date(2016, 11, 8)
ALL_ACTIONS = ["HWB-01", "HWB-02", "HWB-03", "TH-01", "TH-02", "TH-03", "TH-04", "TH-05", "TH-06"]


def test_action_count_and_pages_cover_the_log_once(demo_board):
    assert actions.count(demo_board) == 9
    flt = actions.ActionFilter(order="ref")
    pages = [actions.page(demo_board, offset, 4, flt) for offset in (0, 4, 8)]
    assert [len(p) for p in pages] == [4, 4, 1]
    assert [r["ref"] for p in pages for r in p] == ALL_ACTIONS


def test_action_filter_text_matches_ref_owner_and_text_ignoring_case(demo_board):
    cfo = actions.ActionFilter(text="cfo")
    assert actions.count(demo_board, cfo) == 2
    assert sorted(r["ref"] for r in actions.page(demo_board, 0, 50, cfo)) == ["TH-03", "TH-06"]
    assert actions.count(demo_board, actions.ActionFilter(text="hwb-0")) == 3
    assert actions.count(demo_board, actions.ActionFilter(text="GAP")) == 1


def test_action_filter_is_a_parameter_never_sql(demo_board):
    hostile = actions.ActionFilter(text="'; DROP TABLE actions; --")
    assert actions.count(demo_board, hostile) == 0
    assert actions.count(demo_board) == 9


def test_public_only_leaves_out_actions_on_part_2_items(demo_board):
    public = actions.ActionFilter(public_only=True, order="ref")
    assert [r["ref"] for r in actions.page(demo_board, 0, 50, public)] == [r for r in ALL_ACTIONS if r != "TH-06"]


def test_overdue_on_a_day(demo_board):
    overdue = actions.ActionFilter(overdue_on=TODAY)
    assert sorted(r["ref"] for r in actions.page(demo_board, 0, 50, overdue)) == ["HWB-02", "HWB-03"]
    c = action_counts.counts(demo_board, TODAY)
    assert (c.open, c.overdue, c.proposed, c.closed) == (8, 2, 0, 1)


def test_stream_yields_every_action_in_due_order_in_batches(demo_board):
    streamed = [r["ref"] for r in actions.stream(demo_board, batch=2)]
    assert sorted(streamed) == ALL_ACTIONS
    dues = [r["due"] for r in actions.stream(demo_board, batch=2)]
    assert dues == sorted(dues)
    assert not demo_board.conn.in_transaction


def test_action_get_includes_where_it_was_raised(demo_board):
    aid = demo_board.scalar("SELECT id FROM actions WHERE ref = 'TH-06'")
    a = actions.get(demo_board, aid)
    assert (a["body"], a["meeting_date"], a["item_number"], a["part"]) == (
        "NHS Tower Hamlets CCG Governing Body", "2016-11-08", "13", 2,
    )


def test_meetings_page_newest_first_with_item_counts(demo_board):
    rows = meetings.page(demo_board, 0, 10)
    assert meetings.count(demo_board) == len(rows) == 4
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)
    by_date = {r["date"]: r["items"] for r in rows}
    assert by_date["2016-11-08"] == 13 and by_date["2016-09-13"] == 9
    assert meetings.count(demo_board, "worcestershire") == 2
    assert meetings.next_meeting(demo_board, "2016-11-08")["date"] == "2016-11-08"


def test_savings_totals_match_the_seed(demo_board):
    [fy] = savings.years(demo_board)
    assert fy == 2017
    t = savings.totals(demo_board, fy)
    assert (t.requirement, t.identified, t.gap, t.tbc, t.na) == (1_500_000_000, 1_081_600_000, 418_400_000, 9, 1)
    lines = {p.name: p for p in savings.programme_lines(demo_board, fy)}
    assert {n: (p.identified, p.tbc, p.na) for n, p in lines.items()} == {
        "Adults": (384_100_000, 2, 0),
        "Children": (0, 3, 0),
        "Complex Adults": (101_900_000, 4, 1),
        "Transactional/ Productivity Savings": (338_300_000, 0, 0),
        "Transforming Services Together": (257_300_000, 0, 0),
    }


def test_tbc_and_na_schemes_hold_null_never_zero(demo_board):
    rows = demo_board.query("SELECT value_status, plan_pence FROM schemes WHERE value_status <> 'quantified'")
    assert len(rows) == 10
    assert {r["value_status"] for r in rows} == {ValueStatus.TBC.value, ValueStatus.NA.value}
    assert all(r["plan_pence"] is None for r in rows)


def test_a_new_scheme_moves_the_totals(demo_board):
    prog = demo_board.scalar("SELECT id FROM programmes WHERE name = 'Children'")
    with writing(demo_board) as w:
        w.insert("schemes", {"ref": "CH-NEW", "programme_id": prog, "title": "New", "fy": 2017,
                             "value_status": "quantified", "plan_pence": 10_000_000}, entity="scheme")
    t = savings.totals(demo_board, 2017)
    assert (t.identified, t.gap) == (1_091_600_000, 408_400_000)


def test_milestone_lines_judge_on_the_given_day(demo_board):
    lines = {m.ref: m for m in milestone_lines(demo_board, TODAY)}
    assert len(lines) == 19
    assert (lines["W06"].slip, lines["W06"].rag) == (14, Rag.R)
    assert lines["W01"].rag is Rag.B
    assert lines["W11"].rag is Rag.G
    assert lines["W10"].depends_on == ["W09"]
    later = {m.ref: m for m in milestone_lines(demo_board, date(2016, 9, 20))}
    assert later["W06"].rag is Rag.A  # before its forecast date passed


def test_standard_lines(demo_board):
    lines = {s.code: s for s in standard_lines(demo_board, TODAY)}
    assert len(lines) == 24
    # Judged on the latest month ended by 8 Nov 2016 (October: 0.8%); November's 1.21% counts once it ends.
    assert lines["DM01"].rag is Rag.G
    assert {s.code: s for s in standard_lines(demo_board, date(2016, 11, 30))}["DM01"].rag is Rag.R
    assert lines["RTT18"].rag is Rag.G


def test_check_reports_integrity_counts_and_the_stated_gap_flag(demo_board):
    result = health.check(demo_board)
    assert result.ok
    assert result.lines[0] == "Integrity: ok"
    assert "Actions: 9" in result.lines
    assert "Schemes: 18" in result.lines
    assert any("£84,000k" in f and "£85,000k" in f for f in result.flags)
