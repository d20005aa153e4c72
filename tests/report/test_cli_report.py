"""The temporary 'factorysec report' command: writes the HTML report and diagram, fails cleanly on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "annex-a"
runner = CliRunner()


def test_report_writes_html_and_svg(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(EXAMPLES / "current"), "--out", str(tmp_path), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in page
    assert (tmp_path / "zones.svg").read_text(encoding="utf-8").rstrip().endswith("</svg>")


def test_invalid_model_exits_2(tmp_path: Path) -> None:
    model = tmp_path / "bad.yaml"
    model.write_text("factory: {id: f, name: F}\nzones:\n  - {id: z, name: Z, kind: nowhere}\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(model), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "bad.yaml:3" in result.output
    assert not (tmp_path / "out" / "report.html").exists()


def test_missing_graphviz_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = runner.invoke(app, ["report", str(EXAMPLES / "current"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "install graphviz" in result.output


def test_unknown_language_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(EXAMPLES / "current"), "--out", str(tmp_path), "--lang", "fr"])
    assert result.exit_code == 2


def test_report_uses_the_scoring_config_as_analyze_does(tmp_path: Path) -> None:
    """--scoring changes the ranking in every output of the report just as in 'analyze'."""
    scoring = tmp_path / "scoring.yaml"
    scoring.write_text(
        "scoring:\n  weights: {safety: 3.0, business_continuity: 0.1}\n  levels: {critical: 14, high: 10, medium: 5}\n",
        encoding="utf-8",
    )
    model = str(EXAMPLES / "case-2-first-added.yaml")
    scored = runner.invoke(app, ["analyze", model, "--format", "json", "--scoring", str(scoring)])
    default = runner.invoke(app, ["analyze", model, "--format", "json"])
    assert scored.exit_code == 0 and default.exit_code == 0
    assert scored.output != default.output
    result = runner.invoke(app, ["report", model, "--out", str(tmp_path / "out"), "--scoring", str(scoring)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "assessment.json").read_text(encoding="utf-8") == scored.output


def test_report_refuses_a_missing_decisions_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "report",
            str(EXAMPLES / "current"),
            "--out",
            str(tmp_path / "out"),
            "--decisions",
            str(tmp_path / "none.yaml"),
        ],
    )
    assert result.exit_code == 2 and "--decisions" in result.output
    assert not (tmp_path / "out").exists()
