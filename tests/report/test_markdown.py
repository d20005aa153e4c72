"""report.md: steps addressed to Table 1-1 departments with Annex B references, user text escaped so tables hold."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.report.markdown import escape_markdown, render_markdown
from tests.conftest import FIXTURES

SMALL = FIXTURES / "report" / "small-factory.yaml"


@pytest.fixture(scope="module")
def report_en(catalog: Catalog) -> str:
    model = load_model(SMALL)
    return render_markdown(analyze(model, catalog), model, catalog, "en")


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.M)
    return {part.splitlines()[0]: part for part in parts[1:]}


def test_each_step_addresses_its_table_1_1_departments_and_annex_b_references(report_en: str, catalog: Catalog) -> None:
    sections = _sections(report_en)
    for step_id in ("step-1", "step-2", "step-3"):
        step = catalog.steps[step_id]
        body = sections[f"{step.section} {step.title.en}"]
        for audience in step.audiences:
            assert escape_markdown(catalog.audience_groups[audience].title.en) in body
        for reference in step.references:
            assert f"<{reference.url}>" in body
    assert "Executive summary" in sections
    assert "3 findings (0 zoning, 3 threats, 0 hygiene, 0 other)" in sections["Executive summary"]


def test_user_text_cannot_break_tables(report_en: str) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(report_en)
    cells: list[list[str]] = []
    widths: list[int] = []
    row: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            row = []
        elif token.type in ("td_open", "th_open"):
            row.append(tokens[i + 1].content)
        elif token.type == "tr_close":
            cells.append(row)
        elif token.type == "thead_close":
            widths.append(len(row))
    operations = next(r for r in cells if r and r[0] == "machining")
    assert operations[1] == "Machining \\[line A\\]"
    assert len(operations) == 4
    assert "Stops | delay<br>shipments" in operations[3]
    assert all(len(r) in {3, 4, 5, 6} for r in cells)
    assert report_en.splitlines()[0] == "# Security assessment: Small \\| works \\*plant\\* (small)"


def test_findings_and_plan_list_every_finding(report_en: str) -> None:
    for finding_id in ("THREAT-CONTROL-FROM-OUTSIDE@office-to-floor", "THREAT-BUILT-IN-COMPUTER@floor"):
        assert escape_markdown(finding_id) in _sections(report_en)["3.2 Plan security measures"]


def test_japanese_report(catalog: Catalog) -> None:
    model = load_model(SMALL)
    text = render_markdown(analyze(model, catalog), model, catalog, "ja")
    assert "## エグゼクティブサマリー" in text
    assert f"## 3.1 {catalog.steps['step-1'].title.ja}" in text
    assert catalog.audience_groups["vendors"].title.ja in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [("a|b", "a\\|b"), ("*x*", "\\*x\\*"), ("line1\nline2", "line1<br>line2"), ("<script>", "\\<script\\>"), (None, "")],
)
def test_escape_markdown(raw: str | None, escaped: str) -> None:
    assert escape_markdown(raw) == escaped
