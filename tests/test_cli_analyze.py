"""The analyze and explain commands as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from tests.conftest import EXAMPLES, FIXTURES

runner = CliRunner()


def test_analyze_prints_findings_with_rule_ids_and_references() -> None:
    result = runner.invoke(app, ["analyze", str(EXAMPLES / "case-1-first-added.yaml")])
    assert result.exit_code == 0, result.output
    assert "ZONE-MIXED-CONTROL" in result.output
    assert "Annex A case (i)" in result.output


@pytest.mark.parametrize("to_file", [False, True])
def test_piped_text_keeps_each_line_whole(tmp_path: Path, to_file: bool) -> None:
    """Piped or redirected (as here: no terminal), a line was broken at a guessed 80 columns, and in an --out file at
    120, with a space left at each break; grep and diff read it whole now."""
    out = tmp_path / "analysis.txt"
    result = runner.invoke(app, ["analyze", str(EXAMPLES / "current"), *(["--out", str(out)] if to_file else [])])
    assert result.exit_code == 0, result.output
    lines = (out.read_text(encoding="utf-8") if to_file else result.output).splitlines()
    assert [line for line in lines if line.endswith(" ")] == []
    assert any(
        "Filter traffic at boundaries between zones with different requirements (net-zone-boundary-filtering;" in line
        and line.endswith("answers up to high)")
        for line in lines
    ), lines[:4]


def test_analyze_in_japanese() -> None:
    result = runner.invoke(app, ["analyze", str(EXAMPLES / "case-2-first-added.yaml"), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    assert "ゾーニングの見直し" in result.output and "ZONE-MIXED-MANAGEMENT" in result.output


def test_analyze_json_is_the_full_assessment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "a.json"
    result = runner.invoke(app, ["analyze", str(EXAMPLES / "current"), "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["factory_id"] == "annex-a-factory"
    assert any(f["id"] == "ZONE-DIVISIBLE-BY-OPERATION@production" for f in data["findings"])
    assert data["importance"]["zones"]["production"]["overall"]["level"] == "high"


def test_analyze_invalid_model_exits_2_with_located_problem(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("factory: {id: f, name: F}\nzones:\n  - {id: z, name: Z, kind: offce}\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml:3:" in result.output and "did you mean 'office'?" in result.output


def test_analyze_rejects_unknown_language_and_format() -> None:
    model = str(FIXTURES / "rules" / "base.yaml")
    assert runner.invoke(app, ["analyze", model, "--lang", "fr"]).exit_code == 2
    assert runner.invoke(app, ["analyze", model, "--format", "pdf"]).exit_code == 2


def test_explain_prints_metadata_and_suggests_close_ids() -> None:
    result = runner.invoke(app, ["explain", "ZONE-MIXED-CONTROL"])
    assert result.exit_code == 0
    assert "Annex A case (i)" in result.output and "net-unidirectional-control-instructions" in result.output
    wrong = runner.invoke(app, ["explain", "ZONE-MIXED-CONTRL"])
    assert wrong.exit_code == 2 and "did you mean ZONE-MIXED-CONTROL" in wrong.output


def test_summary_line_counts_every_step() -> None:
    result = runner.invoke(app, ["analyze", str(EXAMPLES / "case-2-after-review.yaml")])
    assert result.exit_code == 0, result.output
    summary = " ".join(result.output.split())
    # 12 Step 1-1 and PDCA: issue #17 rules (BCP viewpoints and age, PDCA structure, parties) and SUPPLY-SBOM-VULNERABILITY (issue #23),
    # the per-party incident-impact findings merged into one (#23 item 6);
    # 15 threats: issue #23's guideline points (automatic control instructions, different requirements, data utilisation, physical measures);
    # the warehouse's remote maintenance session is no data gathering (DATA-UTILISATION reads a two-way conduit's data)
    # 20 Step 3 gaps: general-purpose product checklists (Table 3-11) even where no supplier is named, the per-party
    # vendor-channel and per-part PDCA gaps merged, responsibility gaps the Step 1 threat names folded into it (#23 item 6),
    # and S3-OODA-PROPOSED for both stages (the model records no OODA role: every phase is a Table 3-7/3-8 proposal);
    # 13 risks open at high or above: attack paths cross two-way conduits both ways (#23 item 1)
    assert "28 findings (1 zoning, 15 threats, 0 hygiene, 12 Step 1-1 and PDCA)" in summary
    assert "15 risks (13 open at high or above)" in summary and "20 Step 3 gaps" in summary
