"""The review page in a real headless Chromium (same flags as the report's browser tests): it loads silently, both diagrams are in the DOM."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factorysec.analysis.review import review_versions
from factorysec.catalog import Catalog
from factorysec.model import load_model_with_sources
from factorysec.report.review_html import write_review_html
from tests.conftest import EXAMPLES
from tests.report.test_html_browser import console_messages, png_facts, run_chromium


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_review_page_loads_with_both_diagrams_and_no_console_errors(
    tmp_path: Path, catalog: Catalog, lang: str
) -> None:
    reviewed = review_versions(
        load_model_with_sources(EXAMPLES / "current"),
        load_model_with_sources(EXAMPLES / "case-1-first-added.yaml"),
        catalog,
    )
    page = write_review_html(reviewed, tmp_path / f"review-{lang}.html", lang)
    result = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    dom = result.stdout
    assert 'data-report-ready="true"' in dom, "the page's script did not run"
    assert f'<html lang="{lang}"' in dom
    assert re.search(r'<figure id="diagram-before">.*?<svg[^>]*>.*?id="before-dz-production"', dom, re.DOTALL)
    assert re.search(r'<figure id="diagram-after">.*?<svg[^>]*>.*?id="after-dz-parts-zone"', dom, re.DOTALL)
    assert len(re.findall(r"<svg[ >]", dom)) == 2
    for section in ("diagrams", "elements", "flows", "zoning", "requirements", "threats", "stakeholders", "bcp"):
        assert f'<section id="{section}">' in dom


def test_review_page_screenshot_is_not_blank(tmp_path: Path, catalog: Catalog) -> None:
    loaded = load_model_with_sources(EXAMPLES / "case-2-first-added.yaml")
    assert loaded.base is not None
    page = write_review_html(review_versions(loaded.base, loaded, catalog), tmp_path / "review.html", "en")
    shot = tmp_path / "review.png"
    result = run_chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,1600")
    assert shot.exists(), result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    width, height, distinct = png_facts(shot)
    assert (width, height) == (1280, 1600)
    assert distinct > 100, "the screenshot is (almost) blank"
