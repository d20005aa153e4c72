"""Fixes from the seventh strictly blind trial (machine-builder, a packaging-machine builder and its remote service).

Each test states what the guideline asks, on a fixture beside the rule's own
(tests/fixtures/rules/<RULE ID>/), and failed before the fix it guards.
"""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.conftest import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"


def _findings(fixture: str, catalog: Catalog, rule: str) -> list[str]:
    return sorted(f.id for f in analyze(load_model(RULE_FIXTURES / fixture), catalog).findings if f.rule == rule)


def test_a_visitors_laptop_is_no_reason_to_divide_a_zones_control_issuers(catalog: Catalog) -> None:
    # Annex A case (i) divides issuers of control instructions from the zone's standing assets that issue none; a
    # customer's laptop brought in for an acceptance test is managed as external equipment (Table 2-1), not zoned.
    assert _findings("ZONE-MIXED-CONTROL/issuer-with-visitor-laptop.yaml", catalog, "ZONE-MIXED-CONTROL") == []
    # the zone's own PC that issues none still calls for the division, laptop or not
    assert _findings("ZONE-MIXED-CONTROL/issuer-with-visitor-laptop-and-pc.yaml", catalog, "ZONE-MIXED-CONTROL") == [
        "ZONE-MIXED-CONTROL@control"
    ]


def test_instructions_whose_lineage_reaches_outside_data_are_of_outside_origin_without_a_drawn_route(
    catalog: Catalog,
) -> None:
    # Table 3-4 (control instructions from outside the control network): NC programs the CAM station makes from a
    # customer's drawings are outside instructions, though no conduit shows the drawings passing from the PLM to it.
    rule = "THREAT-OUTSIDE-ORIGIN-CONTROL"
    found = analyze(load_model(RULE_FIXTURES / rule / "lineage-outside-no-route.yaml"), catalog).findings
    ids = sorted(f.id for f in found if f.rule == rule)
    assert ids == [f"{rule}@eng-to-line"]
    finding = next(f for f in found if f.rule == rule)
    assert "'Customer drawings' (brought in by drawings-in)" in finding.rationale.en
    assert "drawings" in finding.related
    assert "「Customer drawings」（drawings-in で持ち込まれる）" in finding.rationale.ja
    # programs made from an in-house master stay silent: no route and no outside lineage
    assert _findings(f"{rule}/lineage-inside-no-route.yaml", catalog, rule) == []


def test_machine_builder_nc_programs_from_customers_drawings_are_outside_instructions_and_fat_laptops_split_nothing(
    catalog: Catalog,
) -> None:
    from tests.conftest import ROOT

    ids = {f.id for f in analyze(load_model(ROOT / "examples" / "machine-builder"), catalog).findings}
    assert "THREAT-OUTSIDE-ORIGIN-CONTROL@dnc-to-cnc" in ids
    assert "ZONE-MIXED-CONTROL@test-floor" not in ids
