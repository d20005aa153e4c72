"""'factorysec catalog [SECTION]': every catalog id with label and citation; the sections check's hints name exist; --version."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from factorysec import __version__
from factorysec.catalog import Catalog
from factorysec.catalog.vocabulary import reference
from factorysec.cli import app
from factorysec.explain import catalog_rows, explain_any, find_section, section_name
from factorysec.model.entities import AssetType, Trait
from factorysec.model.references import CATALOG_REFERENCES, SINGLE_CATALOG_REFERENCES

runner = CliRunner()


def test_every_catalog_section_is_listed_whole_with_label_and_citation(catalog: Catalog) -> None:
    document = json.loads(runner.invoke(app, ["catalog", "--format", "json"]).stdout)
    for attribute in Catalog.section_names():
        listed = document[section_name(attribute)]
        assert [row["id"] for row in listed] == list(getattr(catalog, attribute)), attribute
        assert all(row["label"] and row["citation"] for row in listed), attribute
    assert {row["id"] for row in document["traits"]} == {t.value for t in Trait}
    assert {row["id"] for row in document["object-types"]} == {t.value for t in AssetType}


def test_text_output_of_one_section_in_japanese(catalog: Catalog) -> None:
    result = runner.invoke(app, ["catalog", "measures", "--lang", "ja"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"measures ({len(catalog.measures)})"
    first = next(iter(catalog.measures.values()))
    assert lines[1].split()[0] == first.id
    assert first.title.ja in lines[1] and f"[{reference(first.ref, 'ja')}]" in lines[1]


@pytest.mark.parametrize("name", ["checklist_items", "checklist-items", "checklists", "asset-types", "Traits"])
def test_sections_are_found_by_their_other_spellings(name: str) -> None:
    result = runner.invoke(app, ["catalog", name, "--format", "json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 1


def test_every_section_a_check_hint_names_exists(catalog: Catalog) -> None:
    for _, _, attribute in (*CATALOG_REFERENCES, *SINGLE_CATALOG_REFERENCES):
        assert find_section(attribute, catalog) is not None, attribute


@pytest.mark.parametrize("args", [["nonsense"], ["measures", "--lang", "fr"], ["measures", "--format", "xml"]])
def test_bad_arguments_get_one_line_and_exit_2(args: list[str]) -> None:
    result = runner.invoke(app, ["catalog", *args])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    if args == ["nonsense"]:
        assert "unknown catalog section 'nonsense'; sections: steps, purposes" in result.stderr


def test_every_listed_id_is_one_explain_accepts(catalog: Catalog) -> None:
    for section, rows in catalog_rows(catalog).items():
        for row in rows:
            assert explain_any(row.id, catalog) is not None, (section, row.id)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"factorysec {__version__}\n"


def test_citations_in_japanese_read_as_the_reports_read_them(catalog: Catalog) -> None:
    """Under --lang ja a citation is 別冊 3.1.2, 表3-2 in the text and the JSON (both printed 'Appendix 3.1.2, Table 3-2')."""
    text = runner.invoke(app, ["catalog", "--lang", "ja"]).stdout
    document = json.loads(runner.invoke(app, ["catalog", "--lang", "ja", "--format", "json"]).stdout)
    citations = [row["citation"] for rows in document.values() for row in rows]
    for output in (text, "\n".join(citations)):
        assert not re.search(r"\b(Appendix|Annex|Tables?|Figure|Steps?|main Guidelines)\b", output)
    assert "[別冊 3.1.2, 表3-2]" in text
