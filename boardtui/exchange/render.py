"""Rendering a Document (exchange/sections.py) as CSV, XLSX, Markdown or Word.

Rules every renderer keeps (RELIABILITY E5–E8, E10):

- CSV and Markdown are deterministic: the same document gives the same bytes (no timestamps, stable order).
- Text that starts with = + - @, tab, CR or NUL is made inert in CSV and XLSX; numbers stay numbers.
- Characters XML cannot hold are replaced (XLSX, DOCX, and everywhere else for consistency).
- Markdown escapes every character that could become markup, HTML or a link.
- XLSX: one sheet per table (the cover on its own sheet), numbers as numbers, money in £000s with a number
  format, frozen header row. DOCX: headings and tables, the audience in every page footer.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from boardtui.domain.errors import ParseError
from boardtui.domain.money import ValueStatus, format_money
from boardtui.domain.periods import display_date, parse_partial_date
from boardtui.exchange.safety import inert_cell, xml_safe
from boardtui.exchange.sections import AUDIENCE_NOTES, Column, Day, Document, Money, Table

NUMERIC = ("money", "number", "int")


def _number_text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        d = Decimal(repr(value)).normalize()
        return format(d, "f")
    return str(value)


def plain(value, col: Column, *, exact: bool) -> str:
    """A cell as text: `exact` (CSV) gives £000s exactly and ISO dates; otherwise as a board paper shows them."""
    if value is None:
        return "" if exact else "—"
    if isinstance(value, Money):
        if value.pence is None:
            return value.status.value if value.status is not ValueStatus.QUANTIFIED else ("" if exact else "—")
        return format(value.thousands, "f") if exact else format_money(value.pence)
    if isinstance(value, Day):
        return value.text if exact else display_date(value.text)
    if isinstance(value, (bool, int, float, Decimal)):
        return _number_text(value)
    return xml_safe(str(value))


# ---- CSV ---------------------------------------------------------------------------------------------------------

def _csv_row(values, columns) -> list[str]:
    out = []
    for value, col in zip(values, columns):
        text = plain(value, col, exact=True)
        out.append(text if col.kind in NUMERIC and not isinstance(value, str) else inert_cell(text))
    return out


def render_csv(doc: Document) -> bytes:
    """One table (or the document's `csv_table`): a plain CSV, as a spreadsheet or the importer reads it. A
    document of several tables (the pack): each table under its name, one after another."""
    tables = [t for t in doc.tables() if t.name == doc.csv_table] if doc.csv_table else doc.tables()
    buf = io.StringIO()
    # CRLF (RFC 4180): with "\n" alone the csv module would leave a field holding a lone CR unquoted.
    w = csv.writer(buf, lineterminator="\r\n")
    if len(tables) == 1:
        t = tables[0]
        w.writerow([c.name for c in t.columns])
        w.writerows(_csv_row(r, t.columns) for r in t.rows)
    else:
        w.writerow([inert_cell(xml_safe(doc.title))])
        w.writerow([AUDIENCE_NOTES[doc.audience]])
        for s in doc.sections:
            for para in s.paragraphs:
                w.writerow([inert_cell(xml_safe(para))])
            for t in s.tables:
                w.writerow([])
                w.writerow([inert_cell(xml_safe(t.name))])
                w.writerow([c.name for c in t.columns])
                w.writerows(_csv_row(r, t.columns) for r in t.rows + t.footer)
    return buf.getvalue().encode("utf-8-sig")


# ---- Markdown ----------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(?:([#+=>-])|([0-9]+)([.)]))")
_SPACES = re.compile(r"\s+")


def md_text(text: str, *, block: bool = False) -> str:
    """Text that Markdown shows literally: one line, every character that could start markup escaped.

    With `<`, `&`, `[` and `]` escaped no HTML, entity, link or autolink can form (a `javascript:` URL included);
    `*`, `_`, `` ` ``, `~` and `|` cannot make emphasis, code, strikethrough or break a table; with `block`
    (text that starts a line) a leading `#`, `-`, `+`, `=`, `>` or `1.` cannot start a block either. CommonMark shows a backslash-escaped punctuation character as itself.
    """
    flat = _MD_SPECIAL.sub(r"\\\1", _SPACES.sub(" ", xml_safe(text)).strip())
    return _MD_LINE_START.sub(_escape_block_start, flat, count=1) if block else flat


def _escape_block_start(m: re.Match) -> str:
    if m.group(1):
        return "\\" + m.group(1)  # \# \- \+ \= \>
    return m.group(2) + "\\" + m.group(3)  # 1\. — a backslash before a digit would be shown, not read


def _md_cell(value, col: Column) -> str:
    return md_text(plain(value, col, exact=False))


def _md_table(t: Table) -> list[str]:
    if not t.rows and not t.footer:
        return [md_text(t.empty, block=True), ""]
    out = ["| " + " | ".join(md_text(c.name) for c in t.columns) + " |",
           "|" + "|".join("---:" if c.kind in NUMERIC else "---" for c in t.columns) + "|"]
    for r in t.rows:
        out.append("| " + " | ".join(_md_cell(v, c) for v, c in zip(r, t.columns)) + " |")
    for r in t.footer:
        out.append("| " + " | ".join(f"**{_md_cell(v, c)}**" if v is not None else "" for v, c in zip(r, t.columns))
                   + " |")
    return out + [""]


def render_md(doc: Document) -> bytes:
    lines = [f"# {md_text(doc.title)}", ""]
    if doc.subtitle:
        lines += [f"*{md_text(doc.subtitle)}*", ""]
    lines += [f"**{md_text(AUDIENCE_NOTES[doc.audience])}**", ""]
    for s in doc.sections:
        lines += [f"## {md_text(s.title)}", ""]
        for para in s.paragraphs:
            lines += [md_text(para, block=True), ""]
        for t in s.tables:
            if t.name != s.title:
                lines += [f"### {md_text(t.name)}", ""]
            lines += _md_table(t)
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


# ---- XLSX ----------------------------------------------------------------------------------------------------------

_SHEET_BAD = re.compile(r"[\[\]:*?/\\']")


def _sheet_title(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", xml_safe(name)).strip()[:31] or "Sheet"
    title, n = base, 1
    while title.lower() in used:
        n += 1
        title = f"{base[:28]} {n}"
    used.add(title.lower())
    return title


def _xlsx_value(value, col: Column):
    """(value, number format) for one cell: numbers and dates as such, text inert."""
    if value is None:
        return None, None
    if isinstance(value, Money):
        if value.pence is None:
            return (value.status.value if value.status is not ValueStatus.QUANTIFIED else None), None
        return value.thousands, "#,##0;-#,##0"
    if isinstance(value, Day):
        try:
            d = parse_partial_date(value.text)
        except ParseError:
            return inert_cell(xml_safe(value.text)), None
        if d.precision.value == "day":
            return d.start(), "d mmm yyyy"
        return display_date(value.text), None
    if isinstance(value, bool):
        return ("yes" if value else "no"), None
    if isinstance(value, (int, float, Decimal)):
        return value, None
    return inert_cell(xml_safe(str(value))), None


def render_xlsx(doc: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    wb = Workbook(write_only=True)
    used: set[str] = set()

    def cell(ws, value, fmt=None, font=None):
        c = WriteOnlyCell(ws, value=value)
        if fmt:
            c.number_format = fmt
        if font:
            c.font = font
        return c

    def table_rows(ws, t: Table):
        for r in t.rows:
            yield [cell(ws, *_xlsx_value(v, c)) for v, c in zip(r, t.columns)]
        for r in t.footer:
            yield [cell(ws, *_xlsx_value(v, c), font=bold) for v, c in zip(r, t.columns)]

    def widths(ws, t: Table):
        for i, c in enumerate(t.columns, 1):
            longest = max([len(c.name)] + [len(plain(r[i - 1], c, exact=False)) for r in (t.rows + t.footer)[:500]])
            ws.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)

    for s in doc.sections:
        if s.paragraphs or not s.tables or s.title == "Cover":
            ws = wb.create_sheet(_sheet_title(s.title, used))
            ws.column_dimensions["A"].width = 100
            ws.append([cell(ws, xml_safe(doc.title), font=Font(bold=True, size=14))])
            ws.append([cell(ws, AUDIENCE_NOTES[doc.audience], font=bold)])
            for para in s.paragraphs:
                ws.append([cell(ws, inert_cell(xml_safe(para)))])
            for t in s.tables:
                ws.append([])
                ws.append([cell(ws, inert_cell(xml_safe(t.name)), font=bold)])
                ws.append([cell(ws, c.name, font=bold) for c in t.columns])
                for row in table_rows(ws, t):
                    ws.append(row)
            continue
        for t in s.tables:
            name = t.name if len(s.tables) == 1 else f"{s.title} {t.name}"
            ws = wb.create_sheet(_sheet_title(name, used))
            ws.freeze_panes = "A2"
            widths(ws, t)
            ws.append([cell(ws, c.name, font=bold) for c in t.columns])
            if not t.rows and not t.footer:
                ws.append([cell(ws, inert_cell(xml_safe(t.empty)))])
            for row in table_rows(ws, t):
                ws.append(row)
    if not used:
        wb.create_sheet("Empty").append([AUDIENCE_NOTES[doc.audience]])
    props = wb.properties
    props.creator = "boardtui"
    props.lastModifiedBy = "boardtui"
    props.title = xml_safe(doc.title)[:250]
    props.subject = doc.audience
    props.description = AUDIENCE_NOTES[doc.audience]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- DOCX ----------------------------------------------------------------------------------------------------------

def _docx_table(document, t: Table) -> None:
    """A Word table; rows are built as XML directly (python-docx's add_row is ~1 ms a row)."""
    from copy import deepcopy

    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = document.add_table(rows=2, cols=len(t.columns))
    table.style = "Table Grid"
    header, template = table.rows[0], table.rows[1]
    for i, c in enumerate(t.columns):
        run = header.cells[i].paragraphs[0].add_run(c.name)
        run.bold = True
        run.font.size = Pt(9)
    tr_template = template._tr
    tbl = table._tbl
    tbl.remove(tr_template)

    def add(values, bold: bool) -> None:
        tr = deepcopy(tr_template)
        for tc, value, col in zip(tr.iter(qn("w:tc")), values, t.columns):
            p = tc.find(qn("w:p"))
            if col.kind in NUMERIC:
                ppr = p.makeelement(qn("w:pPr"), {})
                ppr.append(ppr.makeelement(qn("w:jc"), {qn("w:val"): "right"}))
                p.insert(0, ppr)
            text = plain(value, col, exact=False) if value is not None else ""
            r = p.makeelement(qn("w:r"), {})
            rpr = r.makeelement(qn("w:rPr"), {})
            if bold:
                rpr.append(rpr.makeelement(qn("w:b"), {}))
            rpr.append(rpr.makeelement(qn("w:sz"), {qn("w:val"): "18"}))
            r.append(rpr)
            tnode = r.makeelement(qn("w:t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            tnode.text = xml_safe(text)
            r.append(tnode)
            p.append(r)
        tbl.append(tr)

    for r in t.rows:
        add(r, False)
    for r in t.footer:
        add(r, True)


def render_docx(doc: Document) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    if any(len(t.columns) > 6 for t in doc.tables()):
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    footer = section.footer.paragraphs[0]
    footer.text = f"boardtui — {AUDIENCE_NOTES[doc.audience]}"
    document.add_heading(xml_safe(doc.title), 0)
    if doc.subtitle:
        document.add_paragraph(xml_safe(doc.subtitle))
    document.add_paragraph().add_run(AUDIENCE_NOTES[doc.audience]).bold = True
    for s in doc.sections:
        document.add_heading(xml_safe(s.title), 1)
        for para in s.paragraphs:
            document.add_paragraph(xml_safe(para))
        for t in s.tables:
            if t.name != s.title:
                document.add_heading(xml_safe(t.name), 2)
            if not t.rows and not t.footer:
                document.add_paragraph(xml_safe(t.empty))
                continue
            _docx_table(document, t)
    props = document.core_properties
    props.author = "boardtui"
    props.last_modified_by = "boardtui"
    props.title = xml_safe(doc.title)[:250]
    props.subject = doc.audience
    props.comments = AUDIENCE_NOTES[doc.audience]
    props.keywords = ""
    props.category = doc.audience
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
