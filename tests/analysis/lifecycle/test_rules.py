"""Every Step 3 rule names its guideline reference and speaks both languages."""

from __future__ import annotations

import pytest

from factorysec.analysis.findings import FindingRule
from factorysec.analysis.lifecycle import LIFECYCLE_RULES
from factorysec.analysis.rules import RULES_BY_ID
from factorysec.model import FactoryModel

from .conftest import Assess


@pytest.mark.parametrize("rule", LIFECYCLE_RULES, ids=lambda r: r.id)
def test_rule_metadata(rule: FindingRule) -> None:
    assert rule.id.startswith("S3-") and rule.id not in RULES_BY_ID
    assert rule.category in {"lifecycle", "supply-chain"}
    assert "Appendix 3." in rule.reference
    assert rule.title.en != rule.title.ja and rule.summary.en != rule.summary.ja


def test_every_finding_comes_from_a_listed_rule(
    factory_model: FactoryModel, bare_model: FactoryModel, assess: Assess
) -> None:
    listed = {r.id for r in LIFECYCLE_RULES}
    for model in (factory_model, bare_model):
        findings = assess(model).findings
        assert findings and {f.rule for f in findings} <= listed
        assert len({f.id for f in findings}) == len(findings)


def test_findings_are_deterministic(factory_model: FactoryModel, assess: Assess) -> None:
    assert assess(factory_model) == assess(factory_model)
