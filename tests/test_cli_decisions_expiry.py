"""A decision past its review_by date is listed as expired and no longer closes its finding for --fail-on."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from tests.plan_support import SMALL, threat_rule

runner = CliRunner()
RULES = (threat_rule("T-STOP", "abnormal-control-shutdown", [("asset", "robot")]),)  # high, residual medium


@pytest.fixture(autouse=True)
def stand_in_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("factorysec.analysis.RULES", RULES)


def _model_with_decision(tmp_path: Path, review_by: dt.date) -> Path:
    target = tmp_path / "factory.yaml"
    shutil.copyfile(SMALL, target)
    (tmp_path / "decisions.yaml").write_text(
        "decisions:\n"
        f"  - {{finding: T-STOP@robot, status: accepted, justification: air-gapped, owner: ot, review_by: {review_by.isoformat()}}}\n",
        encoding="utf-8",
    )
    return target


def test_an_accepted_decision_past_review_by_no_longer_suppresses_fail_on(tmp_path: Path) -> None:
    model = _model_with_decision(tmp_path, dt.date.today() - dt.timedelta(days=1))
    result = runner.invoke(app, ["analyze", str(model), "--fail-on", "medium"])
    assert result.exit_code == 1
    assert "T-STOP@robot" in result.stderr
    assert "DECISION-EXPIRED accepted" in result.stdout
    result = runner.invoke(app, ["analyze", str(model), "--format", "json"])
    decision = json.loads(result.stdout)["decisions"][0]
    assert (decision["rule"], decision["expired"], decision["finding"]) == ("DECISION-EXPIRED", True, "T-STOP@robot")


@pytest.mark.parametrize("days_left", [0, 30])
def test_a_decision_still_within_its_review_date_closes_the_finding(tmp_path: Path, days_left: int) -> None:
    model = _model_with_decision(tmp_path, dt.date.today() + dt.timedelta(days=days_left))
    result = runner.invoke(app, ["analyze", str(model), "--fail-on", "medium"])
    assert result.exit_code == 0, result.stderr
    assert "DECISION-EXPIRED" not in result.stdout
    document = json.loads(runner.invoke(app, ["analyze", str(model), "--format", "json"]).stdout)
    assert (document["decisions"][0]["rule"], document["decisions"][0]["expired"]) == ("DECISION", False)


def test_explain_knows_the_expired_rule() -> None:
    result = runner.invoke(app, ["explain", "DECISION-EXPIRED@T-STOP@robot"])
    assert result.exit_code == 0
    assert "review_by" in result.stdout
