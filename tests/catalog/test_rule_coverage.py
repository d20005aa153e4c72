"""Every catalog measure and threat type is raised by some finding rule, or the catalog says why not (issue #23)."""

from __future__ import annotations

from pathlib import Path

import yaml

from factorysec.analysis.lifecycle.rules import LIFECYCLE_RULES
from factorysec.analysis.rules import RULES
from factorysec.catalog import Catalog

COVERAGE = Path(__file__).parents[2] / "src" / "factorysec" / "catalog" / "rule_coverage.yaml"


def _exceptions() -> dict[str, dict[str, dict[str, str]]]:
    data = yaml.safe_load(COVERAGE.read_text(encoding="utf-8"))
    return dict(data["not_raised_by_rules"])


def _raised() -> tuple[set[str], set[str]]:
    rules = (*RULES, *LIFECYCLE_RULES)
    measures = {m for rule in rules for m in rule.measures}
    threats = {rule.threat_type for rule in rules if rule.threat_type}
    return measures, threats


def test_every_measure_is_raised_by_a_rule_or_excepted_with_a_reason(catalog: Catalog) -> None:
    raised, _ = _raised()
    excepted = _exceptions()["measures"]
    assert set(excepted) <= set(catalog.measures), "an exception names a measure the catalog lacks"
    assert not set(excepted) & raised, f"stale exceptions, a rule raises them now: {sorted(set(excepted) & raised)}"
    assert set(catalog.measures) - raised - set(excepted) == set(), (
        "measures no rule raises and the catalog does not explain"
    )
    assert all(reason["en"] and reason["ja"] for reason in excepted.values())


def test_every_threat_type_is_raised_by_a_rule_or_excepted_with_a_reason(catalog: Catalog) -> None:
    _, raised = _raised()
    excepted = _exceptions()["threat_types"]
    assert set(excepted) <= set(catalog.threat_types)
    assert not set(excepted) & raised, f"stale exceptions: {sorted(set(excepted) & raised)}"
    assert set(catalog.threat_types) - raised - set(excepted) == set()
    assert all(reason["en"] and reason["ja"] for reason in excepted.values())
