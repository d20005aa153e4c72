"""Every id the tool prints can be explained, with a guideline reference."""

from __future__ import annotations

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
