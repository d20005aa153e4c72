"""Terminal and JSON rendering of the smartification review."""

from __future__ import annotations

import io
import json

from rich.console import Console

from factorysec.analysis.review import ChangeReview, review
from factorysec.catalog import Catalog
from factorysec.model import load_model_with_sources
from factorysec.report.glossary import labels
from factorysec.report.review_terminal import render_review, review_json
from tests.conftest import EXAMPLES


def _case_two(catalog: Catalog) -> ChangeReview:
    loaded = load_model_with_sources(EXAMPLES / "case-2-first-added.yaml")
    assert loaded.base is not None
    return review(loaded.base, loaded, catalog)


def _render(result: ChangeReview, lang: str) -> str:
    buffer = io.StringIO()
    render_review(result, Console(file=buffer, width=200, no_color=True), lang)
    return buffer.getvalue()


def test_sections_follow_the_procedure_in_both_languages(catalog: Catalog) -> None:
    result = _case_two(catalog)
    for lang in ("en", "ja"):
        output = _render(result, lang)
        positions = [
            output.index(labels("review", lang)[key])
            for key in ("elements", "flows", "zoning", "requirements", "threats", "stakeholders", "bcp")
        ]
        assert positions == sorted(positions)
        assert "ZONE-MIXED-MANAGEMENT@warehouse-zone" in output
        assert ("Table 3-10" if lang == "en" else "表3-10") in output  # references read in the output's language
    assert "BCP に反映済み" in _render(result, "ja")
    assert "already covered by the BCP" in _render(result, "en")


def test_no_change_is_said(catalog: Catalog) -> None:
    loaded = load_model_with_sources(EXAMPLES / "current")
    assert "No change" in _render(review(loaded, loaded, catalog), "en")
    assert "変更なし" in _render(review(loaded, loaded, catalog), "ja")


def test_json_round_trips_to_the_model(catalog: Catalog) -> None:
    result = _case_two(catalog)
    payload = review_json(result)
    assert ChangeReview.model_validate(json.loads(payload)) == result
