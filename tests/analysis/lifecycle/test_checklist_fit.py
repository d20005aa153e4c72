"""Which Step 3 checklists (Tables 3-10 to 3-12) an asset gets follows the asset's kind and its counterpart's role (#23 item 5)."""

from __future__ import annotations

import pytest

from factorysec.analysis.lifecycle.checklists import PartyFit, checklist_kinds
from factorysec.catalog import Catalog
from factorysec.model.entities import Asset, Party


def _fit(catalog: Catalog, *parties: tuple[str, str]) -> PartyFit:
    return PartyFit.of([Party(id=i, name=i, kind=k) for i, k in parties], catalog.party_kinds)


def _kinds(asset: Asset, fit: PartyFit) -> list[str]:
    return [kind for kind, _ in checklist_kinds(asset, fit)]


@pytest.mark.parametrize(
    ("party_kind", "expected"),
    [
        ("cloud-provider", ["cloud-service"]),
        ("equipment-vendor", ["cloud-service"]),  # a vendor's remote maintenance service (Annex A case (ii))
        ("outsourced-vendor", ["cloud-service"]),
        ("customer", []),  # a customer's download portal: not procured, no service levels to ask about
        ("business-partner", []),
    ],
)
def test_an_external_service_gets_the_cloud_checklist_by_its_providers_role(
    catalog: Catalog, party_kind: str, expected: list[str]
) -> None:
    portal = Asset(id="portal", name="Portal", type="external-service", managed_by="p")
    assert _kinds(portal, _fit(catalog, ("p", party_kind))) == expected


def test_an_external_service_with_no_named_provider_gets_the_cloud_checklist(catalog: Catalog) -> None:
    assert _kinds(Asset(id="svc", name="Service", type="external-service"), _fit(catalog)) == ["cloud-service"]


@pytest.mark.parametrize("supplier", [None, "vendor", "client"])
def test_a_general_purpose_product_gets_the_product_checklist_whoever_supplies_it(
    catalog: Catalog, supplier: str | None
) -> None:
    pc = Asset(id="pc", name="PC", type="equipment", traits=["general-purpose"], supplier=supplier)
    fit = _fit(catalog, ("vendor", "equipment-vendor"), ("client", "customer"))
    assert _kinds(pc, fit) == ["general-purpose-product"]
    reason = checklist_kinds(pc, fit)[0][1]
    assert "whether or not its supplier is named" in reason.en


def test_built_in_computer_equipment_needs_a_supplier_of_products(catalog: Catalog) -> None:
    fit = _fit(catalog, ("vendor", "equipment-vendor"), ("client", "customer"), ("cloud", "cloud-provider"))
    for supplier, expected in ((None, []), ("vendor", ["general-purpose-product"]), ("client", []), ("cloud", [])):
        plc = Asset(id="plc", name="PLC", type="equipment", traits=["built-in-computer"], supplier=supplier)
        assert _kinds(plc, fit) == expected, supplier


def test_software_run_by_a_customer_gets_no_software_checklist(catalog: Catalog) -> None:
    fit = _fit(catalog, ("client", "customer"), ("vendor", "software-supplier"))
    viewer = Asset(id="viewer", name="Viewer", type="software", managed_by="client")
    tool = Asset(id="tool", name="Tool", type="software", supplier="vendor")
    assert _kinds(viewer, fit) == []
    assert _kinds(tool, fit) == ["software"]


def test_a_cloud_provider_is_never_asked_the_product_checklist(catalog: Catalog) -> None:
    box = Asset(id="box", name="Edge box", type="equipment", traits=["built-in-computer"], supplier="cloud")
    assert _kinds(box, _fit(catalog, ("cloud", "cloud-provider"))) == []


def test_every_party_kind_states_its_fit(catalog: Catalog) -> None:
    """Only 'other' may leave the fit to its default (everything): a known role must say what it is asked."""
    stated = {kind for kind, entry in catalog.party_kinds.items() if "checklists" in entry.model_fields_set}
    assert set(catalog.party_kinds) - stated == {"other"}
    assert catalog.party_kinds["customer"].checklists == ()
    assert catalog.party_kinds["customer"].measure_categories == ()
    assert "hardware" not in catalog.party_kinds["cloud-provider"].measure_categories
