"""'explain' knows every id 'analyze', 'review' and 'checklist' print: rule, finding and requirement ids and catalog ids."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.explain import explain_any
from tests.conftest import ANNEX_A_MODELS, EXAMPLES, FIXTURES

runner = CliRunner()

ID_KEYS = frozenset(
    {
        "rule",
        "finding_rule",
        "finding",
        "findings",
        "answers",
        "because",
        "top_threats",
        "requirements",
        "measure",
        "measures",
        "missing",
        "required",
        "item",
        "items",
        "threat_type",
        "business_interruption_threats",
        "risk_matter",
        "viewpoint",
        "example_lead",
        "example_decision_makers",
        "stage",
        "phase",
    }
)
"""JSON keys whose values are ids of rules, findings, requirements or catalog entries (not names of model elements)."""


def printed_ids(value: Any, key: str | None = None) -> Iterator[tuple[str, str]]:
    """(key, id) for every id-like string in an output document."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from printed_ids(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from printed_ids(item, key)
    elif isinstance(value, str) and key is not None:
        if key in ID_KEYS or (key in ("id", "elements") and ("@" in value or value.startswith("REQ-"))):
            yield key, value


def _json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


MODELS = [*ANNEX_A_MODELS, FIXTURES / "lifecycle" / "factory.yaml", FIXTURES / "report" / "small-factory.yaml"]


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.name)
def test_explain_knows_every_id_analyze_and_checklist_print(model: Path, catalog: Catalog) -> None:
    found = set(printed_ids(_json("analyze", str(model)))) | set(printed_ids(_json("checklist", str(model))))
    keys = {key for key, _ in found}
    assert {"rule", "finding", "measure"} <= keys  # the walk reaches the ids it is meant to check
    unknown = sorted({(key, value) for key, value in found if explain_any(value, catalog) is None})
    assert unknown == []


@pytest.mark.parametrize("change", sorted(EXAMPLES.glob("case-*.yaml")), ids=lambda p: p.name)
def test_explain_knows_every_id_review_prints(change: Path, catalog: Catalog) -> None:
    found = set(printed_ids(_json("review", str(change))))
    assert found
    assert sorted({pair for pair in found if explain_any(pair[1], catalog) is None}) == []


def test_the_cli_explains_a_measure_and_a_checklist_item_analyze_prints() -> None:
    document = _json("analyze", str(FIXTURES / "lifecycle" / "factory.yaml"))
    measure = next(value for key, value in printed_ids(document) if key == "measure")
    item = next(value for key, value in printed_ids(document) if key == "item")
    for printed in (measure, item):
        result = runner.invoke(app, ["explain", printed])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(f"{printed}: ")
        assert "reference: Appendix" in result.stdout


def test_an_unknown_id_points_to_the_catalog() -> None:
    result = runner.invoke(app, ["explain", "no-such-thing-at-all"])
    assert result.exit_code == 2
    assert "unknown id 'no-such-thing-at-all'" in result.stderr
