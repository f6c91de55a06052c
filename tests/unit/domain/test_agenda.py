"""Agenda rules: the template's order, planned times, the clock's words and the projected finish."""

from __future__ import annotations

from datetime import time

import pytest

from boardtui.domain.agenda import (
    TEMPLATE, ItemKind, clock_state, exclusion_text, is_action_log, mmss, parse_time, planned_starts,
    projected_finish,
)
from boardtui.domain.errors import ValidationError


def test_the_template_follows_the_standard_order():
    kinds = [t.kind for t in TEMPLATE]
    assert kinds.index(ItemKind.APOLOGIES) < kinds.index(ItemKind.DECLARATIONS) < kinds.index(ItemKind.MINUTES)
    assert kinds.index(ItemKind.MINUTES) < kinds.index(ItemKind.ACTION_LOG) < kinds.index(ItemKind.AOB)
    assert kinds[-3:] == [ItemKind.AOB, ItemKind.NEXT_MEETING, ItemKind.EXCLUSION]


def test_exclusion_text_cites_the_law():
    assert "1960 s1(2)" in exclusion_text("PBAMA 1960")
    assert "Schedule 12A" in exclusion_text("LGA 1972 Sch 12A")
    assert "confidential" in exclusion_text(None)


@pytest.mark.parametrize("kind, title, expected", [
    (ItemKind.ACTION_LOG, "Anything", True),
    (None, "Action log", True),
    (None, "Matters arising and the Action Log", True),
    (None, "Minutes and matters arising", False),
])
def test_which_item_is_the_action_log(kind, title, expected):
    assert is_action_log(kind, title) is expected


@pytest.mark.parametrize("text, expected", [("13:30", time(13, 30)), ("1330", time(13, 30)), ("9.05", time(9, 5)),
                                            ("", None), (None, None)])
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "noon", "13:61"])
def test_parse_time_refuses_nonsense(text):
    with pytest.raises(ValidationError) as err:
        parse_time(text)
    assert err.value.field == "start_time"


def test_planned_starts_run_back_to_back():
    assert planned_starts(time(13, 30), [5, None, 30, 10]) == [time(13, 30), time(13, 35), time(13, 35),
                                                                  time(14, 5)]
    assert planned_starts(None, [5, 5]) == [None, None]


@pytest.mark.parametrize("elapsed, allotted, level, words", [
    (0, 10, "ok", "on time: 10:00 left"),
    (479, 10, "ok", "on time: 2:01 left"),
    (480, 10, "warn", "nearly out: 2:00 left"),
    (600, 10, "warn", "nearly out: 0:00 left"),
    (725, 10, "over", "OVER TIME by 2:05"),
    (100, None, "none", "no time allotted"),
])
def test_the_clock_says_it_in_words(elapsed, allotted, level, words):
    st = clock_state(elapsed, allotted)
    assert (st.level, st.words) == (level, words)


def test_mmss():
    assert (mmss(0), mmss(65), mmss(3725)) == ("0:00", "1:05", "1:02:05")


def test_projected_finish_counts_overruns_so_far():
    items = [(10, 900), (20, 600), (30, 0)]  # item 1 ran 5 min over; item 2 is current at 10 of 20 min
    p = projected_finish(time(13, 30), items, current=1)
    assert p.planned_minutes == 60 and p.projected_minutes == 65
    assert p.planned_finish == time(14, 30) and p.projected_finish == time(14, 35)
    assert p.words() == "planned finish 14:30 · projected 14:35 (5 min over)"
    over = projected_finish(time(13, 30), [(10, 900), (20, 1500), (30, 0)], current=1)
    assert over.projected_minutes == 70
    assert "min" in projected_finish(None, items, 1).words()
