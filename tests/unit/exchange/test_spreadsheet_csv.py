"""CSV files as people save them from Excel, through the same spreadsheet import: encodings, title rows, ragged
rows, quoted newlines, control characters, and the command line around it."""

from __future__ import annotations

import codecs
import csv
import sqlite3

import openpyxl
import pytest
from click.testing import CliRunner

from boardtui.cli import cli
from boardtui.domain.errors import ValidationError
from boardtui.exchange.canonical import ImportRefused
from boardtui.exchange.importer import import_path

K = 100_000


def test_a_cp1252_file_with_a_title_row_and_pound_signs(empty_board, tmp_path):
    text = ("Savings plan 2017/18,,,\r\n"
            ",,,\r\n"
            "Programme,Scheme,Saving (£000s),Comments\r\n"
            "Adults,Café pathway,\"£1,651\",\"Two lines:\r\nsecond\"\r\n"
            ",Urgent care,TBC,\r\n"
            "Total,,\"£1,651\",\r\n")
    path = tmp_path / "plan.csv"
    path.write_bytes(text.encode("cp1252"))
    report = import_path(empty_board, "schemes", path)
    assert report.source == "cp1252" and report.header_line == 3 and report.rows == 2
    rows = {r["title"]: r for r in empty_board.query("SELECT * FROM schemes")}
    assert rows["Café pathway"]["plan_pence"] == 1651 * K
    assert rows["Café pathway"]["commentary"] == "Two lines:\nsecond"  # the quoted newline is kept
    assert rows["Urgent care"]["value_status"] == "TBC" and rows["Urgent care"]["fy"] == 2017
    assert any("1,651 matches" in s for s in report.summaries)


def test_utf16_with_a_bom_is_read_and_without_one_is_refused(empty_board, tmp_path):
    body = "Ref,Programme,Scheme,Saving £k,Year\r\nU-1,Adults,One,5,2017/18\r\n"
    good = tmp_path / "unicode.csv"
    good.write_bytes(codecs.BOM_UTF16_LE + body.encode("utf-16-le"))
    assert import_path(empty_board, "schemes", good).source == "utf-16"
    bad = tmp_path / "nobom.csv"
    bad.write_bytes(body.encode("utf-16-le"))
    with pytest.raises(ValidationError, match="UTF-16"):
        import_path(empty_board, "schemes", bad)


def test_a_ragged_row_is_reported_by_its_line(empty_board, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("Ref,Programme,Scheme,Saving £k,Year\nR-1,Adults,One,£1,651,2017/18\nR-2,Adults,Two,5,2017/18\n")
    with pytest.raises(ImportRefused) as err:
        import_path(empty_board, "schemes", path)
    (problem,) = err.value.problems
    assert problem.line == 2 and "unquoted comma" in problem.reason
    assert empty_board.scalar("SELECT count(*) FROM schemes") == 0


def test_control_characters_and_bidi_overrides_are_stored_sanitised(empty_board, tmp_path):
    path = tmp_path / "controls.csv"
    path.write_text("Ref,Programme,Scheme,Saving £k,Year\n"
                    "C-1,Adults,Evil \x1b[31mred\u202e text\x0b [@click=app.quit],1,2017/18\n", encoding="utf-8")
    import_path(empty_board, "schemes", path)
    title = empty_board.scalar("SELECT title FROM schemes")
    assert title == "Evil [31mred text [@click=app.quit]"  # ESC, VT and the override gone; markup kept as text


def test_the_import_command_reads_a_workbook_and_lists_problems(demo_path, tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Programme", "Scheme", "Saving"])
    wb.active.append(["Adults", "Spreadsheet scheme", 1651])
    wb.active.append(["Adults", "Bad scheme", "£1,65"])
    wb.save(path)
    run = CliRunner().invoke
    result = run(cli, ["import", "schemes", str(path), "--db", str(demo_path), "--year", "2017/18"])
    assert result.exit_code == 1 and "--units" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    problems = tmp_path / "problems.csv"
    result = run(cli, ["import", "schemes", str(path), "--db", str(demo_path), "--year", "2017/18", "--units",
                       "000s", "--dry-run", "--problems", str(problems)])
    assert result.exit_code == 1 and "plan.xlsx row 3, column Saving" in result.stderr
    rows = list(csv.reader(problems.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["row", "column", "value", "problem"] and rows[1][:3] == ["3", "Saving", "£1,65"]
    wb.active.delete_rows(3)
    wb.save(path)
    result = run(cli, ["import", "schemes", str(path), "--db", str(demo_path), "--year", "2017/18", "--units", "000s"])
    assert result.exit_code == 0, result.stderr
    assert "imported 1 schemes row(s) from sheet 'Sheet'" in result.stdout
    conn = sqlite3.connect(demo_path)
    assert conn.execute("SELECT plan_pence FROM schemes WHERE title = 'Spreadsheet scheme'").fetchone()[0] == 1651 * K
    assert conn.execute("SELECT new FROM audit WHERE op = 'import' AND ref = 'plan.xlsx'").fetchone()[0] == "1"
