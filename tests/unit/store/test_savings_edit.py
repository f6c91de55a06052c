"""Savings writes: programmes and schemes created, edited, deleted; one month's figure set with its roll-up."""

from __future__ import annotations

import json

import pytest

from boardtui.domain.errors import Conflict, ParseError, ReadOnly, ValidationError
from boardtui.store import history, savings, savings_edit
from boardtui.store.connection import open_board
from boardtui.store.savings_edit import FieldErrors

K = 100_000  # pence in £1k


def _scheme_id(board, ref: str) -> str:
    return board.scalar("SELECT id FROM schemes WHERE ref = :r", {"r": ref})


def _programme_id(board, name: str) -> str:
    return board.scalar("SELECT id FROM programmes WHERE name = :n", {"n": name})


def _scheme_values(**changes) -> dict[str, str]:
    values = {"ref": "TH-ADU-05", "programme": "Adults", "title": "Frailty pathway", "year": "2017/18",
              "plan": "£250k", "start_month": "2017-06", "confidence": "m", "stage": "Business case"}
    values.update(changes)
    return values


def _audit(board, entity_id: str) -> list:
    return board.query("SELECT * FROM audit WHERE entity_id = :i ORDER BY at, id", {"i": entity_id})


# ---- cleaning form text ---------------------------------------------------------------------------------------

def test_clean_scheme_reads_money_months_and_choices():
    clean = savings_edit.clean_scheme(_scheme_values(recurrent="200", non_recurrent="£50k"))
    assert clean["plan_pence"] == 250 * K and clean["value_status"] == "quantified"
    assert clean["recurrent_pence"] == 200 * K and clean["non_recurrent_pence"] == 50 * K
    assert clean["fy"] == 2017 and clean["start_month"] == "2017-06"
    assert clean["confidence"] == "M" and clean["stage"] == "business case"


@pytest.mark.parametrize("plan, status", [("TBC", "TBC"), ("", "TBC"), ("n/a", "NA")])
def test_a_plan_that_is_not_given_is_tbc_or_na_never_zero(plan, status):
    clean = savings_edit.clean_scheme(_scheme_values(plan=plan))
    assert clean["plan_pence"] is None and clean["value_status"] == status


def test_clean_scheme_names_every_wrong_field_at_once():
    with pytest.raises(FieldErrors) as caught:
        savings_edit.clean_scheme(_scheme_values(ref="", title=" ", year="2017/19", plan="£1,2k",
                                                 start_month="Smarch 2017", confidence="very", stage="done"))
    errors = caught.value.errors
    assert set(errors) == {"ref", "title", "year", "plan", "start_month", "confidence", "stage"}
    assert "commas must separate groups of three digits" in errors["plan"]


def test_negative_plan_and_a_split_that_does_not_add_up_are_refused():
    with pytest.raises(FieldErrors) as caught:
        savings_edit.clean_scheme(_scheme_values(plan="-100"))
    assert "cannot be negative" in caught.value.errors["plan"]
    with pytest.raises(FieldErrors) as caught:
        savings_edit.clean_scheme(_scheme_values(plan="250", recurrent="200", non_recurrent="40"))
    assert "add up to 240, not the plan 250" in caught.value.errors["non_recurrent"]


def test_a_start_month_after_the_year_ends_is_refused():
    with pytest.raises(FieldErrors) as caught:
        savings_edit.clean_scheme(_scheme_values(start_month="2018-04"))
    assert "after 2017/18 ends" in caught.value.errors["start_month"]


def test_form_values_round_trip_exactly(demo_board):
    row = savings.get_scheme(demo_board, _scheme_id(demo_board, "TH-ADU-04"))
    values = savings_edit.scheme_form_values(row)
    assert values["plan"] == "2,190" and values["programme"] == "Adults" and values["year"] == "2017/18"
    clean = savings_edit.clean_scheme(values)
    assert clean["plan_pence"] == row["plan_pence"] and clean["components"] == row["components"]
    assert savings_edit.money_text(165_150_050) == "1,651.5005"


def test_hostile_text_is_made_terminal_safe():
    clean = savings_edit.clean_scheme(_scheme_values(title="[RED] x\x1b]52;c;aGk=\x07", commentary="[/] ok"))
    assert clean["title"] == "[RED] x]52;c;aGk=" and clean["commentary"] == "[/] ok"


# ---- programmes -----------------------------------------------------------------------------------------------

def test_create_update_delete_a_programme_with_its_audit(demo_board):
    pid = savings_edit.create_programme(demo_board, {"name": "Estates", "aliases": "Estate; Buildings", "sro": "CFO"})
    row = savings.get_programme(demo_board, pid)
    assert row["aliases"] == "Estate;Buildings" and row["version"] == 1
    v = savings_edit.update_programme(demo_board, pid, 1, {"name": "Estates and facilities", "sro": "COO"})
    assert v == 2 and savings.get_programme(demo_board, pid)["sro"] == "COO"
    savings_edit.delete_programme(demo_board, pid, 2)
    assert savings.get_programme(demo_board, pid) is None
    ops = [(a["op"], a["field"]) for a in _audit(demo_board, pid)]
    assert ops[0] == ("create", None) and ("update", "sro") in ops and ops[-1] == ("delete", None)
    snapshot = json.loads(_audit(demo_board, pid)[-1]["old"])
    assert snapshot["name"] == "Estates and facilities"


def test_a_programme_name_must_be_unique_ignoring_case(demo_board):
    with pytest.raises(FieldErrors) as caught:
        savings_edit.create_programme(demo_board, {"name": "adults"})
    assert "already a programme" in caught.value.errors["name"]


def test_a_programme_with_schemes_cannot_be_deleted(demo_board):
    pid = _programme_id(demo_board, "Adults")
    with pytest.raises(ValidationError, match="still has 4 schemes: move or delete them first"):
        savings_edit.delete_programme(demo_board, pid, savings.get_programme(demo_board, pid)["version"])
    assert savings.get_programme(demo_board, pid) is not None


def test_a_stale_programme_edit_names_who_and_when(demo_board, demo_path):
    pid = _programme_id(demo_board, "Adults")
    version = savings.get_programme(demo_board, pid)["version"]
    colleague = open_board(demo_path, who="colleague")
    try:
        savings_edit.update_programme(colleague, pid, version, {"name": "Adults", "sro": "Dr A"})
    finally:
        colleague.close()
    with pytest.raises(Conflict) as caught:
        savings_edit.update_programme(demo_board, pid, version, {"name": "Adults", "sro": "Dr B"})
    assert caught.value.who == "colleague"
    assert savings.get_programme(demo_board, pid)["sro"] == "Dr A"


# ---- schemes --------------------------------------------------------------------------------------------------

def test_create_a_scheme_by_programme_name_or_alias(demo_board):
    sid = savings_edit.create_scheme(demo_board, _scheme_values(programme="children's", ref="TH-CHI-09"))
    row = savings.get_scheme(demo_board, sid)
    assert row["programme_name"] == "Children" and row["plan_pence"] == 250 * K
    assert [a["op"] for a in _audit(demo_board, sid)] == ["create"]


def test_create_scheme_refuses_a_duplicate_ref_and_an_unknown_programme(demo_board):
    with pytest.raises(FieldErrors) as caught:
        savings_edit.create_scheme(demo_board, _scheme_values(ref="th-adu-04", programme="Estates"))
    assert "already a scheme" in caught.value.errors["ref"]
    assert "There is no programme 'Estates': use one of Adults" in caught.value.errors["programme"]


def test_update_a_scheme_audits_each_changed_field(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    row = savings.get_scheme(demo_board, sid)
    values = savings_edit.scheme_form_values(row) | {"plan": "2,000", "confidence": "L"}
    savings_edit.update_scheme(demo_board, sid, row["version"], values)
    changed = {a["field"]: (a["old"], a["new"]) for a in _audit(demo_board, sid) if a["op"] == "update"}
    assert changed["plan_pence"] == (str(2190 * K), str(2000 * K)) and changed["confidence"] == ("M", "L")


def test_a_scheme_with_figures_keeps_its_year_and_no_figures_before_its_start(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    row = savings.get_scheme(demo_board, sid)
    values = savings_edit.scheme_form_values(row)
    with pytest.raises(FieldErrors) as caught:
        savings_edit.update_scheme(demo_board, sid, row["version"], values | {"year": "2018/19",
                                                                                "start_month": "2018-04"})
    assert "the year cannot change" in caught.value.errors["year"]
    with pytest.raises(FieldErrors) as caught:
        savings_edit.update_scheme(demo_board, sid, row["version"], values | {"start_month": "2017-06"})
    assert "figures for Apr 2017, before Jun 2017" in caught.value.errors["start_month"]


def test_delete_a_scheme_keeps_it_and_its_months_in_the_audit(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    version = savings.get_scheme(demo_board, sid)["version"]
    savings_edit.delete_scheme(demo_board, sid, version)
    assert savings.get_scheme(demo_board, sid) is None
    assert demo_board.scalar("SELECT count(*) FROM scheme_periods WHERE scheme_id = :s", {"s": sid}) == 0
    deletes = demo_board.query("SELECT entity, ref FROM audit WHERE op = 'delete' ORDER BY at, id")
    assert ("scheme", "TH-ADU-04") in [tuple(d) for d in deletes]
    assert sum(1 for d in deletes if d["entity"] == "scheme_period") == 6
    # The as-at view can bring it back from the snapshot.
    before = history.rows_as_at(demo_board, "scheme", "2000-01-01T00:00:00Z")
    assert any(r["ref"] == "TH-ADU-04" for r in before)


def test_a_stale_delete_is_refused_and_nothing_is_deleted(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    with pytest.raises(Conflict):
        savings_edit.delete_scheme(demo_board, sid, 999)
    assert demo_board.scalar("SELECT count(*) FROM scheme_periods WHERE scheme_id = :s", {"s": sid}) == 6


# ---- one month ------------------------------------------------------------------------------------------------

def test_set_month_updates_the_rollup_in_the_same_transaction(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    periods = savings.scheme_periods(demo_board, sid)
    new_version = savings_edit.set_month(demo_board, sid, "2017-09", "fot", 1_600 * K, periods["2017-09"]["version"])
    assert new_version == periods["2017-09"]["version"] + 1
    assert savings.get_scheme(demo_board, sid)["fot_pence"] == 1_600 * K
    savings_edit.set_month(demo_board, sid, "2017-10", "actual", 160 * K, None)
    row = savings.get_scheme(demo_board, sid)
    assert row["latest_month"] == "2017-10" and row["ytd_actual_pence"] == 980 * K
    audit = demo_board.query("SELECT entity, field, ref FROM audit WHERE entity = 'scheme_period' AND op <> 'create' "
                             "ORDER BY at DESC LIMIT 1")
    assert tuple(audit[0]) == ("scheme_period", "fot_pence", "TH-ADU-04 2017-09")


def test_set_month_refusals(demo_board):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    with pytest.raises(ValidationError, match="not in 2017/18"):
        savings_edit.set_month(demo_board, sid, "2018-04", "plan", K, None)
    with pytest.raises(ValidationError, match="A plan cannot be negative"):
        savings_edit.set_month(demo_board, sid, "2017-10", "plan", -K, None)
    tbc = _scheme_id(demo_board, "TH-ADU-02")
    with pytest.raises(ValidationError, match="value is TBC"):
        savings_edit.set_month(demo_board, tbc, "2017-10", "plan", K, None)


def test_a_forecast_before_the_scheme_starts_is_refused(demo_board):
    sid = savings_edit.create_scheme(demo_board, _scheme_values())
    with pytest.raises(ValidationError, match="May 2017 is before the scheme starts \\(Jun 2017\\)"):
        savings_edit.set_month(demo_board, sid, "2017-05", "fot", 200 * K, None)
    assert savings_edit.set_month(demo_board, sid, "2017-06", "fot", 200 * K, None) == 1


def test_a_stale_month_edit_names_who_and_when(demo_board, demo_path):
    sid = _scheme_id(demo_board, "TH-ADU-04")
    version = savings.scheme_periods(demo_board, sid)["2017-09"]["version"]
    colleague = open_board(demo_path, who="colleague")
    try:
        savings_edit.set_month(colleague, sid, "2017-09", "actual", 155 * K, version)
    finally:
        colleague.close()
    with pytest.raises(Conflict) as caught:
        savings_edit.set_month(demo_board, sid, "2017-09", "actual", 150 * K, version)
    assert caught.value.who == "colleague"
    with pytest.raises(Conflict):  # a month someone else created since it was read as empty
        savings_edit.set_month(demo_board, sid, "2017-09", "plan", K, None)


def test_writes_on_a_read_only_board_are_refused(demo_path):
    board = open_board(demo_path, read_only=True)
    try:
        with pytest.raises(ReadOnly):
            savings_edit.create_programme(board, {"name": "Estates"})
    finally:
        board.close()


@pytest.mark.parametrize("text, expected", [("£1.2k", 120_000), ("1,651", 1651 * K), ("", None),
                                            ("TBC", None), ("(20)", -20 * K)])
def test_parse_month_value(text, expected):
    assert savings_edit.parse_month_value(text, "actual") == expected


@pytest.mark.parametrize("text", ["£1,2k", "NA", "12%"])
def test_parse_month_value_refuses(text):
    with pytest.raises(ParseError):
        savings_edit.parse_month_value(text, "plan")
