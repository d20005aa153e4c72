"""The rules of issue #23 (boundaries and their owners, guideline points turned into rules): each fixture states the exact findings of its rule."""

from __future__ import annotations

import pytest

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.conftest import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"

CASES: list[tuple[str, str, list[str]]] = [
    ("ZONE-EXTERNAL-NO-BOUNDARY/positive.yaml", "ZONE-EXTERNAL-NO-BOUNDARY", ["ZONE-EXTERNAL-NO-BOUNDARY@office"]),
    ("ZONE-EXTERNAL-NO-BOUNDARY/vendor-box.yaml", "ZONE-EXTERNAL-NO-BOUNDARY", ["ZONE-EXTERNAL-NO-BOUNDARY@line"]),
    ("ZONE-EXTERNAL-NO-BOUNDARY/vendor-box-in-dmz.yaml", "ZONE-EXTERNAL-NO-BOUNDARY", []),
    ("ZONE-EXTERNAL-NO-BOUNDARY/negative.yaml", "ZONE-EXTERNAL-NO-BOUNDARY", []),
    (
        "THREAT-DIFFERENT-REQUIREMENTS/positive.yaml",
        "THREAT-DIFFERENT-REQUIREMENTS",
        ["THREAT-DIFFERENT-REQUIREMENTS@line"],
    ),
    ("THREAT-DIFFERENT-REQUIREMENTS/negative.yaml", "THREAT-DIFFERENT-REQUIREMENTS", []),
    (
        "THREAT-AUTO-CONTROL-INSTRUCTIONS/positive.yaml",
        "THREAT-AUTO-CONTROL-INSTRUCTIONS",
        ["THREAT-AUTO-CONTROL-INSTRUCTIONS@eng"],
    ),
    ("THREAT-AUTO-CONTROL-INSTRUCTIONS/negative.yaml", "THREAT-AUTO-CONTROL-INSTRUCTIONS", []),
    (
        "DATA-UTILISATION/positive.yaml",
        "THREAT-AUTO-CONTROL-INSTRUCTIONS",
        ["THREAT-AUTO-CONTROL-INSTRUCTIONS@control"],
    ),
    (
        "THREAT-OUTSIDE-ORIGIN-CONTROL/positive.yaml",
        "THREAT-OUTSIDE-ORIGIN-CONTROL",
        ["THREAT-OUTSIDE-ORIGIN-CONTROL@eng-to-line"],
    ),
    (
        "THREAT-OUTSIDE-ORIGIN-CONTROL/positive.yaml",
        "THREAT-AUTO-CONTROL-INSTRUCTIONS",
        [],
    ),  # the stronger finding replaces it
    ("THREAT-OUTSIDE-ORIGIN-CONTROL/negative.yaml", "THREAT-OUTSIDE-ORIGIN-CONTROL", []),
    (
        "THREAT-OUTSIDE-ORIGIN-CONTROL/negative.yaml",
        "THREAT-AUTO-CONTROL-INSTRUCTIONS",
        ["THREAT-AUTO-CONTROL-INSTRUCTIONS@eng"],
    ),
    ("THREAT-REMOVABLE-MEDIA/positive.yaml", "THREAT-REMOVABLE-MEDIA", ["THREAT-REMOVABLE-MEDIA@line"]),
    ("THREAT-REMOVABLE-MEDIA/negative.yaml", "THREAT-REMOVABLE-MEDIA", []),
    ("DATA-UTILISATION/positive.yaml", "DATA-UTILISATION", ["DATA-UTILISATION@control"]),
    ("DATA-UTILISATION/negative.yaml", "DATA-UTILISATION", []),
    (
        "THREAT-OUTSIDE-ORIGIN-CONTROL/positive.yaml",
        "DATA-UTILISATION",
        ["DATA-UTILISATION@office"],
    ),  # data from a customer
    ("PHYS-MEASURES/positive.yaml", "PHYS-MEASURES", ["PHYS-MEASURES@base"]),
    ("PHYS-MEASURES/negative.yaml", "PHYS-MEASURES", []),
    ("SUPPLY-SBOM-VULNERABILITY/positive.yaml", "SUPPLY-SBOM-VULNERABILITY", ["SUPPLY-SBOM-VULNERABILITY@base"]),
    ("SUPPLY-SBOM-VULNERABILITY/negative.yaml", "SUPPLY-SBOM-VULNERABILITY", []),
]


@pytest.mark.parametrize(("fixture", "rule", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_gives_exactly_the_stated_findings(fixture: str, rule: str, expected: list[str], catalog: Catalog) -> None:
    findings = analyze(load_model(RULE_FIXTURES / fixture), catalog).findings
    assert sorted(f.id for f in findings if f.rule == rule) == sorted(expected)


def test_a_boundary_run_by_the_vendor_is_named_with_its_owner_and_the_dmz_shape(catalog: Catalog) -> None:
    findings = analyze(load_model(RULE_FIXTURES / "ZONE-EXTERNAL-NO-BOUNDARY/vendor-box.yaml"), catalog).findings
    finding = next(f for f in findings if f.rule == "ZONE-EXTERNAL-NO-BOUNDARY")
    assert "Vendor VPN box" in finding.rationale.en and "Line vendor" in finding.rationale.en
    assert "DMZ" in finding.rationale.en and "DMZ" in finding.rationale.ja
    assert {"vendor-remote", "vendor-vpn", "vendor"} <= set(finding.related)


def test_outside_origin_is_followed_through_internal_zones_and_named(catalog: Catalog) -> None:
    findings = analyze(load_model(RULE_FIXTURES / "THREAT-OUTSIDE-ORIGIN-CONTROL/positive.yaml"), catalog).findings
    finding = next(f for f in findings if f.rule == "THREAT-OUTSIDE-ORIGIN-CONTROL")
    assert "customer-drawings" in finding.related and "office-to-eng" in finding.related
    assert "Office zone" in finding.rationale.en and "outside the control network" in finding.rationale.en


def test_physical_measures_list_every_zone_concerned_in_one_finding(catalog: Catalog) -> None:
    findings = analyze(load_model(RULE_FIXTURES / "PHYS-MEASURES/positive.yaml"), catalog).findings
    (finding,) = [f for f in findings if f.rule == "PHYS-MEASURES"]
    assert set(finding.related) == {"line", "control"}  # both high-importance zones; the medium office is not concerned
    assert (
        "phys-access-control" in finding.rationale.en and "phys-natural-disaster-protection" not in finding.rationale.en
    )


def test_sbom_finding_says_what_each_product_lacks(catalog: Catalog) -> None:
    findings = analyze(load_model(RULE_FIXTURES / "SUPPLY-SBOM-VULNERABILITY/positive.yaml"), catalog).findings
    (finding,) = [f for f in findings if f.rule == "SUPPLY-SBOM-VULNERABILITY"]
    assert finding.related == ("hmi",)
    assert "no SBOM" in finding.rationale.en and "vulnerability contact" in finding.rationale.en


def test_new_rules_explain_why_and_when_not(catalog: Catalog) -> None:
    from factorysec.analysis.rules import RULES_BY_ID

    for rule_id in (
        "ZONE-EXTERNAL-NO-BOUNDARY",
        "THREAT-DIFFERENT-REQUIREMENTS",
        "THREAT-AUTO-CONTROL-INSTRUCTIONS",
        "THREAT-OUTSIDE-ORIGIN-CONTROL",
        "THREAT-REMOVABLE-MEDIA",
        "DATA-UTILISATION",
        "PHYS-MEASURES",
        "SUPPLY-SBOM-VULNERABILITY",
    ):
        rule = RULES_BY_ID[rule_id]
        assert rule.why is not None and rule.why.en and rule.why.ja, rule_id
        assert rule.false_positives is not None and rule.false_positives.en and rule.false_positives.ja, rule_id
