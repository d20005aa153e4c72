"""Fixes from the sixth strictly blind trial (electronics-ems, an EMS plant).

Each test states what the guideline asks, on a fixture beside the rule's own
(tests/fixtures/rules/<RULE ID>/), and failed before the fix it guards.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from typer.testing import CliRunner

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.catalog.vocabulary import value as word
from factorysec.cli import app
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel, Trait, ZoneKind
from factorysec.model.loader import earlier_model_digest, model_digest
from factorysec.model.workbook import write_workbook
from tests.analysis.rule_findings import RULE_FIXTURES, fixture_rule_ids, rule_ids, with_asset
from tests.conftest import ROOT


def test_a_store_drawn_towards_the_mes_that_instructs_it_is_not_a_zone_sending_control(catalog: Catalog) -> None:
    # 3.2.2 (1)(i): measures where zones with different requirements join. The MES issues the reel requests; a two-way
    # conduit drawn from the store does not make the store a zone without a control role sending instructions.
    assert (
        fixture_rule_ids(
            "THREAT-DIFFERENT-REQUIREMENTS/store-drawn-to-mes.yaml", catalog, "THREAT-DIFFERENT-REQUIREMENTS"
        )
        == []
    )


def test_a_store_whose_own_controller_issues_the_instructions_still_differs(catalog: Catalog) -> None:
    assert fixture_rule_ids(
        "THREAT-DIFFERENT-REQUIREMENTS/store-issuing.yaml", catalog, "THREAT-DIFFERENT-REQUIREMENTS"
    ) == ["THREAT-DIFFERENT-REQUIREMENTS@stores"]


def _control_requirements(model: FactoryModel, catalog: Catalog) -> list[str]:
    return sorted(
        r.id for r in analyze(model, catalog).requirements if r.id.startswith("REQ-external-control-instructions@")
    )


STORE_DRAWN_TO_MES = RULE_FIXTURES / "THREAT-DIFFERENT-REQUIREMENTS" / "store-drawn-to-mes.yaml"


def test_the_decision_on_instructions_is_asked_of_the_store_the_mes_instructs(catalog: Catalog) -> None:
    # Table 3-4 (Step 1-7): the zone that receives control instructions decides whether and from whom it accepts them.
    # The MES issues the reel requests over the two-way link drawn from the store, so the store is asked, not the MES.
    assert _control_requirements(load_model(STORE_DRAWN_TO_MES), catalog) == [
        "REQ-external-control-instructions@control->line",
        "REQ-external-control-instructions@control->stores",
    ]


def test_a_remote_session_into_an_issuing_workstation_keeps_the_drawn_way(catalog: Catalog) -> None:
    # A jump server's desktop session into the MES carries what its user does: the MES receives those instructions,
    # though it issues instructions of its own.
    model = load_model(STORE_DRAWN_TO_MES)
    assets = [a.model_copy(update={"traits": [Trait.REMOTE_ACCESS]}) if a.id == "towers" else a for a in model.assets]
    found = _control_requirements(model.model_copy(update={"assets": assets}), catalog)
    assert "REQ-external-control-instructions@stores->control" in found
    assert "REQ-external-control-instructions@control->stores" not in found


def test_a_link_from_an_outside_party_keeps_the_drawn_way(catalog: Catalog) -> None:
    # From an external zone the link is the outside party's session or service: its instructions go the drawn way.
    model = load_model(STORE_DRAWN_TO_MES)
    zones = [z.model_copy(update={"kind": ZoneKind.EXTERNAL}) if z.id == "stores" else z for z in model.zones]
    found = _control_requirements(model.model_copy(update={"zones": zones}), catalog)
    assert "REQ-external-control-instructions@stores->control" in found
    assert "REQ-external-control-instructions@control->stores" not in found


GATEWAY = RULE_FIXTURES / "THREAT-EXTERNAL-EQUIPMENT" / "own-gateway-passed-through.yaml"


def _external_equipment(model: FactoryModel, catalog: Catalog) -> list[str]:
    return rule_ids(model, catalog, "THREAT-EXTERNAL-EQUIPMENT")


def test_the_factorys_own_gateway_that_sessions_pass_through_is_not_an_outsiders_way_in(catalog: Catalog) -> None:
    # Table 2-1 / Table 3-5: the leak comes from devices and users the factory does not manage. The vendor's consoles
    # are told on the line their sessions reach; the factory's own VPN gateway adds none of its own.
    assert _external_equipment(load_model(GATEWAY), catalog) == ["THREAT-EXTERNAL-EQUIPMENT@line"]


def test_a_gateway_with_no_drawn_source_behind_it_is_still_told(catalog: Catalog) -> None:
    found = _external_equipment(
        load_model(RULE_FIXTURES / "THREAT-EXTERNAL-EQUIPMENT/own-gateway-undrawn-source.yaml"), catalog
    )
    assert found == ["THREAT-EXTERNAL-EQUIPMENT@dmz"]


def test_a_gateway_an_outside_party_runs_is_still_told(catalog: Catalog) -> None:
    model = load_model(GATEWAY)
    assets = [a.model_copy(update={"managed_by": "vendor"}) if a.id == "gateway" else a for a in model.assets]
    found = _external_equipment(model.model_copy(update={"assets": assets}), catalog)
    assert "THREAT-EXTERNAL-EQUIPMENT@dmz" in found


def test_a_jump_server_sessions_land_on_is_still_told(catalog: Catalog) -> None:
    # Where the session is drawn to end on the gateway (a jump server the vendor logs on to), the outsiders are there.
    model = load_model(GATEWAY)
    conduits = [
        c.model_copy(update={"to_zone": "dmz", "to_assets": ["gateway"], "via": []}) if c.id == "session" else c
        for c in model.conduits
    ]
    found = _external_equipment(model.model_copy(update={"conduits": conduits}), catalog)
    assert "THREAT-EXTERNAL-EQUIPMENT@dmz" in found


# --- DATA-MIXED-RIGHTS-HOLDERS: several customers' confidential data on one asset --------------------------------
# Step 1-1 (2) (requirements from customers and business partners) and the data management framework of Step 1-7
# (contracts between organisations; scope of disclosure and rights holder): an asset that holds confidential data of
# several outside rights holders says how it keeps each holder's data apart (Table 3-6 row 9: leakage through
# inadequate data handling).

MIXED = "DATA-MIXED-RIGHTS-HOLDERS"
MIXED_POSITIVE = RULE_FIXTURES / MIXED / "positive.yaml"


def _mixed(model: FactoryModel, catalog: Catalog) -> list[str]:
    return rule_ids(model, catalog, MIXED)


def test_two_customers_data_on_one_server_with_no_stated_separation_is_found(catalog: Catalog) -> None:
    # one holder named (rights_holder), the other inferred from where its data is generated (the customer's site)
    model = load_model(MIXED_POSITIVE)
    assert _mixed(model, catalog) == [f"{MIXED}@srv", f"{MIXED}@station"]
    finding = next(f for f in analyze(model, catalog).findings if f.id == f"{MIXED}@srv")
    assert "cust-a" in finding.related and "cust-b" in finding.related
    assert "drawings-a" in str(finding.rationale.en) and "programs-b" in str(finding.rationale.en)


def test_a_stated_separation_silences_it_and_none_does_not(catalog: Catalog) -> None:
    model = load_model(MIXED_POSITIVE)
    for how in ("per-holder-access", "separate-storage", "encryption"):
        assert _mixed(with_asset(model, "srv", data_separation=how), catalog) == [f"{MIXED}@station"]
    stated_none = analyze(with_asset(model, "srv", data_separation="none"), catalog).findings
    srv = next(f for f in stated_none if f.id == f"{MIXED}@srv")
    assert "states they are not kept apart" in str(srv.rationale.en)


def _with_data(model: FactoryModel, updates: Mapping[str, Mapping[str, object]]) -> FactoryModel:
    """The model with the ``data`` attributes of the data assets named changed."""
    assets = [
        a.model_copy(update={"data": a.data.model_copy(update=dict(updates[a.id]))})
        if a.id in updates and a.data is not None
        else a
        for a in model.assets
    ]
    return model.model_copy(update={"assets": assets})


def test_one_holder_public_data_or_the_holders_own_system_gives_none(catalog: Catalog) -> None:
    model = load_model(MIXED_POSITIVE)
    # customer B's programs, and the firmware both hand over, made public: only A's confidential data stays
    public = _with_data(model, {"programs-b": {"disclosure": "public"}, "firmware": {"disclosure": "public"}})
    assert _mixed(public, catalog) == []
    # B's programs owned by the factory's own department, and the firmware's holder named as A (a named rights
    # holder is taken over where the data is generated): one outside holder left on the server
    owned = _with_data(model, {"programs-b": {"rights_holder": "owner"}, "firmware": {"rights_holder": "cust-a"}})
    assert _mixed(owned, catalog) == []
    # the server run by customer A is A's own system, not one the factory keeps others' data on
    assert f"{MIXED}@srv" not in _mixed(with_asset(model, "srv", managed_by="cust-a"), catalog)


def test_the_ems_example_finds_every_customers_data_held_together(catalog: Catalog) -> None:
    # the blind trial's miss: every customer's NDA data on the engineering server; the programming stations, the
    # customer portal and the office PCs that receive the packages and images hold them together too
    found = sorted(
        f.id for f in analyze(load_model(ROOT / "examples" / "electronics-ems"), catalog).findings if f.rule == MIXED
    )
    assert found == [f"{MIXED}@{a}" for a in ("customer-portal", "eng-server", "office-pcs", "prog-stations")]


def test_data_separation_on_a_data_asset_is_refused_with_file_line_and_field(tmp_path: Path) -> None:
    model = tmp_path / "factory.yaml"
    text = MIXED_POSITIVE.read_text(encoding="utf-8").replace(
        "change: {base: ../base.yaml}", f"change: {{base: {RULE_FIXTURES / 'base.yaml'}}}"
    )
    text = text.replace(
        "data: {disclosure: restricted, rights_holder: cust-a}}",
        "data: {disclosure: restricted, rights_holder: cust-a}, data_separation: encryption}",
    )
    model.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(model)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if "data_separation" in line]
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"{model}:21:") and "].data_separation: asset 'drawings-a' is data" in lines[0]


def test_data_separation_survives_the_workbook_and_reads_in_japanese(tmp_path: Path, catalog: Catalog) -> None:
    model = with_asset(load_model(MIXED_POSITIVE), "srv", data_separation="separate-storage")
    book = tmp_path / "plant.xlsx"
    write_workbook(model, book, catalog)
    again = load_model(book)
    assert again == model
    assert next(a for a in again.assets if a.id == "station").data_separation == "none"
    assert word("data_separation", "separate-storage", "ja") == "権利者ごとの保管先"


def test_the_new_field_keeps_reviews_of_the_earlier_digest_scheme_counting(catalog: Catalog) -> None:
    # the earlier digest scheme hashed every field with its null: a field added since is left out of it while no asset
    # sets it (those builds wrote no key for it), so the reviews they recorded keep counting; setting it is a change
    model = load_model(ROOT / "examples" / "annex-a" / "all-cases-reviewed.yaml")
    assert earlier_model_digest(model) == "add717a02ad8d883"  # what those builds printed for this model
    changed = with_asset(model, model.assets[0].id, data_separation="encryption")
    assert earlier_model_digest(changed) != earlier_model_digest(model)
    assert model_digest(changed) != model_digest(model)


def test_a_store_the_mes_instructs_is_not_told_to_split_off_its_issuers(catalog: Catalog) -> None:
    # Annex A case (i): divide the assets that issue control instructions from those that do not. The reel towers
    # receive the MES's requests over the two-way link drawn from the store; they issue none, so a label printer beside
    # them is no reason to divide the store, and the MES's zone is the one sending instructions to it.
    model = load_model(STORE_DRAWN_TO_MES)
    printer = model.assets[0].model_copy(
        update={"id": "printer", "name": "Reel label printer", "zone": "stores", "traits": [], "data": None}
    )
    found = analyze(model.model_copy(update={"assets": [*model.assets, printer]}), catalog).findings
    mixed = {f.id: f for f in found if f.rule == "ZONE-MIXED-CONTROL"}
    assert "ZONE-MIXED-CONTROL@stores" not in mixed
