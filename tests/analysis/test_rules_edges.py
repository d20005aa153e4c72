"""Zoning and threats at the edges (#23 item 3): extra fixtures beside each rule's positive and negative ones."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import load_model
from tests.analysis.test_rules import RULE_FIXTURES, rule_ids_found


def test_a_controller_and_the_vehicles_it_alone_controls_are_one_system(catalog: Catalog) -> None:
    found = rule_ids_found("ZONE-MIXED-CONTROL/controller-and-vehicles.yaml", catalog)
    assert "ZONE-MIXED-CONTROL" not in found


def test_an_issuer_that_sends_on_is_split_from_the_office_pc_not_from_its_vehicles(catalog: Catalog) -> None:
    assessment = analyze(load_model(RULE_FIXTURES / "ZONE-MIXED-CONTROL/issuer-with-office-pc.yaml"), catalog)
    finding = next(f for f in assessment.findings if f.id == "ZONE-MIXED-CONTROL@agv")
    assert "Clerk PC" in finding.rationale.en
    assert "AGVs" not in finding.rationale.en


def test_an_issuer_is_not_split_from_a_hard_wired_panel_on_no_network(catalog: Catalog) -> None:
    found = rule_ids_found("ZONE-MIXED-CONTROL/issuer-with-hard-wired-panel.yaml", catalog)
    assert "ZONE-MIXED-CONTROL" not in found


def test_an_issuer_beside_a_networked_pc_and_a_hard_wired_panel_is_split_from_the_pc_only(catalog: Catalog) -> None:
    assessment = analyze(
        load_model(RULE_FIXTURES / "ZONE-MIXED-CONTROL/issuer-with-hard-wired-panel-and-pc.yaml"), catalog
    )
    (finding,) = [f for f in assessment.findings if f.rule == "ZONE-MIXED-CONTROL"]
    assert finding.id == "ZONE-MIXED-CONTROL@control"
    assert "Reporting PC" in finding.rationale.en and "Emergency-stop panel" not in finding.rationale.en


def test_office_equipment_on_the_control_side_is_told_to_move_not_also_to_split(catalog: Catalog) -> None:
    assessment = analyze(load_model(RULE_FIXTURES / "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE/positive.yaml"), catalog)
    ids = {f.id for f in assessment.findings}
    assert "ZONE-MIXED-CONTROL@control" not in ids  # the planner PC is named once, by the office rule
    moved = next(f for f in assessment.findings if f.id == "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@control")
    assert "Planner PC" in moved.rationale.en and "office (OA) zone" in moved.rationale.en
    assert "事務系（OA）のゾーン" in moved.rationale.ja


def test_a_safety_system_beside_its_process_control_is_told_to_be_separated(catalog: Catalog) -> None:
    assessment = analyze(load_model(RULE_FIXTURES / "ZONE-SAFETY-WITH-CONTROL/positive.yaml"), catalog)
    finding = next(f for f in assessment.findings if f.rule == "ZONE-SAFETY-WITH-CONTROL")
    assert "Separate the safety system" in finding.rationale.en
    assert not finding.advisory
    assert set(finding.related) == {"sis", "cnc-plc"}


def test_a_hard_wired_safety_system_beside_the_process_control_is_not_a_mixed_zone(catalog: Catalog) -> None:
    found = rule_ids_found("ZONE-SAFETY-WITH-CONTROL/hard-wired-safety.yaml", catalog)
    assert "ZONE-SAFETY-WITH-CONTROL" not in found


def test_hard_wired_process_control_shares_no_network_with_a_networked_safety_system(catalog: Catalog) -> None:
    found = rule_ids_found("ZONE-SAFETY-WITH-CONTROL/hard-wired-control.yaml", catalog)
    assert "ZONE-SAFETY-WITH-CONTROL" not in found


def test_a_networked_safety_system_is_still_separated_and_the_hard_wired_devices_are_not_named(
    catalog: Catalog,
) -> None:
    assessment = analyze(load_model(RULE_FIXTURES / "ZONE-SAFETY-WITH-CONTROL/hard-wired-and-networked.yaml"), catalog)
    (finding,) = [f for f in assessment.findings if f.rule == "ZONE-SAFETY-WITH-CONTROL"]
    assert finding.id == "ZONE-SAFETY-WITH-CONTROL@line"
    assert set(finding.related) == {"safety-plc", "cnc-plc"}
    assert "Safety relay" not in finding.rationale.en and "Relay control panel" not in finding.rationale.en


@pytest.mark.parametrize("fixture", ["positive.yaml", "private-cloud.yaml"])
def test_the_annex_a_case_ii_exception_demands_no_separation_and_says_why(fixture: str, catalog: Catalog) -> None:
    assessment = analyze(load_model(RULE_FIXTURES / "ZONE-SHARED-SERVICE" / fixture), catalog)
    rules = {f.rule for f in assessment.findings}
    assert "ZONE-MIXED-MANAGEMENT" not in rules
    advisory = next(f for f in assessment.findings if f.rule == "ZONE-SHARED-SERVICE")
    assert advisory.advisory
    reason = "MSA-2026-07 security annex" if fixture == "positive.yaml" else "private cloud"
    assert reason in advisory.rationale.en


def test_without_the_exception_separation_is_demanded(catalog: Catalog) -> None:
    assert "ZONE-MIXED-MANAGEMENT" in rule_ids_found("ZONE-SHARED-SERVICE/negative.yaml", catalog)


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("invalid-in-house.yaml", "asset 'robot' is neither an external service nor run by a party"),
        ("invalid-no-contract.yaml", "'contract-measures' needs the contract"),
    ],
)
def test_a_misplaced_exception_is_one_line_naming_file_line_and_field(fixture: str, message: str) -> None:
    path = RULE_FIXTURES / "ZONE-SHARED-SERVICE" / fixture
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    line = next(line for line in result.output.splitlines() if "separation_exception" in line)
    assert line.split(":")[0].endswith(f"ZONE-SHARED-SERVICE/{fixture}") and message in line
    assert line.split(":")[1].isdigit()  # the line of the asset's entry
    assert "Traceback" not in result.output


def test_operation_based_division_applies_to_a_logistics_zone(catalog: Catalog) -> None:
    assert rule_ids_found("ZONE-DIVISIBLE-BY-OPERATION/logistics.yaml", catalog)["ZONE-DIVISIBLE-BY-OPERATION"] == [
        "ZONE-DIVISIBLE-BY-OPERATION@yard"
    ]


def test_the_process_industry_caveat_is_kept_for_every_zone_kind(catalog: Catalog) -> None:
    model = load_model(RULE_FIXTURES / "ZONE-DIVISIBLE-BY-OPERATION/logistics.yaml")
    process = model.model_copy(update={"factory": model.factory.model_copy(update={"industry": "material-process"})})
    for current, caveat in ((model, False), (process, True)):
        finding = next(f for f in analyze(current, catalog).findings if f.id == "ZONE-DIVISIBLE-BY-OPERATION@yard")
        assert ("material or process industry" in finding.rationale.en) is caveat
        assert ("素材・プロセス産業" in finding.rationale.ja) is caveat


def test_a_threat_at_the_vendors_site_is_told_on_the_factory_zone_it_reaches(catalog: Catalog) -> None:
    assessment = analyze(load_model(RULE_FIXTURES / "THREAT-EXTERNAL-EQUIPMENT/vendor-site.yaml"), catalog)
    ids = [f.id for f in assessment.findings if f.rule == "THREAT-EXTERNAL-EQUIPMENT"]
    assert ids == ["THREAT-EXTERNAL-EQUIPMENT@line"]
    finding = next(f for f in assessment.findings if f.id == "THREAT-EXTERNAL-EQUIPMENT@line")
    assert "Remote support desk ('Vendor support centre')" in finding.rationale.en
    assert "'Line zone'" in finding.rationale.en
    on_site = {f.rule for f in assessment.findings if f.subject.id == "vendor-centre" and f.category == "threat"}
    assert on_site == {"THREAT-EXTERNAL-SYSTEM"}  # the one threat about the outside system as such
