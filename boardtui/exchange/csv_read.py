"""Reading CSV files as people save them: UTF-8 with or without BOM, cp1252 with `£`, UTF-16 from Excel."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from boardtui.domain.errors import ValidationError

MAX_CELL = 5_000  # a longer cell is almost certainly a paste gone wrong; say so rather than store it


class FileProblem(ValidationError):
    """A problem with an input file whose message already names the file, row and column.

    `row` and `column` are kept for callers, but `str()` is the message alone, so the place is not said twice.
    """

    def __str__(self) -> str:
        return self.message


@dataclass
class CsvTable:
    """A CSV file's header and rows; `line` is the file's row number as a spreadsheet shows it (header = 1)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode file bytes, returning the text and the encoding used."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if b"\x00" in data[:4096]:
        raise FileProblem(f"{name} looks like UTF-16 without a byte-order mark: save it as CSV UTF-8 and retry.")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page, where £ is one byte (0xA3).
        return data.decode("cp1252", errors="replace"), "cp1252"


def read_csv(path: str | Path) -> CsvTable:
    """Read a CSV file whole; ragged rows are refused with their line number."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise FileProblem(f"{p} not found.") from None
    except OSError as exc:
        raise FileProblem(f"{p} could not be read: {exc.strerror or exc}.") from None
    text, encoding = decode(data, p.name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise FileProblem(f"{p.name} is empty: it needs a header row.") from None
    except csv.Error as exc:
        raise FileProblem(f"{p.name} row 1 is not valid CSV ({exc}).") from None
    header = [h.strip() for h in header]
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            line += 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                raise FileProblem(
                    f"{p.name} row {line} has {len(record)} cells but the header has {len(header)}: "
                    "check for an unquoted comma (such as £1,651) or a missing cell.",
                    row=line,
                )
            for col, cell in zip(header, record):
                if len(cell) > MAX_CELL:
                    raise FileProblem(
                        f"{p.name} row {line}, column {col}: the cell is longer than {MAX_CELL:,} characters.",
                        row=line,
                        column=col,
                    )
            rows.append((line, record))
    except csv.Error as exc:
        raise FileProblem(f"{p.name} row {line + 1} is not valid CSV ({exc}).", row=line + 1) from None
    return CsvTable(header=header, rows=rows, encoding=encoding)
