"""What each purpose of smartification brings (issue #17 item 2), on Annex A's three cases."""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.conftest import EXAMPLES, FIXTURES


def test_each_purpose_lists_its_operations_zones_flows_findings_and_measures(catalog: Catalog) -> None:
    assessment = analyze(load_model(EXAMPLES / "all-cases-reviewed.yaml"), catalog)
    by_purpose = {p.purpose: p for p in assessment.purposes}
    quality = by_purpose["improve-quality"]
    assert not quality.declared, "only the CAD operation names it; the factory does not"
    assert quality.operations == ("cad-driven-machining",)
    assert {"cad", "operation-server", "cad-data"} <= set(quality.assets)
    assert "cad-to-scada" in quality.conduits and "cad-control" in quality.zones
    assert "S1-PURPOSE-OPERATION@cad-driven-machining#undeclared" in quality.findings
    findings = {f.id: f for f in assessment.findings}
    expected = {m for f in quality.findings for m in findings[f].measures}
    assert set(quality.measures) == expected and "op-smartification-purposes" in quality.measures
    costs = by_purpose["reduce-costs"]
    assert costs.declared and "warehouse-to-remote-maintenance" in costs.conduits
    assert "net-remote-access-vpn-mfa" in costs.measures


def test_a_factory_without_purposes_has_no_footprint(catalog: Catalog) -> None:
    assert analyze(load_model(FIXTURES / "rules" / "S1-PURPOSE-NONE" / "positive.yaml"), catalog).purposes == ()
    base = analyze(load_model(FIXTURES / "rules" / "base.yaml"), catalog).purposes
    assert [(p.purpose, p.declared, p.operations) for p in base] == [("increase-productivity", True, ())]
