"""The runner's linked figures come from the same store functions as the area screens."""

from __future__ import annotations

from boardtui.domain.rag import Rag
from boardtui.store import linked
from tests.conftest import DEMO_TODAY


def test_programme_links_show_identified_tbc_forecast_rag_and_the_board_gap(any_demo_board):
    figs = linked.figures(any_demo_board, [("programme", "Adults")], DEMO_TODAY)
    assert figs[0].kind == "savings" and figs[0].rag is None
    assert "requirement £15,000k, identified £10,816k, gap £4,184k" in figs[0].figures
    adults = figs[1]
    assert adults.label == "Adults" and adults.rag is Rag.A
    assert adults.figures.startswith("identified £3,841k, 2 TBC")


def test_standard_links_show_the_latest_actual_against_threshold(any_demo_board):
    (fig,) = linked.figures(any_demo_board, [("standard", "AE4HR")], DEMO_TODAY)
    assert fig.figures == "M7 2016/17: 91.3% against ≥ 95.0%, trajectory 91.0%"
    assert fig.rag is Rag.A


def test_scheme_and_milestone_links_and_missing_records(any_demo_board):
    scheme, milestone, gone = linked.figures(
        any_demo_board, [("scheme", "TH-PRO-01"), ("milestone", "W07"), ("milestone", "NOPE")], DEMO_TODAY)
    assert "value £1,800k" in scheme.figures
    assert milestone.label.startswith("W07 ") and "baseline" in milestone.figures
    assert gone.figures == "milestone not found" and gone.rag is Rag.U
