"""Measures mapped to findings, gaps against what is in place, and residual risk."""

from __future__ import annotations

import pytest

from factorysec.analysis import analyze
from factorysec.analysis.assessment import Assessment
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import load_model
from tests.plan_support import SMALL, threat_rule


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def assessment(catalog: Catalog) -> Assessment:
    rules = (
        threat_rule("T-STOP", "abnormal-control-shutdown", [("asset", "robot"), ("asset", "plc")]),
        threat_rule(
            "T-NET",
            "theft-destruction-unauthorized-operation",
            [("conduit", "ext-line")],
            measures=("net-zone-boundary-filtering", "net-wireless-security"),
        ),
    )
    return analyze(load_model(SMALL), catalog, rules=rules)


def _gap(assessment: Assessment, finding: str):  # type: ignore[no-untyped-def]
    return next(g for g in assessment.gaps if g.finding == finding)


def test_rule_measures_take_precedence_and_conduit_controls_count(assessment: Assessment) -> None:
    gap = _gap(assessment, "T-NET@ext-line")
    assert gap.from_catalog is False
    assert gap.required == ("net-zone-boundary-filtering", "net-wireless-security")
    assert gap.implemented == ("net-zone-boundary-filtering",)
    assert gap.missing == ("net-wireless-security",)
    assert (gap.level, gap.residual_likelihood, gap.residual_level) == ("critical", 3.0, "high")


def test_catalog_fallback_partial_counts_half(assessment: Assessment, catalog: Catalog) -> None:
    gap = _gap(assessment, "T-STOP@robot")
    assert gap.from_catalog is True
    assert gap.required == tuple(m.id for m in catalog.measures_for_threat("abnormal-control-shutdown"))
    assert gap.implemented == ("hw-security-functions",)
    assert gap.partial == ("sw-daily-vulnerability-management",)
    assert "hw-security-functions" not in gap.missing and "sw-daily-vulnerability-management" not in gap.missing
    assert gap.level == "high"
    assert gap.residual_likelihood == 1.5 and gap.residual_level == "medium"


def test_planned_measures_stay_missing(assessment: Assessment) -> None:
    gap = _gap(assessment, "T-STOP@plc")
    assert gap.planned == ("hw-supplier-vulnerability-response",)
    assert "hw-supplier-vulnerability-response" in gap.missing
    assert gap.implemented == () and gap.residual_level == gap.level


def test_security_level_per_foundational_requirement(assessment: Assessment) -> None:
    (ctrl,) = assessment.security_levels  # only 'ctrl' declares a target
    per_fr = {f.fr: f for f in ctrl.per_fr}
    assert ctrl.zone == "ctrl" and ctrl.target == 2 and ctrl.achieved == 0 and ctrl.gap == 2
    assert per_fr["FR4"].srs == ("SR 4.1", "SR 4.3") and per_fr["FR4"].achieved == 2 and per_fr["FR4"].gap == 0
    assert per_fr["FR1"].achieved == 1 and per_fr["FR1"].gap == 1
    assert "net-encrypted-authenticated-conduit" not in per_fr["FR1"].candidates
    assert "net-remote-access-vpn-mfa" in per_fr["FR1"].candidates
    assert per_fr["FR2"].achieved == 0 and per_fr["FR4"].candidates == ()


def test_policy_has_a_section_per_zone_in_priority_order(assessment: Assessment, catalog: Catalog) -> None:
    policies = assessment.policies
    assert sorted(p.zone for p in policies) == sorted(["ext", "dmz", "ctrl", "line", "office", "island"])
    assert [p.priority for p in policies] == list(range(1, 7))
    first = policies[0]
    assert first.zone == "line" and first.top_level == "critical" and first.interrupts_business
    assert first.top_threats[0] == "T-NET@ext-line"
    costs = [catalog.measures[m.measure].cost for m in first.measures_first]
    order = {"low": 0, "medium": 1, "high": 2}
    assert costs == sorted(costs, key=lambda c: order[c or "high"])
    assert "REQ-external-control-instructions@ctrl->line" in first.requirements  # over conduit ctrl-line
    assert "REQ-stoppage@line" in first.requirements
    island = next(p for p in policies if p.zone == "island")
    assert island.top_level is None and island.measures_first == () and "脅威の指摘なし" in island.statement.ja
