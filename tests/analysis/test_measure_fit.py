"""Measures asked of an outside party fit its role and the asset's kind (#23 item 5)."""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.analysis.test_rules import RULE_FIXTURES

FIXTURE = RULE_FIXTURES / "THREAT-INCIDENT-COORDINATION" / "party-fit.yaml"


def _measures(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    assessment = analyze(load_model(FIXTURE), catalog)
    return {f.id: f.measures for f in assessment.findings}


def _categories(catalog: Catalog, measures: tuple[str, ...]) -> set[str]:
    return {catalog.measures[m].category for m in measures}


def test_a_cloud_provider_is_asked_about_its_cloud_service(catalog: Catalog) -> None:
    measures = _measures(catalog)
    assert "cloud-provider-incident-responsibility" in measures["THREAT-INCIDENT-COORDINATION@cloudco"]
    assert "hw-incident-maintenance-policy" not in measures["THREAT-INCIDENT-COORDINATION@cloudco"]
    assert {"cloud-provider-incident-responsibility", "cloud-service-resumption"} <= set(
        measures["THREAT-EXTERNAL-SYSTEM@cloud-zone"]
    )


def test_an_equipment_vendor_is_asked_about_the_equipment_not_cloud_service_levels(catalog: Catalog) -> None:
    measures = _measures(catalog)
    vendor = measures["THREAT-INCIDENT-COORDINATION@vendor"]
    assert "hw-incident-maintenance-policy" in vendor
    assert "cloud" not in _categories(catalog, vendor)
    assert "cloud" not in _categories(catalog, measures["THREAT-EXTERNAL-SYSTEM@line"])


def test_a_customer_is_asked_only_what_the_factory_does_itself(catalog: Catalog) -> None:
    measures = _measures(catalog)
    for finding in ("THREAT-INCIDENT-COORDINATION@carmaker", "THREAT-EXTERNAL-SYSTEM@portal-zone"):
        asked = measures[finding]
        assert asked, finding  # never empty: an empty list would fall back to every catalog measure of the threat type
        assert not _categories(catalog, asked) & {"cloud", "hardware", "software"}, finding


def test_the_rule_declares_every_measure_it_may_ask(catalog: Catalog) -> None:
    from factorysec.analysis.rules import RULES_BY_ID

    for rule_id in ("THREAT-INCIDENT-COORDINATION", "THREAT-EXTERNAL-SYSTEM"):
        declared = set(RULES_BY_ID[rule_id].measures)
        for finding, asked in _measures(catalog).items():
            if finding.startswith(rule_id + "@"):
                assert set(asked) <= declared
