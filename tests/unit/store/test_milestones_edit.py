"""Milestones in the store: moving forecasts, recording actuals, re-baselining with history, dependencies."""

from datetime import date

import pytest

from boardtui.domain.errors import Conflict, ValidationError
from boardtui.domain.rag import Rag
from boardtui.store import milestones as ms
from boardtui.store.history import changes_between

TODAY = date(2016, 11, 8)


def line(board, ref, today=TODAY):
    return next(m for m in ms.milestone_lines(board, today) if m.ref == ref)


def audit_count(board):
    return board.scalar("SELECT count(*) FROM audit")


def test_move_a_forecast_and_read_it_back_with_its_audit_row(demo_board):
    w11 = line(demo_board, "W11")
    version = ms.move_forecast(demo_board, w11.id, w11.version, "Jan 2017", today=TODAY, reason="contract delay")
    after = line(demo_board, "W11")
    assert (str(after.forecast), after.slip, after.version) == ("2017-01", 31, version)
    assert after.derived.rag is Rag.R and "31 days after the baseline" in after.derived.reason
    [change] = [c for c in ms.milestone_history(demo_board, w11.id) if c.field == "forecast"]
    assert (change.old, change.new, change.reason, change.who) == (None, "2017-01", "contract delay", "tester")


def test_record_an_actual_makes_it_blue(demo_board):
    w08 = line(demo_board, "W08")
    ms.record_actual(demo_board, w08.id, w08.version, "14/10/2016", today=TODAY)
    after = line(demo_board, "W08")
    assert (str(after.actual), after.rag) == ("2016-10-14", Rag.B)


def test_an_actual_in_the_future_is_refused(demo_board):
    w11 = line(demo_board, "W11")
    count = audit_count(demo_board)
    with pytest.raises(ValidationError) as err:
        ms.record_actual(demo_board, w11.id, w11.version, "2016-11-09", today=TODAY)
    assert err.value.field == "actual" and "in the future" in str(err.value)
    ms.record_actual(demo_board, w11.id, w11.version, "2016-11", today=TODAY)  # this month: allowed
    assert audit_count(demo_board) == count + 1


def test_a_forecast_before_the_baselines_year_is_refused_and_nothing_is_saved(demo_board):
    w11 = line(demo_board, "W11")
    count = audit_count(demo_board)
    with pytest.raises(ValidationError) as err:
        ms.set_dates(demo_board, w11.id, w11.version, forecast="2015-12", actual="2016-11-01", today=TODAY)
    assert err.value.field == "forecast"
    assert str(err.value) == "forecast: Dec 2015 is before 2016, the year of the baseline Dec 2016: check the year"
    assert audit_count(demo_board) == count
    after = line(demo_board, "W11")
    assert after.actual is None and after.forecast is None
    ms.move_forecast(demo_board, w11.id, w11.version, "2016-01", today=TODAY)  # early in the same year is fine


def test_unreadable_dates_name_their_field(demo_board):
    w11 = line(demo_board, "W11")
    with pytest.raises(ValidationError) as err:
        ms.move_forecast(demo_board, w11.id, w11.version, "31/02/2017", today=TODAY)
    assert err.value.field == "forecast"


def test_a_stale_edit_is_refused(demo_board):
    w11 = line(demo_board, "W11")
    ms.move_forecast(demo_board, w11.id, w11.version, "2017-01", today=TODAY)
    with pytest.raises(Conflict):
        ms.move_forecast(demo_board, w11.id, w11.version, "2017-02", today=TODAY)


def test_rebaseline_needs_a_reason_and_keeps_the_original(demo_board):
    w11 = line(demo_board, "W11")
    with pytest.raises(ValidationError) as err:
        ms.rebaseline(demo_board, w11.id, w11.version, "2017-02", "  ")
    assert err.value.field == "reason"
    with pytest.raises(ValidationError) as err:
        ms.rebaseline(demo_board, w11.id, w11.version, "2016-12", "same")
    assert err.value.field == "baseline"
    v = ms.rebaseline(demo_board, w11.id, w11.version, "2017-02", "national timetable moved")
    ms.rebaseline(demo_board, w11.id, v, "2017-03", "moved again")
    after = line(demo_board, "W11")
    assert (str(after.baseline), after.rebaselined) == ("2017-03", 2)
    changes = ms.baseline_changes(demo_board, w11.id)
    assert [(c.old, c.new, c.reason) for c in changes] == [
        ("2016-12", "2017-02", "national timetable moved"), ("2017-02", "2017-03", "moved again")]
    assert ms.original_baseline(demo_board, w11.id) == "2016-12"


def test_add_and_remove_a_dependency(demo_board):
    w12 = line(demo_board, "W12")
    ms.add_dependency(demo_board, w12.id, w12.version, "w10", reason="needs the HWB view")
    assert line(demo_board, "W12").depends_on == ["W10", "W11"]
    assert "W12" in line(demo_board, "W10").dependants
    ms.remove_dependency(demo_board, w12.id, w12.version, "W11")
    assert line(demo_board, "W12").depends_on == ["W10"]
    trail = [(c.field, c.old, c.new) for c in ms.milestone_history(demo_board, w12.id)]
    assert trail[:2] == [("depends_on", "W10, W11", "W10"), ("depends_on", "W11", "W10, W11")]
    entities = {c.entity for c in changes_between(demo_board, "2000")}
    assert "milestone" in entities


def test_a_dependency_cycle_is_refused(demo_board):
    w06 = line(demo_board, "W06")
    count = audit_count(demo_board)
    with pytest.raises(ValidationError) as err:
        ms.add_dependency(demo_board, w06.id, w06.version, "W13")
    assert err.value.field == "depends_on"
    assert str(err.value) == "depends_on: W06 depending on W13 would make a cycle: W06 → W13 → W06"
    assert line(demo_board, "W06").depends_on == ["W05"]
    assert audit_count(demo_board) == count
    w01 = line(demo_board, "W01")
    with pytest.raises(ValidationError, match="cycle: W07 → W12 → W11 → W09 → W08 → W07$"):
        ms.add_dependency(demo_board, line(demo_board, "W07").id, None, "W12")
    with pytest.raises(ValidationError, match="cannot depend on itself"):
        ms.add_dependency(demo_board, w01.id, w01.version, "W01")
    with pytest.raises(ValidationError, match="no milestone 'W99'"):
        ms.add_dependency(demo_board, w01.id, w01.version, "W99")
    with pytest.raises(ValidationError, match="already depends on W05"):
        ms.add_dependency(demo_board, w06.id, w06.version, "W05")
    with pytest.raises(ValidationError, match=r"does not depend on 'W04' \(it depends on W05\)"):
        ms.remove_dependency(demo_board, w06.id, w06.version, "W04")


def test_a_late_predecessor_flags_its_dependant_amber_naming_it(demo_board):
    w11, w12 = line(demo_board, "W11"), line(demo_board, "W12")
    assert w12.rag is Rag.G
    ms.move_forecast(demo_board, w11.id, w11.version, "2017-05", today=TODAY)
    w12 = line(demo_board, "W12")
    assert w12.rag is Rag.A
    assert w12.derived.reason == "predecessor W11 forecast May 2017 lands after this baseline Apr 2017"


def test_dependency_changes_are_all_or_nothing(demo_board):
    w06 = line(demo_board, "W06")
    count = audit_count(demo_board)
    with pytest.raises(ValidationError, match="cycle"):
        ms.update_dependencies(demo_board, w06.id, w06.version, add=["W13"], remove=["W05"])
    assert line(demo_board, "W06").depends_on == ["W05"]
    assert audit_count(demo_board) == count
    with pytest.raises(ValidationError) as err:
        ms.update_dependencies(demo_board, w06.id, w06.version, add=["W04"], remove=["W99"])
    assert err.value.field == "remove"
    assert line(demo_board, "W06").depends_on == ["W05"]
    assert ms.split_refs("W05, W12;W13  w14") == ["W05", "W12", "W13", "w14"]
