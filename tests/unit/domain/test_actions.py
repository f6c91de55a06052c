"""Action log: status, overdue and due-date slippage (Meeting A's actions, DOMAIN.md §6.4)."""

from datetime import date

import pytest

from boardtui.domain.actions import ActionStatus, is_overdue, slip_summary
from boardtui.domain.errors import ParseError

TODAY = date(2016, 10, 17)


def test_status_values():
    assert [s.value for s in ActionStatus] == ["open", "proposed for closure", "closed"]
    assert ActionStatus.parse("Proposed") is ActionStatus.PROPOSED
    assert ActionStatus.parse("Proposed for Closure") is ActionStatus.PROPOSED
    assert ActionStatus.parse("") is ActionStatus.OPEN
    assert ActionStatus.parse("CLOSED") is ActionStatus.CLOSED
    with pytest.raises(ParseError, match="is not an action status: use one of open, proposed for closure, closed"):
        ActionStatus.parse("maybe")


@pytest.mark.parametrize(
    "status, due, overdue",
    [
        (ActionStatus.OPEN, date(2016, 10, 14), True),  # HWB-02, comments were due 14 Oct
        ("open", "2016-10-14", True),
        (ActionStatus.PROPOSED, "2016-10-14", True),
        (ActionStatus.CLOSED, "2016-10-07", False),  # HWB-01
        (ActionStatus.OPEN, "2016-11-01", False),  # HWB-03
        (ActionStatus.OPEN, TODAY, False),  # due today is not yet overdue
        (ActionStatus.OPEN, None, False),
        (ActionStatus.OPEN, "2016-10", False),  # month precision: overdue only after 31 Oct
        (ActionStatus.OPEN, "2016-09", True),
    ],
)
def test_is_overdue(status, due, overdue):
    assert is_overdue(status, due, TODAY) is overdue


@pytest.mark.parametrize(
    "history, summary",
    [
        ([], ""),
        (["2016-10-14"], ""),
        (["2016-10-14", "2016-10-14"], ""),
        (["2016-10-14", "2016-11-01"], "slipped once, originally 14 Oct 2016"),
        (["2016-10-14", "2016-11-01", "2016-12-01"], "slipped twice, originally 14 Oct 2016"),
        (["2016-10-14", "2016-11-01", "2016-12-01", "2017-01-31"], "slipped 3 times, originally 14 Oct 2016"),
        (["2016-10-14", "2016-10-07"], "moved once, originally 14 Oct 2016"),
        ([date(2016, 11, 30), date(2016, 12, 31)], "slipped once, originally 30 Nov 2016"),
    ],
)
def test_slip_summary(history, summary):
    assert slip_summary(history) == summary
