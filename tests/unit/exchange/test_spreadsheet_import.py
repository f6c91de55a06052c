"""Importing workbooks as PMOs keep them, built with openpyxl inside each test: the figures must come out exact."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from boardtui.exchange.canonical import ImportRefused
from boardtui.exchange.headers import UnitsNeeded
from boardtui.exchange.importer import import_path
from boardtui.domain.errors import ValidationError

K = 100_000  # pence in £1,000

APPENDIX = [
    ("Children's", "CAMHS Transformation:\n- Crisis response\n- Improve access and participation\n- Improve coordination",
     "Improved health and wellbeing", "TBC"),
    (None, "0-5 Years Strategy", "Improved health during and following pregnancy", "TBC"),
    (None, "Complex Care", "Reduced emergency admissions", "TBC"),
    ("Adults", "Improved pathways into hospital", "Reduced referrals into hospital", "£1,651"),
    (None, "Provision of data to GPs to inform referral practice", "More appropriate referrals", "TBD"),
    (None, "Integrated Urgent and Emergency Care", "Reduced A&E attendances", 2190),
    ("Complex Adults", "Integrated Care:\n- Further development of IC community teams", "Fewer admissions", "£1,019"),
    (None, "- LTC NIS development", None, None),
    (None, "Latent TB infection project", "Earlier identification", "N/A"),
    (None, "Mental Health in Primary Care Pilot", "Reduction in referrals", "-"),
    ("Productivity/ Transactional Savings", "Community Health Services Procurement Efficiency", "Service model",
     "£1,800"),
    (None, "Acute provider productivity", "Fewer follow-ups", 583),
    (None, "HEMS", "NA", "£1,000"),
    ("Transforming Services Together", "Pathway development work", "Fewer referrals", "£653"),
    (None, "Reducing unnecessary testing (pathology and imaging)", "Fewer diagnostics", "(£1,920)"),
]


def appendix_workbook(path, *, total=6_976, target="£15,000", variance="£8,024", start=True) -> None:
    """The seed paper's Appendix 1, kept the way a PMO keeps it: a title row, merged programme cells, £ strings,
    TBC/NA/-, a continuation row, a Total, a target row and a variance row, and a start date as Excel serials."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Appendix 1"
    ws.append(["Breakdown of CCG Transformation Programmes, plans for 2017/18"])
    ws.append([])
    header = ["CCG Programme Board", "Description", "Quality and Productivity Impact",
              "Estimated Financial Impact (£000s)"]
    if start:
        header.append("Start date")
    ws.append(header)
    for i, row in enumerate(APPENDIX):
        cells = list(row)
        if start and not str(row[1]).startswith("-"):
            cells.append(42826 + i if i % 2 else datetime(2017, 4 + i % 6, 1))  # a serial (General), or a date
        ws.append(cells)
    ws.append(["Total", None, None, f"£{total:,}"])
    ws.append(["Savings target for 2017/18", None, None, target])
    ws.append(["Variance", None, None, variance])
    ws.merge_cells("A4:A6")  # Children's spans its three schemes
    ws.merge_cells("A7:A9")
    wb.save(path)


def schemes(board):
    return {r["title"]: r for r in board.query(
        "SELECT s.*, p.name AS programme FROM schemes s JOIN programmes p ON p.id = s.programme_id")}


@pytest.fixture
def appendix(tmp_path):
    path = tmp_path / "appendix.xlsx"
    appendix_workbook(path)
    return path


def test_the_appendix_imports_with_exact_figures(empty_board, appendix):
    report = import_path(empty_board, "schemes", appendix, organisation="NHS Tower Hamlets CCG")
    got = schemes(empty_board)
    assert report.rows == 14 and report.created == 14  # 15 sheet rows, one a continuation
    assert report.header_line == 3
    assert got["Improved pathways into hospital"]["plan_pence"] == 1651 * K
    assert got["Integrated Urgent and Emergency Care"]["plan_pence"] == 2190 * K  # a number cell
    assert got["Reducing unnecessary testing (pathology and imaging)"]["plan_pence"] == -1920 * K  # (£1,920)
    # TBC / TBD / N/A / a dash are "not provided" — never zero.
    for title, status in [("0-5 Years Strategy", "TBC"), ("Provision of data to GPs to inform referral practice", "TBC"),
                          ("Latent TB infection project", "NA"), ("Mental Health in Primary Care Pilot", "TBC")]:
        assert got[title]["plan_pence"] is None and got[title]["value_status"] == status
    # Merged programme cells are filled down; a new programme starts where the sheet names one.
    assert got["Complex Care"]["programme"] == "Children's"
    assert got["Integrated Urgent and Emergency Care"]["programme"] == "Adults"
    assert got["HEMS"]["programme"] == "Productivity/ Transactional Savings"
    # A multi-line cell is the title and its bullet components; a bullet row alone continues the row above.
    assert got["CAMHS Transformation"]["components"] == "Crisis response;Improve access and participation;Improve coordination"
    assert got["Integrated Care"]["components"] == "Further development of IC community teams;LTC NIS development"
    # Start dates: a date cell and a serial number in a General cell both become months.
    assert got["CAMHS Transformation"]["start_month"] == "2017-04"
    assert got["0-5 Years Strategy"]["start_month"] == "2017-04"  # serial 42827 = 2 Apr 2017
    assert {r["fy"] for r in got.values()} == {2017}  # the year from the target row / title
    # Summary rows are never schemes.
    assert not any(t.lower().startswith(("total", "savings target", "variance")) for t in got)


def test_the_target_row_sets_the_requirement_and_the_total_is_checked(empty_board, appendix):
    report = import_path(empty_board, "schemes", appendix, organisation="NHS Tower Hamlets CCG")
    target = empty_board.one("SELECT t.*, o.name FROM targets t JOIN organisations o ON o.id = t.org_id")
    assert target["name"] == "NHS Tower Hamlets CCG" and target["fy"] == 2017
    assert target["requirement_pence"] == 15_000 * K
    assert target["stated_identified_pence"] == 6_976 * K and target["stated_gap_pence"] == 8_024 * K
    assert report.warnings == []
    assert any("6,976 matches" in line for line in report.summaries)


def test_a_total_that_does_not_add_up_is_reported(empty_board, tmp_path):
    path = tmp_path / "wrong.xlsx"
    appendix_workbook(path, total=6_977, variance="£8,023")
    report = import_path(empty_board, "schemes", path, organisation="Org")
    assert any("says 6,977" in w and "add up to 6,976" in w for w in report.warnings), report.warnings
    assert empty_board.scalar("SELECT count(*) FROM schemes") == 14  # reported, not refused


def test_reimporting_updates_the_same_schemes_and_keeps_what_the_file_leaves_out(empty_board, appendix):
    import_path(empty_board, "schemes", appendix, organisation="Org")
    refs = {r["title"]: r["ref"] for r in schemes(empty_board).values()}
    with_commentary = refs["HEMS"]
    empty_board.conn.execute("UPDATE schemes SET commentary = 'kept' WHERE ref = :r", {"r": with_commentary})
    report = import_path(empty_board, "schemes", appendix, organisation="Org")
    assert report.created == 0 and report.updated == 0
    assert {r["title"]: r["ref"] for r in schemes(empty_board).values()} == refs
    assert empty_board.scalar("SELECT commentary FROM schemes WHERE ref = :r", {"r": with_commentary}) == "kept"
    assert empty_board.scalar("SELECT count(*) FROM programmes") == 5


def test_the_import_is_in_the_audit_trail_with_file_and_row_count(empty_board, appendix):
    import_path(empty_board, "schemes", appendix, organisation="Org")
    row = empty_board.one("SELECT * FROM audit WHERE op = 'import'")
    assert row["entity"] == "schemes" and row["ref"] == "appendix.xlsx" and row["new"] == "14"
    assert "sheet 'Appendix 1'" in row["reason"]
    assert empty_board.scalar("SELECT count(*) FROM audit WHERE op = 'create' AND entity = 'scheme'") == 14


def test_a_dry_run_writes_nothing(empty_board, appendix):
    report = import_path(empty_board, "schemes", appendix, organisation="Org", dry_run=True)
    assert report.rows == 14 and report.dry_run and "would import" in report.lines()[0]
    assert empty_board.scalar("SELECT count(*) FROM schemes") == 0
    assert empty_board.scalar("SELECT count(*) FROM audit") == 0


def test_a_requirement_with_no_organisation_asks_for_one(empty_board, appendix):
    with pytest.raises(ImportRefused) as err:
        import_path(empty_board, "schemes", appendix)
    assert "--organisation" in str(err.value.problems[0])


def _save_with_cached_value(path, cell: str, value: str) -> None:
    """openpyxl saves formulas without results; put one in, as Excel would have."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(?:</v>)?', rf"\1\2<v>{value}</v>", sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _formula_workbook(path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Programme", "Scheme", "Saving £k"])
    ws.append(["Adults", "One", 100])
    ws.append(["Adults", "Two", "=C2*2"])
    wb.save(path)


def test_a_formula_without_a_saved_result_asks_to_recalculate(empty_board, tmp_path):
    path = tmp_path / "formula.xlsx"
    _formula_workbook(path)
    with pytest.raises(ImportRefused) as err:
        import_path(empty_board, "schemes", path, year="2017/18")
    (problem,) = err.value.problems
    assert problem.line == 3 and problem.column == "Saving £k"
    assert "recalculate" in problem.reason and "save" in problem.reason
    assert empty_board.scalar("SELECT count(*) FROM schemes") == 0


def test_a_formula_with_a_saved_result_uses_it(empty_board, tmp_path):
    path = tmp_path / "formula.xlsx"
    _formula_workbook(path)
    _save_with_cached_value(path, "C3", "200")
    import_path(empty_board, "schemes", path, year="2017/18")
    assert empty_board.scalar("SELECT plan_pence FROM schemes WHERE title = 'Two'") == 200 * K


@pytest.mark.parametrize(
    "header, units, cell, pence",
    [
        ("Saving £k", None, 1651, 1651 * K),
        ("Saving (£000s)", None, "1,651.5", 165_150_000),
        ("Saving (£'000)", None, 12, 12 * K),
        ("Value £m", None, 1.2, 1200 * K),
        ("Plan (£)", None, "£1,651", 165_100),
        ("Plan", "pounds", 1651, 165_100),
        ("Plan", "000s", "-£5k", -5 * K),
        ("Plan", "m", "1.2m", 1200 * K),  # a suffix in the cell wins over the column's unit
        ("Saving £000s", "m", 7, 7 * K),  # the header's own unit wins over --units
    ],
)
def test_units_from_the_header_or_units(empty_board, tmp_path, header, units, cell, pence):
    path = tmp_path / "units.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Programme", "Scheme", header])
    wb.active.append(["Adults", "A scheme", cell])
    wb.save(path)
    import_path(empty_board, "schemes", path, units=units, year="2017/18")
    assert empty_board.scalar("SELECT plan_pence FROM schemes") == pence


def test_a_money_column_without_a_unit_stops_and_asks_for_units(empty_board, tmp_path):
    path = tmp_path / "nounit.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Programme", "Scheme", "Saving"])
    wb.active.append(["Adults", "A scheme", 1651])
    wb.save(path)
    with pytest.raises(UnitsNeeded, match="--units"):
        import_path(empty_board, "schemes", path, year="2017/18")
    assert empty_board.scalar("SELECT count(*) FROM audit") == 0


def test_every_problem_is_listed_with_row_column_and_value(empty_board, tmp_path):
    path = tmp_path / "bad.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Programme", "Scheme", "Saving £k", "Start"])
    ws.append(["Adults", "One", "£1,65", "2017-04"])
    ws.append(["Adults", "Two", "12%", "2017-13"])
    ws.append(["Adults", "Three", "nan", "2017-05"])
    wb.save(path)
    with pytest.raises(ImportRefused) as err:
        import_path(empty_board, "schemes", path, year="2017/18")
    got = [(p.line, p.column, p.value) for p in err.value.problems]
    assert got == [(2, "Saving £k", "£1,65"), (3, "Saving £k", "12%"), (3, "Start", "2017-13"),
                   (4, "Saving £k", "nan")]
    assert empty_board.scalar("SELECT count(*) FROM schemes") == 0


def test_the_first_sheet_with_the_columns_is_used_unless_sheet_says(empty_board, tmp_path):
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    wb.active.append(["Board pack, November 2016"])
    one = wb.create_sheet("Plan A")
    one.append(["Programme", "Scheme", "Saving £k", "Year"])
    one.append(["Adults", "From A", 1, "2017/18"])
    two = wb.create_sheet("Plan B")
    two.append(["Programme", "Scheme", "Saving £k", "Year"])
    two.append(["Adults", "From B", 2, "2017/18"])
    wb.save(path)
    assert import_path(empty_board, "schemes", path).source == "sheet 'Plan A'"
    assert import_path(empty_board, "schemes", path, sheet="plan b").source == "sheet 'Plan B'"
    assert {r[0] for r in empty_board.query("SELECT title FROM schemes")} == {"From A", "From B"}
    with pytest.raises(ValidationError, match="no sheet called 'Plan C'.*'Cover', 'Plan A', 'Plan B'"):
        import_path(empty_board, "schemes", path, sheet="Plan C")


def test_percentages_and_dates_in_a_performance_workbook(demo_board, tmp_path):
    """0.45 formatted 0%, "12%" and 45 all mean 45% / 12% / 45%; dates as dates, serials and UK text."""
    path = tmp_path / "performance.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Standard", "Month", "Actual (%)", "Trajectory"])
    ws.append(["AE4HR", date(2017, 4, 1), 0.45, 0.9])
    ws.append(["AE4HR", 42887, "12%", 91])  # serial 42887 = 1 Jun 2017, in a General cell
    ws.append(["AE4HR", "01/07/2017", 45, "92%"])
    ws["A2"].number_format = "General"
    ws["B2"].number_format = "mmm-yy"
    for cell in ("C2", "D2"):
        ws[cell].number_format = "0%"
    wb.save(path)
    import_path(demo_board, "performance", path)
    got = {r["period"]: (r["actual"], r["trajectory"]) for r in demo_board.query(
        "SELECT * FROM standard_periods WHERE standard_code = 'AE4HR' AND period >= '2017-04'")}
    assert got == {"2017-04": (45.0, 90.0), "2017-06": (12.0, 91.0), "2017-07": (45.0, 92.0)}


def test_a_1904_workbook_reads_its_dates_and_serials(demo_board, tmp_path):
    path = tmp_path / "mac.xlsx"
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["Ref", "Milestone", "Baseline date", "Forecast date"])
    ws.append(["X1", "A date cell", date(2025, 3, 31), None])
    ws.append(["X2", "A 1904 serial", 42823, "31/03/2025"])  # 42823 days after 1 Jan 1904 = 30 Mar 2021
    wb.save(path)
    import_path(demo_board, "milestones", path)
    got = {r["ref"]: (r["baseline"], r["forecast"]) for r in demo_board.query(
        "SELECT ref, baseline, forecast FROM milestones WHERE ref LIKE 'X%'")}
    assert got == {"X1": ("2025-03-31", None), "X2": ("2021-03-30", "2025-03-31")}


def test_a_cell_over_the_length_limit_is_reported(empty_board, tmp_path):
    path = tmp_path / "long.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Programme", "Scheme", "Saving £k", "Commentary"])
    wb.active.append(["Adults", "One", 1, "x" * 6_000])
    wb.save(path)
    with pytest.raises(ImportRefused) as err:
        import_path(empty_board, "schemes", path, year="2017/18")
    assert "longer than 5,000 characters" in err.value.problems[0].reason
    assert err.value.problems[0].line == 2


def test_repeated_scheme_refs_in_one_file_are_refused(empty_board, tmp_path):
    path = tmp_path / "dupes.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Ref", "Programme", "Scheme", "Saving £k", "Year"])
    wb.active.append(["S-1", "Adults", "One", 1, "2017/18"])
    wb.active.append(["S-1", "Adults", "Two", 2, "2017/18"])
    wb.save(path)
    with pytest.raises(ImportRefused, match="repeats row 2"):
        import_path(empty_board, "schemes", path)
