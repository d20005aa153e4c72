"""Annex A acceptance: reviewing the example factory against each case gives the review the appendix describes."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.analysis import analyze
from factorysec.analysis.review import ChangeReview, review
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import load_model_with_sources
from factorysec.model.loader import LoadedModel

ANNEX_A = Path(__file__).resolve().parents[2] / "examples" / "annex-a"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def load(name: str) -> LoadedModel:
    return load_model_with_sources(ANNEX_A / name)


@pytest.fixture(scope="module")
def current() -> LoadedModel:
    return load("current")


def zone_reasons(result: ChangeReview, zone_id: str) -> set[str]:
    entry = next((z for z in result.zoning.zones_to_review if z.zone == zone_id), None)
    assert entry is not None, f"zone {zone_id} is not listed for review"
    return {r.code for r in entry.reasons}


def new_zoning_ids(result: ChangeReview) -> set[str]:
    return {f.id for f in result.zoning.new_findings}


class TestCaseOne:
    """(i) CAD service added in the OA zone, production zone divided by operation."""

    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, current: LoadedModel, catalog: Catalog) -> ChangeReview:
        return review(current, load("case-1-first-added.yaml"), catalog)

    def test_production_zone_divided_into_parts_and_product(self, result: ChangeReview) -> None:
        assert set(result.zoning.new_zones) == {"parts-zone", "product-zone"}
        (split,) = result.zoning.splits
        assert split.zone == "production"
        assert split.into == ("parts-zone", "product-zone")
        assert split.sub_zones
        assert {"parts-line", "product-line"} <= set(split.moved_assets)
        assert "split" in zone_reasons(result, "production")

    def test_cad_to_scada_to_parts_control_flow(self, result: ChangeReview) -> None:
        flows = {f.conduit: f for f in result.data_flows if f.change == "added"}
        assert set(flows) == {"cad-to-scada", "scada-to-parts"}
        assert (flows["cad-to-scada"].from_zone, flows["cad-to-scada"].to_zone) == ("oa", "monitoring-zone")
        assert (flows["scada-to-parts"].from_zone, flows["scada-to-parts"].to_zone) == ("monitoring-zone", "parts-zone")
        assert all(f.control_instructions for f in flows.values())
        assert "cad-data" in flows["cad-to-scada"].sensitive_data

    def test_cad_control_zone_to_separate_from_oa(self, result: ChangeReview) -> None:
        finding = next(f for f in result.zoning.findings if f.id == "ZONE-MIXED-CONTROL@oa")
        assert finding.change == "new"
        assert finding.subject.id == "oa"
        oa = next(z for z in result.zoning.zones_to_review if z.zone == "oa")
        assert "ZONE-MIXED-CONTROL@oa" in oa.findings
        assert {"zoning-finding", "new-outbound-flow", "assets-changed"} <= {r.code for r in oa.reasons}
        cad = result.element("asset", "cad")
        assert cad is not None and cad.change == "added" and cad.smartification
        assert "ZONE-MIXED-CONTROL@oa" in cad.findings

    def test_requirements_between_the_zones_of_the_control_flow(self, result: ChangeReview) -> None:
        new = {r.id for r in result.requirements if r.change == "new" and r.scope == "between-zones"}
        for pair in (
            "oa->monitoring-zone",
            "monitoring-zone->parts-zone",
        ):  # the zones that cad-to-scada and scada-to-parts join
            assert f"REQ-external-control-instructions@{pair}" in new
            assert f"REQ-transfer-integrity@{pair}" in new
        covered = {
            c for r in result.requirements if r.id.startswith("REQ-external-control-instructions@") for c in r.conduits
        }
        assert {"cad-to-scada", "scada-to-parts"} <= covered
        assert {"parts-zone", "monitoring-zone"} <= {z.zone for z in result.zoning.zones_to_review}

    def test_new_operation_is_a_smartification_operation(self, result: ChangeReview) -> None:
        operation = result.element("operation", "cad-driven-machining")
        assert operation is not None and operation.change == "added"
        assert operation.status == "new" and operation.smartification

    def test_control_flow_triggers_stop_or_continue_criteria(self, result: ChangeReview) -> None:
        items = {b.viewpoint: b for b in result.bcp}
        assert not items["suspend-continue-criteria"].covered
        assert set(items["suspend-continue-criteria"].triggered_by) == {"cad-to-scada", "scada-to-parts"}
        assert items["decision-structure"].covered

    def test_references_name_the_annex_step(self, result: ChangeReview) -> None:
        assert all("Annex A step 2" in f.reference for f in result.data_flows)
        assert all("Annex A step 3" in z.reference for z in result.zoning.zones_to_review)
        assert all(s.reference.startswith("Annex A step 1") for s in result.zoning.splits)


class TestCaseTwo:
    """(ii) External remote maintenance service added in the warehouse zone."""

    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, current: LoadedModel, catalog: Catalog) -> ChangeReview:
        return review(current, load("case-2-first-added.yaml"), catalog)

    def test_remote_maintenance_to_separate_into_its_own_zone(self, result: ChangeReview) -> None:
        assert "ZONE-MIXED-MANAGEMENT@warehouse-zone" in new_zoning_ids(result)
        assert "zoning-finding" in zone_reasons(result, "warehouse-zone")
        assert not result.zoning.new_zones and not result.zoning.splits

    def test_sensitive_inventory_and_in_out_data_cross_to_the_service(self, result: ChangeReview) -> None:
        (flow,) = result.data_flows
        assert flow.conduit == "warehouse-to-remote-maintenance"
        assert flow.within_zone and flow.from_zone == flow.to_zone == "warehouse-zone"
        assert flow.data == ("warehouse-inout-data", "material-inventory")
        assert flow.external_network == "internet"
        assert "warehouse-inout-data" in flow.sensitive_data
        assert "new-internal-flow" in zone_reasons(result, "warehouse-zone")

    def test_responsibility_boundary_to_confirm(self, result: ChangeReview) -> None:
        (boundary,) = result.responsibilities
        assert boundary.subject == "remote-maintenance-service"
        assert boundary.party == "remote-maintenance-provider"
        assert boundary.settled_areas == ()
        assert "ZONE-MIXED-MANAGEMENT@warehouse-zone" in boundary.findings
        assert "Annex A case (ii) step 3" in boundary.reference

    def test_new_provider_brings_the_cloud_service_checklist(self, result: ChangeReview) -> None:
        (party,) = result.stakeholders
        assert party.party == "remote-maintenance-provider"
        assert "remote-maintenance-service" in party.brings
        assert party.checklists == ("cloud-service",)
        (checklist,) = result.checklists
        assert checklist.kind == "cloud-service" and "Table 3-10" in checklist.reference
        assert checklist.items and all(i.startswith("cloud.") for i in checklist.items)

    def test_bcp_partner_items_skip_what_the_bcp_covers(self, result: ChangeReview) -> None:
        items = {b.viewpoint: b for b in result.bcp}
        assert items["partner-incident-impact"].covered
        assert not items["undetermined-cause-impact"].covered
        assert not items["new-service-attack-suspension"].covered
        assert items["suspend-continue-criteria"].triggered_by == ("warehouse-to-remote-maintenance",)


class TestCaseThree:
    """(iii) MES upgrade: no new zone, production control's requirements reviewed."""

    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, current: LoadedModel, catalog: Catalog) -> ChangeReview:
        return review(current, load("case-3-first-added.yaml"), catalog)

    def test_no_zoning_finding_asks_for_a_new_zone(self, result: ChangeReview) -> None:
        assert result.zoning.new_findings == ()

    def test_production_control_requirements_to_review(self, result: ChangeReview) -> None:
        reasons = zone_reasons(result, "production-control")
        assert "new-inbound-flow" in reasons
        assert "new-zone" not in reasons and "split" not in reasons
        entry = next(z for z in result.zoning.zones_to_review if z.zone == "production-control")
        inbound = {e for r in entry.reasons if r.code == "new-inbound-flow" for e in r.elements}
        assert inbound == {"parts-status-to-control", "product-status-to-control"}
        assert any(r.id == "REQ-integrity@production-control" and r.change == "new" for r in result.requirements)

    def test_new_status_flows_from_both_manufacturing_zones(self, result: ChangeReview) -> None:
        flows = {f.conduit: (f.from_zone, f.to_zone) for f in result.data_flows if f.change == "added"}
        assert flows == {
            "parts-status-to-control": ("parts-zone", "production-control"),
            "product-status-to-control": ("product-zone", "production-control"),
        }

    def test_no_new_control_flow_or_external_connection(self, result: ChangeReview) -> None:
        assert not any(b.group == "decision-making" for b in result.bcp)

    def test_requirements_review_without_zone_change(self, current: LoadedModel, catalog: Catalog) -> None:
        """Based on the divided factory, case (iii) changes no zone, yet production control's requirements change."""
        result = review(load("step1-production-divided.yaml"), load("case-3-first-added.yaml"), catalog)
        assert not [e for e in result.elements if e.kind == "zone"]
        assert result.zoning.new_zones == () and result.zoning.splits == ()
        assert "new-inbound-flow" in zone_reasons(result, "production-control")


class TestAfterReview:
    """The zoning review resolves the zoning findings of the first-added state."""

    def test_case_one_cad_control_zone_resolves_mixed_control(self, catalog: Catalog) -> None:
        result = review(load("case-1-first-added.yaml"), load("case-1-after-review.yaml"), catalog)
        resolved = {f.id for f in result.zoning.resolved_findings}
        assert "ZONE-MIXED-CONTROL@oa" in resolved
        assert result.zoning.new_zones == ("cad-control",)
        (split,) = result.zoning.splits
        assert split.zone == "oa" and split.into == ("cad-control",) and not split.sub_zones
        assert {"cad", "operation-server"} <= set(split.moved_assets)

    def test_case_two_external_zone_resolves_mixed_management(self, catalog: Catalog) -> None:
        result = review(load("case-2-first-added.yaml"), load("case-2-after-review.yaml"), catalog)
        assert "ZONE-MIXED-MANAGEMENT@warehouse-zone" in {f.id for f in result.zoning.resolved_findings}
        assert result.zoning.new_zones == ("external-services",)
        flow = next(f for f in result.data_flows if f.conduit == "warehouse-to-remote-maintenance")
        assert flow.change == "changed" and not flow.within_zone and flow.to_zone == "external-services"
        assert any(b.subject == "external-services" and b.subject_kind == "zone" for b in result.responsibilities)

    def test_change_file_alone_reviews_against_its_base(self, catalog: Catalog) -> None:
        loaded = load("case-2-after-review.yaml")
        assert loaded.base is not None
        result = review(loaded.base, loaded, catalog)
        assert result.title == loaded.change_title
        assert "ZONE-MIXED-MANAGEMENT@warehouse-zone" in {f.id for f in result.zoning.resolved_findings}


@pytest.mark.parametrize(
    "name",
    ["current", "case-1-first-added.yaml", "case-2-after-review.yaml", "all-cases-reviewed.yaml"],
)
def test_same_model_reports_no_change(name: str, catalog: Catalog) -> None:
    model = load(name)
    result = review(model, model, catalog)
    assert not result.has_changes
    assert result.model_dump(exclude={"factory_id", "title", "before_digest", "after_digest"}) == ChangeReview(
        factory_id="x", before_digest="d", after_digest="d"
    ).model_dump(exclude={"factory_id", "title", "before_digest", "after_digest"})


def test_case_two_moving_the_service_into_the_warehouse_zone_keeps_its_requirements(catalog: Catalog) -> None:
    """#23 item 3: drawn inside the warehouse zone (as first added) or in its own external zone (after review), the data
    sent to the remote maintenance service are asked the same: transfer both ways, and confidentiality and integrity where
    the service receives them; moving the service into the control-side zone no longer drops any of them."""
    first = load("case-2-first-added.yaml")
    after = load("case-2-after-review.yaml")
    first_ids = {r.id for r in analyze(first.model, catalog).requirements}
    after_ids = {r.id for r in analyze(after.model, catalog).requirements}
    assert len(first_ids) == len(after_ids) == 36
    service, zone = "remote-maintenance-service", "warehouse-zone"
    for part in ("confidentiality", "integrity", "availability"):
        assert f"REQ-transfer-{part}@{zone}->external-services" in after_ids
        assert f"REQ-transfer-{part}@{zone}->{service}" in first_ids
        assert f"REQ-transfer-{part}@external-services->{zone}" in after_ids
        assert f"REQ-transfer-{part}@{service}->{zone}" in first_ids
    assert {"REQ-confidentiality@external-services", "REQ-integrity@external-services"} <= after_ids
    assert {f"REQ-confidentiality@{zone}#{service}", f"REQ-integrity@{zone}#{service}"} <= first_ids
    assert f"REQ-integrity@{zone}" in first_ids & after_ids  # the warehouse newly receives the data back either way
    moved_back = review(after, first, catalog)
    removed = {r.id for r in moved_back.requirements if r.change == "removed"}
    added = {r.id for r in moved_back.requirements if r.change == "new"}
    assert len(removed) == len(added) == 8  # each removed one has its counterpart on the service inside the zone
