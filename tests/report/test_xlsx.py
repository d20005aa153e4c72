"""report.xlsx read back with openpyxl, cell by cell, for a small fixture factory."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.report.xlsx import CJK_FONT, write_report_xlsx
from tests.conftest import FIXTURES
from tests.report.conftest import EXAMPLES

SMALL = FIXTURES / "report" / "small-factory.yaml"


def _rows(sheet: Worksheet) -> list[tuple[object, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def book_en(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> openpyxl.Workbook:
    model = load_model(SMALL)
    path = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    write_report_xlsx(analyze(model, catalog), model, catalog, path, "en")
    return openpyxl.load_workbook(path)


def test_one_sheet_per_step_with_frozen_headers_and_autofilter(book_en: openpyxl.Workbook) -> None:
    assert book_en.sheetnames == [
        "Actions first",
        "Summary",
        "2 Ranked risks",
        "Findings",
        "2-2 Measure gaps",
        "1-7 Requirements",
        "1-3 Operations",
        "1-5 Protected objects",
        "1-6 Zones",
        "1-7 Conduits",
        "2 Zone policies",
        "2 Entry routes",
        "2 Attack paths",
        "3 Open checklist items",
        "3 Responsibilities",
        "3 OODA roles",
        "3 Maturity",
        "3 PDCA review",
    ]
    for sheet in book_en.worksheets:
        assert len(sheet.title) <= 31
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.cell(row=1, column=1).font.b


def test_operations_cells_carry_each_axis_and_why(book_en: openpyxl.Workbook) -> None:
    rows = _rows(book_en["1-3 Operations"])
    assert rows[0] == (
        "ID",
        "Name",
        "Task (Table 3-2)",
        "Sourcing",
        "Status",
        "Declared importance",
        "Importance",
        "S",
        "Q",
        "D",
        "C",
        "BC",
        "Single rating for all axes",
        "Importance per axis and why",
    )
    assert rows[1][:13] == (
        "machining",
        "Machining [line A]",
        "Use data to instruct and support work",
        "in-house",
        "existing",
        "high",
        "high",
        "high",
        "high",
        "high",
        "high",
        "high",
        "yes",
    )
    reasons = str(rows[1][13]).split("\n")
    assert len(reasons) == 5 and reasons[0].startswith("safety (S): high — ")
    assert "'Machining [line A]'" in reasons[0]
    assert rows[2][:7] == ("planning", "Planning", None, "in-house", "existing", "medium", "medium")
    assert len(rows) == 3


def test_protected_objects_cells_carry_each_axis(book_en: openpyxl.Workbook) -> None:
    rows = _rows(book_en["1-5 Protected objects"])
    assert rows[0] == (
        "ID",
        "Name",
        "Type (Table 3-3)",
        "Component",
        "Zone",
        "Location (site / building / area)",
        "Recovery target (hours)",
        "S",
        "Q",
        "D",
        "C",
        "BC",
        "Overall",
        "Importance per axis and why",
    )
    assert rows[1][:13] == (
        "plc",
        "PLC_1",
        "equipment",
        "controller",
        "floor",
        None,
        None,
        "critical",
        "high",
        "high",
        "high",
        "high",
        "critical",
    )
    assert str(rows[1][13]).split("\n") == [
        "safety (S): critical — safety (S) rated critical in the model",
        "quality (Q), delivery (D), cost (C), business continuity (BC): high — serves operation 'Machining [line A]' (high; single rating given for all axes)",
    ]  # the axes that share a level and a reason on one line
    assert rows[2][:5] == ("planner-pc", "Planner PC", "equipment", "terminal", "office")
    # every axis at the overall level: the five axis cells stay empty, the overall cell says it
    assert rows[2][7:13] == (None, None, None, None, None, "medium")
    assert str(rows[2][13]).startswith(
        "safety (S), quality (Q), delivery (D), cost (C), business continuity (BC): medium — "
    )
    assert len(rows) == 3


def test_locations_and_recovery_targets_where_the_model_has_them(tmp_path: Path, catalog: Catalog) -> None:
    model = load_model(EXAMPLES.parent / "food-batch" / "factory.yaml")
    path = tmp_path / "report.xlsx"
    write_report_xlsx(analyze(model, catalog), model, catalog, path, "en")
    book = openpyxl.load_workbook(path)
    zones = {row[0]: row for row in _rows(book["1-6 Zones"])[1:]}
    assets = {row[0]: row for row in _rows(book["1-5 Protected objects"])[1:]}
    for zone in model.zones:
        if zone.location is not None:
            parts = [p for p in (zone.location.site, zone.location.building, zone.location.area) if p]
            assert zones[zone.id][5] == " / ".join(parts)
        assert zones[zone.id][6] == zone.recovery_target_hours
    placed = [a for a in model.assets if a.location is not None]
    assert placed and all(assets[a.id][5] for a in placed)


def test_zones_and_conduits_cells(book_en: openpyxl.Workbook) -> None:
    zones = _rows(book_en["1-6 Zones"])[1:]
    assert [row[:8] for row in zones] == [
        ("floor", "Shop floor", "production", None, "existing", None, None, "critical"),
        ("office", "Office", "office", None, "existing", None, None, "medium"),
    ]
    assert zones[0][13] == "holds 'PLC_1' (critical)" and str(zones[0][14]).startswith("safety (S): critical")
    assert _rows(book_en["1-7 Conduits"])[1:] == [
        ("office-to-floor", "office", "floor", None, "yes", "opc-ua", None, None, None)
    ]


def test_findings_sheet_one_row_per_finding_with_risk_and_plan_columns(
    book_en: openpyxl.Workbook, catalog: Catalog
) -> None:
    assessment = analyze(load_model(SMALL), catalog)
    sheet = book_en["Findings"]
    rows = _rows(sheet)
    assert rows[0] == (
        "Finding",
        "Rule",
        "Category",
        "Subject",
        "Threat type",
        "Risk level",
        "Status",
        "Title",
        "Rationale",
        "Measures to consider",
        "Guideline reference",
        "Model source",
        "Owner",
        "Due",
        "Note",
    )
    every = [*assessment.findings, *assessment.lifecycle.findings]
    assert [row[0] for row in rows[1:]] == [f.id for f in every]
    levels = {r.finding: r.level for r in assessment.risks}
    assert [row[5] for row in rows[1:]] == [levels.get(f.id) for f in every]
    built_in = next(row for row in rows[1:] if row[0] == "THREAT-BUILT-IN-COMPUTER@floor")
    assert built_in[1:4] == ("THREAT-BUILT-IN-COMPUTER", "threat", "zone floor")
    assert isinstance(built_in[10], str) and built_in[10].startswith("Appendix 2.1.2 Table 2-1") and built_in[9]
    step_1_1 = {row[0]: row for row in rows[1:] if row[2] == "requirement"}
    assert set(step_1_1) == {"S1-BCP-MISSING@small", "S1-PURPOSE-NONE@small"}
    assert all(
        row[11:] == (None, None, None, None) for row in rows[1:]
    )  # no loaded model: no source; plan columns empty
    status = [dv for dv in sheet.data_validations.dataValidation if "G2" in str(dv.sqref)]
    assert status and status[0].formula1 == '"open,in-progress,done,accepted"'


def test_actions_come_first_with_what_they_resolve(book_en: openpyxl.Workbook, catalog: Catalog) -> None:
    assessment = analyze(load_model(SMALL), catalog)
    rows = _rows(book_en["Actions first"])
    assert assessment.actions and len(rows) == len(assessment.actions) + 1
    for row, action in zip(rows[1:], assessment.actions):
        assert row[0] == action.rank and row[11] == action.measure
        assert row[1] == catalog.measures[action.measure].title.en
        assert row[2] == action.level and row[3] == action.summary.en
        assert row[6] == len(action.findings) and row[7] == "; ".join(action.findings)
        assert row[8] == len(action.requirements) and row[9] == len(action.checklist_items)
        owners = [catalog.department_kinds[d].title.en for d in action.departments]
        assert row[4] == "; ".join(owners)
        assert (row[10] or "") == "; ".join(f"{r.finding}: {r.before} → {r.after}" for r in action.removes)


def test_gap_sheet_one_row_per_open_gap(book_en: openpyxl.Workbook, catalog: Catalog) -> None:
    assessment = analyze(load_model(SMALL), catalog)
    rows = _rows(book_en["2-2 Measure gaps"])
    open_gaps = [g for g in assessment.gaps if g.missing]
    assert open_gaps and sorted(str(row[0]) for row in rows[1:]) == sorted(g.finding for g in open_gaps)
    first = next(g for g in open_gaps if g.finding == rows[1][0])
    assert rows[1][6] == "; ".join(catalog.measures[m].title.en for m in first.missing)


def test_requirements_sheet_lists_each_requirement(book_en: openpyxl.Workbook, catalog: Catalog) -> None:
    assessment = analyze(load_model(SMALL), catalog)
    rows = _rows(book_en["1-7 Requirements"])
    assert [row[0] for row in rows[1:]] == [r.id for r in assessment.requirements]
    assert rows[1][4] == assessment.requirements[0].text.en
    assert rows[0][7:] == ("To", "Conduits")
    assert [row[6] for row in rows[1:]] == ["yes" if r.new else None for r in assessment.requirements]
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
    assert book.sheetnames[:2] == ["まず取り組むこと", "概要"]
    assert {"1-3 業務", "1-5 保護対象", "1-6 ゾーン"} <= set(book.sheetnames)
    operations = book["1-3 業務"]
    assert operations.cell(row=1, column=2).value == "名称"
    assert operations.cell(row=2, column=3).value == catalog.tasks["work-instruction"].title.ja
    assert book["1-7 コンジット"].cell(row=2, column=5).value == "はい"
    for sheet in book.worksheets:
        assert sheet.cell(row=1, column=1).font.name == CJK_FONT
    assert operations.cell(row=2, column=2).font.name == CJK_FONT


def test_step_3_open_items_grouped_per_item(book_en: openpyxl.Workbook, catalog: Catalog) -> None:
    lifecycle = analyze(load_model(SMALL), catalog).lifecycle
    rows = _rows(book_en["3 Open checklist items"])
    assert rows[0] == ("Rank", "Checklist", "Stage", "ID", "Item", "Protected objects", "Importance", "Open on")
    groups: dict[tuple[str, str, str], list[str]] = {}
    for item in lifecycle.checklists.open_items:
        groups.setdefault((item.kind, item.stage, item.item), []).append(item.asset)
    assert len(rows) - 1 == len(groups) and lifecycle.checklists.open_items
    assert sum(int(str(row[5])) for row in rows[1:]) == len(lifecycle.checklists.open_items)
    for row in rows[1:]:
        assets = next(a for (kind, stage, item), a in groups.items() if item == row[3] and stage == row[2])
        assert row[5] == len(assets) and row[7] == "; ".join(assets)


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
        assert len(book.sheetnames) == 19  # the purposes sheet appears: case 2 names purposes
        for sheet in book.worksheets:
            assert len(sheet.title) <= 31
            assert sheet.freeze_panes == "A2"
            assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{max(2, sheet.max_row)}"


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
    assert isinstance(row[8], str) and row[8].startswith(
        catalog.measures[top.measures_first[0].measure].title.en + " (low)"
    )
    assert row[9] == "; ".join(top.requirements)
    paths = _rows(books["en"]["2 Attack paths"])
    assert len(paths) - 1 == len(assessment.paths)
    to_production = [row for row in paths[1:] if row[0] == "production" and row[1] == "shortest"]
    assert to_production == [
        (
            "production",
            "shortest",
            "warehouse-to-remote-maintenance",
            "warehouse-zone",
            2,
            0,
            "warehouse-zone → [warehouse-to-control] production-control → [control-to-production] production",
        )
    ]
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
    first = lifecycle.checklists.open_items[0]
    assert open_items[1][:4] == (1, first.kind, first.stage, first.item)
    # the maintenance terminal is a general-purpose product: its checklist applies though it names no supplier (#23 item 5)
    assert open_items[1][6] == "high" and str(open_items[1][7]).startswith("maintenance-terminal; mes-server")
    ooda = _rows(book["3 OODA roles"])
    assert [(row[0], row[1]) for row in ooda[1:]] == [(c.stage, c.phase) for c in lifecycle.ooda]
    assert ooda[1][2:5] == ("line-vendor; agv-vendor; warehouse-vendor", "it-security", "proposed")
    maturity = _rows(book["3 Maturity"])
    assert [row[0] for row in maturity[1:]] == [m.area for m in lifecycle.maturity]
    assert maturity[1][2] is None and maturity[1][5] == lifecycle.maturity[0].next_step.en
    pdca = {key: value for key, value in _rows(book["3 PDCA review"])[1:]}
    assert pdca["Last review"] is None and pdca["Interval (days)"] == 365 and pdca["Overdue"] == "no"
    assert pdca["Changed elements"] == "; ".join(lifecycle.pdca.changed_elements)


def test_every_cell_is_styled_headers_bold_bodies_wrapped_at_the_top(book_en: openpyxl.Workbook) -> None:
    for sheet in book_en.worksheets:
        header = sheet.cell(row=1, column=1)
        assert header.font.b and not header.alignment.wrap_text
        for row in sheet.iter_rows(min_row=2, max_row=min(sheet.max_row, 6)):
            for cell in row:
                if cell.value is None:  # an empty cell is not written; its column's format applies when filled in
                    continue
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
    assert all(cell.quotePrefix for cell in cells)  # and stays text when the cell is edited in Excel
    others = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str) and cell.value[0] != "="]
    assert others and not any(cell.quotePrefix for cell in others)
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(name) for name in sheets)


def test_long_id_lists_in_the_action_list_stay_within_a_cell() -> None:
    """An action on a large plant resolves thousands of findings; the cell lists the first ones and says there are more."""
    from factorysec.report.xlsx import LISTED_IN_CELL, _first

    many = tuple(f"THREAT-FA-OA-CONNECTION@c{i}" for i in range(3 * LISTED_IN_CELL))
    cell = _first(many)
    assert cell.endswith(" …") and cell.count("; ") == LISTED_IN_CELL - 1 and len(cell) < 32_767
    assert _first(many[:3]) == "; ".join(many[:3])


def test_entry_routes_sheet_one_row_per_route(case2: tuple[Assessment, dict[str, openpyxl.Workbook]]) -> None:
    assessment, books = case2
    rows = _rows(books["en"]["2 Entry routes"])
    assert rows[0] == (
        "Route into zone",
        "Name",
        "Entry points opening it",
        "Entry points",
        "Kinds of entry",
        "Why",
        "Rule",
        "Guideline reference",
    )
    assert (
        [row[0] for row in rows[1:]]
        == [r.zone for r in assessment.entry_routes]
        == ["warehouse-zone", "transport-zone"]
    )
    warehouse, transport = rows[1], rows[2]
    assert warehouse[1] == "Automated warehouse zone"
    assert warehouse[2] == 4
    assert warehouse[3] == (
        "External services zone (external-services); warehouse-to-remote-maintenance; "
        "External remote maintenance service (remote-maintenance-service); VPN device and firewall (vpn-firewall)"
    )
    assert warehouse[4] == "external-zone; external-network; remote-access; cloud; vendor-managed"
    assert warehouse[5] == assessment.entry_routes[0].reason.en
    assert warehouse[6] == "EXPOSURE-ENTRY"
    assert transport[2:5] == (2, "Wireless LAN access point (wireless-ap); AGV (agv)", "wireless")
    japanese = _rows(books["ja"]["2 侵入経路"])
    assert japanese[0][0] == "侵入先のゾーン"
    assert japanese[2][4] == "無線"
    assert japanese[1][5] == assessment.entry_routes[0].reason.ja
    assert str(japanese[1][7]).startswith("別冊 3.2.1 ステップ2-1")


def test_conduit_sheet_groups_plain_flows_inside_a_zone_and_leaves_defaults_empty(
    tmp_path: Path, catalog: Catalog
) -> None:
    text = SMALL.read_text(encoding="utf-8").replace(
        "conduits:\n",
        "conduits:\n"
        "  - {id: floor-a, from: floor, to: floor, carries: counts}\n"
        "  - {id: floor-b, from: floor, to: floor, carries: counts, direction: two-way}\n"
        "  - {id: floor-ctl, from: floor, to: floor, carries: setpoints, carries_control_instructions: true}\n"
        "  - {id: floor-new, from: floor, to: floor, carries: counts, status: new}\n"
        "  - {id: office-a, from: office, to: office, carries: mail}\n"
        "  - {id: floor-out, from: floor, to: office, carries: counts, direction: two-way}\n",
    )
    source = tmp_path / "factory.yaml"
    source.write_text(text, encoding="utf-8")
    model = load_model(source)
    for lang in ("en", "ja"):
        path = tmp_path / f"report-{lang}.xlsx"
        write_report_xlsx(analyze(model, catalog), model, catalog, path, lang)
        rows = _rows(openpyxl.load_workbook(path)["1-7 Conduits" if lang == "en" else "1-7 コンジット"])[1:]
        by_id = {row[0]: row for row in rows}
        assert set(by_id) >= {"floor-ctl", "floor-new", "floor-out", "office-to-floor"}
        assert "floor-a" not in by_id and "floor-b" not in by_id and "office-a" not in by_id
        assert by_id["floor-ctl"][3:5] == (None, "yes" if lang == "en" else "はい")
        assert by_id["floor-new"][8] == ("new" if lang == "en" else "新規")
        assert by_id["floor-out"][3] == ("two-way" if lang == "en" else "双方向")
        assert [row[:3] for row in rows[-2:]] == [
            (
                "2 other data flow(s) inside the zone: floor-a; floor-b"
                if lang == "en"
                else "ゾーン内のその他のデータフロー 2 件: floor-a; floor-b",
                "floor",
                "floor",
            ),
            (
                "1 other data flow(s) inside the zone: office-a"
                if lang == "en"
                else "ゾーン内のその他のデータフロー 1 件: office-a",
                "office",
                "office",
            ),
        ]
        assert len(rows) == 6


AWKWARD_ROWS: list[tuple[object, ...]] = [
    ("plain", 1, 2.5, "", None, "a & b <c> \"d\" 'e'"),
    (" leading space", "trailing space ", "two\nlines", "ends with a newline\n", "\ttab first", 0),
    ("bell \x07 inside", "_x0041_ reads as an escape", "non-character \ufffe", True, "=SUM(A1:A2)", -3),
    ("x" * 20_000, "ゾーン 3 → ゾーン 0", "", "", "", ""),
    (None, None, None, None, None, None),
    ("", "", "", "", "", "only the last"),
    ("after an empty row", 10**17, 1e-9, "http://example.com", "0123", "1e5"),
    ("-2+3", "@SUM(1)", "+1", "\uff1d1+1", "a = b", '=HYPERLINK("http://example.test","x")'),
]


def _sheet_xml(path: Path, rows: list[tuple[object, ...]], fast: bool) -> bytes:
    """A workbook of one sheet written with XlsxWriter's own cell-by-cell writes or with RowsWorksheet.write_rows."""
    import xlsxwriter  # type: ignore[import-untyped]

    from factorysec.report.xlsx import RowsWorksheet, _write_cells

    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    body, header = workbook.add_format({"text_wrap": True}), workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("rows", worksheet_class=RowsWorksheet)
    sheet.set_column(0, 4, 20, body)  # the last column has no format: its cells carry none
    sheet.quoted_format = workbook.add_format({"text_wrap": True, "quote_prefix": True})
    for col in range(6):
        sheet.write_string(0, col, f"head {col}", header)
    if fast:
        sheet.write_rows(1, rows[:3])
        sheet.write_rows(4, rows[3:])
    else:
        for row, values in enumerate(rows, start=1):
            _write_cells(sheet, row, values)
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml") + archive.read("xl/styles.xml")


def test_rows_worksheet_writes_xlsxwriters_own_xml(tmp_path: Path) -> None:
    """RowsWorksheet writes plain rows itself and hands rows with white space at an end, control characters, an
    ``_xHHHH_`` look-alike, over-long text or a value neither text nor number to XlsxWriter: the sheet must be the one
    XlsxWriter writes cell by cell, byte for byte (an XlsxWriter upgrade that changes its cell XML fails here)."""
    stock = _sheet_xml(tmp_path / "stock.xlsx", AWKWARD_ROWS, fast=False)
    fast = _sheet_xml(tmp_path / "fast.xlsx", AWKWARD_ROWS, fast=True)
    assert b'xml:space="preserve"' in stock and b"_x0007_" in stock and b"_x005F_x0041_" in stock
    assert fast == stock
    back = openpyxl.load_workbook(tmp_path / "fast.xlsx")["rows"]
    assert back["A2"].value == "plain" and back["F2"].value == "a & b <c> \"d\" 'e'" and back["B2"].value == 1
    assert back["E4"].value == "=SUM(A1:A2)" and back["D4"].value == "True" and back["F7"].value == "only the last"
    assert back["E4"].quotePrefix and not back["A2"].quotePrefix
    last = [cell for cell in next(back.iter_rows(min_row=len(AWKWARD_ROWS) + 1))]
    assert [cell.quotePrefix for cell in last] == [True, True, True, True, False, True]
    assert last[5].value == '=HYPERLINK("http://example.test","x")' and last[5].data_type == "s"


def test_rows_worksheet_leaves_infinite_numbers_to_xlsxwriter(tmp_path: Path) -> None:
    """A number Excel cannot hold goes to XlsxWriter's own write_number, which refuses it as it always did."""
    with pytest.raises(TypeError, match="NAN/INF"):
        _sheet_xml(tmp_path / "inf.xlsx", [("ok", 1), ("inf", float("inf"))], fast=True)


MANY_ROWS: list[tuple[object, ...]] = [
    *AWKWARD_ROWS,
    *((f"row {i} & <{i}>", i, "ゾーン → 0" if i % 7 else "", None, f"x\x7f{i}") for i in range(3_000)),
    ("del \x7f inside", "a\x7f b", "has _x but no escape"),
    ("ends with a space ", "ok"),
    ("a no-break space at the end\xa0",),
    ("an ideographic space first", "\u3000ゾーン"),
    *AWKWARD_ROWS[1:3],
    *((f"after {i}", i / 4) for i in range(600)),
]
"""Thousands of plain rows (several batches of :data:`ROWS_PER_WRITE`) with rows XlsxWriter must write among them."""


def test_rows_worksheet_batches_plain_rows_around_awkward_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain rows are written in batches by RowsWorksheet itself, the awkward ones by XlsxWriter (white space at an end
    of a text, be it a plain, no-break or ideographic space, found with or without the regular expression), and the
    sheet is XlsxWriter's own, byte for byte, wherever a batch ends."""
    from factorysec.report import xlsx

    stock = _sheet_xml(tmp_path / "stock.xlsx", MANY_ROWS, fast=False)
    library_rows: list[int] = []
    write_cells = xlsx._write_cells

    def counted(sheet: Any, row: int, values: Any) -> None:
        library_rows.append(row)
        write_cells(sheet, row, values)

    monkeypatch.setattr(xlsx, "_write_cells", counted)
    fast = _sheet_xml(tmp_path / "fast.xlsx", MANY_ROWS, fast=True)
    assert fast == stock
    plain = len(AWKWARD_ROWS) + 3_000 + 1  # the sheet row of the "\x7f inside" row (after the header)
    assert library_rows == [2, 3, 4, *range(plain + 1, plain + 6)]


def test_report_workbook_is_deflated_at_its_level_with_xlsxwriters_parts(tmp_path: Path) -> None:
    """LeveledWorkbook deflates every part at ZIP_LEVEL (not zlib's default), the parts are the bytes the stock
    XlsxWriter workbook holds, and XlsxWriter's own zip is its stock one again afterwards."""
    import datetime
    import zlib

    import xlsxwriter
    import xlsxwriter.workbook  # type: ignore[import-untyped]

    from factorysec.report.xlsx import ZIP_LEVEL, LeveledWorkbook

    parts = {}
    for name, kind in (("stock", xlsxwriter.Workbook), ("leveled", LeveledWorkbook)):
        workbook = kind(str(tmp_path / f"{name}.xlsx"), {"constant_memory": True})
        workbook.set_properties({"created": datetime.datetime(2026, 12, 3)})
        sheet = workbook.add_worksheet("rows")
        for row in range(2_000):
            sheet.write_string(row, 0, f"text {row % 37} repeated so that levels compress it differently")
        workbook.close()
        with zipfile.ZipFile(tmp_path / f"{name}.xlsx") as archive:
            parts[name] = {info.filename: (archive.read(info), info.compress_size) for info in archive.infolist()}
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    assert {n: data for n, (data, _) in parts["leveled"].items()} == {
        n: data for n, (data, _) in parts["stock"].items()
    }
    for data, size in parts["leveled"].values():
        deflate = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
        assert size == len(deflate.compress(data) + deflate.flush())
    sheet_xml = "xl/worksheets/sheet1.xml"
    assert parts["leveled"][sheet_xml][1] != parts["stock"][sheet_xml][1]


def test_sheet_input_keeps_the_views_words(catalog: Catalog) -> None:
    """SheetInput's kept words are the view's, per vocabulary, value and language, asked once or many times; a value
    that is not plain text (an enumeration member) is looked up as it comes."""
    from enum import Enum

    from factorysec.analysis.importance import ALL_AXES, AXIS_LABELS, Derived
    from factorysec.catalog.models import Text
    from factorysec.model.entities import Importance
    from factorysec.report.glossary import VALUES
    from factorysec.report.view import AssessmentView
    from factorysec.report.xlsx import SheetInput

    model = load_model(SMALL)
    assessment = analyze(model, catalog)

    class Mixed(str, Enum):  # noqa: UP042 - str() of such a member is not its value
        HIGH = "high"

    for lang in ("en", "ja"):
        view = AssessmentView(assessment, model, catalog, lang)
        data = SheetInput(view)
        for _ in range(2):
            for vocabulary, words in VALUES.items():
                for raw in words:
                    assert data.value(vocabulary, raw) == view.value(vocabulary, raw)
            for level in Importance:
                derived = Derived(level=level, source="test", reason=Text(en="why", ja="理由"))
                assert data.level(derived) == view.value("level", level.value)
            assert (
                data.level(None) == ""
                and data.level(Derived(level=None, source="test", reason=Text(en="none", ja="なし"))) == ""
            )
            assert data.value("level", Mixed.HIGH) == view.value("level", Mixed.HIGH)
            assert data.axis_labels() == {axis: AXIS_LABELS[axis].get(lang) for axis in ALL_AXES}


def _parts(path: Path) -> dict[str, bytes]:
    """Every part of a workbook but its creation time."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_large_workbook_written_in_its_own_process_is_the_same(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Past SEPARATE_ROWS rows, ``python -m factorysec.report.xlsx_process`` writes the workbook from the rows pickled
    to it part by part: every part of the file is the one this process writes (a sheet of many parts included)."""
    import subprocess

    from factorysec.report import xlsx
    from factorysec.report.view import AssessmentView
    from tests.report.conftest import synthetic_model

    model = synthetic_model(120, assets_per_zone=3)
    view = AssessmentView(analyze(model, catalog), model, catalog, lang)
    here, apart = tmp_path / "here.xlsx", tmp_path / "apart.xlsx"
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def recorded(args: list[str], **kwargs: Any) -> Any:
        started.append(args)
        return real_popen(args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", recorded)
    monkeypatch.setattr(xlsx, "_cores", lambda: 2)
    xlsx.write_report_workbook(view, here)
    assert started == [], "a small workbook is written in this process"
    monkeypatch.setattr(xlsx, "SEPARATE_ROWS", 0)
    monkeypatch.setattr(xlsx, "PART_ROWS", 40)
    xlsx.write_report_workbook(view, apart)
    assert [args[1:4] for args in started] == [["-m", "factorysec.report.xlsx_process", str(apart)]]
    book = openpyxl.load_workbook(here, read_only=True)
    assert max(sheet.max_row or 0 for sheet in book.worksheets) > xlsx.WIDTH_SAMPLE + 2 * 40, "a sheet of 3+ parts"
    assert _parts(apart) == _parts(here)


def test_a_workbook_process_that_fails_is_an_output_error(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factorysec.outputs import OutputError
    from factorysec.report import xlsx
    from factorysec.report.view import AssessmentView

    model = load_model(SMALL)
    monkeypatch.setattr(xlsx, "SEPARATE_ROWS", 0)
    monkeypatch.setattr(xlsx, "_cores", lambda: 2)
    with pytest.raises(OutputError, match="report.xlsx could not be written: .*No such file or directory"):
        xlsx.write_report_workbook(
            AssessmentView(analyze(model, catalog), model, catalog, "en"), tmp_path / "no" / "r.xlsx"
        )
