"""Rule reasoning corrected after the blind trial on examples/chemical-batch (a material/process plant).

Each test states what the guideline asks, on a fixture beside the rule's own
(tests/fixtures/rules/<RULE ID>/), and failed before the fix it guards.
"""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.analysis.test_rules import RULE_FIXTURES, rule_ids_found


def test_a_cloud_that_gathers_the_factorys_data_and_feeds_results_back_needs_data_utilisation_measures(
    catalog: Catalog,
) -> None:
    # Appendix 3.2.2 (1)(iii): data collected from facilities, accumulated and processed in a cloud service and fed back.
    found = rule_ids_found("DATA-UTILISATION/cloud-feedback.yaml", catalog)["DATA-UTILISATION"]
    assert "DATA-UTILISATION@cloud" in found


def test_a_cloud_that_only_receives_and_a_remote_session_are_no_data_gathering_outside(catalog: Catalog) -> None:
    found = rule_ids_found("DATA-UTILISATION/cloud-session.yaml", catalog).get("DATA-UTILISATION", [])
    assert "DATA-UTILISATION@cloud" not in found
    assert "DATA-UTILISATION@vendor-site" not in found


def test_a_safety_system_beside_its_control_is_not_told_twice_as_a_zone_to_divide_by_operation(
    catalog: Catalog,
) -> None:
    found = rule_ids_found("ZONE-DIVISIBLE-BY-OPERATION/safety-only.yaml", catalog)
    assert found["ZONE-SAFETY-WITH-CONTROL"] == ["ZONE-SAFETY-WITH-CONTROL@line"]
    assert "ZONE-DIVISIBLE-BY-OPERATION" not in found


def test_a_zone_with_a_safety_system_is_still_divided_by_its_other_operations(catalog: Catalog) -> None:
    model = load_model(RULE_FIXTURES / "ZONE-DIVISIBLE-BY-OPERATION/safety.yaml")
    findings = [f for f in analyze(model, catalog).findings if f.rule == "ZONE-DIVISIBLE-BY-OPERATION"]
    assert [f.id for f in findings] == ["ZONE-DIVISIBLE-BY-OPERATION@line"]
    assert "Safety shutdown" not in findings[0].rationale.en
    assert "sis" not in findings[0].related


def test_readings_coming_back_on_a_two_way_control_conduit_are_no_control_instructions_from_the_field(
    catalog: Catalog,
) -> None:
    found = rule_ids_found("THREAT-DIFFERENT-REQUIREMENTS/two-way-equal.yaml", catalog)
    assert "THREAT-DIFFERENT-REQUIREMENTS" not in found


def test_a_two_way_control_conduit_between_zones_of_different_importance_gives_only_the_true_reason(
    catalog: Catalog,
) -> None:
    model = load_model(RULE_FIXTURES / "THREAT-DIFFERENT-REQUIREMENTS/two-way-critical.yaml")
    findings = [f for f in analyze(model, catalog).findings if f.rule == "THREAT-DIFFERENT-REQUIREMENTS"]
    assert [f.id for f in findings] == ["THREAT-DIFFERENT-REQUIREMENTS@cell"]
    assert "importance high vs critical" in findings[0].rationale.en
    assert "control instructions from" not in findings[0].rationale.en


def test_control_instructions_of_outside_origin_say_the_data_came_in_on_removable_media(catalog: Catalog) -> None:
    model = load_model(RULE_FIXTURES / "THREAT-OUTSIDE-ORIGIN-CONTROL/removable-media.yaml")
    findings = [f for f in analyze(model, catalog).findings if f.rule == "THREAT-OUTSIDE-ORIGIN-CONTROL"]
    assert [f.id for f in findings] == ["THREAT-OUTSIDE-ORIGIN-CONTROL@control-to-line"]
    assert "(removable media used at 'Engineering terminal')" in findings[0].rationale.en
    assert "「Engineering terminal」で使う可搬記録媒体" in findings[0].rationale.ja


def test_control_instructions_of_outside_origin_over_a_network_name_the_zones_and_conduits_they_came_by(
    catalog: Catalog,
) -> None:
    model = load_model(RULE_FIXTURES / "THREAT-OUTSIDE-ORIGIN-CONTROL/positive.yaml")
    findings = [f for f in analyze(model, catalog).findings if f.rule == "THREAT-OUTSIDE-ORIGIN-CONTROL"]
    assert "(customer-drawings → Office zone → office-to-eng)" in findings[0].rationale.en
    assert "removable media" not in findings[0].rationale.en


def test_a_remote_maintenance_session_into_a_zone_is_no_data_it_gathers(catalog: Catalog) -> None:
    # Appendix 3.2.2 (1)(iii) is about data gathered and used; a two-way session across the company boundary that
    # names no data asset (remote support) carries none to assure.
    found = rule_ids_found("DATA-UTILISATION/cloud-session.yaml", catalog).get("DATA-UTILISATION", [])
    assert "DATA-UTILISATION@control" not in found


def test_a_two_way_conduit_carries_its_data_away_from_where_they_are_held(catalog: Catalog) -> None:
    outbound = rule_ids_found("DATA-UTILISATION/session-outbound.yaml", catalog).get("DATA-UTILISATION", [])
    assert "DATA-UTILISATION@line" not in outbound
    inbound = rule_ids_found("DATA-UTILISATION/two-way-data-in.yaml", catalog).get("DATA-UTILISATION", [])
    assert "DATA-UTILISATION@line" in inbound
