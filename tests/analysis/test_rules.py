"""Each rule that emits findings from a model (Step 1 and Step 3) has a fixture folder under tests/fixtures/rules/<RULE ID>/:
``positive.yaml`` states, in ``# expect: FINDING-ID`` lines at its top, exactly the findings of that rule it must produce,
and ``negative.yaml`` must produce none. A ``# today: YYYY-MM-DD`` line dates the run (for the rules that judge ages).
Both are loaded through the real loader and analysed with the real analysis.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factorysec.analysis import RuleError, analyze, build_context, run_rules
from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.lifecycle import LIFECYCLE_RULES_BY_ID
from factorysec.analysis.rules import RULES, RULES_BY_ID
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.conftest import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"
FIXTURE_RULES = sorted({*RULES_BY_ID, *LIFECYCLE_RULES_BY_ID})
"""Every rule with a fixture folder: the Step 1 rules and the Step 3 lifecycle gaps."""


def header(path: Path, name: str) -> list[str]:
    """The values of the ``# name: value`` lines at the top of a fixture."""
    values = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line.lstrip("# ").partition(":")
        if key == name:
            values.append(value.strip())
    return values


def findings_of(path: Path, catalog: Catalog) -> dict[str, list[str]]:
    """Finding ids by rule, Step 1 and Step 3, of a fixture analysed on its ``# today:`` date (none if it gives none)."""
    today = header(path, "today")
    assessment = analyze(load_model(path), catalog, today=dt.date.fromisoformat(today[0]) if today else None)
    found: dict[str, list[str]] = {}
    for finding in (*assessment.findings, *assessment.lifecycle.findings):
        found.setdefault(finding.rule, []).append(finding.id)
    return found


def rule_ids_found(path: str, catalog: Catalog) -> dict[str, list[str]]:
    return findings_of(RULE_FIXTURES / path, catalog)


def test_base_fixture_triggers_no_step_1_rule(catalog: Catalog) -> None:
    assert {rule: ids for rule, ids in rule_ids_found("base.yaml", catalog).items() if rule in RULES_BY_ID} == {}


def test_step_3_base_fixture_triggers_no_rule(catalog: Catalog) -> None:
    assert rule_ids_found("step3-base.yaml", catalog) == {}


@pytest.mark.parametrize("rule_id", FIXTURE_RULES)
def test_rule_produces_exactly_the_findings_its_positive_fixture_states(rule_id: str, catalog: Catalog) -> None:
    path = RULE_FIXTURES / rule_id / "positive.yaml"
    expected = header(path, "expect")
    assert expected, f"{path} states no '# expect: FINDING-ID' line"
    assert all(e.startswith(f"{rule_id}@") for e in expected), expected
    assert sorted(findings_of(path, catalog).get(rule_id, [])) == sorted(expected)


@pytest.mark.parametrize("rule_id", FIXTURE_RULES)
def test_rule_silent_on_negative_fixture(rule_id: str, catalog: Catalog) -> None:
    found = rule_ids_found(f"{rule_id}/negative.yaml", catalog)
    assert rule_id not in found, f"{rule_id} fired: {found.get(rule_id)}"


def test_every_rule_has_fixtures_and_every_fixture_a_rule() -> None:
    folders = {p.name for p in RULE_FIXTURES.iterdir() if p.is_dir()}
    assert folders == set(FIXTURE_RULES)
    for folder in folders:
        names = {p.name for p in (RULE_FIXTURES / folder).iterdir()}
        assert {"positive.yaml", "negative.yaml"} <= names, folder
        assert all(name.endswith(".yaml") for name in names), folder


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata_resolves_in_catalog(rule: Rule, catalog: Catalog) -> None:
    assert rule.reference.startswith("Appendix")
    assert rule.title.en and rule.title.ja and rule.summary.en and rule.summary.ja
    if rule.threat_type:
        assert rule.threat_type in catalog.threat_types
    if rule.viewpoint:
        assert rule.viewpoint in catalog.viewpoint_detail_ids()
    if rule.risk_matter:
        assert rule.risk_matter in catalog.risk_matters
    for measure in rule.measures:
        assert measure in catalog.measures
    if rule.category == "threat":
        assert rule.threat_type and rule.viewpoint and rule.measures


def test_finding_ids_are_stable_and_unique(catalog: Catalog) -> None:
    model = load_model(RULE_FIXTURES / "ZONE-MIXED-CONTROL" / "positive.yaml")
    first = [f.id for f in analyze(model, catalog).findings]
    second = [f.id for f in analyze(model, catalog).findings]
    assert first == second
    assert len(first) == len(set(first))
    assert "ZONE-MIXED-CONTROL@office" in first


def test_a_rule_that_raises_fails_the_run(catalog: Catalog) -> None:
    def broken(context: AnalysisContext) -> list[Finding]:
        raise KeyError("boom")

    rule = Rule(
        id="BROKEN",
        category="threat",
        reference="Appendix test",
        title=text("b", "b"),
        summary=text("b", "b"),
        why=text("b", "b"),
        false_positives=text("b", "b"),
        check=broken,
    )
    context = build_context(load_model(RULE_FIXTURES / "base.yaml"), catalog)
    with pytest.raises(RuleError, match="rule BROKEN failed: KeyError"):
        run_rules(context, (rule,))
