"""SVG snapshots of the savings screens: the demo board at 100×30, judged as at 8 Nov 2016.

What to look at: RAG shown as letters (colour only as a second cue), figures in £000s, the totals band above
the table, the grid's month headings, the strip aligned under the months, the bars labelled with figures.
"""

from __future__ import annotations

from boardtui.cli import make_app
from boardtui.config import Config
from tests.conftest import DEMO_TODAY

SIZE = (100, 30)


def _app(board):
    return make_app(board, Config(), screen="programmes", today=DEMO_TODAY)


def test_programmes_screen(snap_compare, demo_board):
    """Five programmes, the totals band (requirement 15,000, gap 4,184), derived and manual RAG columns."""
    assert snap_compare(_app(demo_board), terminal_size=SIZE)


def test_programme_detail(snap_compare, demo_board):
    """Adults: its four schemes, the savings bridge and plan-vs-forecast bars."""
    assert snap_compare(_app(demo_board), terminal_size=SIZE, press=["enter"])


def test_scheme_detail(snap_compare, demo_board):
    """TH-ADU-04: the 12-month grid, the RAG strip GGAAAA, the cumulative chart."""
    assert snap_compare(_app(demo_board), terminal_size=SIZE, press=["enter", "down", "down", "down", "enter"])


def test_rag_dialog(snap_compare, demo_board):
    """The RAG dialog on TH-ADU-04: derived Amber and its reason, Red chosen, commentary box."""
    assert snap_compare(_app(demo_board), terminal_size=SIZE,
                        press=["enter", "down", "down", "down", "r", "r"])
