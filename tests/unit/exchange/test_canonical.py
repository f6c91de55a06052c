"""Canonical CSV import: the demo loads; bad files are refused whole, naming file, row and column."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from boardtui.domain.errors import ValidationError
from boardtui.exchange.canonical import KINDS, LOAD_ORDER, ImportRefused, import_file

PROGRAMMES = "name,aliases,sro\nAdults,,COO\nChildren,Children's,CFO\n"
SCHEMES_HEADER = "ref,programme,title,year,plan_000s,confidence\n"


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def _counts(board) -> dict[str, int]:
    tables = ("programmes", "schemes", "milestones", "milestone_deps", "actions", "audit")
    return {t: board.scalar(f"SELECT count(*) FROM {t}") for t in tables}


@pytest.fixture
def board(empty_board, tmp_path):
    """An empty board with two programmes."""
    import_file(empty_board, "programmes", _write(tmp_path, "programmes.csv", PROGRAMMES))
    return empty_board


def test_the_demo_board_loads_through_the_importer(demo_board):
    counts = _counts(demo_board)
    assert counts["programmes"] == 5 and counts["schemes"] == 18 and counts["actions"] == 9
    assert counts["milestones"] == 19
    imports = demo_board.query("SELECT entity, ref, new FROM audit WHERE op = 'import' ORDER BY at, id")
    data = resources.files("boardtui") / "data"
    assert [r["entity"] for r in imports] == [k for k in LOAD_ORDER if (data / f"{k}.csv").is_file()]
    assert {r["entity"]: int(r["new"]) for r in imports}["schemes"] == 18


def test_every_documented_kind_exists():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "csv-formats.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"## {kind} " in doc, f"{kind} is not documented in docs/csv-formats.md"


def test_a_good_file_imports_with_the_encoding_reported(board, tmp_path):
    path = _write(tmp_path, "schemes.csv", "\ufeff" + SCHEMES_HEADER + "A-1,Adults,Pathway,2017/18,\"£1,651\",H\n")
    result = import_file(board, "schemes", path)
    assert (result.rows, result.encoding) == (1, "utf-8-sig")
    row = board.one("SELECT ref, title, fy, plan_pence, value_status, confidence FROM schemes")
    assert tuple(row) == ("A-1", "Pathway", 2017, 165_100_000, "quantified", "H")


def test_a_cp1252_file_with_a_pound_sign_imports(board, tmp_path):
    path = _write(tmp_path, "schemes.csv", SCHEMES_HEADER + "A-1,Children's,Perinatal,2017/18,£250,M\n", "cp1252")
    assert import_file(board, "schemes", path).encoding == "cp1252"
    assert board.scalar("SELECT plan_pence FROM schemes") == 25_000_000
    # the alias found the programme
    assert board.scalar("SELECT p.name FROM schemes s JOIN programmes p ON p.id = s.programme_id") == "Children"


@pytest.mark.parametrize("amount", ["£1,65", "1_651", "nan", "inf", "1e3", "１６５１", "12%", "1.651,00"])
def test_an_unparseable_amount_names_file_row_and_column_and_writes_nothing(board, tmp_path, amount):
    rows = "A-1,Adults,Good,2017/18,100,H\nA-2,Adults,Also good,2017/18,200,M\n"
    path = _write(tmp_path, "my schemes.csv", SCHEMES_HEADER + rows + f'A-3,Adults,Bad,2017/18,"{amount}",L\n')
    before = _counts(board)
    with pytest.raises(ImportRefused) as caught:
        import_file(board, "schemes", path)
    message = str(caught.value)
    assert message.startswith("my schemes.csv: 1 problem(s), nothing was imported")
    assert "row 4, column plan_000s" in message
    assert amount in message
    assert message.count("row 4") == 1  # the place is said once
    assert (caught.value.row, caught.value.column) == (4, "plan_000s")
    assert _counts(board) == before


def test_every_problem_is_listed_not_just_the_first(board, tmp_path):
    rows = "A-1,Adults,One,2017/18,£1,65,H\n".replace("£1,65", '"£1,65"') + "A-2,Adults,Two,2017/18,nan,X\n"
    path = _write(tmp_path, "schemes.csv", SCHEMES_HEADER + rows)
    with pytest.raises(ImportRefused) as caught:
        import_file(board, "schemes", path)
    assert [(p.line, p.column) for p in caught.value.problems] == [
        (2, "plan_000s"), (3, "plan_000s"), (3, "confidence"),
    ]


def test_a_missing_required_column_lists_the_expected_columns(board, tmp_path):
    path = _write(tmp_path, "schemes.csv", "ref,programme,title,year\nA-1,Adults,One,2017/18\n")
    before = _counts(board)
    with pytest.raises(ValidationError) as caught:
        import_file(board, "schemes", path)
    message = str(caught.value)
    assert "schemes.csv" in message
    assert "missing required column(s) plan_000s" in message
    assert "The schemes columns are: ref, programme, title," in message
    assert _counts(board) == before


def test_an_unknown_column_is_an_error_not_dropped(board, tmp_path):
    path = _write(tmp_path, "schemes.csv", "ref,programme,title,year,plan_000s,saving\nA-1,Adults,One,2017/18,1,2\n")
    with pytest.raises(ValidationError, match="unknown column\\(s\\) saving"):
        import_file(board, "schemes", path)
    assert board.scalar("SELECT count(*) FROM schemes") == 0


def test_headers_ignore_case_and_spaces_but_not_duplicates(board, tmp_path):
    ok = _write(tmp_path, "a.csv", " REF , Programme,Title ,YEAR,Plan_000s\nA-1,Adults,One,2017/18,5\n")
    import_file(board, "schemes", ok)
    dup = _write(tmp_path, "b.csv", "ref,programme,title,year,plan_000s,ref\nA-2,Adults,One,2017/18,5,A-3\n")
    with pytest.raises(ValidationError, match="duplicated column\\(s\\) ref"):
        import_file(board, "schemes", dup)
    assert board.scalar("SELECT count(*) FROM schemes") == 1


def test_a_ragged_row_is_reported_by_line(board, tmp_path):
    path = _write(tmp_path, "schemes.csv", SCHEMES_HEADER + "A-1,Adults,One,2017/18,£1,651,H\n")
    with pytest.raises(ValidationError) as caught:
        import_file(board, "schemes", path)
    assert str(caught.value).startswith("schemes.csv row 2 has 7 cells but the header has 6")
    assert board.scalar("SELECT count(*) FROM schemes") == 0


def test_reimporting_the_same_file_updates_rather_than_duplicates(board, tmp_path):
    path = _write(tmp_path, "schemes.csv", SCHEMES_HEADER + "A-1,Adults,One,2017/18,100,H\nA-2,Adults,Two,2017/18,TBC,\n")
    import_file(board, "schemes", path)
    audit_after_first = board.scalar("SELECT count(*) FROM audit")
    import_file(board, "schemes", path)
    assert board.scalar("SELECT count(*) FROM schemes") == 2
    # the second, identical import changes nothing: only its own import record is added
    assert board.scalar("SELECT count(*) FROM audit") == audit_after_first + 1
    path.write_text(SCHEMES_HEADER + "A-1,Adults,One,2017/18,120,H\nA-2,Adults,Two,2017/18,TBC,\n")
    import_file(board, "schemes", path)
    assert board.scalar("SELECT count(*) FROM schemes") == 2
    row = board.one("SELECT plan_pence, version FROM schemes WHERE ref = 'A-1'")
    assert tuple(row) == (12_000_000, 2)
    change = board.one("SELECT field, old, new FROM audit WHERE op = 'update' AND ref = 'A-1'")
    assert tuple(change) == ("plan_pence", "10000000", "12000000")


def test_the_demo_reimported_is_unchanged(demo_board):
    before = _counts(demo_board)
    data = resources.files("boardtui") / "data"
    for kind in ("schemes", "milestones", "actions"):
        with resources.as_file(data / f"{kind}.csv") as csv_path:
            import_file(demo_board, kind, csv_path)
    after = _counts(demo_board)
    assert after["audit"] == before["audit"] + 3
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}


@pytest.mark.parametrize(
    "cell, status", [("TBC", "TBC"), ("tbd", "TBC"), ("-", "TBC"), ("NA", "NA"), ("N/A", "NA")]
)
def test_tbc_and_na_are_stored_as_null_with_a_status_never_zero(board, tmp_path, cell, status):
    path = _write(tmp_path, "schemes.csv", SCHEMES_HEADER + f"A-1,Adults,One,2017/18,{cell},\n")
    import_file(board, "schemes", path)
    row = board.one("SELECT plan_pence, value_status FROM schemes")
    assert tuple(row) == (None, status)


def test_a_blank_optional_amount_is_null_not_zero(board, tmp_path):
    path = _write(tmp_path, "programmes.csv", "name,stated_total_000s\nAdults,\nChildren,TBC\n")
    import_file(board, "programmes", path)
    rows = board.query("SELECT name, stated_total_pence, stated_total_status FROM programmes ORDER BY name")
    assert [tuple(r) for r in rows] == [("Adults", None, "TBC"), ("Children", None, "TBC")]


def test_an_unknown_reference_on_a_later_row_rolls_back_every_row(board, tmp_path):
    rows = "A-1,Adults,One,2017/18,100,H\nA-2,Children,Two,2017/18,200,M\nA-3,Nobody's Programme,Three,2017/18,300,L\n"
    path = _write(tmp_path, "schemes.csv", SCHEMES_HEADER + rows)
    before = _counts(board)
    with pytest.raises(ValidationError) as caught:
        import_file(board, "schemes", path)
    message = str(caught.value)
    assert message == (
        "schemes.csv row 4, column programme: no programme called 'Nobody's Programme' (import programmes first)."
    )
    assert _counts(board) == before
    assert not board.conn.in_transaction


def test_dry_run_checks_everything_and_writes_nothing(board, tmp_path):
    path = _write(tmp_path, "schemes.csv", SCHEMES_HEADER + "A-1,Adults,One,2017/18,100,H\n")
    before = _counts(board)
    result = import_file(board, "schemes", path, dry_run=True)
    assert result.rows == 1
    assert _counts(board) == before
    bad = _write(tmp_path, "bad.csv", SCHEMES_HEADER + "A-1,Ghosts,One,2017/18,100,H\n")
    with pytest.raises(ValidationError, match="no programme called 'Ghosts'"):
        import_file(board, "schemes", bad, dry_run=True)
    assert _counts(board) == before


MILESTONES_HEADER = "ref,title,baseline,forecast,depends_on\n"


def test_milestone_dependencies_are_stored(empty_board, tmp_path):
    path = _write(tmp_path, "m.csv", MILESTONES_HEADER + "M1,First,2016-10,,\nM2,Second,2016-11-30,,M1\nM3,Third,2017,,M1;M2\n")
    import_file(empty_board, "milestones", path)
    deps = empty_board.query(
        "SELECT m.ref, d.ref FROM milestone_deps x JOIN milestones m ON m.id = x.milestone_id "
        "JOIN milestones d ON d.id = x.depends_on_id ORDER BY 1, 2"
    )
    assert [tuple(r) for r in deps] == [("M2", "M1"), ("M3", "M1"), ("M3", "M2")]
    assert empty_board.scalar("SELECT baseline FROM milestones WHERE ref = 'M1'") == "2016-10"


def test_a_milestone_dependency_cycle_is_refused(empty_board, tmp_path):
    path = _write(tmp_path, "m.csv", MILESTONES_HEADER + "M1,First,2016-10,,M3\nM2,Second,2016-11,,M1\nM3,Third,2016-12,,M2\n")
    with pytest.raises(ValidationError) as caught:
        import_file(empty_board, "milestones", path)
    assert "cycle" in str(caught.value) and "nothing was imported" in str(caught.value)
    assert _counts(empty_board)["milestones"] == 0
    assert _counts(empty_board)["audit"] == 0


def test_a_cycle_through_existing_milestones_is_refused(demo_board, tmp_path):
    # W01 has no dependencies in the demo; making it depend on W13 closes a loop W13 → W06 → … → W01
    path = _write(tmp_path, "m.csv", MILESTONES_HEADER + "W01,Planning guidance issued,2015-12-22,,W13\n")
    before = _counts(demo_board)
    with pytest.raises(ValidationError, match="cycle"):
        import_file(demo_board, "milestones", path)
    assert _counts(demo_board) == before


def test_an_unknown_kind_names_the_kinds(empty_board, tmp_path):
    path = _write(tmp_path, "x.csv", "a\n1\n")
    with pytest.raises(ValidationError) as caught:
        import_file(empty_board, "budgets", path)
    assert "no import kind 'budgets'" in str(caught.value) and "schemes" in str(caught.value)


def test_control_characters_and_markup_are_stored_safely(empty_board, tmp_path):
    text = 'Chase [RED] owner\x1b[31m now\x0b\u202e,CFO [/],2016-12-01\n'
    path = _write(tmp_path, "actions.csv", "ref,text,owner,due\nA-1," + text)
    import_file(empty_board, "actions", path)
    row = empty_board.one("SELECT text, owner FROM actions")
    assert "[RED]" in row["text"] and row["owner"] == "CFO [/]"
    assert not {"\x1b", "\x0b", "\u202e"} & set(row["text"])
