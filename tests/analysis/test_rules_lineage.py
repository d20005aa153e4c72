"""THREAT-OUTSIDE-ORIGIN-CONTROL read with the data's lineage (``data.derived_from``).

The outside origin is followed zone by zone: a zone that outside data reach made every control instruction it sends
'built from outside data' (the blind semiconductor-backend trial: the Oita fab's wafer maps in the MES zone made its
transport orders, board programs, lot starts and, through the AMR fleet, dock handshakes of outside origin). A
conduit whose data's lineage the model states in full, none of it of outside origin, is left alone; one whose
lineage reaches outside data, or is not stated, still fires and says which. Each test failed before the lineage was
read (the rule fired on ``lineage-stated.yaml``, and said nothing of the lineage in its text).
"""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.analysis.findings import Finding
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.model.entities import AssetType, DataAttributes, FactoryModel
from tests.analysis.test_rules import RULE_FIXTURES
from tests.conftest import ROOT

RULE = "THREAT-OUTSIDE-ORIGIN-CONTROL"


def fixture(name: str) -> FactoryModel:
    return load_model(RULE_FIXTURES / RULE / name)


def rule_findings(model: FactoryModel, catalog: Catalog) -> list[Finding]:
    return [f for f in analyze(model, catalog).findings if f.rule == RULE]


def with_lineage(model: FactoryModel, asset_id: str, derived_from: list[str] | None) -> FactoryModel:
    """``model`` with one data asset's ``data.derived_from`` replaced (``None``: not stated)."""
    assets = [
        a.model_copy(update={"data": DataAttributes(derived_from=derived_from)}) if a.id == asset_id else a
        for a in model.assets
    ]
    return model.model_copy(update={"assets": assets})


def test_instructions_whose_stated_lineage_stays_inside_are_not_of_outside_origin(catalog: Catalog) -> None:
    # The customer's drawings reach the engineering zone; the programs, the product master and the tool offsets fed
    # back from the line (a cycle in the lineage) are all made inside.
    assert rule_findings(fixture("lineage-stated.yaml"), catalog) == []


def test_a_lineage_that_reaches_data_brought_in_from_outside_names_it(catalog: Catalog) -> None:
    (finding,) = rule_findings(fixture("lineage-outside.yaml"), catalog)
    assert finding.id == f"{RULE}@eng-to-line"
    assert (
        "(customer-drawings → Office zone → office-to-eng); the lineage of the data it carries reaches outside data: "
        "'Customer drawings' (brought in by customer-drawings): treat them" in finding.rationale.en
    )
    assert (
        "（運ぶデータの元をたどると外部のデータに至る：「Customer drawings」（customer-drawings で持ち込まれる））"
        in (finding.rationale.ja)
    )


def test_a_lineage_that_reaches_data_kept_outside_names_it(catalog: Catalog) -> None:
    model = fixture("lineage-stated.yaml")
    spec = model.assets[0].model_copy(
        update={
            "id": "customer-spec",
            "name": "Customer specification",
            "type": AssetType.DATA,
            "zone": "customer-site",
        }
    )
    model = model.model_copy(update={"assets": [*model.assets, spec]})
    model = with_lineage(model, "product-master", ["customer-spec"])
    (finding,) = rule_findings(model, catalog)
    assert "reaches outside data: 'Customer specification' (kept outside)" in finding.rationale.en
    assert "「Customer specification」（外部にある）" in finding.rationale.ja


def test_a_lineage_not_stated_to_its_end_keeps_the_finding_and_says_whose(catalog: Catalog) -> None:
    model = with_lineage(fixture("lineage-stated.yaml"), "product-master", None)
    (finding,) = rule_findings(model, catalog)
    assert "; the lineage of 'Product master' is not stated (data.derived_from):" in finding.rationale.en
    assert "（「Product master」の元データが記載されていない：data.derived_from）" in finding.rationale.ja


def test_a_conduit_that_lists_no_data_fires_as_before(catalog: Catalog) -> None:
    model = fixture("lineage-stated.yaml")
    conduits = [c.model_copy(update={"data": []}) if c.id == "eng-to-line" else c for c in model.conduits]
    (finding,) = rule_findings(model.model_copy(update={"conduits": conduits}), catalog)
    assert "(customer-drawings → Office zone → office-to-eng): treat them" in finding.rationale.en


def test_the_semiconductor_plants_instructions_not_made_from_the_wafer_maps_are_not_of_outside_origin(
    catalog: Catalog,
) -> None:
    """The blind trial's five wrong findings go; the die bonders' instructions, which carry the wafer maps, stay."""
    found = {f.id: f for f in rule_findings(load_model(ROOT / "examples" / "semiconductor-backend"), catalog)}
    assert sorted(found) == [f"{RULE}@eap-to-assembly"]
    assert "'Electronic wafer maps (good and bad die)' (brought in by wafer-map-in)" in (
        found[f"{RULE}@eap-to-assembly"].rationale.en
    )


AUTO = "THREAT-AUTO-CONTROL-INSTRUCTIONS"


def test_instructions_the_lineage_clears_of_outside_origin_are_still_generated_from_another_zones_data(
    catalog: Catalog,
) -> None:
    """THREAT-AUTO-CONTROL-INSTRUCTIONS deferred to THREAT-OUTSIDE-ORIGIN-CONTROL for every zone outside data reach, so
    a conduit whose stated lineage clears it of outside origin got neither finding; and it named every zone feeding the
    issuing one, among them the one the outside data came through, which the lineage says does not feed them."""
    model = load_model(RULE_FIXTURES / AUTO / "lineage-cleared.yaml")
    found = analyze(model, catalog).findings
    assert not [f for f in found if f.rule == RULE]
    (finding,) = [f for f in found if f.rule == AUTO]
    assert finding.id == f"{AUTO}@eng"
    assert "from data it receives from Office zone, with no person in between" in finding.rationale.en
    assert "dmz" not in finding.related


def test_instructions_the_lineage_says_are_made_in_the_zone_are_not_generated_from_another_zones_data(
    catalog: Catalog,
) -> None:
    model = load_model(RULE_FIXTURES / AUTO / "lineage-own.yaml")
    assert not [f for f in analyze(model, catalog).findings if f.rule == AUTO]
    # Not stated: the office's drawings may feed them, as before.
    unstated = with_lineage(model, "programs", None)
    assert [f.id for f in analyze(unstated, catalog).findings if f.rule == AUTO] == [f"{AUTO}@eng"]


def test_the_semiconductor_plants_lineage_names_what_its_automatic_instructions_are_built_from(
    catalog: Catalog,
) -> None:
    """The MES builds lot starts, board programs and transport orders from engineering's product master and the
    office's work orders; the AMR fleet its dock handshakes from the MES's transport orders. Neither names the Oita
    fab or the yield SaaS, whose data the lineage does not reach."""
    findings = {
        f.id: f
        for f in analyze(load_model(ROOT / "examples" / "semiconductor-backend"), catalog).findings
        if f.rule == AUTO
    }
    assert sorted(findings) == [f"{AUTO}@amr-zone", f"{AUTO}@automation-zone"]
    assert (
        "from data it receives from Test and SMT engineering, Plant office network, with"
        in findings[f"{AUTO}@automation-zone"].rationale.en
    )
    assert "eap-to-assembly" not in findings[f"{AUTO}@automation-zone"].related  # THREAT-OUTSIDE-ORIGIN-CONTROL's
    assert (
        "from data it receives from MES and equipment automation servers, with"
        in findings[f"{AUTO}@amr-zone"].rationale.en
    )


def _generated_at(model: FactoryModel, asset_id: str, zone: str, derived_from: list[str] | None) -> FactoryModel:
    """``model`` with one data asset generated in ``zone`` (its lifecycle) and made from ``derived_from``."""
    data = DataAttributes.model_validate(
        {"derived_from": derived_from, "lifecycle": [{"event": "generation", "zone": zone}]}
    )
    assets = [a.model_copy(update={"data": data}) if a.id == asset_id else a for a in model.assets]
    return model.model_copy(update={"assets": assets})


def test_data_generated_outside_is_of_outside_origin_wherever_it_is_kept(catalog: Catalog) -> None:
    # before: the product master, kept in the engineering zone, counted as made inside although its lifecycle says the
    # customer's portal generates it; no finding (battery-cell's demand-response events, kept by the EMS)
    model = _generated_at(fixture("lineage-stated.yaml"), "product-master", "customer-site", [])
    (finding,) = rule_findings(model, catalog)
    assert "reaches outside data: 'Product master' (generated outside)" in finding.rationale.en
    assert "「Product master」（外部で生成される）" in finding.rationale.ja
    assert rule_findings(_generated_at(fixture("lineage-stated.yaml"), "product-master", "eng", []), catalog) == []


def test_a_two_way_link_carrying_data_generated_outside_brings_it_in(catalog: Catalog) -> None:
    # before: a two-way link listing only data the factory keeps was taken for one that only sends data out, though the
    # data it lists are generated at its far end (battery-cell's dr-in: THREAT-OUTSIDE-ORIGIN-CONTROL@ems-to-formation
    # was missed)
    model = fixture("lineage-stated.yaml")
    conduits = [
        c.model_copy(update={"direction": "two-way"}) if c.id == "customer-drawings" else c for c in model.conduits
    ]
    model = _generated_at(model.model_copy(update={"conduits": conduits}), "drawings", "customer-site", [])
    model = with_lineage(model, "product-master", ["drawings"])
    (finding,) = rule_findings(model, catalog)
    assert "'Customer drawings' (brought in by customer-drawings)" in finding.rationale.en
