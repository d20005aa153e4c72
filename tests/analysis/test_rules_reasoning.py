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
