"""Unit behaviour of the smartification review beyond Annex A: highlights, finding levels, BCP coverage, checklists."""

from __future__ import annotations

from typing import Any

from factorysec.analysis import analyze
from factorysec.analysis.change import diff_findings, highlight_ids, review
from factorysec.analysis.findings import Finding, Subject, text
from factorysec.catalog import Catalog
from factorysec.model import load_model_with_sources
from factorysec.model.entities import FactoryModel
from tests.conftest import EXAMPLES


def model(**sections: Any) -> FactoryModel:
    return FactoryModel.model_validate({"factory": {"id": "f", "name": "F"}, **sections})


ZONES = [{"id": "z1", "name": "Z1", "kind": "production"}, {"id": "ext", "name": "Ext", "kind": "external"}]


def test_highlight_ids_marks_added_and_changed_elements_not_removed(catalog: Catalog) -> None:
    result = review(load_model_with_sources(EXAMPLES / "current"), load_model_with_sources(EXAMPLES / "case-1-first-added.yaml"), catalog)
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
    kept = {"id": "old-pc", "name": "Old PC", "type": "equipment", "zone": "z1", "traits": ["general-purpose"], "supplier": "v"}
    gateway = {"id": "gw", "name": "Gateway", "type": "equipment", "zone": "z1"}
    before = model(zones=ZONES, parties=parties, assets=[kept, gateway])
    added = [
        {"id": "pc", "name": "PC", "type": "equipment", "zone": "z1", "traits": ["general-purpose"], "supplier": "v"},
        {"id": "lib", "name": "Lib", "type": "software", "zone": "z1"},
    ]
    after = model(zones=ZONES, parties=parties, assets=[kept, {**gateway, "traits": ["cloud"]}, *added])
    result = review(before, after, catalog)
    assert {(c.subject, c.kind) for c in result.checklists} == {("pc", "general-purpose-product"), ("lib", "software"), ("gw", "cloud-service")}
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


class _RiskFinding(Finding):
    risk_level: str | None = None


def test_finding_level_change_is_reported_when_findings_carry_a_level(catalog: Catalog) -> None:
    base = analyze(model(zones=ZONES), catalog)

    def with_level(level: str) -> Any:
        finding = _RiskFinding(
            id="T@z1", rule="T", category="threat", reference="ref", title=text("t", "t"), rationale=text("r", "r"),
            subject=Subject(kind="zone", id="z1"), risk_level=level,
        )
        return base.model_copy(update={"findings": (finding,)})

    (change,) = diff_findings(with_level("low"), with_level("high"))
    assert (change.change, change.level_before, change.level_after) == ("level-changed", "low", "high")
    assert diff_findings(with_level("low"), with_level("low")) == ()
    gone = [c for c in diff_findings(with_level("low"), base) if c.id == "T@z1"]
    assert [(c.change, c.level_before) for c in gone] == [("resolved", "low")]
