"""The Step 2 options of 'factorysec analyze': --fail-on, --decisions, --scoring, and the JSON and text output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from tests.plan_support import SMALL, threat_rule

runner = CliRunner()
RULES = (
    threat_rule("T-STOP", "abnormal-control-shutdown", [("asset", "robot")]),  # high, residual medium
    threat_rule("T-LEAK", "data-theft-leakage", [("zone", "island")]),  # medium: unreachable but critical
)


@pytest.fixture(autouse=True)
def stand_in_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("factorysec.analysis.RULES", RULES)


@pytest.fixture
def model(tmp_path: Path) -> Path:
    target = tmp_path / "factory.yaml"
    shutil.copyfile(SMALL, target)
    return target


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["analyze", *args])
    return result.exit_code, result.stdout, result.stderr


def test_fail_on_exit_codes(model: Path) -> None:
    assert run(str(model), "--fail-on", "high")[0] == 0  # T-STOP is high, but medium after measures in place
    code, _, err = run(str(model), "--fail-on", "medium")
    assert code == 1 and "T-STOP@robot" in err
    assert run(str(model), "--fail-on", "critical")[0] == 0
    code, _, err = run(str(model), "--fail-on", "severe")
    assert code == 2 and "--fail-on" in err


def test_fail_on_says_its_line_in_the_output_language(model: Path) -> None:
    """With --lang ja the line on standard error is Japanese, as the rest of the output (it was English)."""
    code, _, err = run(str(model), "--fail-on", "medium", "--lang", "ja")
    assert code == 1
    assert err.strip() == "--fail-on medium：レベル中以上で未対応のリスク 2 件、最初は T-STOP@robot（高）"
    code, _, err = run(str(model), "--fail-on", "medium")
    assert err.strip() == "--fail-on medium: 2 open risks at or above medium, first T-STOP@robot (high)"


def test_decisions_beside_the_model_close_findings_and_survive_reruns(model: Path) -> None:
    (model.parent / "decisions.yaml").write_text(
        "decisions:\n"
        "  - {finding: T-STOP@robot, status: accepted, justification: line is air-gapped next quarter, owner: production-engineering}\n"
        "  - {finding: T-LEAK@island, status: in-progress, justification: DLP rollout, owner: it}\n"
        "  - {finding: GONE@nowhere, status: mitigated, justification: fixed, owner: it}\n",
        encoding="utf-8",
    )
    for _ in range(2):  # re-analysis keeps applying them: they are keyed on stable finding ids
        code, out, _ = run(str(model), "--format", "json", "--fail-on", "low")
        document = json.loads(out)
        assert {d["finding"]: d["status"] for d in document["decisions"]} == {
            "T-STOP@robot": "accepted",
            "T-LEAK@island": "in-progress",
        }
        assert [s["finding"] for s in document["stale_decisions"]] == ["GONE@nowhere"]
        assert document["stale_decisions"][0]["source"].endswith("decisions.yaml:4")
        assert code == 1  # T-LEAK is only in progress: still open
    code, out, err = run(str(model), "--fail-on", "medium")
    assert code == 1 and "T-LEAK@island" in err and "T-STOP" not in err  # the accepted T-STOP no longer blocks
    assert "DECISION-STALE" in out and "GONE@nowhere" in out and "accepted" in out
    text = (model.parent / "decisions.yaml").read_text(encoding="utf-8").replace("in-progress", "false-positive")
    (model.parent / "decisions.yaml").write_text(text, encoding="utf-8")
    assert run(str(model), "--fail-on", "medium")[0] == 0


def test_explicit_decisions_file_and_missing_file(model: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "sub" / "my-decisions.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(
        "decisions:\n  - {finding: T-STOP@robot, status: mitigated, justification: done, owner: ot}\n"
        "  - {finding: T-LEAK@island, status: mitigated, justification: done, owner: ot}\n",
        encoding="utf-8",
    )
    assert run(str(model), "--decisions", str(elsewhere), "--fail-on", "medium")[0] == 0
    code, _, err = run(str(model), "--decisions", str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("decisions:\n  - {finding: T-STOP@robot, status: maybe, justification: x, owner: y}\n", ":2:"),
        ("decisions:\n  - finding: T-STOP@robot\n    status: accepted\n    owner: y\n", ":2:"),
        (
            "decisions:\n  - {finding: A@b, status: accepted, justification: x, owner: y}\n  - {finding: A@b, status: mitigated, justification: x, owner: y}\n",
            ":3:",
        ),
        ("decisions: [\n", ":2:"),
    ],
)
def test_malformed_decisions_file_exits_2_with_file_and_line(model: Path, content: str, expected: str) -> None:
    (model.parent / "decisions.yaml").write_text(content, encoding="utf-8")
    code, _, err = run(str(model))
    assert code == 2
    first = err.splitlines()[0]
    assert "decisions.yaml" + expected in first and "Traceback" not in err


def test_scoring_file_changes_order_and_bad_scoring_exits_2(model: Path, tmp_path: Path) -> None:
    scoring = tmp_path / "scoring.yaml"
    scoring.write_text("scoring:\n  levels: {critical: 20, high: 15, medium: 10}\n", encoding="utf-8")
    code, out, _ = run(str(model), "--scoring", str(scoring), "--format", "json", "--fail-on", "medium")
    assert code == 0 and json.loads(out)["risks"][0]["level"] == "low"
    scoring.write_text("scoring:\n  weights:\n    safety: lots\n", encoding="utf-8")
    code, _, err = run(str(model), "--scoring", str(scoring))
    assert code == 2 and "scoring.yaml:3:" in err and "weights.safety" in err
    scoring.write_text("scoring:\n  business_interruption_threats: [alien-invasion]\n", encoding="utf-8")
    code, _, err = run(str(model), "--scoring", str(scoring))
    assert code == 2 and "scoring.yaml:2:" in err and "alien-invasion" in err


def test_text_and_json_output_carry_the_plan(model: Path) -> None:
    code, out, _ = run(str(model), "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert {"entry_points", "paths", "risks", "gaps", "policies", "security_levels"} <= set(document)
    assert document["risks"][0]["finding"] == "T-STOP@robot" and document["risks"][0]["rule"] == "RISK"
    code, out, _ = run(str(model), "--lang", "ja")
    assert code == 0 and "ゾーンごとのセキュリティ対策方針" in out and "ZONE-POLICY" in out and "MEASURE-GAP" in out
