"""Routes by which data travel between zones, as the rules that follow them name them.

THREAT-OUTSIDE-ORIGIN-CONTROL (Table 3-4, control instructions from outside
the control network) names every route by which outside data reach the zone
that builds the instructions, not only the first found (the blind trial on
examples/chemical-batch showed the control room's USB sticks but neither the
cloud's recipes through the MES nor the vendor's sessions).

Each test failed before the change it guards.
"""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.analysis.findings import Finding
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.analysis.test_rules import RULE_FIXTURES
from tests.conftest import ROOT


def findings(path: str, rule: str, catalog: Catalog) -> list[Finding]:
    return [f for f in analyze(load_model(RULE_FIXTURES / path), catalog).findings if f.rule == rule]


def test_instructions_of_outside_origin_name_every_route_the_outside_data_came_by(catalog: Catalog) -> None:
    (finding,) = findings("THREAT-OUTSIDE-ORIGIN-CONTROL/several-routes.yaml", "THREAT-OUTSIDE-ORIGIN-CONTROL", catalog)
    assert finding.id == "THREAT-OUTSIDE-ORIGIN-CONTROL@control-to-line"
    # Shortest first, then the entries in model order (conduits, then removable media).
    assert (
        "(removable media used at 'Engineering terminal'; cloud-to-mes → MES zone → mes-to-control; "
        "vendor-vpn → DMZ → dmz-to-control)" in finding.rationale.en
    )
    assert (
        "（「Engineering terminal」で使う可搬記録媒体；cloud-to-mes → MES zone → mes-to-control；"
        "vendor-vpn → DMZ → dmz-to-control）" in finding.rationale.ja
    )
    assert "other routes" not in finding.rationale.en
    assert {"eng-pc", "cloud-to-mes", "mes-zone", "mes-to-control", "vendor-vpn", "dmz", "dmz-to-control"} <= set(
        finding.related
    )


def test_a_zone_that_more_entries_reach_than_a_finding_lists_says_there_are_other_routes(catalog: Catalog) -> None:
    (finding,) = findings("THREAT-OUTSIDE-ORIGIN-CONTROL/many-routes.yaml", "THREAT-OUTSIDE-ORIGIN-CONTROL", catalog)
    assert "(partner-1; partner-2; partner-3; partner-4; and by other routes)" in finding.rationale.en
    assert "（partner-1；partner-2；partner-3；partner-4；ほかの経路もある）" in finding.rationale.ja
    assert "partner-5" not in finding.related


def test_one_route_is_named_alone(catalog: Catalog) -> None:
    (finding,) = findings("THREAT-OUTSIDE-ORIGIN-CONTROL/positive.yaml", "THREAT-OUTSIDE-ORIGIN-CONTROL", catalog)
    assert "(customer-drawings → Office zone → office-to-eng):" in finding.rationale.en


def test_the_chemical_batch_control_room_names_the_clouds_recipes_and_the_vendors_sessions(catalog: Catalog) -> None:
    assessment = analyze(load_model(ROOT / "examples" / "chemical-batch"), catalog)
    (finding,) = [f for f in assessment.findings if f.id == "THREAT-OUTSIDE-ORIGIN-CONTROL@control-to-reactor"]
    assert "removable media used at 'DCS and SIS engineering workstation'" in finding.rationale.en
    assert "cloud-to-mes → MES → mes-to-control" in finding.rationale.en
    assert "vendor-vpn → Plant DMZ → jump-to-ews" in finding.rationale.en
