"""Hostile and broken workbooks are refused before any XML is parsed, quickly, with one plain sentence."""

from __future__ import annotations

import time
import zipfile

import openpyxl
import pytest

from boardtui.domain.errors import ValidationError
from boardtui.exchange.importer import import_path
from boardtui.exchange.spreadsheet import MAX_RATIO, check_package, decimal_text


def _good(path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Programme", "Scheme", "Saving £k", "Year"])
    wb.active.append(["Adults", "One", 1, "2017/18"])
    wb.save(path)


def _rewrite(src, dest, change) -> None:
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    change(parts)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _refused(board, path, *fragments):
    started = time.monotonic()
    with pytest.raises(ValidationError) as err:
        import_path(board, "schemes", path)
    assert time.monotonic() - started < 5
    for fragment in fragments:
        assert fragment in str(err.value), str(err.value)
    assert board.scalar("SELECT count(*) FROM schemes") == 0
    return str(err.value)


def test_a_zip_bomb_is_refused_without_inflating_it(empty_board, tmp_path):
    good, bomb = tmp_path / "good.xlsx", tmp_path / "bomb.xlsx"
    _good(good)
    _rewrite(good, bomb, lambda parts: parts.__setitem__("xl/media/padding.bin", b"\0" * (MAX_RATIO * 200_000)))
    _refused(empty_board, bomb, "bomb.xlsx", "zip bomb")


def test_billion_laughs_is_refused(empty_board, tmp_path):
    good, evil = tmp_path / "good.xlsx", tmp_path / "laughs.xlsx"
    _good(good)
    entities = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}' * 10 + '">' for i in range(1, 10)) + "]>"

    def poison(parts):
        parts["xl/workbook.xml"] = (entities + parts["xl/workbook.xml"].decode()).encode()

    _rewrite(good, evil, poison)
    _refused(empty_board, evil, "DTD")


def test_a_dtd_after_a_long_prolog_is_still_found(tmp_path):
    good, evil = tmp_path / "good.xlsx", tmp_path / "padded.xlsx"
    _good(good)

    def poison(parts):
        prolog = '<?xml version="1.0"?><!-- <decoy> -->' + "<!-- pad -->" * 5_000 + '<!DOCTYPE x [<!ENTITY a "b">]>'
        parts["xl/workbook.xml"] = (prolog + parts["xl/workbook.xml"].decode()).encode()

    _rewrite(good, evil, poison)
    with pytest.raises(ValidationError, match="DTD"):
        check_package(evil)


def test_a_macro_workbook_is_refused(empty_board, tmp_path):
    good, xlsm = tmp_path / "good.xlsx", tmp_path / "macros.xlsm"
    _good(good)
    _rewrite(good, xlsm, lambda parts: parts.__setitem__("xl/vbaProject.bin", b"macro"))
    _refused(empty_board, xlsm, "macros", ".xlsx")


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old-style .xls"),
        (b"PK\x03\x04 not really a zip", "damaged"),
        (b"<html>not a workbook</html>", "not an Excel workbook"),
    ],
)
def test_files_that_are_not_workbooks(empty_board, tmp_path, content, fragment):
    path = tmp_path / "book.xlsx"
    path.write_bytes(content)
    _refused(empty_board, path, "book.xlsx", fragment)


def test_a_workbook_without_the_columns_says_which_are_needed(empty_board, tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Colour"])
    wb.active.append(["x", "red"])
    wb.save(path)
    _refused(empty_board, path, "no sheet has the schemes columns", "programme", "--sheet")


def test_a_thousand_columns_is_bounded(empty_board, tmp_path):
    path = tmp_path / "wide.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Wide")
    ws.append(["Programme", "Scheme", "Saving £k", "Year"] + [f"Extra {i}" for i in range(1_000)])
    ws.append(["Adults", "One", 1, "2017/18"] + ["x"] * 1_000)
    wb.save(path)
    _refused(empty_board, path, "more than 256 columns")


@pytest.mark.parametrize("value, text", [(1651.0, "1651"), (0.1, "0.1"), (1e16, "10000000000000000"), (-5, "-5"),
                                         (1651.5, "1651.5"), (True, "1")])
def test_numbers_become_their_exact_shortest_text(value, text):
    assert decimal_text(value) == text
