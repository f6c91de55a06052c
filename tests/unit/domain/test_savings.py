"""Savings arithmetic and scheme/programme RAG, on the Tower Hamlets 2017/18 figures (DOMAIN.md §6.1)."""

from decimal import Decimal

import pytest

from boardtui.domain.errors import ParseError
from boardtui.domain.money import ValueStatus, format_money, pounds_from_000s as k
from boardtui.domain.rag import Rag
from boardtui.domain.savings import (
    Confidence,
    SchemeFigures,
    Stage,
    delivery_pct,
    exclusion_note,
    fot_variance,
    gap,
    identified,
    phase_plan,
    programme_rag,
    risk_adjusted_total,
    risk_adjusted_value,
    risk_factor,
    scheme_rag,
    status_counts,
    summarise,
    ytd_variance,
)
from boardtui.domain.thresholds import Thresholds

Q, TBC, NA = ValueStatus.QUANTIFIED, ValueStatus.TBC, ValueStatus.NA

# Appendix 1 of [S0]: eight quantified schemes, nine TBC and one NA.
TOWER_HAMLETS = [
    (None, TBC), (None, TBC), (None, TBC),  # Children's
    (k(1651), Q), (None, TBC), (None, TBC), (k(2190), Q),  # Adults
    (k(1019), Q), (None, NA), (None, TBC), (None, TBC), (None, TBC), (None, TBC),  # Complex Adults
    (k(1800), Q), (k(583), Q), (k(1000), Q),  # Productivity/ Transactional
    (k(653), Q), (k(1920), Q),  # TST
]
REQUIREMENT = k(15000)


def test_tower_hamlets_identified_and_gap():
    found = identified(TOWER_HAMLETS)
    assert found == k(10816)
    assert format_money(found) == "10,816"
    assert status_counts(TOWER_HAMLETS) == (9, 1)
    assert gap(REQUIREMENT, found) == k(4184)
    assert exclusion_note(9, 1) == "excludes 9 TBC and 1 NA"


def test_programme_totals_match_the_summary_table():
    adults = [(k(1651), Q), (None, TBC), (None, TBC), (k(2190), Q)]
    productivity = [(k(1800), Q), (k(583), Q), (k(1000), Q)]
    tst = [(k(653), Q), (k(1920), Q)]
    assert identified(adults) == k(3841)
    assert identified(productivity) == k(3383)
    assert identified(tst) == k(2573)


def test_tbc_and_na_are_not_zero_they_are_counted():
    plans = [(None, "TBC"), (None, "NA"), (k(5), "quantified")]
    assert identified(plans) == k(5)
    assert status_counts(plans) == (1, 1)


def test_quantified_without_a_figure_is_counted_as_not_provided():
    assert identified([(None, Q)]) == 0
    assert status_counts([(None, Q)]) == (1, 0)


def test_empty_programme():
    assert identified([]) == 0
    assert status_counts([]) == (0, 0)
    assert exclusion_note(0, 0) == ""
    assert programme_rag([]).rag is Rag.U
    assert gap(REQUIREMENT, identified([])) == REQUIREMENT
    assert gap(None, 0) is None


def test_greenwich_gap():
    # "£15.45m target, £11.40m identified, £4.05m to find" [27]
    assert gap(k(15450), k(11400)) == k(4050)


def test_integrated_uec_worked_example():
    uec = SchemeFigures(plan_fy=k(2190), confidence="M", start_month="2017-04", ytd_plan=k(1092),
                        ytd_actual=k(820), fot=k(1700), latest_month="2017-09")
    derived = scheme_rag(uec)
    assert derived.rag is Rag.A
    assert derived.reason == "forecast 77.6% of plan: amber below 95%"
    assert risk_adjusted_value(uec.plan_fy, uec.status, uec.confidence) == k(1095)
    assert ytd_variance(uec.ytd_actual, uec.ytd_plan) == -k(272)
    assert fot_variance(uec.fot, uec.plan_fy) == -k(490)
    assert delivery_pct(uec.fot, uec.plan_fy).quantize(Decimal("0.01")) == Decimal("77.63")


def test_hf_delivery():
    # H&F delivered £8,921k against £10,549k [25]
    assert delivery_pct(k(8921), k(10549)).quantize(Decimal("0.1")) == Decimal("84.6")


@pytest.mark.parametrize(
    "confidence, status, factor",
    [
        ("H", Q, Decimal("1")),
        ("M", Q, Decimal("0.5")),
        ("l", Q, Decimal("0.25")),
        (Confidence.M, Q, Decimal("0.5")),
        ("High", Q, Decimal("1")),
        (None, Q, Decimal("0.25")),  # unassessed counts as low
        ("H", TBC, Decimal("0")),
        ("H", NA, Decimal("0")),
    ],
)
def test_risk_factor(confidence, status, factor):
    assert risk_factor(confidence, status) == factor


def test_risk_factor_follows_thresholds():
    t = Thresholds(confidence_factors={"M": Decimal("0.6")})
    assert risk_factor("M", Q, t) == Decimal("0.6")
    assert risk_adjusted_value(k(1000), Q, "M", t) == k(600)


def test_bad_confidence_is_a_parse_error():
    with pytest.raises(ParseError, match="is not a confidence level"):
        risk_factor("X", Q)


def test_risk_adjusted_rounds_half_up_to_the_penny():
    assert risk_adjusted_value(1, Q, "M") == 1  # 0.5p → 1p
    assert risk_adjusted_value(3, Q, "L") == 1  # 0.75p → 1p
    assert risk_adjusted_value(-1, Q, "M") == -1
    assert risk_adjusted_value(None, Q, "H") == 0
    assert risk_adjusted_value(k(2190), TBC, "H") == 0


def test_risk_adjusted_total_and_summary():
    rows = [(k(2190), Q, "M"), (k(1651), Q, "H"), (None, TBC, None)]
    assert risk_adjusted_total(rows) == k(1095) + k(1651)
    schemes = [SchemeFigures(plan_fy=p, status=s, confidence=c) for p, s, c in rows]
    summary = summarise(schemes, REQUIREMENT)
    assert summary.identified == k(3841)
    assert (summary.tbc, summary.na) == (1, 0)
    assert summary.gap == REQUIREMENT - k(3841)
    assert summary.risk_adjusted == k(2746)
    assert summary.risk_adjusted_gap == REQUIREMENT - k(2746)
    assert summary.note == "excludes 1 TBC"


def test_variances_need_both_figures():
    assert ytd_variance(None, k(1)) is None
    assert fot_variance(k(1), None) is None
    assert delivery_pct(k(1), 0) is None
    assert delivery_pct(k(1), None) is None
    assert delivery_pct(None, k(1)) is None


@pytest.mark.parametrize("plan", [k(2190), k(1651), 11, 0, -13, 1])
def test_phasing_adds_up_with_the_remainder_in_m12(plan):
    months = phase_plan(plan)
    assert len(months) == 12
    assert sum(months) == plan
    assert len(set(months[:11])) == 1


def test_phasing_example():
    assert phase_plan(k(1651))[:11] == [13_758_333] * 11
    assert phase_plan(k(1651))[11] == 13_758_337


def _scheme(**changes):
    base = dict(plan_fy=k(1000), start_month="2017-04", ytd_actual=k(400), fot=k(1000), latest_month="2017-09")
    base.update(changes)
    return SchemeFigures(**base)


@pytest.mark.parametrize(
    "changes, rag, reason",
    [
        ({"stage": "delivered"}, Rag.B, "delivered"),
        ({"stage": Stage.DELIVERED, "fot": 0}, Rag.B, "delivered"),
        ({"status": TBC, "plan_fy": None}, Rag.U, "value TBC: not rated"),
        ({"status": NA, "plan_fy": None}, Rag.U, "value NA: not rated"),
        ({"plan_fy": None}, Rag.U, "no plan value: not rated"),
        ({"plan_fy": 0}, Rag.U, "no saving planned: not rated"),
        ({"fot": None}, Rag.U, "no forecast returned yet"),
        ({"fot": k(950)}, Rag.G, "forecast 95.0% of plan: green at 95% or above"),
        ({"fot": k(1100)}, Rag.G, "forecast 110.0% of plan: green at 95% or above"),
        ({"fot": k(949)}, Rag.A, "forecast 94.9% of plan: amber below 95%"),
        ({"fot": k(1000) * 9499 // 10000}, Rag.A, "forecast 94.9% of plan: amber below 95%"),
        ({"fot": k(750)}, Rag.A, "forecast 75.0% of plan: amber below 95%"),
        ({"fot": k(749)}, Rag.R, "forecast 74.9% of plan: red below 75%"),
        ({"ytd_actual": 0}, Rag.R, "nothing delivered by Sep 2017, after the start month Apr 2017"),
        ({"ytd_actual": None}, Rag.R, "nothing delivered by Sep 2017, after the start month Apr 2017"),
        ({"ytd_actual": 0, "latest_month": "2017-04"}, Rag.G, "forecast 100.0% of plan: green at 95% or above"),
        ({"ytd_actual": 0, "start_month": "2017-10"}, Rag.G, "forecast 100.0% of plan: green at 95% or above"),
    ],
)
def test_scheme_rag_table(changes, rag, reason):
    derived = scheme_rag(_scheme(**changes))
    assert (derived.rag, derived.reason) == (rag, reason)


def test_scheme_with_no_returns_is_judged_on_today_when_given():
    fresh = SchemeFigures(plan_fy=k(1000), start_month="2017-04")
    assert scheme_rag(fresh).reason == "no forecast returned yet"
    assert scheme_rag(fresh, today_month="2017-04").rag is Rag.U
    late = scheme_rag(fresh, today_month="2017-06")
    assert late.rag is Rag.R
    assert late.reason == "nothing delivered by Jun 2017, after the start month Apr 2017"


def test_scheme_rag_follows_thresholds():
    t = Thresholds(scheme_green_pct=Decimal("90"), scheme_amber_pct=Decimal("80"))
    assert scheme_rag(_scheme(fot=k(900)), t).reason == "forecast 90.0% of plan: green at 90% or above"
    assert scheme_rag(_scheme(fot=k(799)), t).reason == "forecast 79.9% of plan: red below 80%"


@pytest.mark.parametrize(
    "rags, rag, reason",
    [
        ([], Rag.U, "no schemes to rate"),
        ([Rag.U, Rag.U], Rag.U, "none of its 2 schemes is rated"),
        ([Rag.G, Rag.A, Rag.B], Rag.A, "worst of 3 schemes rated is Amber"),
        ([Rag.G, Rag.R, Rag.U, Rag.A], Rag.R, "worst of 3 schemes rated is Red; 1 unrated"),
        ([Rag.B], Rag.B, "worst of 1 scheme rated is Blue"),
        (["G", "g", None], Rag.G, "worst of 2 schemes rated is Green; 1 unrated"),
    ],
)
def test_programme_rag(rags, rag, reason):
    derived = programme_rag(rags)
    assert (derived.rag, derived.reason) == (rag, reason)


def test_stage_and_confidence_parse():
    assert Stage.parse("Business Case") is Stage.BUSINESS_CASE
    assert Stage.parse("justify") is Stage.IDEA
    assert Stage.parse("") is None
    assert Confidence.parse(" medium ") is Confidence.M
    assert Confidence.parse(None) is None
    with pytest.raises(ParseError):
        Stage.parse("nearly there")
