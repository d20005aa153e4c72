"""Step 3 terminal rendering: it shows what the report holds, in the language asked for."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rich.console import Console

from factorysec.analysis import analyze
from factorysec.catalog import load_catalog
from factorysec.model import load_model
from factorysec.report.lifecycle_terminal import render_checklists, render_lifecycle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lifecycle"
Report = TypeVar("Report")


def _render(render: Callable[[Report, Console, str], None], report: Report, lang: str) -> str:
    buffer = io.StringIO()
    render(report, Console(file=buffer, width=200, no_color=True), lang)
    return buffer.getvalue()


def test_lifecycle_section_shows_matrix_roles_maturity_and_pdca() -> None:
    report = analyze(load_model(FIXTURES / "factory.yaml"), load_catalog(), dt.date(2026, 11, 21)).lifecycle
    text = _render(render_lifecycle, report, "en")
    assert "— nobody —" in text and "cloud-co (inferred)" in text
    assert "sec, plant-mgmt" in text and "proposed" in text
    assert "unassessed" in text
    assert "355 days ago" in text and "model changed since" in text
    assert "S3-OODA-NO-DECIDER" in text


def test_checklists_render_in_japanese_with_open_marks() -> None:
    report = analyze(load_model(FIXTURES / "factory.yaml"), load_catalog(), dt.date(2026, 11, 21)).lifecycle.checklists
    text = _render(render_checklists, report, "ja")
    assert "クラウド事業者は信頼できるか" in text
    assert "[最重要]" in text and "✗" in text and "✓" in text
    assert "[critical]" not in text and "別冊 3.3 (2), 表3-10" in text
