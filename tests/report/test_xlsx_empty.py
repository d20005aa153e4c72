"""A sheet of report.xlsx with nothing to list says so, and why, in one row in the workbook's language: before, the
'3 Responsibilities' sheet of a plant with no external service or outsourced operation printed its headers alone."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import FactoryModel, load_model
from factorysec.report.glossary import labels
from factorysec.report.xlsx import EMPTY_ROWS, write_report_xlsx
from tests.conftest import FIXTURES

BARE = FactoryModel.model_validate(
    {"factory": {"id": "bare", "name": "Bare"}, "zones": [{"id": "z", "name": "Z", "kind": "office"}]}
)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_sheet_of_a_bare_model_has_a_row_saying_why_it_is_empty(
    catalog: Catalog, tmp_path: Path, lang: str
) -> None:
    path = tmp_path / "report.xlsx"
    assessment = analyze(BARE, catalog)
    assert not assessment.lifecycle.responsibilities and not BARE.assets
    write_report_xlsx(assessment, BARE, catalog, path, lang)
    book = openpyxl.load_workbook(path, read_only=True)
    words = labels("xlsx", lang)
    reasons = {words[title]: words[reason] for title, reason in EMPTY_ROWS.items()}
    placeholders = set(reasons.values()) | {words["empty"]}
    said: dict[str, str] = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) >= 2, sheet.title  # the header and at least one row
        if rows[1][0] in placeholders:
            assert len(rows) == 2 and all(value is None for value in rows[1][1:]), sheet.title
            said[sheet.title] = str(rows[1][0])
    assert said[words["responsibilities"]] == words["empty_responsibilities"]
    assert said[words["assets"]] == words["empty_assets"]
    assert said[words["conduits"]] == words["empty_conduits"]
    assert words["zones"] not in said  # the one zone is listed
    assert set(said.values()) <= placeholders
    if lang == "ja":
        assert all(not text.isascii() for text in said.values())


def test_a_sheet_with_rows_has_no_such_row(catalog: Catalog, tmp_path: Path) -> None:
    model = load_model(FIXTURES / "report" / "small-factory.yaml")
    path = tmp_path / "report.xlsx"
    write_report_xlsx(analyze(model, catalog), model, catalog, path, "en")
    words = labels("xlsx", "en")
    placeholders = {words[reason] for reason in EMPTY_ROWS.values()} | {words["empty"]}
    zones = list(openpyxl.load_workbook(path, read_only=True)[words["zones"]].iter_rows(values_only=True))
    assert [row[0] for row in zones[1:]] == [zone.id for zone in model.zones]
    assert not any(row[0] in placeholders for row in zones)
