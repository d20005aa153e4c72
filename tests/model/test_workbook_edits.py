"""Edits people make to an exported workbook in a spreadsheet program: read back as the cell shows them, or refused
at their cell, never changed without a word."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from factorysec.model import LoadedModel, load_model_with_sources
from factorysec.model.entities import FactoryModel
from tests.model.conftest import load_problems

CellValue = str | int | float | bool | dt.datetime | dt.time | None
TYPE_AS_TEXT = "(format the cell as Text and type the value again)"


def _type(path: Path, sheet: str, row: int, header: str, value: CellValue, number_format: str = "") -> None:
    """Put a value in a cell as a spreadsheet program stores what was typed: a number, date or TRUE as such."""
    book = openpyxl.load_workbook(path)
    worksheet = book[sheet]
    column = [cell.value for cell in worksheet[1]].index(header) + 1
    cell = worksheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "b" if isinstance(value, bool) else cell.data_type
    if number_format:
        cell.number_format = number_format
    book.save(path)


def _model(path: Path) -> FactoryModel:
    return load_model_with_sources(path).model


def test_a_fraction_typed_in_a_text_column_is_refused_at_its_cell(plant: Path) -> None:
    _type(plant, "assets", 2, "identity.version", 2.1)
    assert load_problems(plant) == [
        "plant.xlsx: sheet 'assets' row 2 column 'identity.version': the spreadsheet turned the text into the number "
        f"2.1, which may not be what was typed (2.10 becomes 2.1) {TYPE_AS_TEXT}"
    ]


def test_a_whole_number_in_a_text_column_reads_as_the_digits_it_shows(plant: Path) -> None:
    _type(plant, "assets", 2, "identity.version", 7)
    _type(plant, "assets", 2, "identity.serial", 123, "00000")
    _type(plant, "assets", 3, "identity.version", 2.1, "0.00")
    _type(plant, "assets", 3, "identity.serial", 12345678901234)
    model = _model(plant)
    assert model.assets[0].identity is not None and model.assets[1].identity is not None
    assert (model.assets[0].identity.version, model.assets[0].identity.serial) == ("7", "00123")
    assert (model.assets[1].identity.version, model.assets[1].identity.serial) == ("2.10", "12345678901234")


@pytest.mark.parametrize(
    ("value", "number_format", "turned"),
    [
        (12345678901234567890, "General", "the number 1.23456789012346e+19, which keeps only 15 digits"),
        (2.5, "0", "the number 2.5 (shown with the format '0'), which may not be what was typed (2.10 becomes 2.1)"),
        (1234, "#,##0", "the number 1234 (shown with the format '#,##0'), which may not be what was typed"),
        (0.5, "0%", "the number 0.5 (shown with the format '0%'), which may not be what was typed"),
    ],
)
def test_a_number_whose_typed_text_is_lost_is_refused(
    plant: Path, value: int | float, number_format: str, turned: str
) -> None:
    _type(plant, "assets", 2, "identity.serial", value, number_format)
    (problem,) = load_problems(plant)
    assert problem.startswith(
        f"plant.xlsx: sheet 'assets' row 2 column 'identity.serial': the spreadsheet turned the text into {turned}"
    )
    assert problem.endswith(TYPE_AS_TEXT)


def test_an_id_the_spreadsheet_turned_into_a_date_is_refused(plant: Path) -> None:
    _type(plant, "assets", 2, "identity.model", dt.datetime(2026, 1, 2), "d-mmm")
    _type(plant, "zones", 2, "name", dt.time(12, 30))
    assert sorted(load_problems(plant)) == [
        "plant.xlsx: sheet 'assets' row 2 column 'identity.model': the spreadsheet turned the text into the date "
        f"2026-01-02 (shown with the format 'd-mmm') {TYPE_AS_TEXT}",
        "plant.xlsx: sheet 'zones' row 2 column 'name': the spreadsheet turned the text into the time 12:30:00 "
        f"(shown with the format 'h:mm:ss') {TYPE_AS_TEXT}",
    ]


def test_a_date_shown_as_an_iso_date_in_a_text_column_reads_as_that_text(plant: Path) -> None:
    _type(plant, "assets", 2, "identity.version", dt.datetime(2026, 1, 2), "yyyy-mm-dd")
    identity = _model(plant).assets[0].identity
    assert identity is not None and identity.version == "2026-01-02"


def test_true_or_false_in_a_text_or_list_column_is_refused_at_its_cell(plant: Path) -> None:
    _type(plant, "assets", 2, "name", True)
    _type(plant, "conduits", 2, "protocols", False)
    assert load_problems(plant) == [
        f"plant.xlsx: sheet 'assets' row 2 column 'name': the spreadsheet turned the text into TRUE {TYPE_AS_TEXT}",
        f"plant.xlsx: sheet 'conduits' row 2 column 'protocols': the spreadsheet turned the text into FALSE {TYPE_AS_TEXT}",
    ]


def test_a_fraction_in_a_list_column_is_refused_and_a_whole_number_read(plant: Path) -> None:
    _type(plant, "conduits", 2, "protocols", 1.1)
    _type(plant, "conduits", 3, "protocols", 502)
    (problem,) = load_problems(plant)
    assert problem.startswith(
        "plant.xlsx: sheet 'conduits' row 2 column 'protocols': the spreadsheet turned the text into the number 1.1"
    )
    _type(plant, "conduits", 2, "protocols", "opc-ua")
    assert _model(plant).conduits[1].protocols == ["502"]


def test_number_columns_still_take_fractions_and_whole_numbers(plant: Path) -> None:
    _type(plant, "assets", 2, "recovery_target_hours", 4.5, "0")
    _type(plant, "zones", 2, "target_security_level", 2.0)
    _type(plant, "bcp", 2, "review_interval_days", 365)
    model = _model(plant)
    assert model.assets[0].recovery_target_hours == 4.5
    assert model.zones[0].target_security_level == 2
    assert model.bcp is not None and model.bcp.review_interval_days == 365


def _merge(path: Path, sheet: str, first: str, last: str, rows: tuple[int, int]) -> None:
    book = openpyxl.load_workbook(path)
    worksheet = book[sheet]
    headers = [cell.value for cell in worksheet[1]]
    worksheet.merge_cells(
        start_row=rows[0],
        start_column=headers.index(first) + 1,
        end_row=rows[1],
        end_column=headers.index(last) + 1,
    )
    book.save(path)


def test_merged_cells_showing_one_value_for_several_fields_are_refused(plant: Path) -> None:
    _merge(plant, "assets", "supplier", "supplier", (2, 4))
    _merge(plant, "assets", "importance.safety", "importance.delivery", (2, 2))
    assert load_problems(plant) == [
        "plant.xlsx: sheet 'assets' row 2 column 'supplier': the cells H2:H4 are merged: the value shows across them "
        "but is held by H2 alone (unmerge the cells and type the value in each one)",
        "plant.xlsx: sheet 'assets' row 2 column 'importance.safety': the cells M2:O2 are merged: the value shows "
        "across them but is held by M2 alone (unmerge the cells and type the value in each one)",
    ]


def test_merged_empty_cells_and_a_merged_header_are_told_apart(plant: Path, current_loaded: LoadedModel) -> None:
    book = openpyxl.load_workbook(plant)
    book["assets"].merge_cells("AT30:AV32")
    book.save(plant)
    assert _model(plant) == current_loaded.model
    _merge(plant, "zones", "id", "name", (1, 1))
    assert load_problems(plant)[0] == (
        "plant.xlsx: sheet 'zones' row 1 column 'id': the cells A1:B1 are merged: the value shows across them "
        "but is held by A1 alone (unmerge the cells and type the value in each one)"
    )


def test_text_columns_are_formatted_as_text_so_what_is_typed_stays_text(plant: Path) -> None:
    book = openpyxl.load_workbook(plant)
    assets = book["assets"]
    headers = [cell.value for cell in assets[1]]

    def formats(header: str) -> tuple[str, str]:
        letter = openpyxl.utils.get_column_letter(headers.index(header) + 1)
        return assets.column_dimensions[letter].number_format, assets[f"{letter}2"].number_format

    for header in ("id", "identity.version", "type", "operations", "data.lifecycle"):
        assert formats(header)[0] == "@", header
    assert formats("id") == ("@", "@")
    assert formats("zone") == ("@", "@")
    assert book["zones"].column_dimensions["I"].number_format == "General"  # target_security_level
    assert book["bcp"]["B2"].number_format == "yyyy-mm-dd"  # last_reviewed


def test_a_deleted_header_is_one_line_for_its_column(plant: Path) -> None:
    book = openpyxl.load_workbook(plant)
    book["assets"]["E1"] = None  # zone, filled in all 24 assets' rows
    book.save(plant)
    assert load_problems(plant) == [
        "plant.xlsx: sheet 'assets' row 2 column 'E': value in a column without a header (and in 23 more rows below) "
        "(add the field name in row 1 or clear the column; the sheet has no column 'zone')"
    ]


def test_a_title_row_above_the_header_is_one_line_for_the_sheet(plant: Path) -> None:
    book = openpyxl.load_workbook(plant)
    book["zones"].insert_rows(1)
    book["zones"]["A1"] = "Zones of the plant (edit below)"
    book.save(plant)
    assert load_problems(plant) == [
        "plant.xlsx: sheet 'zones' row 1: row 1 names none of the sheet's fields (id, name, kind, ...), so the entries "
        "from row 2 on cannot be read (keep the exported header row as the sheet's first row)"
    ]
