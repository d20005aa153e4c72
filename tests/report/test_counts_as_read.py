"""Counts as a reader reads them in the HTML pages and report.md: thousands separators, and no '1 findings'."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel
from factorysec.model.sources import SourceMap
from factorysec.report.html import REPORT_FILE, write_html_report
from factorysec.report.markdown import render_markdown

Annex = Callable[[str], tuple[LoadedModel, Assessment]]

LONG_NUMBER = re.compile(r"(?<![\d,.:/#\w-])\d{4,}(?![\d,.:/-])")
"""A number of four digits or more written without separators (not part of an id, a version, a date or a path)."""


def _visible(page: str) -> str:
    """The text a reader sees on a page: no markup, scripts, styles, drawings or attribute values."""
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def grown(annex: Annex, catalog: Catalog) -> tuple[LoadedModel, Assessment]:
    """The Annex A example with every protected object a hundred times: 2,400 protected objects, 14,300 open
    checklist items, 1,107 Step 3 gaps."""
    model = annex("current")[0].model
    copies = [asset.model_copy(update={"id": f"{asset.id}-{n}"}) for n in range(99) for asset in model.assets]
    larger = model.model_copy(update={"assets": [*model.assets, *copies]})
    return LoadedModel(larger, SourceMap({}, {}, {})), analyze(larger, catalog)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_html_pages_write_large_counts_with_thousands_separators(
    grown: tuple[LoadedModel, Assessment], catalog: Catalog, tmp_path: Path, lang: str
) -> None:
    """The summary's card read '2400 protected objects', its Step 3 line 'Step 3 gaps: 1107 · 14300 open items', the
    action list '... and 14297 more', the Step 3 page '14100 more: report.xlsx ...'."""
    loaded, assessment = grown
    assert len(assessment.lifecycle.checklists.open_items) == 14_300
    written = write_html_report(loaded, assessment, tmp_path, lang, catalog)
    pages = {
        p.relative_to(tmp_path).as_posix(): _visible(p.read_text(encoding="utf-8"))
        for p in written
        if p.suffix == ".html"
    }
    summary = pages[REPORT_FILE]
    assert "2,400" in summary and "14,300" in summary and "1,107" in summary
    # the action list's summaries are the analysis's sentences ('チェック項目 14300 件を解消し', left to it)
    actions = [action.summary.get(lang) for action in assessment.actions]
    long_numbers = {
        name: LONG_NUMBER.findall(re.sub("|".join(map(re.escape, actions)), " ", text))
        for name, text in pages.items()
        if name.count("/") == 0
    }
    assert long_numbers == {name: [] for name in long_numbers}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_md_writes_large_counts_with_thousands_separators(
    grown: tuple[LoadedModel, Assessment], catalog: Catalog, lang: str
) -> None:
    loaded, assessment = grown
    text = render_markdown(assessment, loaded.model, catalog, lang)
    assert (
        "2,200 more in report.xlsx" if lang == "en" else "ほか 2,200 件は report.xlsx"
    ) in text  # the assets past 200
    assert ("open on 1,100 protected object(s)" if lang == "en" else "保護対象 1,100 件で未完了") in text
    actions = [action.summary.get(lang) for action in assessment.actions]  # the analysis's sentences, as above
    assert LONG_NUMBER.findall(re.sub("|".join(map(re.escape, actions)), " ", text)) == []


def test_the_summary_says_one_finding_and_one_route_without_a_plural(
    annex: Annex, catalog: Catalog, tmp_path: Path
) -> None:
    """'Automated warehouse zone medium 1 findings' and '2 entry points open 1 routes into the factory' before."""
    loaded, assessment = annex("current")
    page = (write_html_report(loaded, assessment, tmp_path, "en", catalog)[0]).read_text(encoding="utf-8")
    assert page.endswith("</html>\n") or "</html>" in page
    text = " ".join(_visible(page).split())
    assert "findings: 1" in text and "1 findings" not in text
    assert "opening routes into the factory: 1" in text and "1 routes" not in text
    japanese = " ".join(
        _visible(
            write_html_report(loaded, assessment, tmp_path / "ja", "ja", catalog)[0].read_text(encoding="utf-8")
        ).split()
    )
    assert "指摘 1 件" in japanese and "1 指摘" not in japanese
