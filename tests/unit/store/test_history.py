"""History is data: rows as they stood at a past moment, and what changed between two moments (on both engines)."""

from __future__ import annotations

import pytest

from boardtui.domain.errors import ValidationError
from boardtui.store import history
from boardtui.store.tx import writing


def _add(board, name, **values) -> str:
    with writing(board) as w:
        return w.insert("programmes", {"name": name, **values}, entity="programme", ref=name)


def _at_of_last_audit(board) -> str:
    return board.scalar("SELECT max(at) FROM audit")


def _by_name(rows) -> dict[str, dict]:
    return {r["name"]: r for r in rows}


def test_rows_as_at_undoes_an_update_made_after_the_cut_off(board):
    pid = _add(board, "Adults", sro="Chief Officer", stated_total_pence=100_000)
    cut = _at_of_last_audit(board)
    with writing(board) as w:
        w.update("programmes", pid, 1, {"sro": "CFO", "stated_total_pence": 250_000}, entity="programme")
    assert _at_of_last_audit(board) > cut

    then = _by_name(history.rows_as_at(board, "programme", cut))
    assert then["Adults"]["sro"] == "Chief Officer"
    assert then["Adults"]["stated_total_pence"] == 100_000  # typed back to an integer, not text
    now = board.one("SELECT sro, stated_total_pence FROM programmes")
    assert tuple(now) == ("CFO", 250_000)  # the table itself is untouched


def test_rows_as_at_keeps_changes_made_before_the_cut_off(board):
    pid = _add(board, "Adults", sro="Chief Officer")
    with writing(board) as w:
        w.update("programmes", pid, 1, {"sro": "CFO"}, entity="programme")
    cut = _at_of_last_audit(board)
    assert _by_name(history.rows_as_at(board, "programme", cut))["Adults"]["sro"] == "CFO"


def test_rows_as_at_removes_records_created_after_and_restores_records_deleted_after(board):
    keep = _add(board, "Adults", sro="COO")
    _add(board, "Children")
    cut = _at_of_last_audit(board)
    _add(board, "Complex Adults")
    with writing(board) as w:
        w.delete("programmes", keep, 1, entity="programme")
    then = _by_name(history.rows_as_at(board, "programme", cut))
    assert sorted(then) == ["Adults", "Children"]
    assert then["Adults"]["sro"] == "COO" and then["Adults"]["id"] == keep


def test_rows_as_at_before_the_trail_begins_keeps_the_records_as_first_recorded(board):
    pid = _add(board, "Adults", sro="COO")
    with writing(board) as w:
        w.update("programmes", pid, 1, {"sro": "CFO"}, entity="programme")
    rows = history.rows_as_at(board, "programme", "2000-01-01T00:00:00.000000Z")
    assert [(r["name"], r["sro"]) for r in rows] == [("Adults", "COO")]


def test_row_history_lists_a_records_changes_newest_first(board):
    pid = _add(board, "Adults", sro="COO")
    with writing(board, reason="handover") as w:
        w.update("programmes", pid, 1, {"sro": "CFO"}, entity="programme", ref="Adults")
    changes = history.row_history(board, "programme", pid)
    assert [(c.op, c.field, c.old, c.new, c.reason) for c in changes] == [
        ("update", "sro", "COO", "CFO", "handover"),
        ("create", None, None, None, None),
    ]


def test_changes_between_leaves_out_confidential_rows_unless_asked(board):
    since = "2000-01-01T00:00:00.000000Z"
    with writing(board) as w:
        w.insert("programmes", {"name": "Adults"}, entity="programme", ref="Adults")
        w.audit("update", "action", "a1", "TH-06", "text", "old", "P2-CANARY award the contract", confidential=True)
    public = history.changes_between(board, since)
    assert [(c.entity, c.ref) for c in public] == [("programme", "Adults")]
    everything = history.changes_between(board, since, include_confidential=True)
    assert sorted((c.entity, c.ref) for c in everything) == [("action", "TH-06"), ("programme", "Adults")]
    assert any(c.confidential for c in everything)


def test_changes_between_on_the_demo_hides_part_2_business(any_demo_board):
    public = history.changes_between(any_demo_board, "2000-01-01T00:00:00.000000Z")
    assert public and not any(c.confidential for c in public)
    assert "TH-06" not in {c.ref for c in public}  # the action raised on the Part 2 item
    confidential = history.changes_between(any_demo_board, "2000-01-01T00:00:00.000000Z", include_confidential=True)
    assert "TH-06" in {c.ref for c in confidential if c.confidential}


def test_changes_between_respects_the_window_and_skips_recalculations(board):
    pid = _add(board, "Adults")
    middle = _at_of_last_audit(board)
    with writing(board) as w:
        w.update("programmes", pid, 1, {"sro": "CFO"}, entity="programme")
        w.update("programmes", pid, 2, {"focus": "roll-up"}, entity="programme", reason=history.RECALCULATED)
    changes = history.changes_between(board, middle)
    assert [(c.op, c.field) for c in changes] == [("update", "sro")]
    assert history.changes_between(board, "2000-01-01", until=middle)[0].op == "create"


@pytest.mark.parametrize("bad", ["2016-11", "2016-02-30", "yesterday"])
def test_as_at_dates_must_be_whole_days(bad):
    with pytest.raises(ValidationError):
        history.end_of_day(bad)


def test_end_of_day_covers_the_whole_day():
    assert history.start_of_day("2016-11-08") < "2016-11-08T12:00:00.000000Z" < history.end_of_day("2016-11-08")
