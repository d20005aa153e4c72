"""Excel's rules: sheet names (31 characters, no ``[]:*?/\\``, distinct regardless of case), and text cells Excel
would read as a formula once edited.

Kept apart from :mod:`factorysec.model.workbook` so that the report's workbook writer (XlsxWriter) names its
sheets without importing openpyxl, which the model workbook reads and writes with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

SHEET_NAME_LIMIT = 31
FORMULA_START = "=+-@\uff1d\uff0b\uff0d\uff20"
"""The first characters that make Excel read an entry as a formula: ``= + - @``, and their full-width forms, which
Japanese Excel turns into them as they are typed."""
FORBIDDEN_SHEET_CHARS = "[]:*?/\\"


def sheet_title(name: str) -> str:
    """A valid Excel sheet name for ``name``: forbidden characters replaced, at most 31 characters."""
    cleaned = "".join("_" if ch in FORBIDDEN_SHEET_CHARS else ch for ch in name).strip("'") or "sheet"
    return cleaned[:SHEET_NAME_LIMIT]


def unique_titles(names: Iterable[str]) -> dict[str, str]:
    """Valid, distinct sheet names for ``names`` (case-insensitive, as Excel compares them)."""
    titles: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        title = sheet_title(name)
        counter = 2
        while title.casefold() in taken:
            suffix = f"~{counter}"
            title = sheet_title(name)[: SHEET_NAME_LIMIT - len(suffix)] + suffix
            counter += 1
        taken.add(title.casefold())
        titles[name] = title
    return titles


def reads_as_formula(text: str) -> bool:
    """Whether Excel would take ``text`` for a formula if a user edited its cell and pressed Enter.

    Such a text is written as a string with Excel's quote prefix (the ``'`` typed before text), so that it stays
    text when the cell is edited: a name ``=HYPERLINK("http://...","open")`` never becomes a live link.
    """
    return bool(text) and text[0] in FORMULA_START


def keep_as_text(cell: Cell) -> None:
    """Mark an openpyxl cell holding text as text: never a formula (openpyxl writes a string starting with ``=`` as
    one), and with the quote prefix where Excel would read it as one once edited (:func:`reads_as_formula`)."""
    cell.data_type = "s"
    if reads_as_formula(str(cell.value)):
        cell.quotePrefix = True
