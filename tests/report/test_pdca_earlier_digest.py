"""A review naming the digest an earlier factorysec printed for the same model counts, and every report says so."""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import pytest
from rich.console import Console

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel, load_model_with_sources, model_digest
from factorysec.report.html import write_html_report
from factorysec.report.lifecycle_terminal import render_lifecycle
from factorysec.report.markdown import render_markdown

ANNEX_A = Path(__file__).resolve().parents[2] / "examples" / "annex-a"
EARLIER = "add717a02ad8d883"
"""What 'factorysec check examples/annex-a/all-cases-reviewed.yaml' printed before the digest left out defaults."""
NOTE = {
    "en": "change-review recorded this model's digest as earlier factorysec builds computed it",
    "ja": "見直し change-review が記録したダイジェストは、以前の factorysec がこのモデルについて計算したもの",
}


@pytest.fixture(scope="module")
def reviewed(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> tuple[LoadedModel, Assessment, str]:
    """The Annex A factory with all cases reviewed, its change review naming its earlier-scheme digest."""
    change = tmp_path_factory.mktemp("earlier") / "reviewed.yaml"
    change.write_text(
        f"change: {{base: {ANNEX_A / 'all-cases-reviewed.yaml'}}}\n"
        f"add:\n  reviews:\n    - {{id: change-review, date: 2026-11-20, trigger: smartification-change, model_digest: '{EARLIER}'}}\n",
        encoding="utf-8",
    )
    loaded = load_model_with_sources(change)
    assessment = analyze(loaded.model, catalog, dt.date(2026, 11, 21))
    assert assessment.lifecycle.pdca.earlier_scheme_reviews == ("change-review",)
    return loaded, assessment, model_digest(loaded.model)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_terminal_markdown_and_html_say_the_review_counts_and_ask_for_the_digest_now(
    reviewed: tuple[LoadedModel, Assessment, str], catalog: Catalog, tmp_path: Path, lang: str
) -> None:
    loaded, assessment, digest = reviewed
    buffer = io.StringIO()
    render_lifecycle(assessment.lifecycle, Console(file=buffer, width=400, no_color=True), lang)
    markdown = render_markdown(assessment, loaded.model, catalog, lang)
    written = write_html_report(loaded, assessment, tmp_path, lang, catalog)
    pages = {p.name: html.unescape(p.read_text(encoding="utf-8")) for p in written if p.suffix == ".html"}
    for name, text in (
        ("terminal", buffer.getvalue()),
        ("markdown", markdown),
        ("report.html", pages["report.html"]),
        ("step-3.html", pages["step-3.html"]),
    ):
        flat = " ".join(text.split())
        assert NOTE[lang] in flat, name
        assert digest in flat.split(NOTE[lang], 1)[1], name
    assert "S3-PDCA-CHANGE-UNREVIEWED" not in buffer.getvalue()


def test_no_note_when_the_review_names_the_digest_now(catalog: Catalog) -> None:
    loaded = load_model_with_sources(ANNEX_A / "current")
    assessment = analyze(loaded.model, catalog)
    buffer = io.StringIO()
    render_lifecycle(assessment.lifecycle, Console(file=buffer, width=400, no_color=True), "en")
    assert "earlier factorysec" not in buffer.getvalue()
    assert "earlier factorysec" not in render_markdown(assessment, loaded.model, catalog, "en")
