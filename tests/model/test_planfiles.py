"""Reading the decisions file and the scoring config: defaults, validation, file:line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.catalog import load_catalog
from factorysec.model.entities import Trait
from factorysec.model.planfiles import ScoringConfig, read_decisions, read_scoring
from factorysec.model.problems import ModelInputError

THREATS = load_catalog().section_ids("threat_types")
TRAITS = frozenset(t.value for t in Trait)


def test_missing_decisions_file_means_no_decisions(tmp_path: Path) -> None:
    assert read_decisions(tmp_path / "decisions.yaml") == ()


def test_decisions_keep_their_line(tmp_path: Path) -> None:
    path = tmp_path / "decisions.yaml"
    path.write_text(
        "decisions:\n\n  - finding: A@b\n    status: accepted\n    justification: ok\n    owner: me\n    date: 2026-01-02\n",
        encoding="utf-8",
    )
    (decision,) = read_decisions(path)
    assert (decision.finding, decision.status, decision.line, decision.date.isoformat() if decision.date else None) == (
        "A@b",
        "accepted",
        3,
        "2026-01-02",
    )


def test_unknown_field_in_decision_is_reported_with_line(tmp_path: Path) -> None:
    path = tmp_path / "decisions.yaml"
    path.write_text(
        "decisions:\n  - finding: A@b\n    status: accepted\n    justification: ok\n    owner: me\n    approver: boss\n",
        encoding="utf-8",
    )
    with pytest.raises(ModelInputError) as caught:
        read_decisions(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (6, "decisions[0].approver")


def test_scoring_partial_weights_keep_other_defaults(tmp_path: Path) -> None:
    path = tmp_path / "scoring.yaml"
    path.write_text("scoring:\n  weights: {safety: 1.5}\n", encoding="utf-8")
    config = read_scoring(path, THREATS, TRAITS)
    assert (
        config.weights.safety == 1.5
        and config.weights.business_continuity == ScoringConfig().weights.business_continuity
    )


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("scoring:\n  trait_steps: {telepathy: 1}\n", 2, "unknown trait 'telepathy'"),
        ("scoring:\n  levels:\n    critical: 3\n    high: 8\n", 2, "thresholds must decrease"),
        ("scoring:\n  partial_credit: 2\n", 2, "less than or equal to 1"),
        ("- just a list\n", 1, "expected a mapping"),
    ],
)
def test_bad_scoring_is_reported_with_line(tmp_path: Path, content: str, line: int, message: str) -> None:
    path = tmp_path / "scoring.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelInputError) as caught:
        read_scoring(path, THREATS, TRAITS)
    problem = caught.value.problems[0]
    assert problem.line == line and message in problem.message and problem.file == str(path)
