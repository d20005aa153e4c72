"""Excel sheet names: the rules Excel sets (31 characters, no ``[]:*?/\\``, distinct regardless of case).

Kept apart from :mod:`factorysec.model.workbook` so that the report's workbook writer (XlsxWriter) names its
sheets without importing openpyxl, which the model workbook reads and writes with.
"""

from __future__ import annotations

from collections.abc import Iterable

SHEET_NAME_LIMIT = 31
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
