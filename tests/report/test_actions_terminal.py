"""The action list in the terminal, and printed first by `analyze`."""

from __future__ import annotations

import io

from rich.console import Console
from typer.testing import CliRunner

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import load_model
from factorysec.report.actions_terminal import render_actions
from tests.conftest import ROOT

AUTOMOTIVE = ROOT / "examples" / "automotive-parts"


def _printed(catalog: Catalog, lang: str) -> str:
    buffer = io.StringIO()
    render_actions(analyze(load_model(AUTOMOTIVE), catalog), Console(file=buffer, width=200, color_system=None), lang)
    return buffer.getvalue()


def test_each_action_is_printed_with_owners_and_what_it_lowers(catalog: Catalog) -> None:
    assessment = analyze(load_model(AUTOMOTIVE), catalog)
    printed = _printed(catalog, "en")
    assert f"Actions first ({len(assessment.actions)})" in printed
    for action in assessment.actions:
        assert f"{action.rank}. {action.title.en}" in printed
    first = assessment.actions[0]
    assert ", ".join(first.departments) in printed
    assert f"{first.removes[0].finding} {first.removes[0].before}→{first.removes[0].after}" in printed
    assert "まず取り組むこと" in _printed(catalog, "ja")


def test_analyze_prints_the_actions_before_anything_else() -> None:
    result = CliRunner().invoke(app, ["analyze", str(AUTOMOTIVE), "--limit", "0"])
    assert result.exit_code == 0, result.output
    assert result.output.lstrip().startswith("Actions first")
    assert result.output.index("Actions first") < result.output.index("digest")
