"""The comparison's text and HTML as a reader sees them: its counts, their plurals and their thousands separators."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from rich.console import Console

from factorysec.analysis import Assessment, analyze
from factorysec.analysis.compare import Comparison, compare_assessments
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel
from factorysec.report.compare_html import render_comparison_html
from factorysec.report.compare_terminal import render_comparison

Annex = Callable[[str], tuple[LoadedModel, Assessment]]


@pytest.fixture(scope="module")
def grown(annex: Annex, catalog: Catalog) -> Comparison:
    """The Annex A example against a copy with every protected object a hundred times: 143 → 14,300 checklist items,
    1,089 new findings."""
    loaded, before = annex("current")
    model = loaded.model
    copies = [asset.model_copy(update={"id": f"{asset.id}-{n}"}) for n in range(99) for asset in model.assets]
    after = analyze(model.model_copy(update={"assets": [*model.assets, *copies]}), catalog)
    return compare_assessments(before, after, catalog.maturity_levels)


def _text(comparison: Comparison, lang: str) -> str:
    out = io.StringIO()
    render_comparison(comparison, Console(file=out, width=200), lang, limit=3)
    return out.getvalue()


def test_the_summary_line_says_one_risk_without_a_plural_and_which_findings_it_counts(
    annex: Annex, catalog: Catalog
) -> None:
    """'1 risks up' before, and 'findings 35 → 48' beside a report whose summary says 17 findings: the count holds the
    Step 3 gaps too, and says so."""
    before, after = annex("current")[1], annex("case-2-after-review.yaml")[1]
    comparison = compare_assessments(before, after, catalog.maturity_levels)
    assert len(comparison.risks_up) == 1
    text = _text(comparison, "en")
    counts = [len(a.findings) + len(a.lifecycle.findings) for a in (before, after)]
    assert len(before.findings) < counts[0]
    assert (
        f"0 resolved, 13 new, 1 changed; risks 1 up, 0 down; findings, Step 3 gaps included, {counts[0]} → {counts[1]}"
        in text
    )
    assert f"指摘（ステップ3の課題を含む）{counts[0]} → {counts[1]}" in _text(comparison, "ja")


def test_counts_take_thousands_separators(grown: Comparison) -> None:
    """'0/143 → 0/14300 (0)' and '... and 1086 more' before."""
    assert len(grown.new) > 1_003
    text = _text(grown, "en")
    assert "Checklist items answered (Tables 3-10 to 3-12): 0/143 → 0/14,300 (0)" in text
    assert f"... and {len(grown.new) - 3:,} more (JSON and HTML hold every item)" in text
    assert f"... ほか {len(grown.new) - 3:,} 件" in _text(grown, "ja")
    page = render_comparison_html(grown, "en")
    assert "0 / 14,300" in page and "0 / 14300" not in page


def test_japanese_labels_write_table_numbers_as_the_references_do(grown: Comparison) -> None:
    """表3-8 as in 別冊 3.2.2 表3-6 beside it; '（表 3-8）' and 'ステップ 3 の進み具合' before."""
    for output in (_text(grown, "ja"), render_comparison_html(grown, "ja")):
        assert "（表3-10〜3-12）" in output and "ステップ3の進み具合" in output
        assert not re.findall(r"(?:表|図|ステップ) \d", output)
