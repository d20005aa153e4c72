"""Risk ranking: level first, business interruption within a level, configurable axis weights, reasons in both languages."""

from __future__ import annotations

import pytest

from factorysec.analysis import analyze
from factorysec.analysis.risk import LEVEL_RANK
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import load_model
from factorysec.model.planfiles import AxisWeights, ScoringConfig
from tests.plan_support import SMALL, threat_rule


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_business_interruption_decides_within_a_level(catalog: Catalog) -> None:
    rules = (
        threat_rule("T-LEAK", "data-theft-leakage", [("zone", "ctrl")]),
        threat_rule("T-STOP", "abnormal-control-shutdown", [("zone", "island")]),
    )
    risks = analyze(load_model(SMALL), catalog, rules=rules).risks
    by_id = {r.finding: r for r in risks}
    leak, stop = by_id["T-LEAK@ctrl"], by_id["T-STOP@island"]
    assert leak.level == stop.level == "medium" and leak.score > stop.score  # same level, the leak scores higher ...
    assert [r.finding for r in risks] == [
        "T-STOP@island",
        "T-LEAK@ctrl",
    ]  # ... but interruption decides within the level
    assert stop.interrupts_business and not leak.interrupts_business
    assert stop.rank == 1 and leak.rank == 2
    assert "business" in stop.reason.en and "事業中断" in stop.reason.ja

    flat = analyze(
        load_model(SMALL), catalog, rules=rules, scoring=ScoringConfig(business_interruption_first=False)
    ).risks
    assert [r.finding for r in flat] == ["T-LEAK@ctrl", "T-STOP@island"]


def test_level_ranks_before_business_interruption(catalog: Catalog) -> None:
    """A high risk that cannot interrupt the business still ranks above a medium one that can: no lower level above a higher."""
    rules = (
        threat_rule("T-LEAK", "data-theft-leakage", [("zone", "dmz")]),
        threat_rule("T-STOP", "abnormal-control-shutdown", [("zone", "island")]),
    )
    risks = analyze(load_model(SMALL), catalog, rules=rules).risks
    assert [(r.finding, r.level) for r in risks] == [("T-LEAK@dmz", "high"), ("T-STOP@island", "medium")]
    levels = [LEVEL_RANK[r.level] for r in risks]
    assert levels == sorted(levels, reverse=True)


def test_likelihood_follows_exposure_and_traits(catalog: Catalog) -> None:
    rules = (threat_rule("T-X", "system-failure", [("asset", "portal"), ("asset", "mes"), ("asset", "island-box")]),)
    risks = {r.subject.id: r for r in analyze(load_model(SMALL), catalog, rules=rules).risks}
    assert risks["portal"].likelihood == 4  # in an entry zone
    assert risks["mes"].likelihood == 4  # one hop (3) raised by general-purpose (+1)
    assert risks["island-box"].likelihood == 1  # unreachable
    assert "general-purpose" in risks["mes"].reason.en


def test_safety_weighting_changes_the_order(catalog: Catalog) -> None:
    rules = (threat_rule("T-STOP", "abnormal-control-shutdown", [("asset", "plc"), ("asset", "robot")]),)
    default = analyze(load_model(SMALL), catalog, rules=rules).risks
    assert [r.subject.id for r in default] == ["robot", "plc"]  # BC high outweighs safety high by default
    safety_first = ScoringConfig(weights=AxisWeights(safety=1.5))
    weighted = analyze(load_model(SMALL), catalog, rules=rules, scoring=safety_first).risks
    assert [r.subject.id for r in weighted] == ["plc", "robot"]
    assert "safety" in weighted[0].reason.en and "安全" in weighted[0].reason.ja


def test_levels_follow_thresholds(catalog: Catalog) -> None:
    rules = (threat_rule("T-STOP", "abnormal-control-shutdown", [("asset", "robot")]),)
    risk = analyze(load_model(SMALL), catalog, rules=rules).risks[0]
    assert (risk.likelihood, risk.impact, risk.level) == (
        3,
        3.0,
        "high",
    )  # one hop (3); the weakest path has 0.5 controls, under one step (2)
