"""Reading .xlsx workbooks as people keep them, safely: openpyxl in read-only mode, cached values only.

Before openpyxl sees a file the package itself is checked: a real .xlsx (not an old .xls, an encrypted file or a
macro-enabled .xlsm), a bounded number of parts, bounded uncompressed sizes and compression ratios (a zip
bomb is refused before it is inflated), and no DTD in any XML part (no entity expansion: "billion laughs").
openpyxl also parses with defusedxml, which is a dependency.

Cells keep their type and number format until the importer knows the column they belong to, because the same
cell means different things in different columns: 42825 in a date column is the serial of 31 March 2017, 0.45
formatted `0%` in a percentage column is 45, and a formula whose result was never saved (a workbook written by
a program, not by Excel) must be an error asking to recalculate and save, never a blank read as "not provided".
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from boardtui.domain.errors import ParseError, ValidationError
from boardtui.exchange.safety import FORMULA_STARTS

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_PARTS = 10_000
MAX_PART_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # spreadsheet XML compresses ~10-30×; a part over 200× (and over 1 MB) is a bomb, not data
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 256
_PROLOG_LIMIT = 1024 * 1024
_PROLOG_NOISE = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.DOTALL)  # comments and processing instructions
_ROOT = re.compile(rb"<[A-Za-z_]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _refuse(path: Path, why: str) -> ValidationError:
    return ValidationError(f"{path.name} {why}")


def check_package(path: Path) -> None:
    """Refuse anything that is not a plain, reasonably sized .xlsx package, before any XML is parsed."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            magic = fh.read(8)
    except FileNotFoundError:
        raise ValidationError(f"{path} not found.") from None
    except OSError as exc:
        raise ValidationError(f"{path} could not be read: {exc.strerror or exc}.") from None
    if magic.startswith(_OLE_MAGIC):
        raise _refuse(path, "is an old-style .xls workbook or a password-protected one: open it in Excel and "
                            "save it as an Excel Workbook (.xlsx) without a password.")
    if not magic.startswith(b"PK"):
        raise _refuse(path, "is not an Excel workbook (.xlsx): save it from Excel as .xlsx or as CSV UTF-8.")
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: save the sheet you need as CSV.")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _refuse(path, "is damaged (not a readable .xlsx package): open and save it in Excel.") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise _refuse(path, f"has more than {MAX_PARTS:,} parts: it is not an ordinary workbook.")
        names = {i.filename for i in infos}
        if "xl/vbaProject.bin" in names or _content_types_say_macros(zf, names):
            raise _refuse(path, "contains macros (.xlsm): save a copy as an Excel Workbook (.xlsx) and import that.")
        if "xl/workbook.xml" not in names:
            raise _refuse(path, "is not an Excel workbook (no workbook part): save it from Excel as .xlsx.")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise _refuse(path, "is encrypted: save it without a password.")
            total += info.file_size
            if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
                raise _refuse(path, "would expand to more than a gigabyte: it is refused as a possible zip bomb.")
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise _refuse(path, f"has a part ({info.filename}) that expands over {MAX_RATIO} times: it is "
                                    "refused as a possible zip bomb.")
        for info in infos:
            if info.filename.endswith((".xml", ".rels")) and _has_dtd(zf, info):
                raise _refuse(path, f"has a DTD in {info.filename}, which Excel never writes: it is refused "
                                    "(possible entity-expansion attack).")


def _content_types_say_macros(zf: zipfile.ZipFile, names: set[str]) -> bool:
    if "[Content_Types].xml" not in names:
        return False
    with zf.open("[Content_Types].xml") as fh:
        head = fh.read(256 * 1024)
    return b"macroEnabled" in head


def _has_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part declares a DTD: scan its prolog (everything before the root element)."""
    seen = b""
    with zf.open(info) as fh:
        while len(seen) < _PROLOG_LIMIT:
            chunk = fh.read(16 * 1024)
            if not chunk:
                break
            seen += chunk
            if b"<!DOCTYPE" in seen or b"<!ENTITY" in seen:
                return True
            if _ROOT.search(_PROLOG_NOISE.sub(b"", seen)):
                return False  # the root element has started: a DTD can no longer come
    return len(seen) >= _PROLOG_LIMIT  # a megabyte of prolog is not a workbook either


def _safe_parse(source):
    from defusedxml.ElementTree import parse

    return parse(source, forbid_dtd=True)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name → its part inside the package, from workbook.xml and its relationships."""
    with zf.open("xl/workbook.xml") as fh:
        wb = _safe_parse(fh).getroot()
    rels: dict[str, str] = {}
    try:
        with zf.open("xl/_rels/workbook.xml.rels") as fh:
            for rel in _safe_parse(fh).getroot().iter(f"{_NS_PKG_REL}Relationship"):
                target = rel.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                rels[rel.get("Id", "")] = target
    except KeyError:
        pass
    out = {}
    for sheet in wb.iter(f"{_NS_MAIN}sheet"):
        rid = sheet.get(f"{_NS_REL}id")
        if rid in rels:
            out[sheet.get("name", "")] = rels[rid]
    return out


def formulas_without_values(path: Path, part: str) -> set[tuple[int, int]] | None:
    """(row, column) of every formula cell with no saved result; None if one has no cell reference."""
    from defusedxml.ElementTree import iterparse
    from openpyxl.utils.cell import coordinate_to_tuple

    with zipfile.ZipFile(path) as zf:
        if part not in zf.namelist():
            return set()
        with zf.open(part) as fh:
            tail = b""
            found = False
            while chunk := fh.read(1024 * 1024):
                if _FORMULA_TAG.search(tail + chunk):
                    found = True
                    break
                tail = chunk[-64:]
        if not found:
            return set()
        missing: set[tuple[int, int]] = set()
        with zf.open(part) as fh:
            for _event, el in iterparse(fh, events=("end",), forbid_dtd=True):
                tag = el.tag.rsplit("}", 1)[-1]
                if tag == "c":
                    formula = el.find(f"{_NS_MAIN}f")
                    if formula is not None:
                        value = el.find(f"{_NS_MAIN}v")
                        if value is None or not (value.text or "").strip():
                            ref = el.get("r")
                            if not ref:
                                return None
                            missing.add(coordinate_to_tuple(ref))
                elif tag == "row":
                    el.clear()
        return missing


class XCell:
    """A worksheet cell as read: its value, number format and type, and whether it is an unsaved formula."""

    __slots__ = ("value", "fmt", "kind", "unsaved_formula")

    def __init__(self, value, fmt: str = "General", kind: str = "n", unsaved_formula: bool = False) -> None:
        self.value = value
        self.fmt = fmt or "General"
        self.kind = kind
        self.unsaved_formula = unsaved_formula

    def __repr__(self) -> str:
        return f"XCell({self.value!r}, {self.fmt!r})"

    def is_blank(self) -> bool:
        v = self.value
        return not self.unsaved_formula and (v is None or (isinstance(v, str) and not v.strip()))

    def label(self) -> str:
        """The cell as plain text, for finding header rows and recognising Total rows."""
        v = self.value
        if v is None:
            return ""
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, (int, float)):
            return decimal_text(v)
        if isinstance(v, datetime):
            return v.date().isoformat() if v.time() == time(0) else v.isoformat()
        return str(v)


@dataclass
class Workbook:
    path: Path
    book: object  # openpyxl's read-only workbook
    parts: dict[str, str]

    @property
    def epoch(self):
        return self.book.epoch

    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def visible_first(self) -> list[str]:
        names = self.sheet_names()
        state = {ws.title: getattr(ws, "sheet_state", "visible") for ws in self.book.worksheets}
        return [n for n in names if state.get(n) == "visible"] + [n for n in names if state.get(n) != "visible"]

    def find_sheet(self, wanted: str) -> str:
        names = self.sheet_names()
        for name in names:
            if name == wanted:
                return name
        for name in names:
            if name.strip().lower() == wanted.strip().lower():
                return name
        raise ValidationError(
            f"{self.path.name} has no sheet called '{wanted}': its sheets are {', '.join(repr(n) for n in names)}."
        )

    def rows(self, sheet: str, *, max_rows: int | None = None, width: int | None = None) -> Iterator[tuple[int, list[XCell]]]:
        """(row number, cells) for each non-empty row of `sheet`, up to `max_rows` rows and `width` columns."""
        ws = self.book[sheet]
        if getattr(ws, "max_row", None) and ws.max_row > MAX_ROWS:
            raise _refuse(self.path, f"sheet '{sheet}' has more than {MAX_ROWS:,} rows.")
        unsaved = formulas_without_values(self.path, self.parts.get(sheet, "")) if max_rows is None else set()
        if unsaved is None:
            raise _refuse(self.path, f"sheet '{sheet}' has formulas without saved results: open it in Excel, "
                                     "let it recalculate, save it and import again.")
        limit = width or MAX_COLUMNS + 1
        line = 0
        for cells in ws.iter_rows(max_row=max_rows, max_col=limit):
            line += 1
            out = []
            for col, cell in enumerate(cells, 1):
                value = getattr(cell, "value", None)
                row_no = getattr(cell, "row", None) or line
                line = row_no
                kind = getattr(cell, "data_type", "n")
                fmt = getattr(cell, "number_format", "General") if value is not None else "General"
                out.append(XCell(value, fmt, kind, (row_no, col) in unsaved if value is None else False))
            if any(not c.is_blank() for c in out):
                yield line, out


def open_workbook(path: str | Path) -> Workbook:
    """Check and open an .xlsx file in read-only, cached-values mode."""
    p = Path(path)
    check_package(p)
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            book = load_workbook(p, read_only=True, data_only=True, keep_links=False)
        with zipfile.ZipFile(p) as zf:
            parts = sheet_parts(zf)
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise _refuse(p, f"could not be read as a workbook ({type(exc).__name__}): open and save it in Excel.") from None
    return Workbook(p, book, parts)


# ---- cell → the text the canonical parsers read -------------------------------------------------------------

def decimal_text(value: int | float) -> str:
    """A number's exact shortest decimal text: 1651.0 → "1651", 0.1 → "0.1" (never float arithmetic)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ParseError("the cell is not a finite number")
    d = Decimal(repr(value)).normalize()
    return format(d, "f")


def uninert(text: str) -> str:
    """Undo the apostrophe that exports put before text starting with = + - @ (so round trips are lossless)."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _serial_date(value: float, epoch) -> date:
    from openpyxl.utils.datetime import from_excel

    if not 1 <= value < 2_958_466:
        raise ParseError(f"{decimal_text(value)} is not a date")
    try:
        when = from_excel(value, epoch)
    except (ValueError, OverflowError):
        raise ParseError(f"{decimal_text(value)} is not a date") from None
    return when.date() if isinstance(when, datetime) else when


def cell_text(cell: XCell, ctype: str, epoch) -> str:
    """The text of `cell` for a column of type `ctype` (see headers.column_type), or ParseError saying why not."""
    if cell.unsaved_formula:
        raise ParseError("the formula has no saved result: open the file in Excel, let it recalculate, save it "
                         "and import again")
    v = cell.value
    if v is None:
        return ""
    if cell.kind == "e":
        raise ParseError(f"the cell shows the error {v}")
    if isinstance(v, str):
        return uninert(v)
    if isinstance(v, bool):
        return ("yes" if v else "no") if ctype in ("yes_no", "text") else ("TRUE" if v else "FALSE")
    if isinstance(v, (datetime, date)):
        day = v.date() if isinstance(v, datetime) else v
        if ctype == "month":
            return day.isoformat()[:7]
        if ctype in ("date", "fy"):
            return day.isoformat()
        if ctype == "text":
            return day.isoformat() if not isinstance(v, datetime) or v.time() == time(0) else v.isoformat()
        raise ParseError(f"{day.isoformat()} is a date, not {'an amount' if ctype == 'money' else 'a number'}")
    if isinstance(v, (time, timedelta)):
        if ctype == "text":
            return str(v)
        raise ParseError(f"{v} is a time, not a {ctype}")
    if isinstance(v, (int, float)):
        percent = "%" in cell.fmt
        if ctype in ("date", "month"):
            day = _serial_date(v, epoch)
            return day.isoformat()[:7] if ctype == "month" else day.isoformat()
        if ctype == "money" and percent:
            raise ParseError(f"{decimal_text(v * 100)}% is a percentage, not an amount")
        if ctype == "number" and percent:
            d = (Decimal(repr(float(v))) * 100).normalize()
            return format(d, "f")
        return decimal_text(v)
    return str(v)
