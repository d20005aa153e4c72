"""An operation's importance per axis in YAML (issue #17 item 5): optional, backward compatible with a single rating, checked against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.model import load_model
from factorysec.model.entities import Importance, ImportanceRatings
from tests.model.conftest import run_check

HEAD = "factory: {id: f, name: F}\noperations:\n"


def _write(tmp_path: Path, operations: str) -> Path:
    path = tmp_path / "plant.yaml"
    path.write_text(HEAD + operations, encoding="utf-8")
    return path


def test_a_single_rating_still_loads_and_rates_no_axis(tmp_path: Path) -> None:
    (operation,) = load_model(_write(tmp_path, "  - {id: a, name: A, importance: high}\n")).operations
    assert operation.importance is Importance.HIGH and operation.importance_by_axis is None


def test_ratings_per_axis_give_the_overall_importance_when_it_is_left_out(tmp_path: Path) -> None:
    (operation,) = load_model(
        _write(tmp_path, "  - {id: a, name: A, importance_by_axis: {safety: critical, cost: low}}\n")
    ).operations
    assert operation.importance is Importance.CRITICAL
    assert operation.importance_by_axis == ImportanceRatings(safety=Importance.CRITICAL, cost=Importance.LOW)


def test_empty_ratings_per_axis_are_a_single_rating(tmp_path: Path) -> None:
    (operation,) = load_model(
        _write(tmp_path, "  - {id: a, name: A, importance: low, importance_by_axis: {}}\n")
    ).operations
    assert operation.importance_by_axis is None


@pytest.mark.parametrize(
    ("operations", "expected"),
    [
        (
            "  - {id: a, name: A, importance: high, importance_by_axis: {safety: critical}}\n",
            "plant.yaml:3:22: operations[0].importance: importance 'high' differs from the highest rating in importance_by_axis ('critical');"
            " leave importance out or make it that rating",
        ),
        (
            "  - {id: a, name: A, importance_by_axis: {saftey: high}}\n",
            "plant.yaml:3:43: operations[0].importance_by_axis.saftey: unknown field 'saftey' (did you mean 'safety'?)",
        ),
        (
            "  - {id: a, name: A}\n",
            "plant.yaml:3:5: operations[0].importance: missing required field 'importance' (add it)",
        ),
    ],
)
def test_bad_ratings_per_axis_are_one_line_with_file_line_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, operations: str, expected: str
) -> None:
    _write(tmp_path, operations)
    monkeypatch.chdir(tmp_path)
    result = run_check("plant.yaml")
    assert result.exit_code == 2
    assert expected in result.problems
