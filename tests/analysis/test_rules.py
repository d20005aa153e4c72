"""Each Step 1 rule fires on its positive fixture and stays silent on its negative one (loaded through the real loader)."""

from __future__ import annotations

import pytest

from factorysec.analysis import RuleError, analyze, build_context, run_rules
from factorysec.analysis.findings import Rule, text
from factorysec.analysis.rules import RULES, RULES_BY_ID
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.conftest import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"


def rule_ids_found(path: str, catalog: Catalog) -> dict[str, list[str]]:
    assessment = analyze(load_model(RULE_FIXTURES / path), catalog)
    found: dict[str, list[str]] = {}
    for finding in assessment.findings:
        found.setdefault(finding.rule, []).append(finding.id)
    return found


def test_base_fixture_triggers_no_rule(catalog: Catalog) -> None:
    assert rule_ids_found("base.yaml", catalog) == {}


@pytest.mark.parametrize("rule_id", sorted(RULES_BY_ID))
def test_rule_fires_on_positive_fixture(rule_id: str, catalog: Catalog) -> None:
    found = rule_ids_found(f"{rule_id}/positive.yaml", catalog)
    assert rule_id in found, f"{rule_id} did not fire; found {sorted(found)}"


@pytest.mark.parametrize("rule_id", sorted(RULES_BY_ID))
def test_rule_silent_on_negative_fixture(rule_id: str, catalog: Catalog) -> None:
    found = rule_ids_found(f"{rule_id}/negative.yaml", catalog)
    assert rule_id not in found, f"{rule_id} fired: {found.get(rule_id)}"


def test_every_rule_has_fixtures_and_every_fixture_a_rule() -> None:
    folders = {p.name for p in RULE_FIXTURES.iterdir() if p.is_dir()}
    assert folders == set(RULES_BY_ID)


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
    def broken(context: object) -> list[object]:
        raise KeyError("boom")

    rule = Rule(id="BROKEN", category="threat", reference="Appendix test", title=text("b", "b"), summary=text("b", "b"), check=broken)  # type: ignore[arg-type]
    context = build_context(load_model(RULE_FIXTURES / "base.yaml"), catalog)
    with pytest.raises(RuleError, match="rule BROKEN failed: KeyError"):
        run_rules(context, (rule,))
