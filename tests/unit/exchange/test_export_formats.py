"""Exports: stable bytes, inert cells, XML-safe text, escaped Markdown, typed spreadsheets, Word tables, round trips."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from decimal import Decimal

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from boardtui.cli import cli
from boardtui.exchange import reports
from boardtui.exchange.export import EXPORTERS, FORMATS, KINDS, export, write_export
from boardtui.exchange.importer import import_path
from boardtui.exchange.render import md_text
from boardtui.exchange.sections import Options
from boardtui.store.ids import new_id, now_iso

HOSTILE = [
    "=HYPERLINK(\"http://evil\",\"x\")",
    "+44 1234",
    "-2+3",
    "@SUM(A1)",
    "\tTabbed",
    "\rReturn",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "pipe | in the middle",
    "<script>alert(1)</script>",
    "control \x0b\x00\x1b[31m\ufffe chars",
]


def _seed_actions(board, texts) -> None:
    """Actions written straight into the table, as a damaged or foreign database could hold them."""
    at = now_iso()
    for i, text in enumerate(texts):
        board.conn.execute(
            "INSERT INTO actions (id, ref, text, owner, due, original_due, status, created_at, updated_at, "
            "updated_by) VALUES (:id, :ref, :t, :o, '2016-12-01', '2016-12-01', 'open', :at, :at, 'x')",
            {"id": new_id(), "ref": f"H-{i:02d}", "t": text, "o": text, "at": at})


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["csv", "md", "json"])
def test_the_same_board_gives_the_same_bytes(demo_board, kind, fmt):
    assert export(demo_board, kind, fmt, audience="public") == export(demo_board, kind, fmt, audience="public")


def test_csv_cells_that_look_like_formulas_are_inert_and_numbers_stay_numbers(demo_board):
    _seed_actions(demo_board, HOSTILE)
    text = export(demo_board, "actions", "csv", audience="public").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(list(reports.actions_rows(demo_board, None))) + 1
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\x00")), cell
    sav = list(csv.DictReader(io.StringIO(export(demo_board, "savings", "csv", audience="public").decode("utf-8-sig"))))
    assert {r["Value (£000s)"] for r in sav} >= {"1651", "TBC", "NA"}


def test_xlsx_has_no_formulas_and_survives_illegal_characters(demo_board):
    _seed_actions(demo_board, HOSTILE)
    wb = openpyxl.load_workbook(io.BytesIO(export(demo_board, "actions", "xlsx", audience="public")))
    ws = wb.active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in values
    assert any(isinstance(v, str) and v.startswith("control ") and "\ufffd" in v for v in values)


def test_docx_survives_illegal_characters(demo_board):
    _seed_actions(demo_board, HOSTILE)
    d = docx.Document(io.BytesIO(export(demo_board, "actions", "docx", audience="public")))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert any(text.startswith("control ") for text in cells)
    assert "<script>alert(1)</script>" in cells  # Word shows text literally


def test_markdown_renders_no_html_and_no_links(demo_board):
    _seed_actions(demo_board, HOSTILE)
    md = export(demo_board, "actions", "md", audience="public").decode()
    html = MarkdownIt("commonmark").enable("table").render(md)
    for bad in ("<img", "<script", "href=", "javascript:alert(1)</a>"):
        assert bad not in html
    assert "&lt;script&gt;" in html  # shown as text
    assert "pipe | in the middle" in html  # the pipe is escaped, not a column break
    rows = [line for line in md.splitlines() if line.startswith("| H-")]
    assert rows and all(line.count(" | ") == rows[0].count(" | ") for line in rows)


@pytest.mark.parametrize("text", ["# heading", "- item", "1. one", "> quote", "**b** _i_ `c` ~~s~~", "a\nb"])
def test_md_text_shows_text_literally(text):
    html = MarkdownIt("commonmark").render(md_text(text, block=True))
    assert html.startswith("<p>") and "<h1>" not in html and "<li>" not in html and "<strong>" not in html


def test_xlsx_sheets_are_typed_and_frozen(demo_board):
    wb = openpyxl.load_workbook(io.BytesIO(export(demo_board, "savings", "xlsx", audience="public")))
    assert wb.sheetnames == ["Summary", "Bridge", "Programmes", "Schemes"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(c.font.b for c in ws[1] if c.value)
    schemes = wb["Schemes"]
    header = [c.value for c in schemes[1]]
    value_col = header.index("Value (£000s)") + 1
    cell = next(row[value_col - 1] for row in schemes.iter_rows(min_row=2) if row[1].value == "TH-ADU-01")
    assert cell.value == 1651 and cell.data_type == "n" and cell.number_format.startswith("#,##0")
    labels = [row[0].value for row in schemes.iter_rows(min_row=2)]
    assert labels[-3:] == ["Total", "Savings requirement 2017/18 — NHS Tower Hamlets CCG", "Variance"]
    assert wb.properties.creator == "boardtui"


def test_xlsx_pack_has_a_sheet_per_section(demo_board):
    wb = openpyxl.load_workbook(io.BytesIO(export(demo_board, "pack", "xlsx", audience="public")))
    assert wb.sheetnames[0] == "Cover"
    for name in ("Savings Summary", "Savings Bridge", "Savings Programmes", "Standards", "Milestones slipping",
                 "Action log", "Changes since the last meeting"):
        assert name in wb.sheetnames
    dates = [c.value for row in wb["Action log"].iter_rows(min_row=2) for c in row[3:4]]
    assert all(hasattr(d, "year") for d in dates)  # due dates are dates


def test_docx_pack_has_headings_tables_and_the_audience_in_the_footer(demo_board):
    d = docx.Document(io.BytesIO(export(demo_board, "pack", "docx", audience="public")))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert {"Cover", "Savings", "Standards against target and trajectory", "Milestones slipping", "Action log",
            "Changes since the last meeting"} <= set(headings)
    assert len(d.tables) >= 6
    assert "Public" in d.sections[0].footer.paragraphs[0].text
    assert d.core_properties.author == "boardtui"


def test_the_pack_covers_the_next_meeting_and_changes_since_the_last(demo_board):
    data = json.loads(export(demo_board, "pack", "json", audience="public"))
    assert data["title"] == "Board pack: NHS Tower Hamlets CCG Governing Body, 8 Nov 2016"
    titles = [s["title"] for s in data["sections"]]
    assert titles == ["Cover", "Savings", "Standards against target and trajectory", "Milestones slipping",
                      "Action log", "Changes since the last meeting"]
    bridge = next(t for t in data["sections"][1]["tables"] if t["name"] == "Bridge")
    assert bridge["rows"][0][1] == 15_000_000 and bridge["rows"][-1] == ["Gap still to find", 4_184_000, 4_184_000]


def test_savings_json_is_the_report(demo_board):
    assert json.loads(export(demo_board, "savings", "json", audience="public")) == \
        reports.savings_data(demo_board, None, None)


def test_exporting_savings_to_xlsx_and_importing_it_into_an_empty_board_gives_the_same_figures(
        demo_board, empty_board, tmp_path):
    path = write_export(demo_board, "savings", "xlsx", tmp_path / "savings.xlsx", audience="public")
    report = import_path(empty_board, "schemes", path)
    assert report.warnings == []
    before, after = reports.savings_data(demo_board, None, None), reports.savings_data(empty_board, None, None)
    for key in ("year", "requirement", "identified", "gap", "risk_adjusted", "risk_adjusted_gap", "tbc", "na"):
        assert after[key] == before[key], key
    assert {p["name"]: p["identified"] for p in after["programmes"]} == \
        {p["name"]: p["identified"] for p in before["programmes"]}
    assert {s["ref"]: (s["value"], s["status"]) for p in after["programmes"] for s in p["schemes"]} == \
        {s["ref"]: (s["value"], s["status"]) for p in before["programmes"] for s in p["schemes"]}


def test_files_are_written_atomically_with_audience_permissions(demo_board, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    public = write_export(demo_board, "actions", "csv", tmp_path / "a.csv", audience="public")
    secret = write_export(demo_board, "actions", "csv", tmp_path / "b.csv", audience="confidential")
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(public).st_mode) == 0o644
    folder = write_export(demo_board, "pack", "md", tmp_path, audience="public")
    assert folder.name == "pack-public.md"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "pack-public.md"]  # no temp files


def test_every_registered_exporter_runs_on_an_empty_board(empty_board):
    for (kind, fmt), exporter in EXPORTERS.items():
        if kind in ("savings", "minutes"):
            continue  # need a plan / a meeting: refused with a sentence, tested below
        assert exporter.run(empty_board, "public", Options())


def test_exports_that_need_data_say_so(empty_board):
    for kind in ("savings", "minutes"):
        with pytest.raises(Exception) as err:
            export(empty_board, kind, "md", audience="public")
        assert "no" in str(err.value).lower()


def test_money_in_csv_is_exact_thousands(demo_board):
    demo_board.conn.execute("UPDATE schemes SET plan_pence = 165150000 WHERE ref = 'TH-ADU-01'")
    rows = list(csv.DictReader(io.StringIO(export(demo_board, "savings", "csv", audience="public").decode("utf-8-sig"))))
    assert next(r for r in rows if r["Ref"] == "TH-ADU-01")["Value (£000s)"] == "1651.5"
    wb = openpyxl.load_workbook(io.BytesIO(export(demo_board, "savings", "xlsx", audience="public")))
    values = [row[4].value for row in wb["Schemes"].iter_rows(min_row=2) if row[1].value == "TH-ADU-01"]
    assert Decimal(str(values[0])) == Decimal("1651.5")


def _run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_export_command(demo_path, tmp_path):
    out = tmp_path / "pack.docx"
    result = _run("export", "pack", "--db", str(demo_path), "--audience", "confidential", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "confidential pack" in result.stdout and stat.S_IMODE(os.stat(out).st_mode) == 0o600
    result = _run("export", "actions", "--db", str(demo_path), "--audience", "public", "-o", str(tmp_path / "x"))
    assert result.exit_code == 1 and "--format" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    result = _run("export", "actions", "--db", str(demo_path), "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "--audience" in result.stderr
    result = _run("export", "minutes", "--db", str(demo_path), "--audience", "public", "--meeting", "2016-09-13",
                  "-o", str(tmp_path / "m.md"))
    assert result.exit_code == 0 and (tmp_path / "m.md").read_text().startswith("# Minutes")


def test_formats_and_kinds_are_the_documented_ones():
    assert FORMATS == ("csv", "xlsx", "md", "docx", "json")
    assert KINDS == ("savings", "standards", "milestones", "actions", "changes", "pack")
