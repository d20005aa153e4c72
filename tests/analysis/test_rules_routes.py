"""Routes by which data travel between zones, as the rules that follow them name them.

THREAT-OUTSIDE-ORIGIN-CONTROL (Table 3-4, control instructions from outside
the control network) names every route by which outside data reach the zone
that builds the instructions, not only the first found (the blind trial on
examples/chemical-batch showed the control room's USB sticks but neither the
cloud's recipes through the MES nor the vendor's sessions).

THREAT-FA-DATA-IN-OA (Table 2-1 / Table 3-5, data in the FA system also exist
in the OA system) follows the control side's data through a DMZ or a relay to
the office side, where the model shows them passed on, and names the route
(the blind trial's historian replica in the DMZ, serving the office PCs, was
missed).

Each test failed before the change it guards, but for those that say what
they guard: a single route's wording as it was, and a follow too loose to tell
data passed on from conduits that merely meet in one zone (each conduit of
that negative fixture fires if one of the rule's conditions is dropped).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorysec.analysis import analyze, build_context
from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding
from factorysec.analysis.rules.threat_fa_data_in_oa import relayed
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import load_model
from factorysec.model.entities import Conduit, FactoryModel, Trait
from tests.analysis.test_rules import RULE_FIXTURES, rule_ids_found
from tests.analysis.test_rules_shortcuts import mixed_models
from tests.conftest import ROOT


def findings(path: str, rule: str, catalog: Catalog) -> list[Finding]:
    return [f for f in analyze(load_model(RULE_FIXTURES / path), catalog).findings if f.rule == rule]


def test_instructions_of_outside_origin_name_every_route_the_outside_data_came_by(catalog: Catalog) -> None:
    (finding,) = findings("THREAT-OUTSIDE-ORIGIN-CONTROL/several-routes.yaml", "THREAT-OUTSIDE-ORIGIN-CONTROL", catalog)
    assert finding.id == "THREAT-OUTSIDE-ORIGIN-CONTROL@control-to-line"
    # Shortest first, then the entries in model order (conduits, then removable media).
    assert (
        "(removable media used at 'Engineering terminal'; cloud-to-mes → MES zone → mes-to-control; "
        "vendor-vpn → DMZ → dmz-to-control)" in finding.rationale.en
    )
    assert (
        "（「Engineering terminal」で使う可搬記録媒体；cloud-to-mes → MES zone → mes-to-control；"
        "vendor-vpn → DMZ → dmz-to-control）" in finding.rationale.ja
    )
    assert "other routes" not in finding.rationale.en
    assert {"eng-pc", "cloud-to-mes", "mes-zone", "mes-to-control", "vendor-vpn", "dmz", "dmz-to-control"} <= set(
        finding.related
    )


def test_a_zone_that_more_entries_reach_than_a_finding_lists_says_there_are_other_routes(catalog: Catalog) -> None:
    (finding,) = findings("THREAT-OUTSIDE-ORIGIN-CONTROL/many-routes.yaml", "THREAT-OUTSIDE-ORIGIN-CONTROL", catalog)
    assert "(partner-1; partner-2; partner-3; partner-4; and by other routes)" in finding.rationale.en
    assert "（partner-1；partner-2；partner-3；partner-4；ほかの経路もある）" in finding.rationale.ja
    assert "partner-5" not in finding.related


def test_one_route_is_named_alone(catalog: Catalog) -> None:
    # Guards the wording of a zone reached by one entry, as it read before (no list, no 'other routes').
    (finding,) = findings("THREAT-OUTSIDE-ORIGIN-CONTROL/positive.yaml", "THREAT-OUTSIDE-ORIGIN-CONTROL", catalog)
    assert "(customer-drawings → Office zone → office-to-eng):" in finding.rationale.en


def test_the_chemical_batch_control_room_names_the_clouds_recipes_and_the_vendors_sessions(catalog: Catalog) -> None:
    assessment = analyze(load_model(ROOT / "examples" / "chemical-batch"), catalog)
    (finding,) = [f for f in assessment.findings if f.id == "THREAT-OUTSIDE-ORIGIN-CONTROL@control-to-reactor"]
    assert "removable media used at 'DCS and SIS engineering workstation'" in finding.rationale.en
    assert "cloud-to-mes → MES → mes-to-control" in finding.rationale.en
    assert "vendor-vpn → Plant DMZ → jump-to-ews" in finding.rationale.en


def test_a_session_is_not_carried_on_by_the_readings_of_the_zone_it_lands_in(catalog: Catalog) -> None:
    """A vendor's remote session on the CNC made the control zone, which reads the line's part counts, a zone of
    outside data, and its work orders 'instructions built from outside data' (the blind trials' hot strip mill and
    semiconductor plant: drive and tester makers' sessions followed up with the readings to Level 2 and the MES)."""
    found = rule_ids_found("THREAT-OUTSIDE-ORIGIN-CONTROL/session-readings.yaml", catalog)
    assert "THREAT-OUTSIDE-ORIGIN-CONTROL" not in found, found


def test_a_session_goes_on_the_way_control_instructions_are_sent(catalog: Catalog) -> None:
    # Guards what a session still reaches: through the jump server's desktop sessions to the MES and its work orders.
    (finding,) = findings(
        "THREAT-OUTSIDE-ORIGIN-CONTROL/session-through-jump.yaml", "THREAT-OUTSIDE-ORIGIN-CONTROL", catalog
    )
    assert "(vendor-vpn → DMZ → jump-to-control); the lineage of 'Work orders' is not stated" in finding.rationale.en


def test_the_chemical_batch_mes_is_not_reached_by_the_vendors_session_through_the_office(catalog: Catalog) -> None:
    """The DCS vendor's VPN ends at the jump server (remote-access) in the DMZ; the DMZ's reports to the office and the
    office's plan to the MES did not carry the session on to the MES's recipes."""
    assessment = analyze(load_model(ROOT / "examples" / "chemical-batch"), catalog)
    (finding,) = [f for f in assessment.findings if f.id == "THREAT-OUTSIDE-ORIGIN-CONTROL@mes-to-control"]
    assert "vendor-vpn" not in finding.rationale.en
    assert "cloud-to-mes" in finding.rationale.en


def test_the_hot_strip_mills_level_2_is_not_reached_by_the_makers_sessions(catalog: Catalog) -> None:
    assessment = analyze(load_model(ROOT / "examples" / "hot-strip-mill"), catalog)
    (finding,) = [f for f in assessment.findings if f.id == "THREAT-OUTSIDE-ORIGIN-CONTROL@furnace-setup"]
    assert "remote-session" not in finding.rationale.en and "corrections-back" in finding.rationale.en


def test_the_control_sides_data_are_followed_through_a_dmz_replica_to_the_office(catalog: Catalog) -> None:
    findings_ = findings("THREAT-FA-DATA-IN-OA/positive.yaml", "THREAT-FA-DATA-IN-OA", catalog)
    (finding,) = [f for f in findings_ if f.id == "THREAT-FA-DATA-IN-OA@replica-to-office"]
    route = "Control zone → history-to-dmz → DMZ (Historian replica) → replica-to-office → Office zone"
    assert f"by {route}:" in finding.rationale.en
    assert "「Control zone」が送り出すもの（production history）" in finding.rationale.ja
    assert "Control zone → history-to-dmz → DMZ（Historian replica） → replica-to-office → Office zone" in (
        finding.rationale.ja
    )
    assert finding.related == ("control", "office", "history-to-dmz", "dmz", "replica-to-office", "replica")


def test_the_control_sides_data_are_followed_through_two_zones_by_a_data_asset_and_a_relay(catalog: Catalog) -> None:
    (finding,) = findings("THREAT-FA-DATA-IN-OA/relay-chain.yaml", "THREAT-FA-DATA-IN-OA", catalog)
    assert finding.id == "THREAT-FA-DATA-IN-OA@relay-to-office"
    assert (
        "Control zone → log-to-dmz → DMZ (Quality log) → dmz-to-relay → Mail relay zone (Mail relay) → relay-to-office"
        " → Office zone" in finding.rationale.en
    )


def test_data_that_only_pass_a_boundary_device_or_meet_other_conduits_in_the_dmz_are_not_followed(
    catalog: Catalog,
) -> None:
    # Guards against a follow too loose: the negative fixture's conduits meet in the DMZ and in the office, but the
    # control zone's history goes only to the office firewall, its logs only to the DMZ firewall, the office's web
    # pages come from a proxy that receives nothing from it, and the plan sent back out of it is the office's own.
    found = rule_ids_found("THREAT-FA-DATA-IN-OA/negative.yaml", catalog)
    assert "THREAT-FA-DATA-IN-OA" not in found


def test_the_chemical_batch_historian_replica_puts_process_data_on_the_office_side(catalog: Catalog) -> None:
    assessment = analyze(load_model(ROOT / "examples" / "chemical-batch"), catalog)
    (finding,) = [f for f in assessment.findings if f.id == "THREAT-FA-DATA-IN-OA@dmz-to-office"]
    assert (
        "Central control room → historian-to-dmz → Plant DMZ (Historian replica) → dmz-to-office → Office and QC laboratory"
        in finding.rationale.en
    )


Send = tuple[Conduit, str, str, tuple[str, ...], tuple[str, ...]]


def plain_relayed(context: AnalysisContext) -> list[tuple[tuple[tuple[str, str], ...], tuple[str | None, ...]]]:
    """The routes of :func:`relayed` by a breadth-first walk that tests every pair of conduits meeting in a zone.

    Each route as its sends ((conduit id, sending zone), ...) and what passed the data on before each send after the first.
    """
    sides, assets = context.zone_sides, context.assets

    def boundary(asset_id: str) -> bool:
        return asset_id in assets and Trait.BOUNDARY_DEVICE in assets[asset_id].traits

    sends: list[Send] = []
    for c in context.model.conduits:
        if c.from_zone == c.to_zone or c.from_zone not in sides or c.to_zone not in sides:
            continue
        if not (c.data or c.carries):
            continue
        sends.append((c, c.from_zone, c.to_zone, tuple(c.from_assets), tuple(c.to_assets)))
        if c.direction == "two-way":
            sends.append((c, c.to_zone, c.from_zone, tuple(c.to_assets), tuple(c.from_assets)))
    between = {"boundary", "other"}

    def control_side(c: Conduit) -> bool:
        return bool(c.carries) or any(
            d not in assets or assets[d].zone is None or sides.get(assets[d].zone or "", "fa") == "fa" for d in c.data
        )

    def passed_on(into: Send, onward: Send) -> tuple[bool, str | None]:
        """Whether the data of ``into`` go on over ``onward`` (which leaves the zone ``into`` reaches), and by what."""
        for d in into[0].data:
            if d in onward[0].data:
                return True, d
        receivers, senders = into[4], onward[3]
        if not receivers:
            return (not senders or not all(map(boundary, senders))), None
        passing = [r for r in receivers if not boundary(r)]
        for r in passing:
            if r in senders:
                return True, r
        return bool(passing) and not senders, None

    starts = [i for i, s in enumerate(sends) if sides[s[1]] == "fa" and sides[s[2]] in between and control_side(s[0])]
    reached: dict[int, tuple[int | None, str | None]] = dict.fromkeys(starts, (None, None))
    delivered: dict[str, int] = {}
    queue = list(starts)
    for i in queue:
        send = sends[i]
        side = sides[send[2]]
        if side == "oa":
            if not send[4] or not all(map(boundary, send[4])):
                delivered.setdefault(send[0].id, i)
            continue
        if side not in between:
            continue
        for j, onward in enumerate(sends):
            if onward[1] != send[2] or j in reached:
                continue
            linked, by = passed_on(send, onward)
            if linked:
                reached[j] = (i, by)
                queue.append(j)
    routes = []
    for i in sorted(delivered.values()):
        chain: list[int] = []
        passed: list[str | None] = []
        current: int | None = i
        while current is not None:
            chain.append(current)
            previous, by = reached[current]
            if previous is not None:
                passed.append(by)
            current = previous
        routes.append((tuple((sends[k][0].id, sends[k][1]) for k in reversed(chain)), tuple(reversed(passed))))
    return routes


CATALOG = load_catalog()
RELAY_KINDS = ("production", "production-control", "dmz", "other", "office", "external")


@st.composite
def relay_models(draw: st.DrawFn) -> FactoryModel:
    """Small models of zones on every side (two in between), each with a few assets, some of them boundary devices
    or data, and conduits between them that name those assets and data (or not), one way or both."""
    kinds = ["production", "dmz", "office", *draw(st.lists(st.sampled_from(RELAY_KINDS), max_size=3))]
    zones = [
        {"id": f"z{i}", "name": f"Z{i}", "kind": kind, "managed_by": "p0" if kind == "external" else None}
        for i, kind in enumerate(kinds)
    ]
    assets: list[dict[str, object]] = []
    in_zone: dict[str, list[str]] = {}
    data_ids: list[str] = []
    for zone in zones:
        for _ in range(draw(st.integers(0, 3))):
            asset_id = f"a{len(assets)}"
            kind = draw(st.sampled_from(["equipment", "software", "data"]))
            assets.append(
                {
                    "id": asset_id,
                    "name": asset_id.upper(),
                    "type": kind,
                    "zone": zone["id"],
                    "traits": ["boundary-device"] if kind != "data" and draw(st.booleans()) else [],
                }
            )
            (data_ids if kind == "data" else in_zone.setdefault(str(zone["id"]), [])).append(asset_id)
    zone_ids = [str(z["id"]) for z in zones]
    conduits = []
    for i in range(draw(st.integers(0, 14))):
        start, end = draw(st.sampled_from(zone_ids)), draw(st.sampled_from(zone_ids))
        data = draw(st.lists(st.sampled_from(data_ids), max_size=2, unique=True)) if data_ids else []
        carries = draw(st.none() | st.just("records"))
        conduits.append(
            {
                "id": f"c{i}",
                "from": start,
                "to": end,
                "direction": draw(st.sampled_from(["one-way", "two-way"])),
                "carries": carries if carries or data else "records",
                "data": data,
                "from_assets": draw(st.lists(st.sampled_from(in_zone.get(start, ["none"])), max_size=2, unique=True))
                if start in in_zone
                else [],
                "to_assets": draw(st.lists(st.sampled_from(in_zone.get(end, ["none"])), max_size=2, unique=True))
                if end in in_zone
                else [],
            }
        )
        if not draw(st.booleans()):
            conduits[-1]["carries"] = None if data else "records"
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "zones": zones,
            "parties": [{"id": "p0", "name": "P", "kind": "cloud-provider"}],
            "assets": assets,
            "conduits": conduits,
        }
    )


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(relay_models(), mixed_models()))
def test_fa_data_routes_equal_a_walk_over_every_pair_of_conduits(model: FactoryModel) -> None:
    context = build_context(model, CATALOG)
    found = [(tuple((s.conduit.id, s.from_zone) for s in r.sends), r.passed_by) for r in relayed(context)]
    assert found == plain_relayed(context)


def test_the_readings_a_controlled_zone_sends_back_do_not_carry_its_outside_data(catalog: Catalog) -> None:
    """What comes back over a two-way link carrying control instructions is the controlled equipment's readings and
    status: the cell PC's USB data did not reach the control zone with the cell PLC's readings (the hot strip mill's
    pulpit PC's USB data with the mill's measured values, the furnace DCS's setup corrections to the engineering
    network)."""
    found = rule_ids_found("THREAT-OUTSIDE-ORIGIN-CONTROL/readings-back.yaml", catalog)
    assert "THREAT-OUTSIDE-ORIGIN-CONTROL" not in found, found


def test_outside_data_go_on_only_with_what_the_assets_holding_them_send(catalog: Catalog) -> None:
    """The line PC's USB data did not reach the control zone with the vibration gateway's spectra, which the PC does
    not send (the hot strip mill's pulpit PC and its condition-monitoring gateway)."""
    found = rule_ids_found("THREAT-OUTSIDE-ORIGIN-CONTROL/other-sender.yaml", catalog)
    assert "THREAT-OUTSIDE-ORIGIN-CONTROL" not in found, found


def test_instructions_received_go_on_only_as_instructions(catalog: Catalog) -> None:
    """Programs downloaded to the CNC are instructions of outside origin, but the part counts the CNC reports are not
    built from them (the hot strip mill's engineering workstations' programs, to the mill's PLCs and on with the coil
    handover to the yard and Level 3)."""
    found = rule_ids_found("THREAT-OUTSIDE-ORIGIN-CONTROL/instructions-not-data.yaml", catalog)
    assert found.get("THREAT-OUTSIDE-ORIGIN-CONTROL") == ["THREAT-OUTSIDE-ORIGIN-CONTROL@eng-to-line"]
    (finding,) = findings(
        "THREAT-OUTSIDE-ORIGIN-CONTROL/instructions-not-data.yaml", "THREAT-OUTSIDE-ORIGIN-CONTROL", catalog
    )
    assert "(removable media used at 'Engineering terminal'):" in finding.rationale.en


def test_the_hot_strip_mills_instructions_name_only_the_routes_that_hold() -> None:
    """Each of the four findings names the one route a practitioner accepts: the data lake's setup corrections through
    the PCS for Level 2's setups, the engineering workstations' USB media for the program changes."""
    assessment = analyze(load_model(ROOT / "examples" / "hot-strip-mill"), CATALOG)
    by_id = {f.id: f.rationale.en for f in assessment.findings if f.rule == "THREAT-OUTSIDE-ORIGIN-CONTROL"}
    corrections = "(corrections-back → Level-3 production control system → pdi-down)"
    media = "(removable media used at 'Engineering workstations (PLC, DCS and drive tools)'):"
    assert sorted(by_id) == [
        "THREAT-OUTSIDE-ORIGIN-CONTROL@eng-to-furnace",
        "THREAT-OUTSIDE-ORIGIN-CONTROL@eng-to-mill",
        "THREAT-OUTSIDE-ORIGIN-CONTROL@furnace-setup",
        "THREAT-OUTSIDE-ORIGIN-CONTROL@mill-setup-link",
    ]
    for conduit in ("furnace-setup", "mill-setup-link"):
        assert corrections in by_id[f"THREAT-OUTSIDE-ORIGIN-CONTROL@{conduit}"]
    for conduit in ("eng-to-furnace", "eng-to-mill"):
        assert media in by_id[f"THREAT-OUTSIDE-ORIGIN-CONTROL@{conduit}"]
