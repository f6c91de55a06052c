"""The programmes roll-up's integer RAG rule and risk adjustment agree exactly with the domain's Decimal ones."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from boardtui.domain import savings as calc
from boardtui.domain.money import ValueStatus
from boardtui.domain.rag import Rag
from boardtui.domain.thresholds import Thresholds
from boardtui.store import savings, savings_edit
from boardtui.store.rag import set_rag
from boardtui.store.savings import Rater
from tests.unit.store.conftest import add_programmes

MONTHS = st.sampled_from([None, "2017-03", "2017-04", "2017-05", "2017-09", "2018-03"])
MONEY = st.one_of(st.none(), st.integers(min_value=-10**9, max_value=10**12))
THRESHOLDS = st.builds(
    lambda green, gap, h, m, l: Thresholds(scheme_green_pct=Decimal(green) / 10,
                                           scheme_amber_pct=Decimal(green - gap) / 10,
                                           confidence_factors={"H": Decimal(h) / 100, "M": Decimal(m) / 100,
                                                               "L": Decimal(l) / 100}),
    st.integers(min_value=10, max_value=1000), st.integers(min_value=1, max_value=9),
    st.integers(0, 100), st.integers(0, 100), st.integers(0, 100),
)


@settings(max_examples=400, deadline=None)
@given(thresholds=THRESHOLDS, stage=st.sampled_from([None, "idea", "implementation", "delivered", "Complete",
                                                     " business  case "]),
       status=st.sampled_from(["quantified", "TBC", "NA"]), plan=MONEY, start=MONTHS, latest=MONTHS,
       ytd_actual=MONEY, fot=MONEY)
def test_letter_matches_the_domain_rule(thresholds, stage, status, plan, start, latest, ytd_actual, fot):
    expected = calc.scheme_rag(calc.SchemeFigures(plan_fy=plan, status=ValueStatus(status), stage=stage,
                                                  start_month=start, ytd_actual=ytd_actual, fot=fot,
                                                  latest_month=latest), thresholds).rag
    assert Rater(thresholds).letter(stage, status, plan, start, latest, ytd_actual, fot) is expected


@settings(max_examples=400, deadline=None)
@given(thresholds=THRESHOLDS, status=st.sampled_from(["quantified", "TBC", "NA"]), plan=MONEY,
       confidence=st.sampled_from([None, "", "H", "M", "L"]))
def test_risk_adjusted_matches_the_domain(thresholds, status, plan, confidence):
    expected = calc.risk_adjusted_value(plan, status, confidence, thresholds)
    assert Rater(thresholds).risk_adjusted(plan, status, confidence) == expected


def _reference(board, fy: int) -> dict[str, tuple]:
    """The roll-up computed the slow way, scheme line by scheme line through the domain functions."""
    out = {}
    for p in board.query("SELECT id, name FROM programmes"):
        lines = savings.schemes_of(board, fy, p["id"])
        out[p["name"]] = (
            sum(s.plan or 0 for s in lines if s.status is ValueStatus.QUANTIFIED),
            sum(1 for s in lines if s.status is ValueStatus.TBC),
            sum(1 for s in lines if s.status is ValueStatus.NA),
            sum(s.ytd_plan or 0 for s in lines), sum(s.ytd_actual or 0 for s in lines),
            sum(s.fot if s.fot is not None else (s.plan or 0) for s in lines),
            sum(s.risk_adjusted for s in lines),
            calc.programme_rag([s.rag for s in lines]),
        )
    return out


def test_programme_lines_equal_the_scheme_by_scheme_roll_up(demo_board):
    sid = demo_board.scalar("SELECT id FROM schemes WHERE ref = 'TH-CAD-01'")
    set_rag(demo_board, "scheme", sid, savings.get_scheme(demo_board, sid)["version"], Rag.G, "Recovering", Rag.R)
    savings_edit.create_scheme(demo_board, {"ref": "TH-CHI-04", "programme": "Children", "title": "Delivered one",
                                            "year": "2017/18", "plan": "120", "stage": "delivered"})
    got = {p.name: (p.identified, p.tbc, p.na, p.ytd_plan, p.ytd_actual, p.fot, p.risk_adjusted, p.derived)
           for p in savings.programme_lines(demo_board, 2017)}
    assert got == _reference(demo_board, 2017)
    assert got["Complex Adults"][-1].rag is Rag.G  # the manual Green on its only rated scheme
    assert got["Children"][-1].rag is Rag.B  # its one rated scheme is delivered


# ---- the roll-up in SQL equals the scheme-by-scheme rule, whatever the rows hold -------------------------------

ODD_MONEY = st.one_of(MONEY, st.integers(min_value=-2**62, max_value=2**62))
SCHEME = st.tuples(
    st.sampled_from(["p1", "p2", "p3", "p9"]),  # p9: no such programme (foreign keys off, as a foreign tool)
    st.sampled_from([None, "idea", "implementation", "delivered", "Complete", " business  case ", "completed\t"]),
    st.sampled_from(["quantified", "TBC", "NA", "Quantified", "tbc"]),
    ODD_MONEY,
    st.sampled_from([None, "", "2017-03", "2017-04", "2018-03", "2017-4", "Apr 2017"]),
    st.sampled_from([None, "", "2017-03", "2017-04", "2017-09", "May 2017"]),
    MONEY, ODD_MONEY, ODD_MONEY,
    st.sampled_from([None, "", "H", "M", "L", "h", " M"]),
    st.sampled_from([None, "", "R", "G", "B", "x"]),
)


def _fill(board, thresholds, rows) -> None:
    """The year 2017 holds exactly `rows`, written straight into the table as a foreign tool might."""
    names = ("programme_id", "stage", "value_status", "plan_pence", "start_month", "latest_month",
             "ytd_plan_pence", "ytd_actual_pence", "fot_pence", "confidence", "rag_override")
    board.conn.execute("DELETE FROM schemes")
    board.conn.executemany(
        f"INSERT INTO schemes (id, ref, title, fy, {', '.join(names)}) "
        f"VALUES (:id, :id, 't', 2017, {', '.join(':' + n for n in names)})",
        [{"id": f"s{i}", **dict(zip(names, row))} for i, row in enumerate(rows)],
    )
    board.thresholds = thresholds


@settings(max_examples=300, deadline=None)
@given(thresholds=THRESHOLDS, rows=st.lists(SCHEME, max_size=25))
def test_the_sql_roll_up_equals_the_scheme_by_scheme_rule(scratch, thresholds, rows):
    _fill(scratch, thresholds, rows)
    every_row = scratch.query("SELECT * FROM schemes")
    assert savings.programme_lines(scratch, 2017) == savings.programme_lines(scratch, 2017, scheme_rows=every_row)


def test_programme_lines_from_sql_equal_the_rule_on_each_engine(any_demo_board):
    for fy in savings.years(any_demo_board):
        every_row = any_demo_board.query("SELECT * FROM schemes")
        assert (savings.programme_lines(any_demo_board, fy)
                == savings.programme_lines(any_demo_board, fy, scheme_rows=every_row))


@settings(max_examples=200, deadline=None)
@given(thresholds=THRESHOLDS, rows=st.lists(SCHEME, max_size=25))
def test_the_years_totals_in_sql_equal_the_sum_of_the_programme_lines(scratch, thresholds, rows):
    _fill(scratch, thresholds, rows)
    every_row = scratch.query("SELECT * FROM schemes")
    by_line = savings.totals(scratch, 2017, savings.programme_lines(scratch, 2017, scheme_rows=every_row))
    assert savings.totals(scratch, 2017) == by_line


def test_the_years_totals_in_sql_equal_the_lines_on_each_engine(any_demo_board):
    for fy in savings.years(any_demo_board):
        assert (savings.totals(any_demo_board, fy)
                == savings.totals(any_demo_board, fy, savings.programme_lines(any_demo_board, fy)))


ODD_ROWS = [
    ("p1", None, "quantified", 2**62, "2017-03", "2017-04", 1, 2**62, 2**61, "H", None),  # past 64-bit products
    ("p1", None, "quantified", 1_000_001, "2017-4", "2017-09", 0, 0, 900_000, "M", None),  # a month not canonical
    ("p1", "completed\t", "Quantified", 333, None, None, None, None, 300, "h", "x"),  # odd status and confidence
    ("p2", " business  case ", "quantified", 7, "2017-03", "2017-04", None, 5, 3, "", "G"),
    ("p2", "idea", "TBC", None, None, None, None, None, None, None, None),
    ("p2", "idea", "quantified", -9, None, None, None, None, None, "L", None),
]


def test_rows_the_sql_cannot_judge_are_judged_by_the_rule_on_each_engine(board):
    add_programmes(board)
    _fill(board, board.thresholds, ODD_ROWS)
    every_row = board.query("SELECT * FROM schemes")
    lines = savings.programme_lines(board, 2017)
    assert lines == savings.programme_lines(board, 2017, scheme_rows=every_row)
    assert savings.totals(board, 2017) == savings.totals(board, 2017, lines)
