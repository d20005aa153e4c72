"""Every id the tool prints can be explained, with a guideline reference."""

from __future__ import annotations

import re
from datetime import date

import pytest
from typer.testing import CliRunner

from factorysec.analysis import analyze
from factorysec.catalog import load_catalog
from factorysec.cli import app
from factorysec.discovery.drift import RULES as DRIFT_RULES
from factorysec.explain import EXPLANATIONS, explain_id
from factorysec.model import load_model
from tests.conftest import EXAMPLES

STATES = [
    "current",
    "case-1-first-added.yaml",
    "case-2-first-added.yaml",
    "case-2-after-review.yaml",
    "all-cases-reviewed.yaml",
]


@pytest.mark.parametrize("state", STATES)
def test_every_id_an_analysis_prints_is_explained(state: str) -> None:
    assessment = analyze(load_model(EXAMPLES / state), load_catalog(), today=date(2026, 11, 21))
    printed = {f.rule for f in assessment.findings} | {f.rule for f in assessment.lifecycle.findings}
    printed |= (
        {r.rule for r in assessment.risks} | {g.rule for g in assessment.gaps} | {p.rule for p in assessment.policies}
    )
    printed |= {e.rule for e in assessment.entry_points} | {p.rule for p in assessment.paths}
    printed |= {r.id for r in assessment.requirements}
    for printed_id in printed:
        item = explain_id(printed_id)
        assert item is not None, printed_id
        assert item.reference and item.title.en and item.title.ja and item.summary.ja


def test_every_discovery_check_is_explained() -> None:
    for rule_id, _ in DRIFT_RULES:
        assert rule_id in EXPLANATIONS and "3.1." in EXPLANATIONS[rule_id].reference


def test_explain_accepts_a_full_finding_id_and_suggests_close_ids() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["explain", "THREAT-WIRELESS@transport-zone", "--lang", "ja"])
    assert result.exit_code == 0 and "表3-5" in result.output and "無線" in result.output
    wrong = runner.invoke(app, ["explain", "RSK"])
    assert wrong.exit_code == 2 and "did you mean RISK?" in wrong.output


def _category_and_reference(printed_id: str) -> tuple[str, str]:
    result = CliRunner().invoke(app, ["explain", printed_id, "--lang", "ja"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    return lines[1].split(":", 1)[1].strip(), lines[2].split(":", 1)[1].strip()


def test_explain_in_japanese_names_every_category_and_reference_in_japanese() -> None:
    """Every rule's category and reference read in Japanese ('分類: within-zone' and 'catalog measures' did not)."""
    from factorysec.rules_registry import rule_ids

    english = re.compile(r"(?<![A-Za-z])(?=[A-Za-z]*[a-z])[A-Za-z]{2,}(?![A-Za-z])")
    left = {}
    for printed_id in [*rule_ids(), "net-zone-boundary-filtering", "remote-access"]:
        category, reference = _category_and_reference(printed_id)
        words = [
            w for w in english.findall(category + " " + reference) if w not in {"ii", "iii", "iv", "IoT", "Observe"}
        ]
        if words and not category.startswith("カタログ（"):
            left[printed_id] = (category, reference)
    assert not left, left
    assert _category_and_reference("net-zone-boundary-filtering")[0] == "カタログ（measures）"
    assert _category_and_reference("REQ-stoppage")[0] == "ゾーン内"
