"""report.xlsx read back with openpyxl, cell by cell, for a small fixture factory."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.report.xlsx import CJK_FONT, write_report_xlsx
from tests.conftest import FIXTURES
from tests.report.conftest import EXAMPLES

SMALL = FIXTURES / "report" / "small-factory.yaml"


def _rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[tuple[object, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def book_en(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> openpyxl.Workbook:
    model = load_model(SMALL)
    path = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    write_report_xlsx(analyze(model, catalog), model, catalog, path, "en")
    return openpyxl.load_workbook(path)


def test_one_sheet_per_step_with_frozen_headers_and_autofilter(book_en: openpyxl.Workbook) -> None:
    assert book_en.sheetnames == [
        "Summary",
        "1-3 Operations",
        "1-5 Protected objects",
        "1-6 Zones",
        "1-7 Conduits",
        "1-7 Requirements",
        "1-7 Threats",
        "2 Ranked risks",
        "2 Plan",
        "2 Zone policies",
        "2 Attack paths",
        "3 Checklists",
        "3 Open checklist items",
        "3 Responsibilities",
        "3 OODA roles",
        "3 Maturity",
        "3 PDCA review",
        "3 Lifecycle gaps",
    ]
    for sheet in book_en.worksheets:
        assert len(sheet.title) <= 31
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.cell(row=1, column=1).font.b


def test_operations_cells(book_en: openpyxl.Workbook) -> None:
    assert _rows(book_en["1-3 Operations"]) == [
        ("ID", "Name", "Task (Table 3-2)", "Sourcing", "Status", "Declared importance", "Importance", "Why"),
        (
            "machining",
            "Machining [line A]",
            "Use data to instruct and support work",
            "in-house",
            "existing",
            "high",
            "high",
            "declared for operation 'Machining [line A]': Stops | delay\nshipments",
        ),
        ("planning", "Planning", None, "in-house", "existing", "medium", "medium", "declared for operation 'Planning'"),
    ]


def test_protected_objects_cells_carry_each_axis(book_en: openpyxl.Workbook) -> None:
    rows = _rows(book_en["1-5 Protected objects"])
    assert rows[0] == (
        "ID",
        "Name",
        "Type (Table 3-3)",
        "Component",
        "Zone",
        "S",
        "Q",
        "D",
        "C",
        "BC",
        "Overall",
        "Why",
    )
    assert rows[1][:11] == (
        "plc",
        "PLC_1",
        "equipment",
        "controller",
        "floor",
        "critical",
        "high",
        "high",
        "high",
        "high",
        "critical",
    )
    assert rows[2][:5] == ("planner-pc", "Planner PC", "equipment", "terminal", "office")
    assert len(rows) == 3


def test_zones_and_conduits_cells(book_en: openpyxl.Workbook) -> None:
    assert _rows(book_en["1-6 Zones"])[1:] == [
        ("floor", "Shop floor", "production", None, "existing", "critical", "holds 'PLC_1' (critical)"),
        ("office", "Office", "office", None, "existing", "medium", "holds 'Planner PC' (medium)"),
    ]
    assert _rows(book_en["1-7 Conduits"])[1:] == [
        ("office-to-floor", None, "office", "floor", "one-way", "yes", "opc-ua", "none", None, "existing")
    ]


def test_threats_and_plan_cells(book_en: openpyxl.Workbook) -> None:
    rows = _rows(book_en["1-7 Threats"])
    threats = [row for row in rows[1:] if row[2] == "threat"]
    assert [row[0] for row in threats] == [
        "THREAT-CONTROL-FROM-OUTSIDE@office-to-floor",
        "THREAT-FA-OA-CONNECTION@office-to-floor",
        "PHYS-MEASURES@small",
        "THREAT-BUILT-IN-COMPUTER@floor",
    ]
    assert threats[3][1:4] == ("THREAT-BUILT-IN-COMPUTER", "threat", "zone floor")
    assert threats[3][8].startswith("Appendix 2.1.2 Table 2-1")
    # the small factory records no BCP and no purpose: the Step 1-1 findings (issue #17) are listed on the same sheet
    step_1_1 = {row[0]: row for row in rows[1:] if row[2] == "requirement"}
    assert set(step_1_1) == {"S1-BCP-MISSING@small", "S1-PURPOSE-NONE@small"}
    assert step_1_1["S1-BCP-MISSING@small"][8].startswith("Appendix 3.1.1 Step 1-1 (1)")
    plan = book_en["2 Plan"]
    header = [c.value for c in plan[1]]
    assert header == [
        "Finding",
        "Subject",
        "Title",
        "Risk level",
        "Measures to consider",
        "Owner",
        "Status",
        "Due",
        "Note",
    ]
    for row in plan.iter_rows(min_row=2, values_only=True):
        assert row[4] and row[5:] == (None, None, None, None)
    status = [dv for dv in plan.data_validations.dataValidation if "G2" in str(dv.sqref)]
    assert status and status[0].formula1 == '"open,in-progress,done,accepted"'


def test_requirements_sheet_lists_each_requirement(book_en: openpyxl.Workbook, catalog: Catalog) -> None:
    assessment = analyze(load_model(SMALL), catalog)
    rows = _rows(book_en["1-7 Requirements"])
    assert [row[0] for row in rows[1:]] == [r.id for r in assessment.requirements]
    assert rows[1][4] == assessment.requirements[0].text.en
    assert rows[0][7:] == ("To", "Conduits")
    between = next(i for i, r in enumerate(assessment.requirements, 1) if r.scope == "between-zones")
    assert rows[between][7:] == (
        assessment.requirements[between - 1].to_zone,
        "; ".join(assessment.requirements[between - 1].conduits),
    )


def test_japanese_sheets_texts_and_cjk_font(tmp_path: Path, catalog: Catalog) -> None:
    model = load_model(SMALL)
    path = tmp_path / "report.xlsx"
    write_report_xlsx(analyze(model, catalog), model, catalog, path, "ja")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:4] == ["概要", "1-3 業務", "1-5 保護対象", "1-6 ゾーン"]
    operations = book["1-3 業務"]
    assert operations.cell(row=1, column=2).value == "名称"
    assert operations.cell(row=2, column=3).value == catalog.tasks["work-instruction"].title.ja
    assert book["1-7 コンジット"].cell(row=2, column=6).value == "はい"
    for sheet in book.worksheets:
        assert sheet.cell(row=1, column=1).font.name == CJK_FONT
    assert operations.cell(row=2, column=2).font.name == CJK_FONT


def test_step_3_checklists_and_lifecycle_gaps(book_en: openpyxl.Workbook, catalog: Catalog) -> None:
    lifecycle = analyze(load_model(SMALL), catalog).lifecycle
    checklist_rows = _rows(book_en["3 Checklists"])[1:]
    entries = [(c.asset, e.item, e.answer) for c in lifecycle.checklists.checklists for e in c.entries]
    assert entries and [(r[0], r[4], r[6]) for r in checklist_rows] == entries
    answered = next(r for r in checklist_rows if r[4] == "product.procurement.support-policy")
    assert answered[:4] == ("plc", "PLC_1", catalog.checklist_kinds["general-purpose-product"].title.en, "procurement")
    assert answered[6:8] == ("yes", "no")
    assert {r[7] for r in checklist_rows if r is not answered} == {"yes"}
    gaps = _rows(book_en["3 Lifecycle gaps"])
    assert gaps[0] == (
        "Finding",
        "Rule",
        "Subject",
        "Title",
        "Rationale",
        "Guideline reference",
        "Owner",
        "Status",
        "Note",
    )
    assert [r[0] for r in gaps[1:]] == [f.id for f in lifecycle.findings]
    assert all(r[6:] == (None, None, None) for r in gaps[1:])


@pytest.fixture(scope="module")
def case2(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> tuple[Assessment, dict[str, openpyxl.Workbook]]:
    model = load_model(EXAMPLES / "case-2-after-review.yaml")
    assessment = analyze(model, catalog)
    books = {}
    for lang in ("en", "ja"):
        path = tmp_path_factory.mktemp("xlsx-case2") / "report.xlsx"
        write_report_xlsx(assessment, model, catalog, path, lang)
        books[lang] = openpyxl.load_workbook(path)
    return assessment, books


def test_case_two_sheets_fit_excel_and_are_filterable(case2: tuple[Assessment, dict[str, openpyxl.Workbook]]) -> None:
    for book in case2[1].values():
        assert len(book.sheetnames) == 18
        for sheet in book.worksheets:
            assert len(sheet.title) <= 31
            assert sheet.freeze_panes == "A2"
            assert (
                sheet.auto_filter.ref
                == f"A1:{sheet.cell(row=1, column=sheet.max_column).column_letter}{max(2, sheet.max_row)}"
            )


def test_ranked_risks_sheet_cells(case2: tuple[Assessment, dict[str, openpyxl.Workbook]], catalog: Catalog) -> None:
    assessment, books = case2
    rows = _rows(books["en"]["2 Ranked risks"])
    assert rows[0] == (
        "Rank",
        "Finding",
        "Rule",
        "Finding reference",
        "Subject",
        "Zone",
        "Can interrupt the business",
        "Likelihood",
        "Impact",
        "Score",
        "Risk level",
        "Residual level",
        "Missing measures",
        "Why",
        "Owner",
        "Status",
        "Due",
        "Note",
    )
    assert [row[1] for row in rows[1:]] == [r.finding for r in assessment.risks]
    external = next(
        r for r in assessment.risks if r.finding == "THREAT-EXTERNAL-NETWORK@warehouse-to-remote-maintenance"
    )
    first = next(row for row in rows[1:] if row[1] == external.finding)
    assert first[:7] == (
        external.rank,
        "THREAT-EXTERNAL-NETWORK@warehouse-to-remote-maintenance",
        "THREAT-EXTERNAL-NETWORK",
        external.finding_reference,
        "conduit warehouse-to-remote-maintenance",
        "external-services",
        "yes",
    )
    assert first[7:12] == (4, 2, 8, "high", "high")
    gap = next(g for g in assessment.gaps if g.finding == first[1])
    assert first[12] == "; ".join(catalog.measures[m].title.en for m in gap.missing)
    assert first[13] == external.reason.en
    assert all(row[14:] == (None, None, None, None) for row in rows[1:])
    medium = next(row for row in rows[1:] if row[1] == "THREAT-BUILT-IN-COMPUTER@production")
    assert (medium[10], medium[11]) == ("medium", "medium")
    sheet = books["en"]["2 Ranked risks"]
    status = [dv for dv in sheet.data_validations.dataValidation if "P2" in str(dv.sqref)]
    assert status and status[0].formula1 == '"open,in-progress,done,accepted"'
    assert books["ja"]["2 リスクの優先順位"].cell(row=2, column=7).value == "はい"


def test_zone_policies_and_attack_paths_cells(
    case2: tuple[Assessment, dict[str, openpyxl.Workbook]], catalog: Catalog
) -> None:
    assessment, books = case2
    policies = _rows(books["en"]["2 Zone policies"])
    assert [(row[0], row[1]) for row in policies[1:]] == [(p.priority, p.zone) for p in assessment.policies]
    top = next(p for p in assessment.policies if p.zone == "external-services")
    row = next(r for r in policies[1:] if r[1] == "external-services")
    assert row[2:7] == ("External services zone", top.importance, "high", "yes", top.statement.en)
    assert row[7] == "; ".join(top.top_threats)
    assert row[8].startswith(catalog.measures[top.measures_first[0].measure].title.en + " (low)")
    assert row[9] == "; ".join(top.requirements)
    paths = _rows(books["en"]["2 Attack paths"])
    to_production = [row for row in paths[1:] if row[0] == "production" and row[1] == "shortest"]
    assert [(row[5], row[6], row[7], row[8]) for row in to_production] == [
        (1, "warehouse-to-control", "warehouse-zone", "production-control"),
        (2, "control-to-production", "production-control", "production"),
    ]
    assert to_production[0][2:5] == ("warehouse-to-remote-maintenance", "warehouse-zone", 0)
    assert {row[1] for row in _rows(books["ja"]["2 攻撃経路"])[1:]} == {"最短", "最弱"}


def test_step_three_sheets_cells(case2: tuple[Assessment, dict[str, openpyxl.Workbook]], catalog: Catalog) -> None:
    assessment, books = case2
    lifecycle = assessment.lifecycle
    book = books["en"]
    matrix = _rows(book["3 Responsibilities"])
    assert matrix[0] == (
        "ID",
        "Kind",
        "Name",
        "Party",
        "operation",
        "maintenance",
        "incident response",
        "vulnerability handling",
        "data handling at end of use",
    )
    assert matrix[1] == (
        "remote-maintenance-service",
        "asset",
        "External remote maintenance service",
        "remote-maintenance-provider",
        "remote-maintenance-provider (inferred)",
        "remote-maintenance-provider (inferred)",
        "— nobody —",
        "— nobody —",
        "— nobody —",
    )
    assert matrix[2][5:] == ("— nobody —",) * 4
    assert _rows(books["ja"]["3 責任分界"])[1][4] == "remote-maintenance-provider (推定)"
    open_items = _rows(book["3 Open checklist items"])
    assert [(row[0], row[1], row[6]) for row in open_items[1:]] == [
        (i.rank, i.asset, i.item) for i in lifecycle.checklists.open_items
    ]
    assert open_items[1][:4] == (1, "mes-server", "MES server", "high")
    ooda = _rows(book["3 OODA roles"])
    assert [(row[0], row[1]) for row in ooda[1:]] == [(c.stage, c.phase) for c in lifecycle.ooda]
    assert ooda[1][2:5] == ("line-vendor; agv-vendor; warehouse-vendor", "it-security", "proposed")
    maturity = _rows(book["3 Maturity"])
    assert [row[0] for row in maturity[1:]] == [m.area for m in lifecycle.maturity]
    assert maturity[1][2] is None and maturity[1][5] == lifecycle.maturity[0].next_step.en
    pdca = dict(_rows(book["3 PDCA review"])[1:])
    assert pdca["Last review"] is None and pdca["Interval (days)"] == 365 and pdca["Overdue"] == "no"
    assert pdca["Changed elements"] == "; ".join(lifecycle.pdca.changed_elements)
    checklists = _rows(book["3 Checklists"])[1:]
    assert len(checklists) == sum(len(c.entries) for c in lifecycle.checklists.checklists)


def test_every_cell_is_styled_headers_bold_bodies_wrapped_at_the_top(book_en: openpyxl.Workbook) -> None:
    for sheet in book_en.worksheets:
        header = sheet.cell(row=1, column=1)
        assert header.font.b and not header.alignment.wrap_text
        for row in sheet.iter_rows(min_row=2, max_row=min(sheet.max_row, 6)):
            for cell in row:
                assert cell.alignment.wrap_text and cell.alignment.vertical == "top", (sheet.title, cell.coordinate)
                assert not cell.font.b


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, catalog: Catalog) -> None:
    """A name such as '=HYPERLINK(...)' from a model file must not become a live formula in the report."""
    text = SMALL.read_text(encoding="utf-8").replace(
        "name: Planning", 'name: \'=HYPERLINK("http://example.test","x")\''
    )
    assert "=HYPERLINK" in text
    source = tmp_path / "factory.yaml"
    source.write_text(text, encoding="utf-8")
    model = load_model(source)
    path = tmp_path / "report.xlsx"
    write_report_xlsx(analyze(model, catalog), model, catalog, path, "en")
    sheet = openpyxl.load_workbook(path)["1-3 Operations"]
    cells = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")
    ]
    assert cells and all(cell.data_type == "s" for cell in cells)
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(name) for name in sheets)
