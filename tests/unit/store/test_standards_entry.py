"""Standards in the store: the definition in force, monthly figures entered by hand, and what is refused."""

from datetime import date

import pytest

from boardtui.domain.errors import Conflict, ValidationError
from boardtui.domain.rag import Rag
from boardtui.store import standards as st
from boardtui.store.history import row_history
from boardtui.store.tx import writing

TODAY = date(2016, 11, 8)


def _audit(board, code, period):
    row = board.one("SELECT id FROM standard_periods WHERE standard_code = :c AND period = :p",
                    {"c": code, "p": period})
    return row_history(board, "standard_period", row["id"])


def test_enter_counts_works_out_the_actual_and_audits_it(any_demo_board):
    before = st.period_line(any_demo_board, "AE4HR", "2016-10")
    version = st.record_period(any_demo_board, "AE4HR", "2016-10", numerator="11,300", denominator="12330",
                               trajectory="91", commentary="Revised return", version=before.version, today=TODAY)
    after = st.period_line(any_demo_board, "AE4HR", "2016-10")
    assert version == before.version + 1 == after.version
    assert (after.numerator, after.denominator, after.commentary) == (11300, 12330, "Revised return")
    assert after.actual == pytest.approx(91.6464, abs=1e-4)
    assert after.derived.rag is Rag.A
    changes = {c.field: (c.old, c.new) for c in _audit(any_demo_board, "AE4HR", "2016-10") if c.op == "update"}
    assert changes["numerator"] == ("11257", "11300")
    assert changes["commentary"] == (None, "Revised return")
    assert set(changes) == {"numerator", "actual", "commentary"}  # denominator and trajectory did not change


def test_enter_a_percentage_for_a_new_month(board):
    with writing(board) as w:
        w.insert("standards", {"code": "RTT18", "name": "RTT", "threshold": 92, "comparator": ">=", "unit": "%",
                               "valid_from": "2016-04-01"}, entity="standard", ref="RTT18")
    st.record_period(board, "RTT18", "Oct 2016", actual="91.5%", trajectory="91", today=TODAY)
    line = st.period_line(board, "RTT18", "2016-10")
    assert (line.actual, line.trajectory, line.numerator) == (91.5, 91.0, None)
    assert line.derived.reason == "91.5% misses the 92% standard (≥) but meets the 91.0% trajectory"
    assert [c.op for c in _audit(board, "RTT18", "2016-10")] == ["create"]


def test_a_trajectory_may_be_set_ahead_but_not_an_actual(any_demo_board):
    st.record_period(any_demo_board, "DM01", "2017-04", trajectory="0.9", today=TODAY)
    assert st.period_line(any_demo_board, "DM01", "2017-04").trajectory == 0.9
    with pytest.raises(ValidationError) as err:
        st.record_period(any_demo_board, "DM01", "2017-05", actual="0.9", today=TODAY)
    assert err.value.field == "actual" and "has not begun" in str(err.value)


@pytest.mark.parametrize(
    "kwargs, field, words",
    [
        ({"actual": "101"}, "actual", "over 100"),
        ({"actual": "-1"}, "actual", "negative"),
        ({"actual": "ninety"}, "actual", "not a number"),
        ({"trajectory": "100.5"}, "trajectory", "over 100"),
        ({"numerator": "5", "denominator": "0"}, "denominator", "more than zero"),
        ({"numerator": "6", "denominator": "5"}, "numerator", "more than the denominator"),
        ({"numerator": "-6", "denominator": "5"}, "numerator", "negative"),
        ({"numerator": "6"}, "denominator", "denominator too"),
        ({"denominator": "6"}, "numerator", "numerator too"),
        ({"numerator": "1.5", "denominator": "6"}, "numerator", "whole number"),
        ({"numerator": "90", "denominator": "100", "actual": "95"}, "actual", "does not match"),
    ],
)
def test_bad_figures_are_refused_naming_the_field_and_nothing_is_saved(any_demo_board, kwargs, field, words):
    before = st.period_line(any_demo_board, "AE4HR", "2016-09")
    audit_rows = any_demo_board.scalar("SELECT count(*) FROM audit")
    with pytest.raises(ValidationError) as err:
        st.record_period(any_demo_board, "AE4HR", "2016-09", today=TODAY, **kwargs)
    assert err.value.field == field
    assert words in str(err.value)
    assert str(err.value).startswith(f"{field}: ")
    assert st.period_line(any_demo_board, "AE4HR", "2016-09") == before
    assert any_demo_board.scalar("SELECT count(*) FROM audit") == audit_rows


def test_a_period_outside_the_effective_range_is_refused(any_demo_board):
    with pytest.raises(ValidationError) as err:
        st.record_period(any_demo_board, "AMBCATA8", "2017-08", actual="70", today=date(2018, 1, 1))
    assert err.value.field == "period"
    assert str(err.value) == ("period: Aug 2017 is outside the effective range of AMBCATA8 "
                              "(1 Apr 2016 to 31 Jul 2017)")
    with pytest.raises(ValidationError) as err:
        st.record_period(any_demo_board, "ARPC1MEAN", "2016-10", actual="7", today=TODAY)
    assert err.value.field == "period" and "from 1 Aug 2017" in str(err.value)
    with pytest.raises(ValidationError) as err:
        st.record_period(any_demo_board, "AE4HR", "Octember", actual="90", today=TODAY)
    assert err.value.field == "period"


def test_counts_are_refused_for_a_standard_measured_in_minutes(any_demo_board):
    with pytest.raises(ValidationError) as err:
        st.record_period(any_demo_board, "ARPC1MEAN", "2017-09", numerator="7", denominator="9", today=date(2018, 1, 1))
    assert err.value.field == "numerator" and "measured in min" in str(err.value)
    st.record_period(any_demo_board, "ARPC1MEAN", "2017-09", actual="7.4 min", trajectory="7", today=date(2018, 1, 1),
                     version=st.period_line(any_demo_board, "ARPC1MEAN", "2017-09").version)
    line = st.period_line(any_demo_board, "ARPC1MEAN", "2017-09")
    assert line.derived.reason == "7.4 min misses the 7 min standard (≤) and the 7.0 min trajectory"


def test_a_stale_edit_is_refused(any_demo_board):
    line = st.period_line(any_demo_board, "AE4HR", "2016-10")
    st.record_period(any_demo_board, "AE4HR", "2016-10", actual="91", version=line.version, today=TODAY)
    with pytest.raises(Conflict):
        st.record_period(any_demo_board, "AE4HR", "2016-10", actual="92", version=line.version, today=TODAY)
    assert st.period_line(any_demo_board, "AE4HR", "2016-10").actual == 91.0


def test_nothing_to_save_is_refused(any_demo_board):
    with pytest.raises(ValidationError) as err:
        st.record_period(any_demo_board, "AE4HR", "2017-05", today=TODAY)
    assert err.value.field == "actual"


def test_the_definition_in_force_is_used_for_each_period(board):
    with writing(board) as w:
        for frm, to, threshold in (("2004-01-01", "2010-06-30", 98), ("2010-07-01", "", 95)):
            w.insert("standards", {"code": "AE4HR", "name": "A&E 4 hours", "threshold": threshold, "comparator": ">=",
                                   "unit": "%", "valid_from": frm, "valid_to": to}, entity="standard", ref="AE4HR")
    st.record_period(board, "AE4HR", "2010-06", actual="96", today=TODAY)
    st.record_period(board, "AE4HR", "2010-07", actual="96", today=TODAY)
    june, july = st.period_lines(board, "AE4HR")
    assert (june.threshold, june.derived.rag) == (98, Rag.R)
    assert (july.threshold, july.derived.rag) == (95, Rag.G)
    with pytest.raises(ValidationError):
        st.record_period(board, "AE4HR", "2003-12", actual="96", today=TODAY)


def test_standard_lines_take_the_latest_complete_month_and_twelve_months_of_trend(any_demo_board):
    lines = {s.code: s for s in st.standard_lines(any_demo_board, TODAY)}
    ae = lines["AE4HR"]
    assert ae.period == "2016-10"  # November has not ended on 8 Nov
    assert len(ae.recent) == 12 and ae.recent[:5] == [None] * 5 and ae.recent[-1] == ae.actual
    assert ae.off_target and not ae.off_trajectory
    assert lines["AMBCATA8"].off_trajectory
    assert st.standard_lines(any_demo_board, date(2016, 11, 30))[0].period == "2016-11"


def test_standards_not_yet_in_force_say_so(any_demo_board):
    arp = st.standard_line(any_demo_board, "ARPC1MEAN", TODAY)
    assert arp.derived.rag is Rag.U
    assert arp.derived.reason == "not in force until 1 Aug 2017"
    assert not arp.in_force


def test_reasons_carry_the_unit(any_demo_board):
    arp = st.standard_line(any_demo_board, "ARPC290", date(2018, 4, 30))
    assert arp.derived.reason == "43.9 min misses the 40 min standard (≤) but meets the 45.0 min trajectory"


def test_next_period_follows_the_latest_actual_inside_the_range(any_demo_board):
    assert st.next_period(any_demo_board, "AE4HR", TODAY) == "2016-11"  # after October, the latest month ended
    later = date(2017, 9, 1)
    assert st.next_period(any_demo_board, "AMBCATA8", later) == "2017-04"
    st.record_period(any_demo_board, "AMBCATA8", "2017-07", actual="70", today=later)
    assert st.next_period(any_demo_board, "AMBCATA8", later) == "2017-07"  # August is past its valid_to
    assert st.next_period(any_demo_board, "ARPC1MEAN", TODAY) == "2017-08"  # not yet in force: its first month


def test_standard_history_covers_definitions_and_months(any_demo_board):
    st.record_period(any_demo_board, "DM01", "2016-10", actual="0.9", version=None, today=TODAY)
    history = st.standard_history(any_demo_board, "DM01")
    assert history[0].entity == "standard_period" and history[0].ref == "DM01 2016-10"
    assert {c.entity for c in history} == {"standard", "standard_period"}
