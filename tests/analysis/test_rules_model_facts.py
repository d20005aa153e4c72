"""Facts the model states that the rules read (blind trials of injection-moulding-sme and battery-cell).

Each test states what the guideline asks, on a fixture beside the rule's own (tests/fixtures/rules/<RULE ID>/), and
failed before the fact existed.
"""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel
from tests.conftest import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"


def _procured(model: FactoryModel, asset_id: str) -> FactoryModel:
    """The model with ``asset_id`` procured by the factory after all (``procured: true``)."""
    assets = [a.model_copy(update={"procured": True}) if a.id == asset_id else a for a in model.assets]
    return model.model_copy(update={"assets": assets})


def _findings(model: FactoryModel, catalog: Catalog, rule: str) -> dict[str, tuple[str, ...]]:
    assessment = analyze(model, catalog)
    return {f.id: tuple(f.related) for f in (*assessment.findings, *assessment.lifecycle.findings) if f.rule == rule}


def test_equipment_the_factory_did_not_procure_gets_no_procurement_checklist(catalog: Catalog) -> None:
    # Table 3-11 lists what to check when the factory procures a general-purpose product; a utility's demand monitor
    # that the utility owns and put in for its own service is not procured by the factory.
    model = load_model(RULE_FIXTURES / "S3-CHECKLIST-OPEN/not-procured.yaml")
    assert sorted(_findings(model, catalog, "S3-CHECKLIST-OPEN")) == [
        "S3-CHECKLIST-OPEN@own-monitor#general-purpose-product"
    ]
    assert "S3-CHECKLIST-OPEN@demand-monitor#general-purpose-product" in _findings(
        _procured(model, "demand-monitor"), catalog, "S3-CHECKLIST-OPEN"
    )


def test_the_owner_of_equipment_not_procured_is_no_supplier_a_requirement_falls_on(catalog: Catalog) -> None:
    # 3.3 (2): a standard's demands on suppliers fall on those the factory procures from.
    model = load_model(RULE_FIXTURES / "S1-REQUIREMENT-CONSEQUENCE/not-procured.yaml")
    found = _findings(model, catalog, "S1-REQUIREMENT-CONSEQUENCE")
    assert found == {"S1-REQUIREMENT-CONSEQUENCE@semi#supplier-baseline": ("vendor",)}
    procured = _findings(_procured(model, "demand-monitor"), catalog, "S1-REQUIREMENT-CONSEQUENCE")
    assert "utility" in procured["S1-REQUIREMENT-CONSEQUENCE@semi#supplier-baseline"]
    assert "demand-monitor" in procured["S1-REQUIREMENT-CONSEQUENCE@semi#equipment-acceptance"]


def test_a_party_putting_in_its_own_equipment_is_asked_no_procured_product_perspective(catalog: Catalog) -> None:
    # 3.1.1 (3): the effect of a vulnerability or incident in a procured product; the utility's monitor is not one.
    model = load_model(RULE_FIXTURES / "S1-INCIDENT-IMPACT/not-procured.yaml")
    assert _findings(model, catalog, "S1-INCIDENT-IMPACT") == {}
    procured = _findings(_procured(model, "demand-monitor"), catalog, "S1-INCIDENT-IMPACT")
    assert "procured-product-vulnerability" in next(iter(procured.values()))


def test_the_act_gives_its_core_infrastructure_duties_only_where_that_part_applies(catalog: Catalog) -> None:
    # 3.3 (2): core infrastructure providers confirm compliance before procurement; a plant approved under the Act's
    # critical-materials part is no such provider, and the appendix states no duty of that part.
    model = load_model(RULE_FIXTURES / "S1-REQUIREMENT-CONSEQUENCE/act-parts.yaml")
    assessment = analyze(model, catalog)
    found = {f.id: f for f in assessment.findings if f.rule == "S1-REQUIREMENT-CONSEQUENCE"}
    assert sorted(found) == [
        "S1-REQUIREMENT-CONSEQUENCE@espa#pre-procurement-confirmation",
        "S1-REQUIREMENT-CONSEQUENCE@espa#supplier-and-maintainer-information",
        "S1-REQUIREMENT-CONSEQUENCE@espa-core#pre-procurement-confirmation",
        "S1-REQUIREMENT-CONSEQUENCE@espa-core#supplier-and-maintainer-information",
    ]
    assumed = found["S1-REQUIREMENT-CONSEQUENCE@espa#pre-procurement-confirmation"].rationale
    assert "Requirement 'espa' names no part of the law, so its core-infrastructure part is assumed" in assumed.en
    assert (
        "list it in the requirement's 'parts' (critical-materials, critical-technologies, patent-non-disclosure)"
        in (assumed.en)
    )
    assert "core-infrastructure の制度が適用されると想定した" in assumed.ja and "'parts'" in assumed.ja
    stated = found["S1-REQUIREMENT-CONSEQUENCE@espa-core#pre-procurement-confirmation"].rationale
    assert "assumed" not in stated.en and "想定" not in stated.ja
