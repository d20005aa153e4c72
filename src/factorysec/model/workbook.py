"""The factory model as an Excel workbook, both ways.

One sheet per model section (``factory``, ``bcp``, ``requirements`` ...), one
row per entry, one column per field. Nested fields are dotted columns
(``importance.safety``, ``data.disclosure``); lists of ids and values are
``; ``-separated cells (or a JSON array when an item itself holds ``;``); lists
of nested entries (``data.lifecycle``) are JSON arrays. Enum and catalog-id
columns get drop-down validation fed from a hidden ``lists`` sheet; columns
naming a zone or a party list the ids of the ``zones`` or ``parties`` sheet.
A hidden ``factorysec`` sheet records the workbook format, factorysec's version
and each sheet's columns, so that a workbook an older factorysec exported,
before a field existed, is read with that field's default rather than refused
as a column deleted (see :data:`RECORD_SHEET`).

Reading gives a :class:`SourcedDocument` whose source map locates every value
as sheet, row and column, so problems print as
``plant.xlsx: sheet 'assets' row 7 column 'zone': ...``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import typing
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname, range_boundaries
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from factorysec import __version__
from factorysec.model.entities import COLLECTIONS, SINGLETONS, FactoryModel
from factorysec.model.introspect import unwrap_annotation
from factorysec.model.problems import ModelInputError, Problem
from factorysec.model.sheet_names import keep_as_text, unique_titles
from factorysec.model.sources import Origin, SourcedDocument, SourceMap, display_name
from factorysec.problems import Said
from factorysec.yamlio import Path_
from factorysec.zipped import DAMAGED_ZIP_ERRORS, DAMAGED_ZIP_ERRORS_OR_MISSING

CatalogSections = object
"""A catalog, read only for the sections :data:`CATALOG_COLUMNS` names (attributes mapping ids to entries, in the catalog's order); the model package never imports one."""

SECTIONS: tuple[str, ...] = (*SINGLETONS, *COLLECTIONS)
"""Sheets in workbook order: the single sections, then the list sections."""
LISTS_SHEET = "lists"
RECORD_SHEET = "factorysec"
"""The hidden sheet recording what exported the workbook: the workbook format, factorysec's version, and each sheet
with the columns it was written with (see :class:`WorkbookRecord`). A sheet rather than custom document properties:
Excel and LibreOffice keep a hidden sheet and its text cells as they are when a person saves the workbook (the
``lists`` sheet relies on it already), a cell holds the whole list of columns where Excel keeps only 255 characters
of a custom property, openpyxl reads it as it reads every other sheet, and a person who unhides it sees what it says."""
FORMAT_VERSION = 1
"""The workbook format this factorysec writes, and the newest it reads; raised when a change to the layout would make
an older factorysec misread a workbook (a field added or removed changes the columns, which the record lists, not
the format)."""
RECORD_ABOUT = (
    "What exported this workbook, and the sheets and columns it wrote: factorysec reads it to tell a column added"
    " since this export from one deleted. Keep it as it is."
)
VALIDATION_ROWS = 2000
"""Data validation covers this many rows below the last entry, for rows the user adds."""
LIST_SEPARATOR = "; "
HEADER_FONT = Font(bold=True)
TEXT_FORMAT = "@"
"""The Text number format, given to text columns (their cells and the column, for the cells of rows a person adds):
what is typed there stays text (``2.10``, ``00123``, ``1-2``, ``TRUE``) instead of becoming a number, date or TRUE."""

Kind = Literal["str", "int", "number", "bool", "date", "enum", "list", "json"]
TEXT_KINDS: frozenset[Kind] = frozenset({"str", "enum", "list", "json"})
"""Columns read as text: a number, date or TRUE/FALSE the spreadsheet made of a cell is read as the text it shows, or refused."""

CATALOG_COLUMNS: dict[tuple[str, str], str] = {
    ("requirements", "kind"): "requirement_kinds",
    ("requirements", "standard"): "standards",
    ("departments", "kind"): "department_kinds",
    ("parties", "kind"): "party_kinds",
    ("operations", "task"): "tasks",
    ("assets", "component"): "components",
    ("measures", "measure"): "measures",
    ("checklist_answers", "item"): "checklist_items",
}
"""Columns holding a catalog id, and the catalog section their drop-down lists."""

REFERENCE_COLUMNS: dict[tuple[str, str], str] = {
    ("assets", "zone"): "zones",
    ("zones", "parent"): "zones",
    ("conduits", "from"): "zones",
    ("conduits", "to"): "zones",
    ("assets", "supplier"): "parties",
    ("assets", "maintainer"): "parties",
    ("assets", "managed_by"): "parties",
    ("zones", "managed_by"): "parties",
    ("operations", "performed_by"): "parties",
    ("parties", "subcontractor_of"): "parties",
}
"""Columns naming one zone or party: their drop-down lists the ids in that sheet's first column."""


@dataclass(frozen=True)
class Column:
    """One workbook column: its header, the field path it fills and how its cells are read."""

    header: str
    path: tuple[str, ...]
    kind: Kind
    choices: tuple[str, ...] = ()
    empty_kept: bool = False
    """A list field whose absence (not known) differs from an empty list (``data.derived_from``): an empty list is
    written ``[]``, which reads back as one, and an empty cell stays absent."""


SHEET_TITLES: dict[str, str] = unique_titles(SECTIONS)


# --- columns from the pydantic model ----------------------------------------------------


def _choices(annotation: Any) -> tuple[str, ...]:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple(str(member.value) for member in annotation)
    if typing.get_origin(annotation) is Literal:
        return tuple(str(arg) for arg in typing.get_args(annotation))
    return ()


def _leaf(annotation: Any) -> tuple[Kind, tuple[str, ...]]:
    if annotation is bool:
        return "bool", ()
    if annotation is int:
        return "int", ()
    if annotation is float:
        return "number", ()
    if annotation is dt.date:
        return "date", ()
    choices = _choices(annotation)
    return ("enum", choices) if choices else ("str", ())


def columns_of(entity: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[Column]:
    """The columns for an entity: one per scalar or list field, nested entities flattened with dots."""
    columns: list[Column] = []
    for name, info in entity.model_fields.items():
        key = info.alias or name
        path = (*prefix, key)
        annotation = unwrap_annotation(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            columns.extend(columns_of(annotation, path))
        elif typing.get_origin(annotation) is list:
            item = unwrap_annotation(typing.get_args(annotation)[0])
            if isinstance(item, type) and issubclass(item, BaseModel):
                columns.append(Column(".".join(path), path, "json"))
            else:
                columns.append(Column(".".join(path), path, "list", _choices(item), empty_kept=info.default is None))
        else:
            kind, choices = _leaf(annotation)
            columns.append(Column(".".join(path), path, kind, choices))
    return columns


def section_entity(section: str) -> type[BaseModel]:
    """The entity type of one entry of a model section."""
    annotation = unwrap_annotation(FactoryModel.model_fields[section].annotation)
    if typing.get_origin(annotation) is list:
        annotation = unwrap_annotation(typing.get_args(annotation)[0])
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return annotation


SECTION_COLUMNS: dict[str, list[Column]] = {section: columns_of(section_entity(section)) for section in SECTIONS}


# --- writing -----------------------------------------------------------------------------


def _get(data: Mapping[str, Any] | None, path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def format_list(items: list[Any]) -> str | None:
    """A list as a cell: ``a; b; c``, or a JSON array when an item would not survive splitting."""
    if not items:
        return None
    texts = [str(item) for item in items]
    plain = all(t and t == t.strip() and ";" not in t and "\n" not in t for t in texts) and not texts[0].startswith("[")
    return LIST_SEPARATOR.join(texts) if plain else json.dumps(texts, ensure_ascii=False)


def _cell_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "list":
        return format_list(list(value)) or ("[]" if column.empty_kept else None)
    if column.kind == "json":
        return json.dumps(value, ensure_ascii=False) if value else None
    if column.kind == "date":
        return dt.date.fromisoformat(value)
    return value


class WorkbookExportError(Exception):
    """The model holds text a workbook cannot store (control characters, a text longer than a cell holds), so an
    export would lose data.

    ``str()`` names the workbook's sheet, row and column; ``path`` is the value's path in the model (None for the
    ``lists`` sheet), for a caller that names the model's own file and line, with ``reason`` and ``hint``.
    """

    def __init__(self, where: str, reason: str, hint: str, path: Path_ | None = None) -> None:
        super().__init__(f"{where}: {reason} ({hint})")
        self.reason, self.hint, self.path = reason, hint, path


EXCEL_CELL_CHARACTERS = 32_767
"""Most characters (UTF-16 code units) an Excel cell holds; openpyxl cuts a longer text there without a word."""


def _write_cell(sheet: Worksheet, row: int, col: int, value: Any, header: str = "", path: Path_ | None = None) -> None:
    where = f"sheet '{sheet.title}' row {row} column '{header}'"
    if isinstance(value, str) and len(value) > EXCEL_CELL_CHARACTERS // 2:
        length = len(value.encode("utf-16-le")) // 2
        if length > EXCEL_CELL_CHARACTERS:
            raise WorkbookExportError(
                where,
                f"the text is {length:,} characters, more than the {EXCEL_CELL_CHARACTERS:,} an Excel cell holds",
                "shorten it, or keep this model in YAML",
                path,
            )
    try:
        cell: Cell = sheet.cell(row=row, column=col, value=value)
    except IllegalCharacterError:
        bad = next(ch for ch in str(value) if ILLEGAL_CHARACTERS_RE.match(ch))
        raise WorkbookExportError(
            where,
            f"the text holds the control character U+{ord(bad):04X}, which Excel cannot store",
            "remove it from the model, or keep this model in YAML",
            path,
        ) from None
    if isinstance(value, str):
        keep_as_text(cell)
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"


def _entries(model: FactoryModel, section: str) -> list[dict[str, Any]]:
    value = getattr(model, section)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [item.model_dump(mode="json", by_alias=True) for item in items]


def _catalog_choices(catalog: CatalogSections | None) -> dict[tuple[str, str], tuple[str, ...]]:
    if catalog is None:
        return {}
    return {key: tuple(getattr(catalog, attr)) for key, attr in CATALOG_COLUMNS.items()}


class _Lists:
    """The hidden sheet holding drop-down values, one column per list."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_for(self, header: str, values: tuple[str, ...]) -> str:
        if values not in self.ranges:
            col = len(self.ranges) + 1
            _write_cell(self.sheet, 1, col, header)
            for row, value in enumerate(values, start=2):
                _write_cell(self.sheet, row, col, value)
            letter = get_column_letter(col)
            self.ranges[values] = f"{quote_sheetname(self.sheet.title)}!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[values]


def _dropdown_source(
    section: str,
    column: Column,
    lists: _Lists,
    catalog_choices: dict[tuple[str, str], tuple[str, ...]],
    id_rows: Mapping[str, int],
) -> str | None:
    """The cell range a column's drop-down lists, if it has one."""
    choices = column.choices if column.kind == "enum" else catalog_choices.get((section, column.header), ())
    if choices:
        return lists.range_for(column.header, choices)
    target = REFERENCE_COLUMNS.get((section, column.header))
    if target is None:
        return None
    return f"{quote_sheetname(SHEET_TITLES[target])}!$A$2:$A${id_rows[target]}"


def _write_section(
    sheet: Worksheet,
    section: str,
    rows: list[dict[str, Any]],
    lists: _Lists,
    catalog_choices: dict[tuple[str, str], tuple[str, ...]],
    id_rows: Mapping[str, int],
) -> None:
    columns = SECTION_COLUMNS[section]
    for col, column in enumerate(columns, start=1):
        _write_cell(sheet, 1, col, column.header)
        sheet.cell(row=1, column=col).font = HEADER_FONT
        dimension = sheet.column_dimensions[get_column_letter(col)]
        dimension.width = max(12, min(40, len(column.header) + 4))
        if column.kind in TEXT_KINDS:
            dimension.number_format = TEXT_FORMAT
    for row, entry in enumerate(rows, start=2):
        at: Path_ = (section,) if section in SINGLETONS else (section, row - 2)
        for col, column in enumerate(columns, start=1):
            value = _cell_value(column, _get(entry, column.path))
            _write_cell(sheet, row, col, value, column.header, (*at, *column.path))
            if value is not None and column.kind in TEXT_KINDS:
                sheet.cell(row=row, column=col).number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(2, len(rows) + 1)}"
    last_row = len(rows) + 1 + (0 if section in SINGLETONS else VALIDATION_ROWS)
    for col, column in enumerate(columns, start=1):
        source = _dropdown_source(section, column, lists, catalog_choices, id_rows)
        if source is None:
            continue
        validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
        validation.error = f"Choose a value from the list for '{column.header}'."
        validation.errorTitle = "factorysec"
        validation.showErrorMessage = True
        letter = get_column_letter(col)
        validation.add(f"{letter}2:{letter}{max(2, last_row)}")
        sheet.add_data_validation(validation)


def model_workbook(model: FactoryModel, catalog: CatalogSections | None = None) -> Workbook:
    """The model as a workbook; with a catalog, catalog-id columns get drop-downs too."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    lists_sheet = workbook.create_sheet(LISTS_SHEET)
    lists = _Lists(lists_sheet)
    catalog_choices = _catalog_choices(catalog)
    id_rows = {target: len(getattr(model, target)) + 1 + VALIDATION_ROWS for target in set(REFERENCE_COLUMNS.values())}
    for index, section in enumerate(SECTIONS):
        sheet = workbook.create_sheet(SHEET_TITLES[section], index)
        _write_section(sheet, section, _entries(model, section), lists, catalog_choices, id_rows)
    lists_sheet.sheet_state = "hidden"
    _write_record(workbook.create_sheet(RECORD_SHEET))
    workbook.active = 0
    return workbook


def _write_record(sheet: Worksheet) -> None:
    """The record of what exported the workbook (see :data:`RECORD_SHEET`): ``format`` and ``factorysec`` rows, a
    line saying what the sheet is, then under a ``sheet`` row each section's sheet and the headers of its columns."""
    rows: list[tuple[str, ...]] = [
        ("format", str(FORMAT_VERSION)),
        ("factorysec", __version__),
        ("about", RECORD_ABOUT),
        ("sheet", "columns"),
        *((SHEET_TITLES[section], *(column.header for column in SECTION_COLUMNS[section])) for section in SECTIONS),
    ]
    for row, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            _write_cell(sheet, row, col, value)
    sheet.sheet_state = "hidden"


def write_workbook(model: FactoryModel, path: str | Path, catalog: CatalogSections | None = None) -> None:
    """Write the model to an .xlsx file."""
    model_workbook(model, catalog).save(Path(path))


# --- reading -----------------------------------------------------------------------------


def workbook_notes(sources: SourceMap) -> list[Said]:
    """The notes of every workbook a model was read from (its own, or a change file's base), each once."""
    notes: list[Said] = []
    for workbook in sources.workbooks.values():
        if isinstance(workbook, WorkbookSourceMap):
            notes.extend(note for note in workbook.notes if note not in notes)
    return notes


@dataclass(frozen=True)
class CellPlace:
    """Where a row of a section sits in the workbook."""

    sheet: str
    row: int
    headers: tuple[str, ...]


class WorkbookSourceMap(SourceMap):
    """Locates document paths as sheet, row and column of one workbook."""

    def __init__(self, display: str, path: Path, rows: dict[Path_, CellPlace], notes: tuple[Said, ...] = ()) -> None:
        origins = {
            key: Origin(display, key) for key in rows
        }  # each section and entry, for a change file based on the workbook
        super().__init__({display: path}, origins, {}, {display: {}}, workbooks={display: self})
        self.display = display
        self.rows = rows
        self.notes = notes
        """What reading the workbook has to say that is no problem (columns an older factorysec did not write, read
        with their defaults; columns of fields this factorysec lacks, left empty), each a ``note`` to show once."""

    def cell_of(self, path: Path_) -> tuple[CellPlace, int | None] | None:
        """The row holding ``path`` and the 1-based column of its field, when there is one."""
        for length in range(len(path), 0, -1):
            place = self.rows.get(path[:length])
            if place is None:
                continue
            names = [str(part) for part in path[length:] if isinstance(part, str)]
            for count in range(len(names), 0, -1):
                header = ".".join(names[:count])
                if header in place.headers:
                    return place, place.headers.index(header) + 1
            return place, None
        return None

    def locate(self, path: Path_) -> tuple[str, int, int]:
        found = self.cell_of(path)
        if found is None:
            return self.display, 1, 1
        place, col = found
        return self.display, place.row, col or 1

    def place(self, path: Path_) -> str:
        found = self.cell_of(path)
        if found is None:
            return self.display
        place, col = found
        where = f"{self.display}: sheet '{place.sheet}' row {place.row}"
        return f"{where} column '{place.headers[col - 1]}'" if col else where


def _problem(display: str, sheet: str, row: int, col: int, header: str, message: str, hint: str = "") -> Problem:
    place = f"{display}: sheet '{sheet}' row {row}" + (f" column '{header}'" if header else "")
    return Problem(display, row, col, header, message, hint, place)


def _refused(display: str, sheet: str, row: int, col: int, header: str, cell: _NotAValue) -> Problem:
    return _problem(
        display,
        sheet,
        row,
        col,
        header,
        Said("cell.not_a_value", what=cell.what),
        Said("cell.not_a_value.hint"),
    )


def parse_list(text: str) -> list[str]:
    """Read a list cell: a JSON array, or items separated by ``;``."""
    stripped = text.strip()
    if stripped.startswith("["):
        value = json.loads(stripped)
        if not isinstance(value, list):
            raise ValueError(Said("cell.not_json_array"))
        return [str(item) for item in value]
    return [item.strip() for item in stripped.split(";") if item.strip()]


class CellTurned(ValueError):
    """A text column's cell the spreadsheet turned into a number, date or TRUE/FALSE whose text cannot be known."""


EXCEL_DIGITS = 15
"""Excel keeps a number's first 15 significant digits; typed longer, the rest become zeros."""
GENERAL_FORMATS = frozenset({"General", "@", "0"})
"""Number formats showing a whole number as its plain digits (``@`` is Text, applied after the number was typed)."""
ZERO_PADDED = re.compile(r"0+(?:\.(0+))?")
"""A number format of zeros (``00000``, ``0.00``): the number shown with leading zeros and a fixed count of decimals."""
ISO_DATE_FORMATS = frozenset({"yyyy-mm-dd", "yyyy\\-mm\\-dd", "YYYY-MM-DD", "YYYY\\-MM\\-DD"})
TYPE_AS_TEXT = Said("cell.type_as_text")


@dataclass(frozen=True)
class _Typed:
    """A cell the spreadsheet stored as a number, date, time or duration, with the number format it is shown in."""

    value: int | float | dt.date | dt.time | dt.timedelta
    number_format: str


def _shown_number(value: int | float, number_format: str) -> str | None:
    """The text a number cell shows in its format, when that is the text that was typed; else None.

    A whole number of up to 15 digits in General (or Text, or ``0``) shows its digits; a format of zeros
    (``00000``, ``0.00``) shows leading zeros and a fixed count of decimals, read as shown when the number has
    no more decimals than shown. Anything else (a fraction in General, ``#,##0``, ``0%``) is not known to show
    what was typed.
    """
    whole = isinstance(value, int) or value.is_integer()
    if whole and len(str(abs(int(value)))) > EXCEL_DIGITS:
        return None
    if whole and number_format in GENERAL_FORMATS:
        return str(int(value))
    padded = ZERO_PADDED.fullmatch(number_format)
    if padded is None or value < 0:
        return None
    shown = f"{value:0{len(number_format)}.{len(padded.group(1) or '')}f}"
    return shown if float(shown) == value else None


def _shown_text(cell: _Typed) -> str:
    """A number or date cell in a text column as the text it shows; :class:`CellTurned` when that text may not be
    what was typed (``2.10`` shown as 2.1, ``1-2`` turned into a date, a 20-digit serial cut to 15 digits)."""
    value = cell.value
    shown_as = "" if cell.number_format == "General" else Said("cell.shown_as", format=cell.number_format)
    if isinstance(value, int | float):
        shown = _shown_number(value, cell.number_format)
        if shown is not None:
            return shown
        if (isinstance(value, int) or value.is_integer()) and len(str(abs(int(value)))) > EXCEL_DIGITS:
            raise CellTurned(Said("cell.turned.long_number", number=f"{value:.15g}", digits=EXCEL_DIGITS))
        raise CellTurned(Said("cell.turned.number", number=repr(value), shown_as=shown_as))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.datetime):
        raise CellTurned(Said("cell.turned.datetime", value=value.isoformat(sep=" "), shown_as=shown_as))
    if isinstance(value, dt.date):
        if cell.number_format in ISO_DATE_FORMATS:
            return value.isoformat()
        raise CellTurned(Said("cell.turned.date", value=value.isoformat(), shown_as=shown_as))
    raise CellTurned(Said("cell.turned.time", value=str(value), shown_as=shown_as))


def _read_cell(column: Column | None, value: Any) -> Any:
    """A cell as the value the model expects; raises ValueError for an unreadable list cell, and
    :class:`CellTurned` for a text column's cell the spreadsheet made a number, date or TRUE/FALSE of."""
    kind = column.kind if column else None
    if isinstance(value, _Typed):
        value = _shown_text(value) if kind in TEXT_KINDS else value.value
    elif isinstance(value, bool) and kind in TEXT_KINDS:
        raise CellTurned(Said("cell.turned.bool", value="TRUE" if value else "FALSE"))
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value.isoformat()
    if kind == "list":
        return parse_list(value if isinstance(value, str) else str(value))
    if kind == "json":
        if not isinstance(value, str):
            raise ValueError(Said("cell.expected_entries"))
        parsed = json.loads(value)
        if not isinstance(parsed, list):
            raise ValueError(Said("cell.expected_entries"))
        return parsed
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _cell_reason(error: ValueError) -> str:
    """Why a list or JSON cell cannot be read: a :class:`Said` of ours, or the JSON reader's own words (kept as they
    are in English, said as a JSON error in Japanese)."""
    reason = error.args[0] if error.args else ""
    return reason if isinstance(reason, Said) else Said("cell.json_error", text=str(error))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _keeps_whitespace(column: Column | None, value: Any) -> bool:
    """Text made only of spaces is data in a text column of a row that has other content (export wrote it so)."""
    return column is not None and column.kind == "str" and isinstance(value, str) and value != ""


def _set(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


class UnreadableWorkbook(Exception):
    """openpyxl failed on the workbook's bytes (a corrupt, truncated or altered file)."""


EXCEL_MAX_ROWS = 1_048_576
"""Rows in an Excel sheet; a row numbered past it comes from a damaged file."""


def _sheet_rows(sheet: Worksheet) -> Iterator[tuple[Any, ...]]:
    """The rows openpyxl yields for one sheet; whatever it raises while parsing damaged XML becomes :class:`UnreadableWorkbook`.

    The sheet's stated dimension is dropped first: openpyxl stops at the last
    row it states (rows below would be lost without a word) and pads every row
    to its last column (a damaged ``XFD1048576`` makes each row 16,384 cells).
    openpyxl yields an empty row for each row number skipped, so a damaged row
    number is caught by counting. Only openpyxl's own parsing runs inside the
    ``try``, so a failure in this module's code is not mistaken for a bad file.
    """
    try:
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        rows = sheet.iter_rows()
    except (
        Exception
    ) as exc:  # openpyxl raises many kinds (KeyError, ValueError, TypeError, zlib.error, ...) on damaged parts
        raise UnreadableWorkbook(type(exc).__name__) from None
    for count in range(1, EXCEL_MAX_ROWS + 2):
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # as above
            raise UnreadableWorkbook(type(exc).__name__) from None
        if count > EXCEL_MAX_ROWS:
            raise UnreadableWorkbook(Said("workbook.rows_past", title=sheet.title, rows=f"{EXCEL_MAX_ROWS:,}"))
        yield row


FORMULA = "f"
ERROR_VALUE = "e"
BOOLEAN_FORMULAS = {"=TRUE()": True, "=FALSE()": False}
"""The two formulas that are constants: LibreOffice Calc writes every TRUE/FALSE cell of an .xlsx it saves this way."""


@dataclass(frozen=True)
class _NotAValue:
    """A cell whose content is a formula or an error value: refused, never read as its (possibly missing) cached result."""

    what: str


def _cell_values(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Each row's values, with :class:`_NotAValue` for a formula or an error value.

    The workbook is opened with ``data_only=False``, so a formula cell holds its
    formula: read with cached results instead, a formula written by a tool that
    stores no result reads as an empty cell, and its field would silently
    disappear from the model. ``=TRUE()`` and ``=FALSE()`` compute nothing and
    are read as the values they are (:data:`BOOLEAN_FORMULAS`).
    """
    for cells in rows:
        values: list[Any] = []
        for cell in cells:
            kind = getattr(cell, "data_type", None)
            value = cell.value
            if kind == FORMULA:
                constant = BOOLEAN_FORMULAS.get(value.replace(" ", "").upper()) if isinstance(value, str) else None
                if constant is not None:
                    values.append(constant)
                else:
                    formula = value if isinstance(value, str) else getattr(value, "text", None) or "an array formula"
                    values.append(_NotAValue(Said("cell.formula", formula=formula[:40])))
            elif kind == ERROR_VALUE:
                values.append(_NotAValue(Said("cell.error_value", value=str(value))))
            elif isinstance(value, int | float | dt.date | dt.time | dt.timedelta) and not isinstance(value, bool):
                values.append(_Typed(value, getattr(cell, "number_format", None) or "General"))
            else:
                values.append(value)
        yield tuple(values)


def _header_text(value: Any) -> str:
    """A header cell's text: a header the spreadsheet made a number of (``2024``) reads as the number it shows."""
    if _is_blank(value) or isinstance(value, _NotAValue):
        return ""
    if isinstance(value, _Typed):
        value = value.value
    return str(value).strip()


def _merged_problem(display: str, sheet: str, row: int, col: int, header: str, ref: str) -> Problem:
    return _problem(
        display,
        sheet,
        row,
        col,
        header,
        Said("cell.merged", ref=ref, first=ref.split(":")[0]),
        Said("cell.merged.hint"),
    )


@dataclass
class _Unwritten:
    """A sheet's columns the workbook's record explains: fields with no column because the factorysec that exported
    the workbook had no such field (``never``), and columns it wrote of fields this factorysec lacks (``retired``:
    column, header and how many rows hold a value)."""

    never: list[str]
    retired: list[tuple[int, str, int]]


def _read_sheet(
    display: str,
    sheet: Worksheet,
    section: str,
    merged: Mapping[tuple[int, int], str],
    recorded: tuple[str, ...] | None = None,
    missing_hint: str = "",
) -> tuple[list[tuple[int, dict[str, Any]]], tuple[str, ...], list[Problem], _Unwritten]:
    """Rows of one sheet as (row number, entry) pairs, its headers, the problems met, and the columns the record
    explains.

    A merged range whose first cell holds a value is refused: the other cells show the value, so a person reads it
    as theirs (one supplier for three assets, one rating for three axes), but they hold none and their fields would
    be read as empty.

    ``recorded``: the headers the workbook's record says the sheet was exported with (None without a record of the
    sheet). A field the sheet has no column for is read with its default when the record does not list it (the
    factorysec that exported the workbook had no such field), and refused as a column deleted otherwise, with
    ``missing_hint``. A header the record lists that names no field of this factorysec is returned as retired,
    not taken for a field renamed by hand.
    """
    unwritten = _Unwritten([], [])
    known = {column.header: column for column in SECTION_COLUMNS[section]}
    problems: list[Problem] = []
    rows: Iterator[tuple[Any, ...]] = _cell_values(_sheet_rows(sheet))
    header_row = next(rows, ())
    for col, header_value in enumerate(header_row, start=1):
        if (1, col) in merged and not _is_blank(header_value):
            problems.append(_merged_problem(display, sheet.title, 1, col, _header_text(header_value), merged[(1, col)]))
    for col, header_value in enumerate(header_row, start=1):
        if isinstance(header_value, _NotAValue):
            problems.append(_refused(display, sheet.title, 1, col, get_column_letter(col), header_value))
    headers = tuple(_header_text(h) for h in header_row)
    seen: set[str] = set()
    for col, header in enumerate(headers, start=1):
        if header and header in seen:
            problems.append(
                _problem(display, sheet.title, 1, col, header, Said("column.twice", header=header), Said("keep_one"))
            )
        seen.add(header)
    if not seen & known.keys():
        data_rows = (number for number, values in enumerate(rows, start=2) if not all(map(_is_blank, values)))
        first = next(data_rows, None)
        if first is not None:
            fields = ", ".join(column.header for column in SECTION_COLUMNS[section][:3])
            problems.append(
                _problem(
                    display,
                    sheet.title,
                    1,
                    1,
                    "",
                    Said("sheet.no_header", fields=fields, first=first),
                    Said("sheet.no_header.hint"),
                )
            )
        return [], headers, problems, unwritten
    entries: list[tuple[int, dict[str, Any]]] = []
    headerless: dict[int, list[int]] = {}
    unknown: dict[int, list[int]] = {}
    for row_number, values in enumerate(rows, start=2):
        entry: dict[str, Any] = {}
        if all(_is_blank(value) for value in values):
            continue
        for col, value in enumerate(values, start=1):
            header = headers[col - 1] if col <= len(headers) else ""
            if (row_number, col) in merged and not _is_blank(value):
                problems.append(
                    _merged_problem(
                        display,
                        sheet.title,
                        row_number,
                        col,
                        header or get_column_letter(col),
                        merged[(row_number, col)],
                    )
                )
            if isinstance(value, _NotAValue):
                problems.append(
                    _refused(display, sheet.title, row_number, col, header or get_column_letter(col), value)
                )
                continue
            if _is_blank(value) and not _keeps_whitespace(known.get(header), value):
                continue
            if not header:
                headerless.setdefault(col, []).append(row_number)
                continue
            column = known.get(header)
            if column is None:
                unknown.setdefault(col, []).append(row_number)
                continue
            try:
                cell = _read_cell(column, value)
            except CellTurned as exc:
                problems.append(_problem(display, sheet.title, row_number, col, header, exc.args[0], TYPE_AS_TEXT))
                continue
            except ValueError as exc:
                problems.append(
                    _problem(
                        display,
                        sheet.title,
                        row_number,
                        col,
                        header,
                        Said("cell.unreadable", reason=_cell_reason(exc)),
                        Said("cell.unreadable.hint"),
                    )
                )
                continue
            _set(entry, column.path if column else (header,), cell)
        if entry:
            entries.append((row_number, entry))
    missing = [column.header for column in SECTION_COLUMNS[section] if column.header not in seen]
    if recorded is not None:
        unwritten.never = [header for header in missing if header not in recorded]
        missing = [header for header in missing if header in recorded]
    for col, header in enumerate(headers, start=1):
        if not header or header in known:
            continue
        rows_held = len(unknown.get(col, []))
        if recorded is not None and header in recorded:
            unwritten.retired.append((col, header, rows_held))
            continue
        problem, taken = _unknown_column(display, sheet.title, section, col, header, rows_held, missing)
        if rows_held or (taken in missing and _variant(header) == taken.casefold()):
            problems.append(problem)  # an empty column is reported only as the missing field it stands for
            if taken in missing:
                missing.remove(taken)
    for col, row_numbers in headerless.items():
        more = len(row_numbers) - 1
        problems.append(
            _problem(
                display,
                sheet.title,
                row_numbers[0],
                col,
                get_column_letter(col),
                Said(
                    "column.headerless",
                    more=Said("column.headerless.more", count=more)
                    if more > 1
                    else (Said("column.headerless.one_more") if more else ""),
                ),
                Said(
                    "column.headerless.hint",
                    missing=Said("column.headerless.missing", names=_names(missing)) if missing else "",
                ),
            )
        )
    if headerless:
        missing = []
    if missing and entries:
        problems.append(_missing_columns(display, sheet.title, missing, len(entries), missing_hint))
    return entries, headers, problems, unwritten


FREE_TEXT_FIELDS = ("description", "notes", "note")
"""A section's field for free text, named in the hint for a column of notes a person added."""


def _unknown_column(
    display: str, sheet: str, section: str, col: int, header: str, rows: int, missing: list[str]
) -> tuple[Problem, str | None]:
    """One problem for a column whose header names no field of the sheet, at its header: its values in ``rows``
    rows could not be read (a header typed ``Zone`` for ``zone``, a column of notes added); and the field it is taken
    for, if any. A field spelled the same but for case or width (``ｚｏｎｅ`` typed with a Japanese input method) comes
    first, then a field the sheet lacks whose name the header
    holds (``zone (required)``) or else the closest one, then the closest of all."""
    headers = [column.header for column in SECTION_COLUMNS[section]]
    plain = _variant(header)
    same = [name for name in headers if name.casefold() == plain]
    within = sorted((name for name in missing if name.casefold() in plain), key=len, reverse=True)
    close = same or within or difflib.get_close_matches(header, missing, n=1, cutoff=0.6)
    close = close or difflib.get_close_matches(header, headers, n=1, cutoff=0.6)
    hint: Said
    if same and same[0].casefold() == header.casefold():
        hint = Said("column.unknown.case", name=same[0])
    elif same:
        hint = Said("column.unknown.width", name=same[0])
    elif close:
        hint = Said("did_you_mean", suggestion=close[0])
    else:
        free = next((name for name in FREE_TEXT_FIELDS if name in headers), None)
        hint = Said("column.unknown.rename", free=Said("column.unknown.free", name=free) if free else "")
    held = Said("column.unknown.held", count=rows) if rows > 1 else Said("column.unknown.held_one")
    message = Said("column.unknown", header=header, held=held if rows else "")
    return _problem(display, sheet, 1, col, header, message, hint), (close[0] if close else None)


def _variant(header: str) -> str:
    """A header as compared for a near miss: full-width letters made half-width, and in lower case."""
    return unicodedata.normalize("NFKC", header).casefold()


def _names(headers: list[str], most: int = 5) -> str:
    """Column names for a message: the first ``most`` quoted, and how many more."""
    shown = ", ".join(f"'{header}'" for header in headers[:most])
    return Said("names.more", names=shown, count=len(headers) - most) if len(headers) > most else shown


def _missing_columns(display: str, sheet: str, missing: list[str], rows: int, hint: str = "") -> Problem:
    """One problem for the fields a sheet of entries has no column for: read as empty, each would be cleared in
    every entry (a column deleted, or a workbook built by hand without it)."""
    code = f"columns.missing.{'one' if len(missing) == 1 else 'many'}.{'entry' if rows == 1 else 'entries'}"
    return _problem(
        display, sheet, 1, 1, "", Said(code, names=_names(missing), rows=rows), hint or Said("columns.missing.hint")
    )


def _retired_column(display: str, sheet: str, section: str, col: int, header: str, rows: int, version: str) -> Problem:
    """A column the record says was exported, of a field this factorysec lacks, holding values in ``rows`` rows:
    refused at its header, never dropped."""
    held = Said("column.unknown.held", count=rows) if rows > 1 else Said("column.unknown.held_one")
    close = difflib.get_close_matches(header, [column.header for column in SECTION_COLUMNS[section]], n=1, cutoff=0.6)
    hint = Said("record.retired.renamed", name=close[0]) if close else Said("record.retired.hint")
    return _problem(
        display, sheet, 1, col, header, Said("record.retired", version=version, header=header, held=held), hint
    )


def _unknown_sheet(display: str, title: str, missing: list[str]) -> tuple[Problem, str | None]:
    """The problem for a sheet no section has, and the missing sheet it is taken for (a sheet renamed: one line for
    both). A missing sheet whose title the sheet's holds in any case or width (``Zones (edited)``, ``ｚｏｎｅｓ``), or else the closest missing
    one, comes before the closest sheet of any section."""
    folded = {name.casefold(): name for name in missing}
    within = sorted((name for name in folded if name in _variant(title)), key=len, reverse=True)
    close = within or difflib.get_close_matches(_variant(title), list(folded), n=1, cutoff=0.6)
    renamed = [folded[close[0]]] if close else []
    if renamed:
        hint = Said("sheet.unknown.renamed", name=renamed[0])
        unknown = Said("sheet.unknown", title=title)
        return Problem(display, 1, 1, "", unknown, hint, f"{display}: sheet '{title}'"), renamed[0]
    match = difflib.get_close_matches(title, list(SHEET_TITLES.values()), n=1, cutoff=0.6)
    hint = (
        Said("did_you_mean", suggestion=match[0])
        if match
        else Said("sheet.unknown.list", sheets=", ".join(SHEET_TITLES.values()))
    )
    return Problem(display, 1, 1, "", Said("sheet.unknown", title=title), hint, f"{display}: sheet '{title}'"), None


def _missing_sheet(display: str, section: str, recorded: bool = True) -> Problem:
    """A section's sheet the workbook lacks: read as empty, it would delete the section's every entry. Without a
    record (``recorded`` False) the hint says how to read a workbook exported before the section existed."""
    title = SHEET_TITLES[section]
    lost = Said("sheet.missing.section") if section in SINGLETONS else Said("sheet.missing.entries", section=section)
    hint = Said("sheet.missing.hint")
    hint = hint if recorded else Said("record.none.sheet", hint=hint)
    return _sheet_problem(display, title, Said("sheet.missing", title=title, lost=lost), hint)


MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
"""Largest total size of a workbook's parts once unzipped: a model workbook of
100,000 assets holds tens of megabytes; a zip bomb of 2 MB inflates to gigabytes."""
MAX_PARTS = 10_000
"""Most parts (zip members) a model workbook may hold: one per sheet and a few more."""


def _unreadable(display: str, reason: str, hint: str = "") -> ModelInputError:
    """``reason``: a :class:`Said`, or the name of what a library raised, as it is."""
    said = Said("workbook.unreadable", reason=reason)
    return ModelInputError([Problem(display, 1, 1, "", said, hint or Said("workbook.unreadable.hint"))])


def _check_archive(path: Path, display: str) -> None:
    """Refuse a file that is not a zip archive, or whose parts would inflate past the caps, before openpyxl unpacks any of it.

    The sizes come from the archive's directory; a part that inflates past its
    stated size fails zipfile's own length and CRC checks while it is read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except DAMAGED_ZIP_ERRORS as exc:
        raise _unreadable(display, Said("workbook.not_zip", kind=type(exc).__name__)) from None
    if len(parts) > MAX_PARTS:
        raise _unreadable(
            display,
            Said("workbook.too_many_parts", parts=len(parts), most=MAX_PARTS),
            Said("workbook.too_many_parts.hint"),
        )
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _unreadable(
            display,
            Said("workbook.too_big", total=f"{total:,}", most=MAX_UNCOMPRESSED_BYTES // (1024 * 1024)),
            Said("workbook.too_big.hint"),
        )


def read_workbook(path: str | Path) -> SourcedDocument:
    """Read a model workbook; raise :class:`ModelInputError` naming sheet, row and column for cells it cannot read.

    A damaged file (not a zip, truncated, altered bytes) or one that would unzip
    past :data:`MAX_UNCOMPRESSED_BYTES` is refused with one problem.
    """
    path = Path(path)
    display = display_name(path)
    if not path.is_file():
        raise ModelInputError([Problem(display, 1, 1, "", Said("no_such_file"), Said("no_such_path.hint"))])
    _check_archive(path, display)
    try:
        reader = ExcelReader(path, read_only=True, data_only=False)
        with warnings.catch_warnings():  # a sheet openpyxl drops with a warning is refused below, by name
            warnings.simplefilter("ignore")
            reader.read()
        workbook = reader.wb
    except Exception as exc:  # openpyxl raises many kinds on a damaged archive (BadZipFile, KeyError, ValueError, TypeError, XML errors)
        raise _unreadable(display, type(exc).__name__) from None
    try:
        listing = _unread_sheets(display, reader)
        listed = {str(sheet.name) for sheet in reader.parser.sheets}
        return _read_book(display, path, workbook, listing, listed)
    except UnreadableWorkbook as exc:
        raise _unreadable(display, Said("workbook.damaged", detail=exc.args[0] if exc.args else "")) from None
    finally:
        workbook.close()


ROW_NUMBER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\sr=[\"'](\d+)[\"']")


MERGED_RANGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\sref=[\"']([A-Za-z]{1,3}[0-9]+:[A-Za-z]{1,3}[0-9]+)[\"']"
)
"""A merged range in a sheet's XML (``<mergeCell ref="E2:E4"/>``)."""


def _sheet_xml(path: Path, sheet: Any) -> bytes:
    """The XML text of a sheet's part (empty when openpyxl names none)."""
    part = getattr(sheet, "_worksheet_path", None)
    if not isinstance(part, str):
        return b""
    with zipfile.ZipFile(path) as archive:
        return archive.read(part.lstrip("/"))


def _check_row_order(title: str, text: bytes) -> None:
    """Refuse a sheet whose rows are numbered out of order (a damaged ``r`` attribute).

    openpyxl's reader skips, without a word, every row numbered at or below a
    row it has already passed, so those rows would be lost. The numbers are read
    from the sheet's XML text; a row without a number follows the one before it.
    """
    last = 0
    for match in ROW_NUMBER.finditer(text):
        number = int(match.group(1))
        if number <= last:
            raise UnreadableWorkbook(Said("workbook.row_order", title=title, number=number, last=last))
        last = number


def _merged_ranges(text: bytes) -> dict[tuple[int, int], str]:
    """The sheet's merged ranges by their first cell (row, column): the range shows that cell's value across cells
    that hold none, which openpyxl (like Excel) reads as empty."""
    merged: dict[tuple[int, int], str] = {}
    for match in MERGED_RANGE.finditer(text):
        ref = match.group(1).decode("ascii").upper()
        try:
            min_col, min_row, _, _ = range_boundaries(ref)
        except ValueError:
            continue
        if min_col is not None and min_row is not None:
            merged[(min_row, min_col)] = ref
    return merged


def _sheet_problem(display: str, title: str, message: str, hint: str = "") -> Problem:
    return Problem(display, 1, 1, "", message, hint, f"{display}: sheet '{title}'")


def _unread_sheets(display: str, reader: ExcelReader) -> list[Problem]:
    """A problem for each sheet ``workbook.xml`` lists that openpyxl did not read as a worksheet, or that is listed twice.

    openpyxl skips, without a word, a sheet whose part is missing from the
    archive and a sheet that names no part; it keeps a chart sheet apart from
    the worksheets; and a second sheet of the same name would replace the
    first one's entries. Each of these would lose a section's data.
    """
    problems: list[Problem] = []
    parts = set(reader.valid_files)
    seen: set[str] = set()
    for listed in reader.parser.sheets:
        title = str(listed.name)
        if title in seen:
            problems.append(_sheet_problem(display, title, Said("sheet.listed_twice"), Said("keep_one")))
        seen.add(title)
        relation = reader.parser.rels.get(listed.id) if listed.id else None
        if relation is None:
            problems.append(_sheet_problem(display, title, Said("sheet.no_part")))
        elif "chartsheet" in str(relation.Type):
            problems.append(
                _sheet_problem(
                    display,
                    title,
                    Said("sheet.chart"),
                    Said("sheet.chart.hint"),
                )
            )
        elif relation.target not in parts:
            problems.append(_sheet_problem(display, title, Said("sheet.part_missing", part=str(relation.target))))
    return problems


@dataclass(frozen=True)
class WorkbookRecord:
    """What the workbook's :data:`RECORD_SHEET` says exported it: the workbook format, factorysec's version, and each
    sheet's title with the headers of the columns it was written with."""

    format: int
    version: str
    sheets: dict[str, tuple[str, ...]]


MAX_VERSION_CHARACTERS = 64
"""Longest factorysec version a record may give: a version, not a text a person typed over it."""


def _record_problem(display: str, reason: str, hint: str = "") -> ModelInputError:
    """The one problem of a record that cannot be read (``reason`` a :class:`Said`), or of one too new (``hint``)."""
    message = reason if hint else Said("record.unreadable", reason=reason)
    return ModelInputError([_sheet_problem(display, RECORD_SHEET, message, hint or Said("record.unreadable.hint"))])


def _record_texts(display: str, number: int, values: tuple[Any, ...]) -> list[str]:
    """A row of the record as its texts, stripped, blank cells as ``""``; a number, date, formula or TRUE/FALSE the
    record never holds refuses it."""
    texts: list[str] = []
    for col, value in enumerate(values, start=1):
        if _is_blank(value):
            texts.append("")
            continue
        if not isinstance(value, str):
            what = value.what if isinstance(value, _NotAValue) else Said("record.not_text.value")
            reason = Said("record.not_text", row=number, column=get_column_letter(col), what=what)
            raise _record_problem(display, reason)
        texts.append(value.strip())
    return texts


def _record_key(values: tuple[Any, ...]) -> str:
    """The word a row of the record opens with (``format``, ``factorysec``, ``sheet``), or ``""``."""
    return values[0].strip() if values and isinstance(values[0], str) else ""


def _record_format(values: tuple[Any, ...]) -> int | None:
    """The format the record's first row gives (``format`` and a whole number, as text or as a number), if it does."""
    if len(values) < 2 or _record_key(values) != "format":
        return None
    value = values[1]
    if isinstance(value, _Typed) and isinstance(value.value, int | float) and float(value.value).is_integer():
        number = int(value.value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if number >= 1 else None


def _read_record(display: str, sheet: Worksheet) -> WorkbookRecord:
    """The workbook's record (see :func:`_write_record`); :class:`ModelInputError` with one problem when it cannot be
    read, or gives a format newer than :data:`FORMAT_VERSION`."""
    rows = list(enumerate(_cell_values(_sheet_rows(sheet)), start=1))
    found = _record_format(rows[0][1]) if rows else None
    if found is None:
        raise _record_problem(display, Said("record.no_format"))
    start = next((number for number, values in rows if _record_key(values) == "sheet"), len(rows) + 1)
    head = {_record_key(values): values[1] for _, values in rows[: start - 1] if len(values) > 1}
    version = head.get("factorysec")
    version = version.strip() if isinstance(version, str) else ""
    if found > FORMAT_VERSION:
        said = Said("record.newer", version=version or "?", format=found, known=FORMAT_VERSION, ours=__version__)
        raise _record_problem(display, said, Said("record.newer.hint", version=version or "?"))
    if not version or len(version) > MAX_VERSION_CHARACTERS:
        raise _record_problem(display, Said("record.no_version"))
    if start > len(rows):
        raise _record_problem(display, Said("record.no_sheets"))
    sheets: dict[str, tuple[str, ...]] = {}
    for number, values in rows[start:]:
        texts = _record_texts(display, number, values)
        if not any(texts):
            continue
        title, headers = texts[0], [header for header in texts[1:] if header]
        if not title:
            raise _record_problem(display, Said("record.no_title", row=number))
        if title in sheets:
            raise _record_problem(display, Said("record.sheet_twice", row=number, title=title))
        if not headers:
            raise _record_problem(display, Said("record.no_columns", row=number, title=title))
        twice = next((header for index, header in enumerate(headers) if header in headers[:index]), None)
        if twice is not None:
            raise _record_problem(display, Said("record.column_twice", row=number, title=title, header=twice))
        sheets[title] = tuple(headers)
    if not sheets:
        raise _record_problem(display, Said("record.no_sheet_listed"))
    return WorkbookRecord(found, version, sheets)


def _items(items: list[Said]) -> Said:
    """Items of a note joined with ``; `` in both languages."""
    return items[0] if len(items) == 1 else Said("record.items", first=items[0], rest=_items(items[1:]))


def _read_book(display: str, path: Path, workbook: Any, listing: list[Problem], listed: set[str]) -> SourcedDocument:
    """The workbook's sections; ``listed`` are the titles ``workbook.xml`` lists (a sheet listed but unreadable is
    refused by ``listing``). Every section's sheet must be there: a sheet deleted or renamed is refused, never read
    as a section emptied."""
    by_title = {title: section for section, title in SHEET_TITLES.items()}
    data: dict[str, Any] = {}
    rows: dict[Path_, CellPlace] = {}
    problems: list[Problem] = list(listing)
    missing = [title for title in SHEET_TITLES.values() if title not in listed]
    record_sheet = next((sheet for sheet in workbook.worksheets if sheet.title == RECORD_SHEET), None)
    if record_sheet is not None:
        _check_row_order(RECORD_SHEET, _sheet_text(path, record_sheet))
    record = None if record_sheet is None else _read_record(display, record_sheet)
    recorded = record.sheets if record is not None else {}
    missing_hint = Said("columns.missing.hint")
    missing_hint = missing_hint if record is not None else Said("record.none.columns", hint=missing_hint)
    never: list[Said] = []
    notes: list[Said] = []
    for sheet in workbook.worksheets:
        if sheet.title in (LISTS_SHEET, RECORD_SHEET):
            continue
        text = _sheet_text(path, sheet)
        _check_row_order(sheet.title, text)
        section = by_title.get(sheet.title)
        if section is None and record is not None and sheet.title in recorded:
            said = Said("record.retired_sheet", version=record.version, title=sheet.title)
            problems.append(_sheet_problem(display, sheet.title, said, Said("record.retired_sheet.hint")))
            continue
        if section is None:
            problem, renamed = _unknown_sheet(display, sheet.title, missing)
            problems.append(problem)
            if renamed is not None:
                missing.remove(renamed)
            continue
        entries, headers, sheet_problems, unwritten = _read_sheet(
            display, sheet, section, _merged_ranges(text), recorded.get(sheet.title), missing_hint
        )
        problems.extend(sheet_problems)
        if record is not None:
            if unwritten.never:
                never.append(Said("record.item.columns", sheet=sheet.title, names=_quoted(unwritten.never)))
            empty = [header for _, header, held in unwritten.retired if not held]
            if empty:
                said = Said(
                    "record.retired.empty",
                    file=display,
                    sheet=sheet.title,
                    names=_quoted(empty),
                    version=record.version,
                )
                notes.append(Said("note", text=said))
            problems.extend(
                _retired_column(display, sheet.title, section, col, header, held, record.version)
                for col, header, held in unwritten.retired
                if held
            )
        if section in SINGLETONS:
            for row_number, _ in entries[1:]:
                problems.append(
                    _problem(
                        display,
                        sheet.title,
                        row_number,
                        1,
                        "",
                        Said("sheet.one_entry", title=sheet.title),
                        Said("sheet.one_entry.hint"),
                    )
                )
            if entries:
                data[section] = entries[0][1]
                rows[(section,)] = CellPlace(sheet.title, entries[0][0], headers)
            elif FactoryModel.model_fields[section].is_required() and not sheet_problems:
                fields = ", ".join(column.header for column in SECTION_COLUMNS[section][:2])
                problems.append(
                    _problem(
                        display,
                        sheet.title,
                        2,
                        1,
                        "",
                        Said("sheet.no_entry", section=section),
                        Said("sheet.no_entry.hint", fields=fields),
                    )
                )
            continue
        data[section] = [entry for _, entry in entries]
        rows[(section,)] = CellPlace(sheet.title, 1, headers)
        for index, (row_number, _) in enumerate(entries):
            rows[(section, index)] = CellPlace(sheet.title, row_number, headers)
    for title in missing:
        if record is not None and title not in recorded:
            never.append(Said("record.item.sheet", sheet=title))
        else:
            problems.append(_missing_sheet(display, by_title[title], record is not None))
    if problems:
        raise ModelInputError(problems)
    if record is not None and never:
        older = Said("record.older", file=display, version=record.version, format=record.format, items=_items(never))
        notes.insert(0, Said("note", text=older))
    return SourcedDocument(data, WorkbookSourceMap(display, path, rows, tuple(notes)))


def _quoted(headers: list[str]) -> str:
    """Column names for a note, each quoted, all of them."""
    return ", ".join(f"'{header}'" for header in headers)


def _sheet_text(path: Path, sheet: Any) -> bytes:
    """:func:`_sheet_xml`, a part the archive fails to give being a damaged workbook."""
    try:
        return _sheet_xml(path, sheet)
    except DAMAGED_ZIP_ERRORS_OR_MISSING as exc:
        raise UnreadableWorkbook(type(exc).__name__) from None
