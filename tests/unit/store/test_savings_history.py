"""Savings history and queries: the RAG strip, as-at views, changes since a meeting, scheme pages."""

from __future__ import annotations

from datetime import date

import pytest

from boardtui.domain.errors import NotFound, ValidationError
from boardtui.domain.rag import Rag
from boardtui.store import savings, savings_edit, savings_history
from boardtui.store.rag import set_rag
from boardtui.store.savings_history import AsAt
from tests.conftest import DEMO_TODAY

K = 100_000


def _scheme_id(board, ref: str) -> str:
    return board.scalar("SELECT id FROM schemes WHERE ref = :r", {"r": ref})


def _last_audit_at(board) -> str:
    return board.scalar("SELECT max(at) FROM audit")


# ---- the RAG strip ----------------------------------------------------------------------------------------------

def test_strip_judges_each_month_on_its_own_return(demo_board):
    strip = savings_history.rag_strip(demo_board, _scheme_id(demo_board, "TH-ADU-04"))
    assert [m.month for m in strip][:2] == ["2017-04", "2017-05"] and len(strip) == 12
    # FOT 2,190 → 2,100 → 1,950 → 1,850 → 1,750 → 1,700 against a 2,190 plan; no return after M6.
    assert "".join(m.letter for m in strip) == "GGAAAA······"
    assert "77.6%" in strip[5].reason and not any(m.manual for m in strip)


def test_a_manual_rag_applies_from_the_month_being_reported(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    row = savings.get_scheme(demo_board, sid)
    set_rag(demo_board, "scheme", sid, row["version"], Rag.R, "Recovery plan not agreed", Rag.A)
    strip = savings_history.rag_strip(demo_board, sid)
    assert "".join(m.letter for m in strip) == "GGAAAR······"
    assert strip[5].manual and not strip[4].manual
    assert strip[5].reason.startswith("manual Red (derived: forecast 77.6%")
    # Reporting moves on to M7: the override stays in force from M6 onwards.
    savings_edit.set_month(demo_board, sid, "2017-10", "actual", 150 * K, None)
    strip = savings_history.rag_strip(demo_board, sid)
    assert "".join(m.letter for m in strip)[:7] == "GGAAARR"


def test_clearing_the_override_later_ends_it_from_that_month(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    version = set_rag(demo_board, "scheme", sid, savings.get_scheme(demo_board, sid)["version"], Rag.R, "why", Rag.A)
    savings_edit.set_month(demo_board, sid, "2017-10", "actual", 150 * K, None)
    savings_edit.set_month(demo_board, sid, "2017-10", "fot", 1_700 * K,
                           savings.scheme_periods(demo_board, sid)["2017-10"]["version"])
    version = savings.get_scheme(demo_board, sid)["version"]
    set_rag(demo_board, "scheme", sid, version, None, "", Rag.A)
    letters = "".join(m.letter for m in savings_history.rag_strip(demo_board, sid))
    assert letters[:7] == "GGAAARA"


def test_strip_of_a_tbc_scheme_has_no_ratings(demo_board):
    strip = savings_history.rag_strip(demo_board, _scheme_id(demo_board, "TH-ADU-02"))
    assert {m.letter for m in strip} == {"·"}


# ---- as at ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, cutoff", [
    ("2016-10-17", "2016-10-17T23:59:59.999999Z"),
    ("2016-10-17 14:05", "2016-10-17T14:05:59.999999Z"),
    ("2016-10-17T14:05:09", "2016-10-17T14:05:09.999999Z"),
    ("2016-10-17T14:05:09.25Z", "2016-10-17T14:05:09.250000Z"),
])
def test_parse_as_at(text, cutoff):
    assert savings_history.parse_as_at(text).cutoff == cutoff


@pytest.mark.parametrize("text", ["", "yesterday", "2016-13-01", "2016-10-17 25:00", "17/10/2016 10:00"])
def test_parse_as_at_refuses(text):
    with pytest.raises(ValidationError):
        savings_history.parse_as_at(text)


def test_as_at_between_build_and_change_shows_the_old_values(demo_board):
    built = _last_audit_at(demo_board)
    sid = _scheme_id(demo_board, "TH-ADU-04")
    row = savings.get_scheme(demo_board, sid)
    set_rag(demo_board, "scheme", sid, row["version"], Rag.G, "Recovery plan agreed", Rag.A)
    savings_edit.set_month(demo_board, sid, "2017-09", "fot", 2_000 * K,
                           savings.scheme_periods(demo_board, sid)["2017-09"]["version"])
    snap = savings_history.savings_as_at(demo_board, AsAt(built, "then"))
    then = snap.scheme(sid)
    assert then["rag_override"] is None and then["fot_pence"] == 1_700 * K and not snap.before_history
    assert savings_history.periods_as_at(demo_board, sid, snap.at)["2017-09"]["fot_pence"] == 1_700 * K
    now = savings_history.savings_as_at(demo_board, AsAt(_last_audit_at(demo_board), "now")).scheme(sid)
    assert now["rag_override"] == "G" and now["fot_pence"] == 2_000 * K


def test_as_at_before_the_trail_begins_says_so(demo_board):
    snap = savings_history.savings_as_at(demo_board, savings_history.parse_as_at("2016-10-17"))
    assert snap.before_history and len(snap.schemes) == 18


# ---- since the last meeting and changes ---------------------------------------------------------------------------

def test_last_meeting_on_or_before_today(demo_board):
    assert savings_history.last_meeting_date(demo_board, "NHS Tower Hamlets CCG Governing Body", DEMO_TODAY) \
        == "2016-11-08"
    assert savings_history.last_meeting_date(demo_board, "worcestershire health and well-being board",
                                             DEMO_TODAY) == "2016-11-01"
    with pytest.raises(NotFound, match="has no meeting on or before"):
        savings_history.last_meeting_date(demo_board, "NHS Tower Hamlets CCG Governing Body", date(2016, 1, 1))
    with pytest.raises(NotFound, match="no board called 'Cabinet'"):
        savings_history.last_meeting_date(demo_board, "Cabinet", DEMO_TODAY)


def test_changes_since_list_rag_moves_figures_and_deletions_not_rollups(demo_board):
    built = _last_audit_at(demo_board)
    sid = _scheme_id(demo_board, "TH-ADU-04")
    set_rag(demo_board, "scheme", sid, savings.get_scheme(demo_board, sid)["version"], Rag.R, "late", Rag.A)
    savings_edit.set_month(demo_board, sid, "2017-09", "fot", 1_650 * K,
                           savings.scheme_periods(demo_board, sid)["2017-09"]["version"])
    tbc = _scheme_id(demo_board, "TH-ADU-02")
    savings_edit.delete_scheme(demo_board, tbc, savings.get_scheme(demo_board, tbc)["version"])
    assert savings_history.changes_count(demo_board, built) == 4
    changes = savings_history.changes_page(demo_board, built, 0, 10)
    seen = [(c.entity, c.op, c.field) for c in changes]
    assert seen == [("scheme", "update", "rag_override"), ("scheme", "update", "rag_commentary"),
                    ("scheme_period", "update", "fot_pence"), ("scheme", "delete", None)]
    assert all(c.reason != "recalculated from monthly figures" for c in changes)
    assert savings_history.changes_count(demo_board, built, text="adu-02") == 1
    assert [c.ref for c in savings_history.changes_page(demo_board, built, 0, 10, text="rag_override")] \
        == ["TH-ADU-04"]


# ---- scheme pages -----------------------------------------------------------------------------------------------

def test_largest_plans_and_shortfalls(demo_board):
    adults = demo_board.scalar("SELECT id FROM programmes WHERE name = 'Adults'")
    assert [s.ref for s in savings.largest_plans(demo_board, 2017, adults)] == ["TH-ADU-04", "TH-ADU-01"]
    worst = savings.largest_shortfalls(demo_board, 2017, 5)
    assert [s.ref for s in worst] == ["TH-ADU-04", "TH-CAD-01", "TH-TST-02", "TH-TST-01", "TH-PRO-02"]
    assert worst[0].fot == 1_700 * K


def test_dependants_and_finders(demo_board):
    adults = demo_board.scalar("SELECT id FROM programmes WHERE name = 'Adults'")
    assert savings.dependants(demo_board, adults) == (4, 0)
    assert [r["name"] for r in savings.find_programmes(demo_board, "productivity")] == [
        "Transactional/ Productivity Savings"]
    assert [r["ref"] for r in savings.find_schemes(demo_board, "URGENT")] == ["TH-ADU-04"]
    names = [n for n, _ in savings.programme_choices(demo_board)]
    assert names == sorted(names, key=str.lower) and len(names) == 5
