"""Milestones: slip at period ends, the milestone RAG, predecessors and cycles (H&W STP, DOMAIN.md §6.3)."""

from datetime import date

import pytest

from boardtui.domain.errors import ParseError
from boardtui.domain.milestones import cycle_if_added, find_cycle, milestone_rag, slip_days
from boardtui.domain.periods import PartialDate as P
from boardtui.domain.rag import Rag
from boardtui.domain.thresholds import Thresholds

AS_AT = date(2016, 9, 13)  # the HWB meeting the STP paper went to


def test_slip_days():
    assert slip_days(P("2016-10-14"), P("2016-10-21")) == 7
    assert slip_days(P("2016-10-14"), P("2016-10-21"), P("2016-10-24")) == 10  # actual wins over forecast
    assert slip_days(P("2016-10-14"), None, None) == 0
    assert slip_days(P("2016-10-14"), P("2016-10-10")) == -4


def test_month_precision_slip_is_measured_at_month_ends():
    assert slip_days(P("2016-09"), P("2016-10")) == 31
    assert slip_days(P("2016-11"), P("2016-11-30")) == 0
    assert slip_days(P("2016-11"), P("2016-11-01")) == -29
    assert slip_days(P("2016"), P("2017-03")) == 90
    assert slip_days("2016-09", "2016-10") == 31


def test_bad_date_text_is_a_parse_error():
    with pytest.raises(ParseError):
        slip_days("soon", None)


def test_done_is_blue():
    derived = milestone_rag(P("2016-06-30"), None, P("2016-06-30"), AS_AT)  # W04
    assert (derived.rag, derived.reason) == (Rag.B, "done 30 Jun 2016")


def test_overdue_is_red():
    derived = milestone_rag(P("2016-09-12"), None, None, AS_AT)
    assert (derived.rag, derived.reason) == (Rag.R, "overdue: due 12 Sep 2016 and not done")


def test_month_precision_is_not_overdue_until_the_month_ends():
    assert milestone_rag(P("2016-09"), None, None, date(2016, 9, 30)).rag is Rag.A  # due today
    assert milestone_rag(P("2016-09"), None, None, date(2016, 10, 1)).rag is Rag.R


def test_forecast_overdue_is_red_even_when_baseline_is_ahead():
    derived = milestone_rag(P("2016-12-01"), P("2016-09-01"), None, AS_AT)
    assert derived.reason == "overdue: due 1 Sep 2016 and not done"


def test_slip_over_28_days_is_red():
    derived = milestone_rag(P("2016-10-14"), P("2016-11-12"), None, AS_AT)
    assert derived.rag is Rag.R
    assert derived.reason == "forecast 12 Nov 2016 is 29 days after the baseline 14 Oct 2016: red over 28 days"


def test_slip_of_up_to_28_days_is_amber():
    derived = milestone_rag(P("2016-10-14"), P("2016-11-11"), None, AS_AT)
    assert derived.rag is Rag.A
    assert derived.reason == "forecast 11 Nov 2016 is 28 days after the baseline 14 Oct 2016: amber up to 28 days"
    assert milestone_rag(P("2016-10-14"), P("2016-10-15"), None, AS_AT).rag is Rag.A


def test_a_month_of_slip_on_month_precision_is_red():
    assert milestone_rag(P("2016-10"), P("2016-11"), None, AS_AT).rag is Rag.R


def test_due_soon_is_amber():
    derived = milestone_rag(P("2016-09-27"), None, None, AS_AT)
    assert (derived.rag, derived.reason) == (Rag.A, "due 27 Sep 2016, in 14 days, and not done")
    assert milestone_rag(P("2016-09-13"), None, None, AS_AT).reason == "due 13 Sep 2016, today, and not done"


def test_on_track_is_green():
    derived = milestone_rag(P("2016-10-21"), None, None, AS_AT)  # W09 STP submission
    assert (derived.rag, derived.reason) == (Rag.G, "on track for 21 Oct 2016")
    assert milestone_rag(P("2016-10-21"), P("2016-10-14"), None, AS_AT).rag is Rag.G  # early is fine


def test_predecessor_landing_after_the_baseline_makes_it_amber():
    derived = milestone_rag(P("2016-09"), None, None, date(2016, 8, 1), predecessors=[("W06", P("2016-10"))])
    assert derived.rag is Rag.A
    assert derived.reason == "predecessor W06 forecast Oct 2016 lands after this baseline Sep 2016"


def test_predecessors_on_time_or_unknown_do_not_matter():
    preds = [("W05", P("2016-06")), ("W04", None)]
    assert milestone_rag(P("2016-10-21"), None, None, AS_AT, predecessors=preds).rag is Rag.G


def test_predecessor_never_lowers_a_red():
    derived = milestone_rag(P("2016-09-01"), None, None, AS_AT, predecessors=[("W06", P("2016-10"))])
    assert derived.rag is Rag.R


def test_thresholds_are_used():
    t = Thresholds(milestone_red_slip_days=7, milestone_due_soon_days=0)
    assert milestone_rag(P("2016-10-14"), P("2016-10-22"), None, AS_AT, t).rag is Rag.R
    assert milestone_rag(P("2016-09-27"), None, None, AS_AT, t).rag is Rag.G


def test_hw_stp_milestones():
    today = AS_AT
    assert milestone_rag("2015-12-22", None, "2015-12-22", today).rag is Rag.B  # W01
    assert milestone_rag("2016-10-14", None, None, today).rag is Rag.G  # W08
    assert milestone_rag("2016-12", None, None, today).rag is Rag.G  # W11
    assert milestone_rag("2017-04", None, None, today).rag is Rag.G  # W12


def test_find_cycle():
    assert find_cycle({"W06": {"W13"}, "W13": {"W06"}}) == ["W06", "W13", "W06"]
    assert find_cycle({"W09": {"W08"}, "W08": {"W07"}, "W10": {"W09"}}) is None
    assert find_cycle({"A": {"A"}}) == ["A", "A"]
    assert find_cycle({}) is None
    cycle = find_cycle({"a": {"b"}, "b": {"c"}, "c": {"d", "a"}, "x": {"a"}})
    assert cycle == ["a", "b", "c", "a"]


def test_find_cycle_is_not_fooled_by_diamonds():
    assert find_cycle({"d": {"b", "c"}, "b": {"a"}, "c": {"a"}, "a": set()}) is None


def test_find_cycle_on_a_long_chain_has_no_recursion_limit():
    chain = {f"M{i}": {f"M{i + 1}"} for i in range(20_000)}
    assert find_cycle(chain) is None
    chain["M20000"] = {"M0"}
    cycle = find_cycle(chain)
    assert cycle[0] == cycle[-1] and len(cycle) == 20_002


def test_cycle_if_added():
    edges = {"W13": {"W06"}, "W06": {"W05"}}
    assert cycle_if_added(edges, "W05", "W13") == ["W05", "W13", "W06", "W05"]
    assert cycle_if_added(edges, "W07", "W13") is None
    assert edges == {"W13": {"W06"}, "W06": {"W05"}}  # not changed
