"""The top risks of report.html and summary.pdf say, under the list, how they are ranked, and are in that order: the
Annex A plant ranks risk 3 (score 8) above risk 4 (score 9), both high, because risk 3 can interrupt the business."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from factorysec.analysis import Assessment
from factorysec.analysis.risk import LEVEL_RANK, Risk
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel
from factorysec.model.planfiles import ScoringConfig
from factorysec.report import pdf
from factorysec.report.glossary import labels
from factorysec.report.html import write_html_report
from factorysec.report.view import AssessmentView

Annex = Callable[[str], tuple[LoadedModel, Assessment]]


def _stated_order(risk: Risk, interruption_first: bool) -> tuple[int, bool, float]:
    """The order the line states: level, then (unless turned off) business interruption first, then score."""
    return -LEVEL_RANK[risk.level], interruption_first and not risk.interrupts_business, -risk.score


def _summary_page(loaded: LoadedModel, assessment: Assessment, catalog: Catalog, lang: str, out: Path) -> str:
    write_html_report(loaded, assessment, out, lang, catalog)
    return (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_summary_says_how_its_top_risks_are_ranked_and_lists_them_so(
    annex: Annex, catalog: Catalog, tmp_path: Path, lang: str
) -> None:
    loaded, assessment = annex("current")
    by_id = {risk.finding: risk for risk in assessment.risks}
    assert any(a.score < b.score for a, b in zip(assessment.risks, assessment.risks[1:]))  # the trial's case
    line = labels("html", lang)["risk_order"]
    page = _summary_page(loaded, assessment, catalog, lang, tmp_path)
    section = page[page.index('<h2 id="top-risks">') : page.index('<section id="step-3-status">')]
    listed = [by_id[finding] for finding in re.findall(r'data-top-risk="([^"]+)"', section)]
    assert listed and listed == sorted(listed, key=lambda risk: _stated_order(risk, True))
    assert f'<p class="meta risk-order">{line}</p>' in section
    assert section.index("risk-order") > section.index("</ol>")  # under the list
    printed = pdf.render_summary_html(pdf.build_summary(loaded.model, assessment, catalog, lang, date(2026, 12, 3)))
    table = printed[printed.index('<table id="top-risks">') :]
    ranks = [int(rank) for rank in re.findall(r"<tr><td>(\d+)</td><td><code>", table)]
    shown = [assessment.risks[rank - 1] for rank in ranks]
    assert shown and shown == sorted(shown, key=lambda risk: _stated_order(risk, True))
    assert table.index(f'<p class="more risk-order">{line}</p>') > table.index("</table>")


def test_without_the_interruption_tie_break_the_line_says_level_then_score(
    annex: Annex, catalog: Catalog, tmp_path: Path
) -> None:
    loaded, assessment = annex("current")
    plain = assessment.model_copy(update={"scoring": ScoringConfig(business_interruption_first=False)})
    line = labels("html", "en")["risk_order_score"]
    assert AssessmentView(plain, loaded.model, catalog, "en").risk_order == line
    assert f'<p class="meta risk-order">{line}</p>' in _summary_page(loaded, plain, catalog, "en", tmp_path)
    printed = pdf.render_summary_html(pdf.build_summary(loaded.model, plain, catalog, "en", date(2026, 12, 3)))
    assert f'<p class="more risk-order">{line}</p>' in printed
