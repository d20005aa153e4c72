"""Fixes from the sixth strictly blind trial (electronics-ems, an EMS plant).

Each test states what the guideline asks, on a fixture beside the rule's own
(tests/fixtures/rules/<RULE ID>/), and failed before the fix it guards.
"""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel, Trait, ZoneKind
from tests.conftest import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"


def _ids(fixture: str, catalog: Catalog, rule: str) -> list[str]:
    return sorted(f.id for f in analyze(load_model(RULE_FIXTURES / fixture), catalog).findings if f.rule == rule)


def test_a_store_drawn_towards_the_mes_that_instructs_it_is_not_a_zone_sending_control(catalog: Catalog) -> None:
    # 3.2.2 (1)(i): measures where zones with different requirements join. The MES issues the reel requests; a two-way
    # conduit drawn from the store does not make the store a zone without a control role sending instructions.
    assert _ids("THREAT-DIFFERENT-REQUIREMENTS/store-drawn-to-mes.yaml", catalog, "THREAT-DIFFERENT-REQUIREMENTS") == []


def test_a_store_whose_own_controller_issues_the_instructions_still_differs(catalog: Catalog) -> None:
    assert _ids("THREAT-DIFFERENT-REQUIREMENTS/store-issuing.yaml", catalog, "THREAT-DIFFERENT-REQUIREMENTS") == [
        "THREAT-DIFFERENT-REQUIREMENTS@stores"
    ]


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
    return sorted(f.id for f in analyze(model, catalog).findings if f.rule == "THREAT-EXTERNAL-EQUIPMENT")


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
