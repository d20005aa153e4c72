"""The Annex A example is valid in every state, and its final state has Table C-1's zones."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.model import dump_model, load_model
from factorysec.model.writer import save_model
from tests.model.conftest import EXAMPLES, run_check

EXAMPLE_PATHS = ["current", *sorted(p.name for p in EXAMPLES.glob("*.yaml"))]

TABLE_C1_TOP_LEVEL = {
    "production",
    "transport-zone",
    "warehouse-zone",
    "production-control",
    "monitoring-zone",
    "oa",
    "cad-control",
    "external-services",
}


def test_the_expected_examples_are_present() -> None:
    assert EXAMPLE_PATHS == [
        "current",
        "all-cases-reviewed.yaml",
        "case-1-after-review.yaml",
        "case-1-first-added.yaml",
        "case-2-after-review.yaml",
        "case-2-first-added.yaml",
        "case-3-first-added.yaml",
        "step1-production-divided.yaml",
    ]


@pytest.mark.parametrize("name", EXAMPLE_PATHS)
def test_example_passes_check(name: str) -> None:
    result = run_check(EXAMPLES / name)
    assert result.exit_code == 0, result.problems
    assert result.problems == []
    assert ": valid — " in result.stdout


def test_all_cases_reviewed_has_table_c1_zones() -> None:
    model = load_model(EXAMPLES / "all-cases-reviewed.yaml")
    top_level = {zone.id for zone in model.zones if zone.parent is None}
    sub_zones = [zone for zone in model.zones if zone.parent is not None]
    assert top_level == TABLE_C1_TOP_LEVEL
    assert len(model.zones) == len(TABLE_C1_TOP_LEVEL) + 2
    assert len(sub_zones) == 2
    assert {zone.parent for zone in sub_zones} == {"production"}


@pytest.mark.parametrize("name", EXAMPLE_PATHS)
def test_example_round_trips_through_dump_model(name: str, tmp_path: Path) -> None:
    model = load_model(EXAMPLES / name)
    target = tmp_path / "dumped.yaml"
    save_model(model, target)
    assert load_model(target) == model
    assert dump_model(load_model(target)) == dump_model(model)
