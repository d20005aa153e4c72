"""Unit behaviour of the smartification review beyond Annex A: highlights, finding levels, BCP coverage, checklists."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from factorysec.analysis import analyze
from factorysec.analysis.findings import Subject
from factorysec.analysis.review import before_highlight_ids, diff_findings, highlight_ids, review, review_versions
from factorysec.analysis.risk import LEVEL_RANK
from factorysec.catalog import Catalog
from factorysec.model import load_model_with_sources
from factorysec.model.entities import FactoryModel
from tests.conftest import EXAMPLES


def model(**sections: Any) -> FactoryModel:
    return FactoryModel.model_validate({"factory": {"id": "f", "name": "F"}, **sections})


ZONES = [{"id": "z1", "name": "Z1", "kind": "production"}, {"id": "ext", "name": "Ext", "kind": "external"}]


def test_highlight_ids_marks_added_and_changed_elements_not_removed(catalog: Catalog) -> None:
    result = review(
        load_model_with_sources(EXAMPLES / "current"),
        load_model_with_sources(EXAMPLES / "case-1-first-added.yaml"),
        catalog,
    )
    marks = highlight_ids(result)
    assert marks["cad-to-scada"] == "added" and marks["parts-zone"] == "added"
    assert marks["scada"] == "changed" and marks["production"] == "changed"
    assert "oa-server" not in marks and "annex-a-factory" not in marks


def test_removed_conduit_is_reported_and_not_highlighted(catalog: Catalog) -> None:
    conduit = {"id": "c", "from": "z1", "to": "ext", "external_network": "internet"}
    result = review(model(zones=ZONES, conduits=[conduit]), model(zones=ZONES), catalog)
    assert [(e.kind, e.id, e.change) for e in result.elements] == [("conduit", "c", "removed")]
    assert highlight_ids(result) == {}
    assert result.data_flows == ()


def test_new_external_connection_triggers_decision_items_and_bcp_coverage_is_said(catalog: Catalog) -> None:
    conduit = {"id": "c", "from": "z1", "to": "ext", "external_network": "internet", "status": "new"}
    before = model(zones=ZONES, bcp={"exists": True, "covers": ["decision-structure"]})
    after = model(zones=ZONES, conduits=[conduit], bcp={"exists": True, "covers": ["decision-structure"]})
    items = {b.viewpoint: b for b in review(before, after, catalog).bcp}
    assert set(items) == {"suspend-continue-criteria", "decision-structure"}
    assert items["decision-structure"].covered and not items["suspend-continue-criteria"].covered


def test_checklists_come_from_the_lifecycle_report_for_new_and_altered_assets(catalog: Catalog) -> None:
    parties = [{"id": "v", "name": "Vendor", "kind": "equipment-vendor"}]
    kept = {
        "id": "old-pc",
        "name": "Old PC",
        "type": "equipment",
        "zone": "z1",
        "traits": ["general-purpose"],
        "supplier": "v",
    }
    gateway = {"id": "gw", "name": "Gateway", "type": "equipment", "zone": "z1"}
    before = model(zones=ZONES, parties=parties, assets=[kept, gateway])
    added = [
        {"id": "pc", "name": "PC", "type": "equipment", "zone": "z1", "traits": ["general-purpose"], "supplier": "v"},
        {"id": "lib", "name": "Lib", "type": "software", "zone": "z1"},
    ]
    after = model(zones=ZONES, parties=parties, assets=[kept, {**gateway, "traits": ["cloud"]}, *added])
    result = review(before, after, catalog)
    assert {(c.subject, c.kind) for c in result.checklists} == {
        ("pc", "general-purpose-product"),
        ("lib", "software"),
        ("gw", "cloud-service"),
    }
    assert all(c.items and c.answered == 0 for c in result.checklists)
    assert next(c for c in result.checklists if c.subject == "gw").reference.endswith("Table 3-10")


def test_zone_review_when_only_requirements_change(catalog: Catalog) -> None:
    zones = [{"id": "a", "name": "A", "kind": "production"}, {"id": "b", "name": "B", "kind": "production-control"}]
    data = {"id": "d", "name": "D", "type": "data", "zone": "a", "data": {"disclosure": "secret"}}
    flow = {"id": "c", "from": "a", "to": "b", "data": ["d"], "status": "new"}
    result = review(model(zones=zones, assets=[data]), model(zones=zones, assets=[data], conduits=[flow]), catalog)
    assert result.zoning.new_zones == () and result.zoning.splits == ()
    zone_b = next(z for z in result.zoning.zones_to_review if z.zone == "b")
    assert {r.code for r in zone_b.reasons} >= {"new-inbound-flow", "requirements-changed"}
    assert any(r.id == "REQ-confidentiality@b" and r.change == "new" for r in result.requirements)


def test_a_zone_newly_exposed_to_an_external_network_raises_the_level_of_its_threats(
    catalog: Catalog, tmp_path: Path
) -> None:
    """A real model edit: Annex A's OA zone gets a link over the internet, so the threats already found behind it become likelier."""
    after = tmp_path / "after"
    shutil.copytree(EXAMPLES / "current", after)
    conduits = after / "conduits.yaml"
    edited = conduits.read_text(encoding="utf-8").replace(
        "{id: oa-to-control, from: oa, to: production-control,",
        "{id: oa-to-control, from: oa, to: production-control, external_network: internet,",
    )
    assert edited != conduits.read_text(encoding="utf-8")
    conduits.write_text(edited, encoding="utf-8")
    reviewed = review_versions(load_model_with_sources(EXAMPLES / "current"), load_model_with_sources(after), catalog)
    levels_before = {r.finding: r.level for r in reviewed.before_assessment.risks}
    levels_after = {r.finding: r.level for r in reviewed.after_assessment.risks}
    raised = {
        f for f in levels_before if f in levels_after and LEVEL_RANK[levels_after[f]] > LEVEL_RANK[levels_before[f]]
    }
    assert raised, "the edit raises no risk level: the fixture no longer exercises the feature"
    changed = {c.id: c for c in reviewed.review.threats if c.change == "level-changed"}
    assert raised <= set(changed)
    for finding_id in raised:
        assert (changed[finding_id].level_before, changed[finding_id].level_after) == (
            levels_before[finding_id],
            levels_after[finding_id],
        )
    assert all(
        c.level_before is None and c.level_after is None for c in reviewed.review.threats if c.change != "level-changed"
    )


def test_the_same_model_twice_has_no_level_change(catalog: Catalog) -> None:
    current = load_model_with_sources(EXAMPLES / "current")
    assessment = analyze(current.model, catalog)
    assert assessment.risks, "the example has ranked threats"
    assert diff_findings(assessment, analyze(current.model, catalog)) == ()


def test_before_highlight_ids_marks_removed_and_changed_elements_not_added(catalog: Catalog) -> None:
    before = model(
        zones=ZONES,
        assets=[
            {"id": "a", "name": "A", "type": "equipment", "zone": "z1"},
            {"id": "gone", "name": "Gone", "type": "equipment", "zone": "z1"},
        ],
    )
    after = model(
        zones=[{**ZONES[0], "name": "Z1 renamed"}, ZONES[1]],
        assets=[
            {"id": "a", "name": "A", "type": "equipment", "zone": "z1"},
            {"id": "fresh", "name": "Fresh", "type": "equipment", "zone": "ext"},
        ],
    )
    marks = before_highlight_ids(review(before, after, catalog))
    assert marks == {"z1": "changed", "gone": "removed"}


def test_review_versions_keeps_the_assessments_the_review_was_made_from(catalog: Catalog) -> None:
    old, new = (
        load_model_with_sources(EXAMPLES / "current"),
        load_model_with_sources(EXAMPLES / "case-1-first-added.yaml"),
    )
    reviewed = review_versions(old, new, catalog)
    assert reviewed.review == review(old, new, catalog)
    assert reviewed.before is old.model and reviewed.after is new.model
    assert reviewed.before_assessment.model_digest == reviewed.review.before_digest
    assert reviewed.after_assessment.model_digest == reviewed.review.after_digest


def test_a_conduit_joining_an_existing_zone_pair_changes_the_pair_requirements_for_both_zones(catalog: Catalog) -> None:
    zones = [{"id": "z1", "name": "Z1", "kind": "production"}, {"id": "z2", "name": "Z2", "kind": "monitoring"}]
    first = {"id": "c1", "from": "z1", "to": "z2", "carries": "counts"}
    before = model(zones=zones, conduits=[first])
    after = model(
        zones=zones,
        conduits=[
            first,
            {
                "id": "c2",
                "from": "z1",
                "to": "z2",
                "carries": "orders",
                "carries_control_instructions": True,
                "status": "new",
            },
        ],
    )
    result = review(before, after, catalog)
    changes = {r.id: r for r in result.requirements if r.scope == "between-zones"}
    confidentiality = changes["REQ-transfer-confidentiality@z1->z2"]
    assert confidentiality.change == "changed" and confidentiality.conduits == ("c1", "c2")
    assert confidentiality.text_before is not None and "(counts)" in confidentiality.text_before.en
    assert confidentiality.text_after is not None and "(counts, orders)" in confidentiality.text_after.en
    control = changes["REQ-external-control-instructions@z1->z2"]
    assert (
        control.change == "new"
        and control.subject == Subject(kind="zone", id="z1")
        and control.to_zone == "z2"
        and control.conduits == ("c2",)
    )
    for zone in result.zoning.zones_to_review:
        assert zone.zone in ("z1", "z2")
    reasons = {z.zone: {r.code: r for r in z.reasons} for z in result.zoning.zones_to_review}
    for zone_id in ("z1", "z2"):
        assert "REQ-external-control-instructions@z1->z2" in reasons[zone_id]["requirements-changed"].elements


def test_a_nested_object_s_change_is_shown_field_by_field(catalog: Catalog) -> None:
    plc = {"id": "plc", "name": "PLC", "type": "equipment", "zone": "z1", "importance": {"safety": "high"}}
    after = {
        **plc,
        "importance": {"safety": "critical"},
        "identity": {"vendor": "Siemens", "version": "V1.0.1", "source": "observed"},
    }
    result = review(model(zones=ZONES, assets=[plc]), model(zones=ZONES, assets=[after]), catalog)
    [element] = [e for e in result.elements if e.id == "plc"]
    changes = {f.field: (f.before, f.after) for f in element.fields}
    assert changes == {
        "importance.safety": ("high", "critical"),
        "identity.vendor": (None, "Siemens"),
        "identity.version": (None, "V1.0.1"),
        "identity.source": (None, "observed"),
    }
