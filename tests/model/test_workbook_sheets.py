"""A spreadsheet user's edits to an exported workbook's sheets and columns: deleting, renaming, reordering or hiding
them is either read back with no entry lost or refused in one line naming the sheet (and column), never read as a
section or field emptied."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.model import LoadedModel, load_model_with_sources
from factorysec.model.entities import FactoryModel
from factorysec.model.workbook import WorkbookExportError, write_workbook
from tests.conftest import EXAMPLES
from tests.model.conftest import load_problems

MISSING_HINT = (
    "(restore the sheet from the exported workbook; to leave the section empty, keep the sheet with only its header "
    "row)"
)


def _edit_book(path: Path, *deleted: str, renamed: dict[str, str] | None = None) -> None:
    book = openpyxl.load_workbook(path)
    for title in deleted:
        del book[title]
    for old, new in (renamed or {}).items():
        book[old].title = new
    book.save(path)


def test_a_deleted_sheet_is_refused_by_name_not_read_as_a_section_emptied(
    plant: Path, current_loaded: LoadedModel
) -> None:
    # before: the workbook read as valid with no conduit at all, and 'workbook import' wrote the model without them
    assert current_loaded.model.conduits
    _edit_book(plant, "conduits")
    line = (
        "plant.xlsx: sheet 'conduits': the workbook has no sheet 'conduits'; read as empty, it would delete every "
        f"entry of 'conduits' {MISSING_HINT}"
    )
    assert load_problems(plant) == [line]
    result = CliRunner().invoke(app, ["workbook", "import", str(plant), "--out", "plant.yaml"])
    assert (result.exit_code, result.stderr.splitlines()) == (2, [line, "1 problem found"])
    assert not Path("plant.yaml").exists()


def test_a_deleted_single_section_sheet_is_refused_too(plant: Path) -> None:
    _edit_book(plant, "bcp")
    assert load_problems(plant) == [
        f"plant.xlsx: sheet 'bcp': the workbook has no sheet 'bcp'; read as empty, it would delete the section "
        f"{MISSING_HINT}"
    ]


def test_a_workbook_missing_a_sheet_is_refused_as_a_change_files_base_and_as_an_import_base(plant: Path) -> None:
    _edit_book(plant, "conduits")
    Path("change.yaml").write_text("change: {base: plant.xlsx, title: t}\n", encoding="utf-8")
    assert load_problems(Path("change.yaml")) == [
        "plant.xlsx: sheet 'conduits': the workbook has no sheet 'conduits'; read as empty, it would delete every "
        f"entry of 'conduits' {MISSING_HINT}"
    ]
    otm = EXAMPLES / "all-cases-reviewed.yaml"
    assert CliRunner().invoke(app, ["export", "otm", str(otm), "--out", "plant.otm.json"]).exit_code == 0
    result = CliRunner().invoke(app, ["import", "otm", "plant.otm.json", "--out", "c.yaml", "--base", str(plant)])
    assert result.exit_code == 2, result.output
    assert "sheet 'conduits': the workbook has no sheet 'conduits'" in result.stderr
    assert not Path("c.yaml").exists()


def test_a_renamed_sheet_is_one_line_naming_the_sheet_it_stands_for(plant: Path) -> None:
    _edit_book(plant, renamed={"conduits": "conduit list", "zones": "Zones (edited)", "parties": "ｐａｒｔｉｅｓ"})
    assert sorted(load_problems(plant)) == [
        "plant.xlsx: sheet 'Zones (edited)': unknown sheet 'Zones (edited)' (did you mean 'zones'? the workbook has "
        "no sheet 'zones': rename this one back)",
        "plant.xlsx: sheet 'conduit list': unknown sheet 'conduit list' (did you mean 'conduits'? the workbook has "
        "no sheet 'conduits': rename this one back)",
        "plant.xlsx: sheet 'ｐａｒｔｉｅｓ': unknown sheet 'ｐａｒｔｉｅｓ' (did you mean 'parties'? the workbook has "
        "no sheet 'parties': rename this one back)",
    ]


def test_reordered_sheets_and_a_deleted_lists_sheet_lose_nothing(plant: Path, current_loaded: LoadedModel) -> None:
    book = openpyxl.load_workbook(plant)
    book.move_sheet("conduits", offset=-8)
    book.move_sheet("factory", offset=10)
    del book["lists"]
    book.save(plant)
    assert openpyxl.load_workbook(plant).sheetnames[0] == "conduits"
    assert load_model_with_sources(plant).model == current_loaded.model


def _add_column(path: Path, sheet: str, header: str, values: dict[int, str], replace: str = "") -> None:
    """Type ``header`` over the column headed ``replace``, or into a new column at the right; then ``values`` by row."""
    book = openpyxl.load_workbook(path)
    worksheet = book[sheet]
    headers = [cell.value for cell in worksheet[1]]
    col = headers.index(replace) + 1 if replace else len(headers) + 1
    worksheet.cell(row=1, column=col, value=header)
    for row, value in values.items():
        worksheet.cell(row=row, column=col, value=value)
    book.save(path)


def test_a_header_typed_in_another_case_is_one_line_for_its_column(plant: Path, current_loaded: LoadedModel) -> None:
    # before: one line per data row ("row 2 column 'Zone': unknown field 'Zone'", ... 24 of them)
    _add_column(plant, "assets", "Zone", {}, replace="zone")
    assert load_problems(plant) == [
        f"plant.xlsx: sheet 'assets' row 1 column 'Zone': the sheet has no field 'Zone', so its values in "
        f"{len(current_loaded.model.assets)} rows cannot be read (did you mean 'zone'? a header must match in case too)"
    ]
    result = CliRunner().invoke(app, ["check", str(plant)])
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 2, result.stderr


def test_a_column_of_notes_is_one_line_naming_the_free_text_field(plant: Path) -> None:
    _add_column(plant, "assets", "My notes", {3: "check the firmware", 9: "ask the supplier"})
    _add_column(plant, "conduits", "protocol", {2: "modbus"})
    assert sorted(load_problems(plant)) == [
        "plant.xlsx: sheet 'assets' row 1 column 'My notes': the sheet has no field 'My notes', so its values in 2 "
        "rows cannot be read (rename it to one of the exported headers, or delete the column; free text goes in "
        "'description')",
        "plant.xlsx: sheet 'conduits' row 1 column 'protocol': the sheet has no field 'protocol', so its value in 1 "
        "row cannot be read (did you mean 'protocols'?)",
    ]


def test_a_headed_column_left_empty_loses_nothing(plant: Path, current_loaded: LoadedModel) -> None:
    _add_column(plant, "assets", "My notes", {})
    assert load_model_with_sources(plant).model == current_loaded.model


def _delete_columns(path: Path, sheet: str, *names: str) -> None:
    book = openpyxl.load_workbook(path)
    worksheet = book[sheet]
    for name in names:
        worksheet.delete_cols([cell.value for cell in worksheet[1]].index(name) + 1)
    book.save(path)


def test_a_deleted_column_is_refused_not_read_as_the_field_cleared(plant: Path, current_loaded: LoadedModel) -> None:
    # before: valid, and 'workbook import' wrote the model with no asset's supplier
    assert any(asset.supplier for asset in current_loaded.model.assets)
    _delete_columns(plant, "assets", "supplier")
    line = (
        "plant.xlsx: sheet 'assets' row 1: the sheet has no column 'supplier'; read as empty, it would clear the field "
        f"in all {len(current_loaded.model.assets)} entries (restore the column from the exported workbook; to clear "
        "a field, keep its column with the header and empty cells)"
    )
    assert load_problems(plant) == [line]
    result = CliRunner().invoke(app, ["workbook", "import", str(plant), "--out", "plant.yaml"])
    assert (result.exit_code, result.stderr.splitlines()) == (2, [line, "1 problem found"])
    assert not Path("plant.yaml").exists()
    _delete_columns(plant, "factory", "name", "purposes")
    _delete_columns(plant, "conduits", "protocols")
    assert sorted(load_problems(plant)) == [
        line,
        "plant.xlsx: sheet 'conduits' row 1: the sheet has no column 'protocols'; read as empty, it would clear the "
        f"field in all {len(current_loaded.model.conduits)} entries (restore the column from the exported workbook; "
        "to clear a field, keep its column with the header and empty cells)",
        "plant.xlsx: sheet 'factory' row 1: the sheet has no column 'name', 'purposes'; read as empty, they would "
        "clear those fields in the entry (restore the column from the exported workbook; to clear a field, keep its "
        "column with the header and empty cells)",
    ]


def test_a_column_renamed_is_one_line_for_the_field_it_stands_for(plant: Path, current_loaded: LoadedModel) -> None:
    _add_column(plant, "assets", "Supplier (vendor)", {}, replace="supplier")
    _add_column(plant, "zones", "name\n(required)", {}, replace="name")
    suppliers = sum(1 for asset in current_loaded.model.assets if asset.supplier)
    assert sorted(load_problems(plant)) == [
        "plant.xlsx: sheet 'assets' row 1 column 'Supplier (vendor)': the sheet has no field 'Supplier (vendor)', so "
        f"its values in {suppliers} rows cannot be read (did you mean 'supplier'?)",
        "plant.xlsx: sheet 'zones' row 1 column 'name\\n(required)': the sheet has no field 'name\\n(required)', so "
        f"its values in {len(current_loaded.model.zones)} rows cannot be read (did you mean 'name'?)",
    ]


def test_a_section_emptied_of_entries_needs_no_column(plant: Path, current_loaded: LoadedModel) -> None:
    book = openpyxl.load_workbook(plant)
    book["measures"].delete_cols(2, 5)  # measures is empty: its header row alone, now cut to 'id'
    book.save(plant)
    assert not current_loaded.model.measures
    assert load_model_with_sources(plant).model == current_loaded.model


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("plant.xlsm", "a zip archive (a spreadsheet such as .xlsm or .ods?)"),
        ("plant.ods", "a zip archive (a spreadsheet such as .xlsm or .ods?)"),
        ("plant.xls", "an Excel 97-2003 workbook (.xls) or other OLE file"),
    ],
)
def test_a_workbook_saved_as_another_kind_is_named_as_such(plant: Path, name: str, kind: str) -> None:
    # before: "plant.xlsm:1:1: file is not valid UTF-8 (save it as UTF-8)", read as a YAML model file
    data = plant.read_bytes() if name != "plant.xls" else b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256))
    Path(name).write_bytes(data)
    result = CliRunner().invoke(app, ["check", name])
    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        [
            f"{name}:1:1: file is {kind}, not YAML text (a model workbook is read from a file ending in .xlsx: save it "
            "as Excel Workbook (.xlsx))",
            "1 problem found",
        ],
    )


def test_a_factory_sheet_emptied_is_placed_at_its_sheet(plant: Path) -> None:
    # before: "plant.xlsx: missing required section 'factory' (add 'factory: {id: ..., name: ...}')", YAML's hint
    book = openpyxl.load_workbook(plant)
    for cell in book["factory"][2]:
        cell.value = None
    book.save(plant)
    assert load_problems(plant) == [
        "plant.xlsx: sheet 'factory' row 2: the sheet holds no entry, and the model needs its 'factory' section "
        "(fill in row 2: id, name and the other fields)"
    ]


def test_export_of_a_text_longer_than_a_cell_holds_is_refused_at_the_models_line(tmp_path: Path) -> None:
    # before: exit 0, the workbook's cell cut to its first 32,767 characters (openpyxl cuts without a word), so
    # 'workbook import' gave back a shorter description
    model = tmp_path / "m.yaml"
    long = "x" * 32_767
    model.write_text(
        f"factory: {{id: f, name: F}}\nzones:\n  - id: a\n    name: A\n    kind: production\n    description: {long}\n"
        "  - id: b\n    name: B\n    kind: office\n    description: " + long + "é\n",
        encoding="utf-8",
    )
    target = tmp_path / "m.xlsx"
    result = CliRunner().invoke(app, ["workbook", "export", str(model), "--out", str(target)])
    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        [
            f"{model}:10:5: zones[1].description: the text is 32,768 characters, more than the 32,767 an Excel cell "
            "holds (shorten it, or keep this model in YAML)",
            "1 problem found",
        ],
    )
    assert not target.exists()
    emoji = FactoryModel.model_validate({"factory": {"id": "f", "name": "😀" * 16_384}})  # 32,768 UTF-16 units
    with pytest.raises(WorkbookExportError, match="sheet 'factory' row 2 column 'name': the text is 32,768 characters"):
        write_workbook(emoji, target)
    assert not target.exists()


def test_a_header_typed_in_full_width_names_the_field(plant: Path, current_loaded: LoadedModel) -> None:
    # before: "did you mean" found nothing for ｎａｍｅ (a Japanese input method's full-width letters), and an empty
    # column so headed was a second line, for the field it stands for, as a column missing
    assert not any(zone.parent or zone.managed_by for zone in current_loaded.model.zones)
    _add_column(plant, "zones", "ｐａｒｅｎｔ", {}, replace="parent")
    _add_column(plant, "zones", "ｎａｍｅ", {}, replace="name")
    _add_column(plant, "zones", "Managed_By", {}, replace="managed_by")
    hint = "(did you mean '{}'? a header is typed in half-width characters, as exported)"
    assert load_problems(plant) == [
        f"plant.xlsx: sheet 'zones' row 1 column 'ｎａｍｅ': the sheet has no field 'ｎａｍｅ', so its values in "
        f"{len(current_loaded.model.zones)} rows cannot be read {hint.format('name')}",
        f"plant.xlsx: sheet 'zones' row 1 column 'ｐａｒｅｎｔ': the sheet has no field 'ｐａｒｅｎｔ' {hint.format('parent')}",
        "plant.xlsx: sheet 'zones' row 1 column 'Managed_By': the sheet has no field 'Managed_By' (did you mean "
        "'managed_by'? a header must match in case too)",
    ]
