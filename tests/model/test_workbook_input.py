"""Workbook input is read exactly or refused: formulas, error values, damaged files and zip bombs."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.formula import ArrayFormula
from typer.testing import CliRunner

from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import LoadedModel, ModelInputError, load_model_with_sources
from factorysec.model import workbook as workbook_module
from factorysec.model.sources import display_name
from factorysec.model.workbook import read_workbook, write_workbook


@pytest.fixture
def exported(tmp_path: Path, current_loaded: LoadedModel, catalog: Catalog) -> Path:
    target = tmp_path / "plant.xlsx"
    write_workbook(current_loaded.model, target, catalog)
    return target


def _set_cell(path: Path, sheet: str, header: str, row: int, value: str | ArrayFormula) -> int:
    book = openpyxl.load_workbook(path)
    worksheet = book[sheet]
    column = [cell.value for cell in worksheet[1]].index(header) + 1
    worksheet.cell(row=row, column=column).value = value
    book.save(path)
    return column


def _problems(path: Path) -> list[str]:
    with pytest.raises(ModelInputError) as caught:
        read_workbook(path)
    return [str(problem) for problem in caught.value.problems]


def test_a_formula_cell_is_refused_with_sheet_row_and_column(exported: Path) -> None:
    _set_cell(exported, "conduits", "carries_control_instructions", 2, "=NOT(FALSE())")
    assert _problems(exported) == [
        f"{display_name(exported)}: sheet 'conduits' row 2 column 'carries_control_instructions': the cell holds a formula (=NOT(FALSE())), not a value "
        "(type the value itself (in Excel: copy the cell, then Paste Values))"
    ]


@pytest.mark.parametrize(("formula", "expected"), [("=TRUE()", True), ("=FALSE()", False), ("=true( )", True)])
def test_the_constant_formulas_true_and_false_are_read_as_the_values_they_are(
    exported: Path, formula: str, expected: bool
) -> None:
    # before: refused as a formula; LibreOffice Calc writes every TRUE/FALSE cell of an .xlsx it saves this way
    _set_cell(exported, "conduits", "carries_control_instructions", 2, formula)
    _set_cell(exported, "conduits", "one_way", 3, "=FALSE()" if expected else "=TRUE()")
    model = load_model_with_sources(exported).model
    assert (model.conduits[0].carries_control_instructions, model.conduits[1].one_way) == (expected, not expected)


def test_a_workbook_saved_by_libreoffice_calc_imports_as_the_model_it_was_exported_from() -> None:
    """The fixture is ``plant.yaml`` exported by factorysec, opened and saved as .xlsx by LibreOffice Calc 7.4
    (``soffice --headless --calc --convert-to xlsx``): Calc writes booleans as ``=TRUE()``/``=FALSE()`` formulas and
    keeps the hidden record sheet."""
    folder = Path(__file__).resolve().parents[1] / "fixtures" / "workbook" / "libreoffice"
    saved = folder / "plant-libreoffice-7.4.xlsx"
    assert openpyxl.load_workbook(saved)["conduits"]["H2"].value in {"=TRUE()", "=FALSE()"}
    assert load_model_with_sources(saved).model == load_model_with_sources(folder / "plant.yaml").model


def test_an_array_formula_and_an_error_value_are_refused(exported: Path) -> None:
    _set_cell(exported, "assets", "name", 3, ArrayFormula("B3:B3", "=UPPER(A3)"))
    _set_cell(exported, "zones", "name", 2, "#N/A")
    book = openpyxl.load_workbook(exported)
    book["zones"].cell(row=2, column=2).data_type = "e"
    book.save(exported)
    problems = _problems(exported)
    assert any("sheet 'assets' row 3 column 'name': the cell holds a formula (=UPPER(A3))" in p for p in problems)
    assert any("sheet 'zones' row 2 column 'name': the cell holds the error value #N/A" in p for p in problems)


def test_formula_like_text_stays_text(exported: Path, current_loaded: LoadedModel) -> None:
    book = openpyxl.load_workbook(exported)
    worksheet = book["assets"]
    column = [cell.value for cell in worksheet[1]].index("name") + 1
    cell = worksheet.cell(row=2, column=column)
    cell.value = '=HYPERLINK("http://example.invalid","x")'
    cell.data_type = "s"
    book.save(exported)
    model = load_model_with_sources(exported).model
    assert model.assets[0].name == '=HYPERLINK("http://example.invalid","x")'


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_module, "MAX_UNCOMPRESSED_BYTES", 4 * 1024 * 1024)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    problems = _problems(bomb)
    assert len(problems) == 1
    assert "unzip to 8,388,616 bytes, more than the 4 MiB" in problems[0]


def test_too_many_parts_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_module, "MAX_PARTS", 5)
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as archive:
        for index in range(6):
            archive.writestr(f"part{index}.xml", "<x/>")
    assert "6 parts in the archive, more than 5" in _problems(many)[0]


@pytest.mark.parametrize(
    "damage", ["truncated", "flipped", "empty", "text", "zip-without-workbook", "unknown-zip-version"]
)
def test_a_damaged_file_gets_one_line_and_exit_2(exported: Path, damage: str) -> None:
    data = exported.read_bytes()
    if damage == "truncated":
        exported.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        flipped = bytearray(data)
        for index in range(200, len(flipped), 331):
            flipped[index] ^= 0xA5
        exported.write_bytes(bytes(flipped))
    elif damage == "empty":
        exported.write_bytes(b"")
    elif damage == "text":
        exported.write_text("id,name\nplc,PLC\n")
    elif (
        damage == "unknown-zip-version"
    ):  # zipfile raises NotImplementedError ("zip file version 14.2"), not BadZipFile
        claimed = bytearray(data)
        claimed[claimed.rindex(b"PK\x01\x02") + 6] = 142
        exported.write_bytes(bytes(claimed))
    else:
        with zipfile.ZipFile(exported, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
    result = CliRunner().invoke(app, ["check", str(exported)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{display_name(exported)}:1:1: not a readable .xlsx workbook (")
    assert lines[1:] == ["1 problem found"]


def _rewrite_sheet(path: Path, sheet_part: str, change: Callable[[str], str]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(
                info, change(data.decode("utf-8")).encode("utf-8") if info.filename == sheet_part else data
            )


def _operations_part(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return f"xl/worksheets/sheet{book.sheetnames.index('operations') + 1}.xml"


def test_a_stated_dimension_smaller_than_the_data_loses_no_row(exported: Path, current_loaded: LoadedModel) -> None:
    _rewrite_sheet(
        exported,
        _operations_part(exported),
        lambda xml: re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:B2" />', xml),
    )
    assert load_model_with_sources(exported).model == current_loaded.model


def test_a_row_number_past_excels_last_row_is_refused_quickly(exported: Path) -> None:
    def renumber(xml: str) -> str:  # the last row, so the rows stay in order
        head, rest = xml.rsplit("<row ", 1)
        last = re.search(r'r="(\d+)"', rest)
        assert last is not None
        return (
            head
            + "<row "
            + rest.replace(f'r="{last.group(1)}"', 'r="99999999"', 1).replace(f'{last.group(1)}"', '99999999"')
        )

    _rewrite_sheet(exported, _operations_part(exported), renumber)
    problems = _problems(exported)
    assert len(problems) == 1
    assert "damaged sheet data: sheet 'operations' has rows past row 1,048,576" in problems[0]


def test_rows_numbered_out_of_order_are_refused_not_dropped(exported: Path) -> None:
    def move_row_two_last(xml: str) -> str:
        head, rest = xml.split('<row r="2"', 1)
        body, tail = rest.split("</row>", 1)
        body = re.sub(r'r="([A-Z]+)2"', r'r="\g<1>999"', body)
        return head + '<row r="999"' + body + "</row>" + tail  # row 999 now comes before rows 3, 4 ...

    _rewrite_sheet(exported, _operations_part(exported), move_row_two_last)
    problems = _problems(exported)
    assert len(problems) == 1
    assert "damaged sheet data: sheet 'operations' numbers row 3 after row 999" in problems[0]


def _rewrite_parts(path: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """Rewrite the archive part by part: ``change`` returns a part's new bytes, or None to leave it out."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            changed = change(name, data)
            if changed is not None:
                archive.writestr(name, changed)


def _part_of(path: Path, sheet: str) -> str:
    return f"xl/worksheets/sheet{openpyxl.load_workbook(path).sheetnames.index(sheet) + 1}.xml"


@pytest.mark.parametrize("sheet", ["reviews", "assets", "lists"])
def test_a_sheet_whose_part_is_missing_is_refused_by_name(exported: Path, sheet: str) -> None:
    part = _part_of(exported, sheet)
    _rewrite_parts(exported, lambda name, data: None if name == part else data)
    assert _problems(exported) == [
        f"{display_name(exported)}: sheet '{sheet}': not readable (its part {part} is missing)"
    ]
    result = CliRunner().invoke(app, ["check", str(exported)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines() == [
        f"{display_name(exported)}: sheet '{sheet}': not readable (its part {part} is missing)",
        "1 problem found",
    ]


def test_workbook_import_of_a_sheet_without_its_part_writes_nothing(exported: Path, tmp_path: Path) -> None:
    part = _part_of(exported, "reviews")
    _rewrite_parts(exported, lambda name, data: None if name == part else data)
    out = tmp_path / "imported.yaml"
    result = CliRunner().invoke(app, ["workbook", "import", str(exported), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "sheet 'reviews': not readable" in result.stderr
    assert not out.exists()


def test_a_sheet_that_names_no_part_is_refused_by_name(exported: Path) -> None:
    def drop_id(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        return re.sub(rb'(<sheet name="zones"[^>]*?) r:id="rId\d+"', rb"\1", data)

    _rewrite_parts(exported, drop_id)
    assert _problems(exported) == [
        f"{display_name(exported)}: sheet 'zones': not readable (the workbook names no part for it)"
    ]


def test_a_sheet_listed_twice_is_refused_not_overwritten(exported: Path) -> None:
    def rename(name: str, data: bytes) -> bytes:
        return data.replace(b'<sheet name="maturity"', b'<sheet name="reviews"') if name == "xl/workbook.xml" else data

    _rewrite_parts(exported, rename)
    problems = _problems(exported)
    assert (
        f"{display_name(exported)}: sheet 'reviews': the workbook lists this sheet twice (keep one of them)" in problems
    )


def test_a_chart_sheet_is_refused_by_name(exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    chart = BarChart()
    chart.add_data(Reference(book["assets"], min_col=1, min_row=1, max_row=3))
    book.create_chartsheet("reviews chart").add_chart(chart)
    book.save(exported)
    assert _problems(exported) == [
        f"{display_name(exported)}: sheet 'reviews chart': a chart sheet, not a sheet of entries "
        "(delete it; keep charts in another workbook)"
    ]


def test_a_value_listed_twice_in_a_cell_is_refused_at_its_cell(exported: Path, tmp_path: Path) -> None:
    _set_cell(exported, "assets", "traits", 2, "built-in-computer; oss; built-in-computer")
    _set_cell(exported, "factory", "purposes", 2, "reduce-costs; reduce-costs")
    expected = [
        f"{display_name(exported)}: sheet 'factory' row 2 column 'purposes': 'reduce-costs' is listed twice"
        " (list each value once: remove this one)",
        f"{display_name(exported)}: sheet 'assets' row 2 column 'traits': 'built-in-computer' is listed twice"
        " (list each value once: remove this one)",
    ]
    with pytest.raises(ModelInputError) as caught:
        load_model_with_sources(exported)
    assert [str(problem) for problem in caught.value.problems] == expected
    out = tmp_path / "imported.yaml"
    result = CliRunner().invoke(app, ["workbook", "import", str(exported), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines() == [*expected, "2 problems found"]
    assert not out.exists()
