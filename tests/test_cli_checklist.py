"""The 'factorysec checklist' command, and Step 3 in 'factorysec analyze'."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from factorysec.cli import app

ROOT = Path(__file__).resolve().parents[1]
FACTORY = ROOT / "tests" / "fixtures" / "lifecycle" / "factory.yaml"
CASE_2 = ROOT / "examples" / "annex-a" / "case-2-after-review.yaml"
runner = CliRunner()


def test_checklist_text_lists_items_answers_and_ranked_open_items() -> None:
    result = runner.invoke(app, ["checklist", str(FACTORY)])
    assert result.exit_code == 0, result.output
    assert "cloud.procurement.provider-reliability" in result.output
    assert "ISMS certificate" in result.output
    assert "Open items, most important assets first" in result.output


def test_checklist_json_ranks_the_cloud_service_first() -> None:
    result = runner.invoke(app, ["checklist", str(FACTORY), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {c["kind"] for c in payload["checklists"]} == {"cloud-service", "general-purpose-product", "software"}
    assert payload["open_items"][0]["asset"] == "analytics-cloud"
    assert payload["open_items"][0]["rank"] == 1


def test_checklist_only_open_drops_answered_items() -> None:
    result = runner.invoke(app, ["checklist", str(FACTORY), "--format", "json", "--only-open"])
    payload = json.loads(result.output)
    items = [e for c in payload["checklists"] for e in c["entries"]]
    assert items and all(e["open"] for e in items)
    assert "cloud.procurement.provider-reliability" not in {e["item"] for e in items}


def test_checklist_in_japanese() -> None:
    result = runner.invoke(app, ["checklist", str(CASE_2), "--lang", "ja", "--only-open"])
    assert result.exit_code == 0, result.output
    assert "クラウド事業者は信頼できるか" in result.output
    assert "未回答" in result.output


def test_checklist_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "factory: {id: x, name: X}\nchecklist_answers:\n  - {subject: x, item: cloud.contract.service-levels, answer: maybe}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["checklist", str(broken)])
    assert result.exit_code == 2
    assert "broken.yaml:3" in result.output and "answer" in result.output
    assert "Traceback" not in result.output
    assert runner.invoke(app, ["checklist", str(FACTORY), "--format", "xml"]).exit_code == 2


def test_analyze_json_carries_the_lifecycle_report() -> None:
    result = runner.invoke(app, ["analyze", str(CASE_2), "--format", "json"])
    assert result.exit_code == 0, result.output
    lifecycle = json.loads(result.output)["lifecycle"]
    assert {"checklists", "responsibilities", "ooda", "maturity", "pdca", "findings"} <= set(lifecycle)
    listed = "S3-RESP-GAP@remote-maintenance-service" in {f["id"] for f in lifecycle["findings"]}
    folded = [  # one missing responsibility counted once: folded into the Step 1 threat on the same party (#23 item 6)
        f
        for f in json.loads(result.output)["findings"]
        if f["rule"] == "THREAT-INCIDENT-COORDINATION"
        and "S3-RESP-GAP@remote-maintenance-service" in f["rationale"]["en"]
    ]
    assert listed != bool(folded)


def test_analyze_text_has_a_step_3_section_in_both_languages() -> None:
    english = runner.invoke(app, ["analyze", str(FACTORY)])
    assert "Step 3: lifecycle and supply chain" in english.output and "S3-PDCA-STALE" in english.output
    japanese = runner.invoke(app, ["analyze", str(FACTORY), "--lang", "ja"])
    assert "ステップ3" in japanese.output and "責任分界" in japanese.output


def test_explain_knows_the_step_3_rules() -> None:
    result = runner.invoke(app, ["explain", "s3-pdca-stale"])
    assert result.exit_code == 0, result.output
    assert "Appendix 3.3" in result.output
