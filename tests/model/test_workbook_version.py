"""The record a workbook keeps of what exported it (the hidden 'factorysec' sheet: format, version, each sheet's
columns), and how it lets an older factorysec's workbook be read: a column the record says was never written takes
its field's default with one note, a column the record lists but the sheet lacks is still refused as deleted."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from factorysec import __version__
from factorysec.cli import app
from factorysec.model import LoadedModel, load_model_with_sources
from factorysec.model.workbook import (
    FORMAT_VERSION,
    RECORD_SHEET,
    SECTION_COLUMNS,
    SECTIONS,
    SHEET_TITLES,
)
from factorysec.model.writer import dump_model
from tests.model.conftest import load_problems
from tests.model.test_problem_texts import _ENGLISH_SENTENCE, _QUOTED, JAPANESE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_MODELS = [
    ROOT / "examples" / "annex-a" / "current",
    *sorted((ROOT / "examples").glob("*/*.yaml")),
]
"""Every model under examples/: the Annex A folder and files (change files among them), the industry plants, the
vulnerability intake's model."""

NOTE = (
    "note: plant.xlsx was exported by factorysec {version} (workbook format 1) before these existed: column "
    "'supplier', 'maintainer' of sheet 'assets'; sheet 'conduits'; they take their defaults"
)


def _record_rows(book: openpyxl.Workbook) -> list[list[str]]:
    return [
        [str(value) for value in row if value is not None] for row in book[RECORD_SHEET].iter_rows(values_only=True)
    ]


def _forget(book: openpyxl.Workbook, sheet: str, *headers: str) -> None:
    """Make the workbook as an older factorysec would have written it: ``headers`` gone from ``sheet`` and from the
    record; with no header, the whole sheet and its row of the record."""
    record = book[RECORD_SHEET]
    row = next(cells for cells in record.iter_rows() if cells[0].value == sheet)
    if not headers:
        del book[sheet]
        for cell in row:
            cell.value = None
        return
    worksheet = book[sheet]
    for header in headers:
        worksheet.delete_cols([cell.value for cell in worksheet[1]].index(header) + 1)
    kept = [cell.value for cell in row[1:] if cell.value is not None and cell.value not in headers]
    for cell, value in zip(row[1:], [*kept, *[None] * len(row)], strict=False):
        cell.value = value


def _older(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    _forget(book, "assets", "supplier", "maintainer")
    _forget(book, "conduits")
    book.save(path)


def test_export_records_the_format_the_version_and_every_sheets_columns(plant: Path) -> None:
    book = openpyxl.load_workbook(plant)
    assert book[RECORD_SHEET].sheet_state == "hidden"
    rows = _record_rows(book)
    assert rows[:2] == [["format", str(FORMAT_VERSION)], ["factorysec", __version__]]
    assert rows[3] == ["sheet", "columns"]
    assert rows[4:] == [[SHEET_TITLES[s], *(column.header for column in SECTION_COLUMNS[s])] for s in SECTIONS]
    for section in SECTIONS:  # the record lists exactly what the sheet was written with
        assert [cell.value for cell in book[SHEET_TITLES[section]][1]] == rows[4 + SECTIONS.index(section)][1:]


def test_an_older_workbook_lacking_a_column_and_a_sheet_is_imported_with_defaults_and_one_note(
    plant: Path, current_loaded: LoadedModel
) -> None:
    # before: refused, "the sheet has no column 'supplier', 'maintainer'; ..." and "the workbook has no sheet
    # 'conduits'; ...", exit 2: a workbook from before a field was added could not be read without editing it
    _older(plant)
    result = CliRunner().invoke(app, ["workbook", "import", str(plant), "--out", "plant.yaml"])
    assert (result.exit_code, result.stderr.splitlines()) == (0, [NOTE.format(version=__version__)])
    model = current_loaded.model
    assert any(asset.supplier for asset in model.assets) and any(asset.maintainer for asset in model.assets)
    assert model.conduits
    expected = model.model_copy(
        update={
            "assets": [a.model_copy(update={"supplier": None, "maintainer": None}) for a in model.assets],
            "conduits": [],
        }
    )
    assert load_model_with_sources(Path("plant.yaml")).model == expected
    check = CliRunner().invoke(app, ["check", str(plant)])
    assert check.exit_code == 0 and check.stderr.splitlines() == [NOTE.format(version=__version__)], check.output


def test_a_change_file_on_an_older_workbook_says_the_note_once(plant: Path) -> None:
    _older(plant)
    Path("change.yaml").write_text("change: {base: plant.xlsx, title: t}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "change.yaml"])
    assert result.exit_code == 0 and result.stderr.splitlines() == [NOTE.format(version=__version__)], result.output


def test_a_column_deleted_with_the_record_intact_is_still_refused(plant: Path, current_loaded: LoadedModel) -> None:
    book = openpyxl.load_workbook(plant)
    book["assets"].delete_cols([cell.value for cell in book["assets"][1]].index("supplier") + 1)
    del book["conduits"]
    book.save(plant)
    assert load_problems(plant) == [
        "plant.xlsx: sheet 'assets' row 1: the sheet has no column 'supplier'; read as empty, it would clear the field "
        f"in all {len(current_loaded.model.assets)} entries (restore the column from the exported workbook; to clear "
        "a field, keep its column with the header and empty cells)",
        "plant.xlsx: sheet 'conduits': the workbook has no sheet 'conduits'; read as empty, it would delete every "
        "entry of 'conduits' (restore the sheet from the exported workbook; to leave the section empty, keep the sheet "
        "with only its header row)",
    ]


NO_RECORD = (
    "this workbook does not record which factorysec exported it (it has no sheet 'factorysec'), so a {what} added "
    "since cannot be told from one deleted: if it was exported before the {kind} existed, add the {added}"
)


def test_a_workbook_without_a_record_is_refused_as_before_with_a_hint_how_to_read_it(
    plant: Path, current_loaded: LoadedModel
) -> None:
    # before: the same lines without the hint after ';' (a workbook exported before this change has no record)
    book = openpyxl.load_workbook(plant)
    del book[RECORD_SHEET]
    book["assets"].delete_cols([cell.value for cell in book["assets"][1]].index("supplier") + 1)
    del book["departments"]
    book.save(plant)
    column_hint = NO_RECORD.format(what="column", kind="field", added="column with only its header")
    sheet_hint = NO_RECORD.format(what="sheet", kind="section", added="sheet with only its header row")
    assert load_problems(plant) == [
        "plant.xlsx: sheet 'assets' row 1: the sheet has no column 'supplier'; read as empty, it would clear the field "
        f"in all {len(current_loaded.model.assets)} entries (restore the column from the exported workbook; to clear "
        f"a field, keep its column with the header and empty cells; {column_hint}, and the field takes its default)",
        "plant.xlsx: sheet 'departments': the workbook has no sheet 'departments'; read as empty, it would delete every "
        "entry of 'departments' (restore the sheet from the exported workbook; to leave the section empty, keep the "
        f"sheet with only its header row; {sheet_hint})",
    ]


def _set_cells(path: Path, cells: dict[str, str | int | None]) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[RECORD_SHEET][ref] = value
    book.save(path)


UNREADABLE = (
    "plant.xlsx: sheet 'factorysec': the sheet recording which factorysec exported the workbook cannot be read: "
)
RESTORE = " (restore the sheet from the exported workbook as it was, or export the model again)"


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"A1": "fmt"}, "its first row does not give the format as a whole number ('format' and, beside it, e.g. 1)"),
        ({"B1": "one"}, "its first row does not give the format as a whole number ('format' and, beside it, e.g. 1)"),
        ({"B1": "0"}, "its first row does not give the format as a whole number ('format' and, beside it, e.g. 1)"),
        ({"B2": None}, "no row 'factorysec' gives the version that wrote it"),
        ({"A4": "sheets"}, "no row 'sheet' heads the list of sheets and their columns"),
        ({"A6": "factory"}, "row 6 lists the sheet 'factory' a second time"),
        ({"C5": "id"}, "row 5 lists the column 'id' of the sheet 'factory' a second time"),
        ({"B7": 2024}, "row 7 column B holds a number, date or TRUE/FALSE, not text"),
        ({"C7": "=A1"}, "row 7 column C holds a formula (=A1), not text"),
        ({"A8": None}, "row 8 lists columns under no sheet"),
    ],
)
def test_a_record_that_does_not_parse_is_one_line_and_exit_2(
    plant: Path, cells: dict[str, str | int | None], reason: str
) -> None:
    _set_cells(plant, cells)
    result = CliRunner().invoke(app, ["workbook", "import", str(plant), "--out", "plant.yaml"])
    assert (result.exit_code, result.stderr.splitlines()) == (2, [UNREADABLE + reason + RESTORE, "1 problem found"])
    assert not Path("plant.yaml").exists()


def test_a_record_with_every_sheet_row_emptied_is_refused(plant: Path) -> None:
    book = openpyxl.load_workbook(plant)
    book[RECORD_SHEET].delete_rows(5, len(SECTIONS))
    book.save(plant)
    assert load_problems(plant) == [UNREADABLE + "it lists no sheet" + RESTORE]


def test_a_format_newer_than_this_factorysec_reads_is_one_line_and_exit_2(plant: Path) -> None:
    _set_cells(plant, {"B1": "2", "B2": "9.0.0", "A5": "plant", "B5": "identity"})  # a layout this one cannot know
    result = CliRunner().invoke(app, ["check", str(plant)])
    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        [
            "plant.xlsx: sheet 'factorysec': the workbook was exported by factorysec 9.0.0 in workbook format 2, newer "
            f"than the format 1 this factorysec ({__version__}) reads (read it with factorysec 9.0.0 or later, or "
            "export the model again with this factorysec)",
            "1 problem found",
        ],
    )


def _add_recorded_column(path: Path, sheet: str, header: str, values: dict[int, str]) -> None:
    """A column an exporting factorysec wrote for a field this one lacks: in the sheet and in the record."""
    book = openpyxl.load_workbook(path)
    worksheet = book[sheet]
    col = worksheet.max_column + 1
    worksheet.cell(1, col, header)
    for number, value in values.items():
        worksheet.cell(number, col, value)
    record = book[RECORD_SHEET]
    number = next(index for index, cells in enumerate(record.iter_rows(), start=1) if cells[0].value == sheet)
    record.cell(number, len([value for value in record[number] if value.value is not None]) + 1, header)
    book.save(path)


def test_a_recorded_column_of_a_field_this_factorysec_lacks_is_refused_by_name_when_it_holds_values(
    plant: Path, current_loaded: LoadedModel
) -> None:
    # before (without the record): 'the sheet has no field ...' as for a header typed by hand, or nothing at all for
    # an empty column; now it says the column was exported and its field is gone, and its values are never dropped
    _add_recorded_column(plant, "conduits", "protocol", {2: "modbus", 3: "opc-ua"})
    _add_recorded_column(plant, "assets", "legacy_rating", {4: "high"})
    assert sorted(load_problems(plant)) == [
        f"plant.xlsx: sheet 'assets' row 1 column 'legacy_rating': factorysec {__version__} exported this column, but "
        "this factorysec has no field 'legacy_rating' (renamed or removed since, or added by a newer factorysec), so "
        "its value in 1 row cannot be read (move its values to the field that holds them now, or delete the column "
        "to drop them)",
        f"plant.xlsx: sheet 'conduits' row 1 column 'protocol': factorysec {__version__} exported this column, but "
        "this factorysec has no field 'protocol' (renamed or removed since, or added by a newer factorysec), so its "
        "values in 2 rows cannot be read (if the field is now 'protocols', rename the column to it; else move its "
        "values where they belong or delete the column to drop them)",
    ]


def test_an_empty_recorded_column_of_a_field_this_factorysec_lacks_is_a_note(
    plant: Path, current_loaded: LoadedModel
) -> None:
    # before: an empty column with a header no field has was passed over without a word
    _add_recorded_column(plant, "assets", "legacy_rating", {})
    result = CliRunner().invoke(app, ["workbook", "import", str(plant), "--out", "plant.yaml"])
    assert (result.exit_code, result.stderr.splitlines()) == (
        0,
        [
            f"note: plant.xlsx: sheet 'assets' column 'legacy_rating', exported by factorysec {__version__}, names no "
            "field of this factorysec; it holds no value, so nothing is lost"
        ],
    )
    assert load_model_with_sources(Path("plant.yaml")).model == current_loaded.model


def test_a_recorded_sheet_of_a_section_this_factorysec_lacks_is_refused_by_name(plant: Path) -> None:
    # before: "unknown sheet 'hazards' (sheets are: ...)", as for a sheet a person added
    book = openpyxl.load_workbook(plant)
    book.create_sheet("hazards").append(["id", "name"])
    book[RECORD_SHEET].append(["hazards", "id", "name"])
    book.save(plant)
    assert load_problems(plant) == [
        f"plant.xlsx: sheet 'hazards': factorysec {__version__} exported this sheet, but this factorysec has no "
        "section 'hazards' (renamed or removed since, or added by a newer factorysec) (move its entries to the "
        "section that holds them now, or delete the sheet to drop them)"
    ]


@pytest.mark.parametrize("model_path", EXAMPLE_MODELS, ids=lambda p: str(p.relative_to(ROOT / "examples")))
def test_every_example_survives_export_and_import_identical(
    model_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    exported = CliRunner().invoke(app, ["workbook", "export", str(model_path), "--out", "plant.xlsx"])
    assert exported.exit_code == 0, exported.output
    assert _record_rows(openpyxl.load_workbook("plant.xlsx"))[:2] == [["format", "1"], ["factorysec", __version__]]
    imported = CliRunner().invoke(app, ["workbook", "import", "plant.xlsx", "--out", "plant.yaml"])
    assert (imported.exit_code, imported.stderr) == (0, ""), imported.output
    model = load_model_with_sources(model_path).model
    assert Path("plant.yaml").read_text(encoding="utf-8") == dump_model(model)
    assert load_model_with_sources(Path("plant.yaml")).model == model


def _japanese_lines(path: Path) -> list[tuple[str, str]]:
    """``check --lang ja``'s and ``check``'s lines on standard error, side by side, without the count."""
    japanese = CliRunner().invoke(app, ["check", str(path), "--lang", "ja"])
    english = CliRunner().invoke(app, ["check", str(path)])
    assert japanese.exit_code == english.exit_code
    pairs = list(zip(japanese.stderr.splitlines(), english.stderr.splitlines(), strict=True))
    return pairs[:-1] if japanese.exit_code == 2 else pairs


PLACE = re.compile(r"^(?:[^:]+: sheet '[^']*'(?: row \d+)?(?: column '[^']*')?: |注: |note: )")


def test_check_lang_ja_says_the_records_notes_and_problems_in_japanese(plant: Path) -> None:
    edits: dict[str, Callable[[Path], None]] = {
        "older.xlsx": _older,
        "newer.xlsx": lambda path: _set_cells(path, {"B1": "3"}),
        "broken.xlsx": lambda path: _set_cells(path, {"A4": None}),
        "retired.xlsx": lambda path: _add_recorded_column(path, "conduits", "protocol", {2: "modbus"}),
        "empty.xlsx": lambda path: _add_recorded_column(path, "assets", "legacy_rating", {}),
    }
    variants: dict[str, Path] = {}
    for name, edit in edits.items():
        variants[name] = Path(name)
        variants[name].write_bytes(plant.read_bytes())
        edit(variants[name])
    book = openpyxl.load_workbook(plant)
    del book[RECORD_SHEET]
    del book["departments"]
    book["assets"].delete_cols(3)
    book.save("none.xlsx")
    said = 0
    for path in [*variants.values(), Path("none.xlsx")]:
        for line, english_line in _japanese_lines(path):
            place = PLACE.match(line)
            assert place is not None, line
            text = _QUOTED.sub("", line[place.end() :])
            assert JAPANESE.search(text) and not _ENGLISH_SENTENCE.search(text), line
            assert _ENGLISH_SENTENCE.search(_QUOTED.sub("", english_line)), english_line
            said += 1
    assert said == 7


def test_a_lineage_round_trips_and_an_older_workbook_without_its_column_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # before: 'derived_from: []' (made here from nothing else the model holds) was written as an empty cell and read
    # back as absent (not known), so THREAT-OUTSIDE-ORIGIN-CONTROL fired again on semiconductor-backend's instructions
    monkeypatch.chdir(tmp_path)
    source = ROOT / "examples" / "semiconductor-backend"
    original = load_model_with_sources(source).model
    assert CliRunner().invoke(app, ["workbook", "export", str(source), "--out", "plant.xlsx"]).exit_code == 0
    result = CliRunner().invoke(app, ["workbook", "import", "plant.xlsx", "--out", "plant.yaml"])
    assert result.exit_code == 0, result.output
    assert load_model_with_sources(Path("plant.yaml")).model == original
    book = openpyxl.load_workbook("plant.xlsx")
    _forget(book, "assets", "data.derived_from")
    book.save("plant.xlsx")
    result = CliRunner().invoke(app, ["workbook", "import", "plant.xlsx", "--out", "older.yaml", "--force"])
    assert result.exit_code == 0, result.output
    assert "column 'data.derived_from' of sheet 'assets'" in result.stderr
    older = {a.id: a.data for a in load_model_with_sources(Path("older.yaml")).model.assets if a.data}
    assert older and all(data.derived_from is None for data in older.values())
