"""Fixes from the seventh strictly blind trial (machine-builder, a packaging-machine builder and its remote service).

Each test states what the guideline asks, on a fixture beside the rule's own
(tests/fixtures/rules/<RULE ID>/), and failed before the fix it guards.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import FactoryModel, load_model
from tests.analysis.rule_findings import RULE_FIXTURES, fixture_rule_ids


def test_a_visitors_laptop_is_no_reason_to_divide_a_zones_control_issuers(catalog: Catalog) -> None:
    # Annex A case (i) divides issuers of control instructions from the zone's standing assets that issue none; a
    # customer's laptop brought in for an acceptance test is managed as external equipment (Table 2-1), not zoned.
    assert fixture_rule_ids("ZONE-MIXED-CONTROL/issuer-with-visitor-laptop.yaml", catalog, "ZONE-MIXED-CONTROL") == []
    # the zone's own PC that issues none still calls for the division, laptop or not
    assert fixture_rule_ids(
        "ZONE-MIXED-CONTROL/issuer-with-visitor-laptop-and-pc.yaml", catalog, "ZONE-MIXED-CONTROL"
    ) == ["ZONE-MIXED-CONTROL@control"]


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
    assert fixture_rule_ids(f"{rule}/lineage-inside-no-route.yaml", catalog, rule) == []


def test_machine_builder_nc_programs_from_customers_drawings_are_outside_instructions_and_fat_laptops_split_nothing(
    catalog: Catalog,
) -> None:
    from tests.conftest import ROOT

    ids = {f.id for f in analyze(load_model(ROOT / "examples" / "machine-builder"), catalog).findings}
    assert "THREAT-OUTSIDE-ORIGIN-CONTROL@dnc-to-cnc" in ids
    assert "ZONE-MIXED-CONTROL@test-floor" not in ids


def test_equipment_an_outside_party_runs_on_its_own_site_gets_no_general_purpose_product_checklist(
    catalog: Catalog,
) -> None:
    # Table 3-11 lists what to check when the factory introduces (procures) a general-purpose product; a software house's
    # PCs in its own network, run by it, are not procured by the factory. The factory's own gateway there still is.
    assessment = analyze(load_model(RULE_FIXTURES / "S3-CHECKLIST-OPEN" / "run-on-partners-site.yaml"), catalog)
    assert sorted(f.id for f in assessment.lifecycle.findings if f.rule == "S3-CHECKLIST-OPEN") == [
        "S3-CHECKLIST-OPEN@gateway#general-purpose-product",
        "S3-CHECKLIST-OPEN@ws#general-purpose-product",
    ]


def test_a_checklist_answer_for_a_partners_own_pc_is_refused_as_out_of_scope(tmp_path: Path) -> None:
    # check and analyze decide with the same function: an answer for a checklist the asset no longer gets would be
    # recorded and never shown, so check refuses it (exit 2) at the answer's item.
    fixture = RULE_FIXTURES / "S3-CHECKLIST-OPEN" / "run-on-partners-site.yaml"
    change = tmp_path / "answer.yaml"
    change.write_text(
        f"change: {{base: {fixture}}}\n"
        "add:\n"
        "  checklist_answers: [{subject: dev-pcs, item: product.procurement.support-policy, answer: 'no'}]\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "factorysec", "check", str(change)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "checklist_answers[0].item" in result.stderr
    assert "dev-pcs" in result.stderr


# --- THREAT-EXTERNAL-DATA: the factory's data kept on an outside system, told from the data asset (branch extdata) ---


def test_the_factorys_data_kept_in_an_external_zone_is_told_from_the_data_asset(catalog: Catalog) -> None:
    # Table 3-5 (handling of information on external systems), Table 3-6 row 4: the factory's data held on an outside
    # system leak when that system is attacked, whether or not a conduit is drawn taking them there. Public data, and an
    # outside party's own records on its own system, are not told; a data asset a conduit finding already names at that
    # zone is not told twice.
    rule = "THREAT-EXTERNAL-DATA"
    found = [
        f for f in analyze(load_model(RULE_FIXTURES / rule / "kept-outside.yaml"), catalog).findings if f.rule == rule
    ]
    assert sorted(f.id for f in found) == [
        f"{rule}@backups",
        f"{rule}@credentials",
        f"{rule}@drawings",
        f"{rule}@office-to-cloud",
    ]
    by_id = {f.id: f for f in found}
    credentials = by_id[f"{rule}@credentials"]
    assert credentials.subject.kind == "asset"
    assert credentials.related == ("credentials", "ext", "vendor")
    en, ja = credentials.rationale.en, credentials.rationale.ja
    assert "The factory's data 'Device credentials' (disclosure: secret)" in en
    assert "'Vendor cloud' (run by 'Line vendor')" in en
    assert "Table 3-5" in en and "Table 3-6 row 4" in en
    assert "contract with 'Line vendor'" in en and "encrypted" in en and "can read it" in en
    assert "「Vendor cloud」（運用：「Line vendor」）" in ja and "表3-5" in ja and "開示範囲：秘密" in ja
    # a lifecycle storage event places the data there too; a zone that names no operator is the service runners'
    backups = by_id[f"{rule}@backups"]
    assert backups.related == ("backups", "platform", "iaas")
    assert "'Own platform on the IaaS' (on systems run by 'IaaS provider')" in backups.rationale.en
    # another party's data the factory keeps on a third party's system is still told, with whose it is
    assert "rights held by 'Key customer'" in by_id[f"{rule}@drawings"].rationale.en
    # a contractor's own records (its controller) on its own service, as in examples/cement-plant, are not told
    assert fixture_rule_ids("THREAT-EXTERNAL-NETWORK/contractor-enclave.yaml", catalog, rule) == []


def test_machine_builder_gateway_credentials_kept_in_the_cloud_are_told_and_data_on_told_conduits_are_not_again(
    catalog: Catalog,
) -> None:
    from tests.conftest import ROOT

    ids = {f.id for f in analyze(load_model(ROOT / "examples" / "machine-builder"), catalog).findings}
    assert "THREAT-EXTERNAL-DATA@gateway-credentials" in ids
    # the telemetry and the update packages are named by the conduit findings that hand them to the cloud
    assert {"THREAT-EXTERNAL-DATA@release-to-cloud", "THREAT-EXTERNAL-DATA@service-to-cloud"} <= ids
    assert not {"THREAT-EXTERNAL-DATA@machine-telemetry", "THREAT-EXTERNAL-DATA@update-packages"} & ids


def _without_instructions_from(model: FactoryModel) -> FactoryModel:
    return model.model_copy(
        update={"conduits": [c.model_copy(update={"instructions_from": None}) for c in model.conduits]}
    )


def _control_ids(model: FactoryModel, catalog: Catalog) -> tuple[list[str], list[str]]:
    assessment = analyze(model, catalog)
    findings = sorted(f.id for f in assessment.findings if f.rule in _DIRECTION_RULES)
    requirements = sorted(
        r.id for r in assessment.requirements if r.id.startswith("REQ-external-control-instructions@")
    )
    return findings, requirements


_DIRECTION_RULES = frozenset({"ZONE-MIXED-CONTROL", "THREAT-OUTSIDE-ORIGIN-CONTROL", "THREAT-CONTROL-FROM-OUTSIDE"})


@pytest.mark.parametrize("rule", ["ZONE-MIXED-CONTROL", "THREAT-OUTSIDE-ORIGIN-CONTROL"])
def test_a_router_that_dials_out_receives_the_instructions_its_conduit_says_come_back(
    rule: str, catalog: Catalog
) -> None:
    # Annex A case (i) divides the issuers of control instructions; Table 3-4 asks the zone that receives them whether
    # it accepts them. A vendor's router dialling out to the vendor's cloud, drawn from the router, issues nothing: the
    # cloud's sessions come back (instructions_from: to). The instructions come from outside (THREAT-CONTROL-FROM-OUTSIDE),
    # the line is asked, and the router is no issuer to divide from the CNC nor a builder of instructions from outside
    # data.
    model = load_model(RULE_FIXTURES / rule / "router-dials-out.yaml")
    assert _control_ids(model, catalog) == (
        ["THREAT-CONTROL-FROM-OUTSIDE@router-to-cloud"],
        ["REQ-external-control-instructions@control->line", "REQ-external-control-instructions@vendor-cloud->line"],
    )
    # without the field the drawn way holds: the router issues, and the cloud is asked
    findings, requirements = _control_ids(_without_instructions_from(model), catalog)
    assert f"{rule}@{'line' if rule == 'ZONE-MIXED-CONTROL' else 'router-to-cloud'}" in findings
    assert "REQ-external-control-instructions@line->vendor-cloud" in requirements


def test_instructions_from_stated_wins_over_the_issuers_drawn(catalog: Catalog) -> None:
    # The store's link is drawn towards the MES, which issues instructions: read as the MES's unless the model says
    # the store's own controller issues them ('instructions_from: from').
    path = RULE_FIXTURES / "THREAT-DIFFERENT-REQUIREMENTS" / "store-drawn-to-mes.yaml"
    model = load_model(path)
    assert "REQ-external-control-instructions@control->stores" in _control_ids(model, catalog)[1]
    stated = model.model_copy(
        update={
            "conduits": [
                c.model_copy(update={"instructions_from": "from"}) if c.carries_control_instructions else c
                for c in model.conduits
            ]
        }
    )
    requirements = _control_ids(stated, catalog)[1]
    assert "REQ-external-control-instructions@stores->control" in requirements
    assert "REQ-external-control-instructions@control->stores" not in requirements


def test_machine_builder_states_which_end_issues_its_dial_out_links(catalog: Catalog) -> None:
    from tests.conftest import ROOT

    assessment = analyze(load_model(ROOT / "examples" / "machine-builder"), catalog)
    ids = {f.id for f in assessment.findings} | {r.id for r in assessment.requirements}
    for gone in (
        "ZONE-MIXED-CONTROL@machining-zone",
        "THREAT-OUTSIDE-ORIGIN-CONTROL@cnc-monitoring",
        "THREAT-OUTSIDE-ORIGIN-CONTROL@test-gw-to-cloud",
        "REQ-external-control-instructions@machining-zone->cnc-maker-cloud",
        "REQ-external-control-instructions@test-floor->iot-cloud",
    ):
        assert gone not in ids, gone
    for kept in (
        "THREAT-CONTROL-FROM-OUTSIDE@cnc-monitoring",
        "THREAT-CONTROL-FROM-OUTSIDE@test-gw-to-cloud",
        "REQ-external-control-instructions@cnc-maker-cloud->machining-zone",
        "REQ-external-control-instructions@iot-cloud->test-floor",
    ):
        assert kept in ids, kept


def test_instructions_issued_at_the_to_end_are_built_where_that_end_is(catalog: Catalog) -> None:
    # Table 3-4: the outside data that reach the issuer are what its instructions may be built from. The MES issues
    # the jobs over a link drawn from the line: the outside drawings reach it directly, not through its own
    # instructions to the line.
    model = load_model(RULE_FIXTURES / "THREAT-OUTSIDE-ORIGIN-CONTROL" / "drawn-from-the-line.yaml")
    rule = "THREAT-OUTSIDE-ORIGIN-CONTROL"
    for stated, builder, related in (
        (model, "Control zone", ["control", "line", "drawings-in"]),
        (_without_instructions_from(model), "Line zone", ["line", "control", "drawings-in", "control-to-line"]),
    ):
        finding = next(f for f in analyze(stated, catalog).findings if f.id == f"{rule}@line-to-control")
        assert f"built in '{builder}'" in finding.rationale.en
        assert list(finding.related) == related
