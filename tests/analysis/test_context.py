"""The context's conduit subsets (the zone graph's one pass over the conduits) hold exactly what each walk over every conduit would keep.

Models built in code that give one id to two entries are refused when the analysis starts.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorysec.analysis import build_context
from factorysec.analysis.context import OUTSIDE_ROUTES_PER_ZONE, AnalysisContext, RepeatedIdError
from factorysec.analysis.rules._common import zone_operations
from factorysec.analysis.zone_graph import FA_OA as _FA_OA
from factorysec.catalog import load_catalog
from factorysec.model.entities import Asset, AssetType, Conduit, ExternalNetwork, FactoryModel, Trait
from tests.analysis.test_rules_shortcuts import mixed_models

CATALOG = load_catalog()


@pytest.mark.slow
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_models())
def test_conduit_subsets_equal_plain_filters(model: FactoryModel) -> None:
    context = build_context(model, CATALOG)
    conduits = model.conduits
    none = ExternalNetwork.NONE
    assert context.between_zones == [c for c in conduits if c.from_zone != c.to_zone]
    assert context.over_external_networks == [c for c in conduits if c.external_network is not none]
    sides = {z.id: z.kind.side for z in model.zones}
    linked = [
        (c, sides[c.from_zone], sides[c.to_zone]) for c in conduits if c.from_zone in sides and c.to_zone in sides
    ]
    assert context.linked_sides == linked
    assert context.external_links == [
        (c, s, t) for c, s, t in linked if c.external_network is not none or "external" in (s, t)
    ]
    assert context.fa_oa_links == [(c, s, t) for c, s, t in linked if (s, t) in _FA_OA]
    assert context.fa_oa_data_links == [(c, s, t) for c, s, t in linked if (s, t) in _FA_OA and c.data]
    assert context.control_links == [(c, s, t) for c, s, t in linked if c.carries_control_instructions]
    assert context.control_between_zones == [
        c for c in conduits if c.carries_control_instructions and c.from_zone != c.to_zone
    ]
    assert context.internal_links == [
        (c, s, t)
        for c, s, t in linked
        if c.from_zone != c.to_zone and "external" not in (s, t) and (s, t) not in _FA_OA
    ]
    assert context.carrying_between_zones == [
        c for c, _, _ in linked if c.from_zone != c.to_zone and (c.data or c.carries or c.carries_control_instructions)
    ]
    assert context.inside_with_ends == [
        c for c, _, _ in linked if c.from_zone == c.to_zone and (c.from_assets or c.to_assets)
    ]
    check_outside_origins(context)
    assert context.conduits == {c.id: c for c in conduits}
    issuers = {a.id for a in model.assets if Trait.ISSUES_CONTROL_INSTRUCTIONS in a.traits}
    issuers.update(
        a for c in conduits if c.carries_control_instructions and c.from_zone != c.to_zone for a in c.from_assets
    )
    assert context.control_sources == issuers


Arrival = tuple[str, tuple[str, ...], tuple[str, ...], bool]
"""Where outside data arrive: the zone, the receiving assets named, the data assets listed, and whether they arrive as
instructions (over a conduit carrying control instructions, or a session)."""


def plain_outside_routes(
    context: AnalysisContext,
) -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, dict[str, tuple[str, ...]]], list[str]]:
    """Where data of outside origin reach, each entry walked on its own, breadth first from conduit to conduit over every
    conduit of the model (Table 3-4).

    Data that arrive in a zone go on over a conduit leaving it when the model shows them passed on: it lists a data
    asset the arriving conduit listed, or it is sent by an asset that received them, or either end names no asset.
    Instructions (arrived over a conduit carrying control instructions, or a session: a two-way link carrying control
    instructions or ending at an in-house remote-access asset, with no outside data) go on, but for the data assets
    listed, only over conduits carrying control instructions. The way back of a two-way conduit carrying control
    instructions takes nothing on.

    Per zone, and per conduit (the routes reaching what it sends), the shortest route from each entry that reaches it
    (of equally short ones, the first in model order), with nothing kept back; and the entries in their order:
    external conduits in model order, then removable media.
    """
    model, sides = context.model, context.zone_sides
    assets = {a.id: a for a in model.assets}

    def outside(asset: Asset) -> bool:
        return asset.managed_by is not None or asset.type is AssetType.EXTERNAL_SERVICE

    def brings_data_in(conduit: Conduit) -> bool:
        if conduit.direction == "one-way":
            return sides[conduit.from_zone] == "external" or any(
                outside(assets[a]) for a in conduit.from_assets if a in assets
            )
        if conduit.carries_control_instructions or not conduit.data:
            return True
        return any(
            d not in assets
            or (assets[d].zone is not None and sides.get(assets[d].zone or "") == "external")
            or outside(assets[d])
            for d in conduit.data
        )

    def is_session(conduit: Conduit) -> bool:
        """Two-way, carrying control instructions or ending at an in-house remote-access asset, and no outside data."""
        ends = [assets[a] for a in (*conduit.to_assets, *conduit.from_assets) if a in assets]
        remote = any(Trait.REMOTE_ACCESS in a.traits and not outside(a) for a in ends)
        outside_data = any(
            d not in assets
            or (assets[d].zone is not None and sides.get(assets[d].zone or "") == "external")
            or outside(assets[d])
            for d in conduit.data
        )
        return conduit.direction == "two-way" and (conduit.carries_control_instructions or remote) and not outside_data

    linked = [c for c in model.conduits if c.from_zone in sides and c.to_zone in sides]
    # Every way a conduit between zones carries something: (conduit, from, to, senders, receivers).
    sends: list[tuple[Conduit, str, str, tuple[str, ...], tuple[str, ...]]] = []
    for c in linked:
        if c.from_zone == c.to_zone or not (c.data or c.carries or c.carries_control_instructions):
            continue
        sends.append((c, c.from_zone, c.to_zone, tuple(c.from_assets), tuple(c.to_assets)))
        if c.direction == "two-way" and not c.carries_control_instructions:
            sends.append((c, c.to_zone, c.from_zone, tuple(c.to_assets), tuple(c.from_assets)))

    def passes(arrival: Arrival, send: tuple[Conduit, str, str, tuple[str, ...], tuple[str, ...]]) -> bool:
        zone_id, receivers, data, instructions = arrival
        c, start, _, senders, _ = send
        if start != zone_id:
            return False
        if set(data) & set(c.data):
            return True
        if instructions and not c.carries_control_instructions:
            return False
        return not receivers or not senders or bool(set(receivers) & set(senders))

    seeds: dict[str, list[Arrival]] = {}  # entry -> where it arrives, in order
    for c in linked:
        over_network = c.external_network is not ExternalNetwork.NONE
        if not brings_data_in(c):
            continue
        session = is_session(c)
        if sides[c.to_zone] != "external" and (sides[c.from_zone] == "external" or over_network):
            seeds.setdefault(c.id, []).append((c.to_zone, tuple(c.to_assets), tuple(c.data), session))
        if (
            c.direction == "two-way"
            and sides[c.from_zone] != "external"
            and (sides[c.to_zone] == "external" or over_network)
        ):
            seeds.setdefault(c.id, []).append((c.from_zone, tuple(c.from_assets), tuple(c.data), session))
    for zone in model.zones:
        if sides[zone.id] == "external":
            continue
        media = [a.id for a in model.assets if a.zone == zone.id and Trait.REMOVABLE_MEDIA in a.traits]
        if media:
            seeds.setdefault(media[0], []).append((zone.id, tuple(media), (), False))
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    through: dict[str, dict[str, tuple[str, ...]]] = {}
    for entry, entered in seeds.items():
        zones: dict[str, tuple[str, ...]] = {}
        conduits: dict[str, tuple[str, ...]] = {}
        reached: set[int] = set()
        queue: list[tuple[Arrival, tuple[str, ...]]] = [(arrival, (entry,)) for arrival in entered]
        for arrival, route in queue:
            zones.setdefault(arrival[0], route)
        for arrival, route in queue:
            for position, send in enumerate(sends):
                if position in reached or not passes(arrival, send):
                    continue
                reached.add(position)
                c, start, end, _, receivers = send
                if start == c.from_zone:
                    conduits.setdefault(c.id, route)
                if sides[end] == "external":
                    continue
                onward = (*route, start, c.id)
                zones.setdefault(end, onward)
                queue.append(((end, receivers, tuple(c.data), c.carries_control_instructions), onward))
        for zone_id, route in zones.items():
            found.setdefault(zone_id, {})[entry] = route
        for conduit_id, route in conduits.items():
            through.setdefault(conduit_id, {})[entry] = route
    return found, through, list(seeds)


def check_outside_origins(context: AnalysisContext) -> None:
    """:attr:`AnalysisContext.outside_origins` and :attr:`AnalysisContext.conduit_outside_origins` keep, per zone and
    per conduit, the routes :func:`plain_outside_routes` finds, shortest first, then by entry; where more entries reach
    one than it keeps, it is named in ``outside_origins_cut`` or ``conduit_outside_origins_cut`` and each route it keeps
    is a real one, of an entry that reaches it."""
    plain_zones, plain_conduits, entries = plain_outside_routes(context)
    rank = {entry: position for position, entry in enumerate(entries)}
    for plain, kept, cut, last in (
        (plain_zones, context.outside_origins, context.outside_origins_cut, None),
        (plain_conduits, context.conduit_outside_origins, context.conduit_outside_origins_cut, "conduit"),
    ):
        assert set(kept) == set(plain)
        assert cut <= set(kept)
        limit = OUTSIDE_ROUTES_PER_ZONE
        for element, routes in plain.items():
            got = kept[element]
            if element not in cut:
                assert len(routes) <= limit
                assert got == tuple(sorted(routes.values(), key=lambda r: (len(r), rank[r[0]])))
                continue
            assert len(routes) > limit
            assert 0 < len(got) <= limit
            assert len({route[0] for route in got}) == len(got)
            assert list(got) == sorted(got, key=lambda r: (len(r), rank[r[0]]))
            for route in got:
                assert route[0] in routes
                assert len(route) >= len(routes[route[0]])
                _check_route(context, route, context.conduits[element].from_zone if last else element)


def _check_route(context: AnalysisContext, route: tuple[str, ...], zone_id: str) -> None:
    """Each step of ``route`` (entry, zone, conduit, zone, conduit ...) follows a conduit that carries something from one zone to the next."""
    stops = [*route[1::2], zone_id]
    for position, conduit_id in enumerate(route[2::2]):
        c = context.conduits[conduit_id]
        assert c.data or c.carries or c.carries_control_instructions
        ends = {(c.from_zone, c.to_zone)} | ({(c.to_zone, c.from_zone)} if c.direction == "two-way" else set())
        assert (stops[position], stops[position + 1]) in ends


def _saturated_model(zones: int, conduits: int, entries: int) -> FactoryModel:
    """``zones`` zones joined at random by ``conduits`` conduits naming no assets (one in ten carrying control
    instructions), with ``entries`` partners' files coming in, one zone after another: every zone is reached by more
    entries than it keeps."""
    rng = random.Random(0)
    kinds = ("production", "production-control", "engineering", "office", "logistics")
    starts = [rng.randrange(zones) for _ in range(conduits)]
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "zones": [
                {"id": "out", "name": "Outside", "kind": "external"},
                *({"id": f"z{i}", "name": f"Z{i}", "kind": kinds[i % 5]} for i in range(zones)),
            ],
            "conduits": [
                *({"id": f"e{i}", "from": "out", "to": f"z{i % zones}", "carries": "files"} for i in range(entries)),
                *(
                    {
                        "id": f"c{i}",
                        "from": f"z{start}",
                        "to": f"z{(start + 1 + rng.randrange(zones - 1)) % zones}",
                        "carries": "data",
                        "carries_control_instructions": i % 10 == 0,
                    }
                    for i, start in enumerate(starts)
                ),
            ],
        }
    )


def test_the_outside_walk_passes_over_conduits_that_can_change_nothing() -> None:
    """Each conduit leaving a zone is looked at once per entry the zone keeps (four), but once the zone it leads to
    keeps more entries than it shows, all shorter than what arrives now, and every key it lands on there has refused
    an entry, it is passed over: the walk carries entries over a conduit about twice, not four times (the walk that
    looked at every one did: 4.1 arrivals per conduit on this model), and keeps the same routes."""
    context = build_context(_saturated_model(20, 1000, 12), CATALOG)
    walk = context._outside_walk
    assert context.outside_origins_cut == set(
        context.outside_origins
    )  # saturated: every zone keeps fewer than reach it
    assert walk.arrivals <= 2 * len(context.carrying_between_zones)
    check_outside_origins(context)


@pytest.mark.slow
def test_the_generated_models_hold_every_kind_of_conduit() -> None:
    seen: set[str] = set()

    @settings(
        max_examples=400, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(mixed_models())
    def collect(model: FactoryModel) -> None:
        context = build_context(model, CATALOG)
        for name in (
            "between_zones",
            "over_external_networks",
            "external_links",
            "fa_oa_links",
            "fa_oa_data_links",
            "control_links",
            "internal_links",
            "carrying_between_zones",
        ):
            if getattr(context, name):
                seen.add(name)
        if any(c.from_zone == c.to_zone for c in model.conduits):
            seen.add("inside a zone")
        if any(c.from_zone not in context.zones or c.to_zone not in context.zones for c in model.conduits):
            seen.add("dangling")

    collect()
    assert seen == {
        "between_zones",
        "over_external_networks",
        "external_links",
        "fa_oa_links",
        "fa_oa_data_links",
        "control_links",
        "internal_links",
        "carrying_between_zones",
        "inside a zone",
        "dangling",
    }


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_models(), st.lists(st.frozensets(st.sampled_from(list(Trait)), max_size=3), max_size=4))
def test_zone_groups_equal_plain_filters(model: FactoryModel, trait_sets: list[frozenset[Trait]]) -> None:
    context = build_context(model, CATALOG)
    data, service = AssetType.DATA, AssetType.EXTERNAL_SERVICE
    in_zone: dict[str, list[Asset]] = {}
    for asset in model.assets:
        if asset.zone:
            in_zone.setdefault(asset.zone, []).append(asset)
    devices = {z: [a for a in assets if a.type is not data] for z, assets in in_zone.items()}
    devices = {z: found for z, found in devices.items() if found}
    assert list(context.devices.items()) == list(devices.items())
    traited = {z: [a for a in found if a.traits] for z, found in devices.items()}
    assert list(context._devices_with_any_trait.items()) == [(z, found) for z, found in traited.items() if found]
    for traits in [*trait_sets, *(frozenset({t}) for t in Trait), frozenset()]:
        with_traits = {z: [a for a in found if not traits.isdisjoint(a.traits)] for z, found in devices.items()}
        assert list(context.devices_with_traits(traits).items()) == [
            (z, found) for z, found in with_traits.items() if found
        ]
    external = {z: [a for a in found if a.managed_by is not None or a.type is service] for z, found in devices.items()}
    assert list(context.external_devices.items()) == [(z, found) for z, found in external.items() if found]
    zones = {zone.id: zone for zone in model.zones}
    expected = {
        z: list(dict.fromkeys([*zone.operations, *(o for a in in_zone.get(z, []) for o in a.operations)]))
        for z, zone in zones.items()
    }
    assert {z: list(ids) for z, ids in context.zone_operation_ids.items()} == expected
    operations = {op.id: op.name for op in model.operations}
    for zone_id in [*zones, *in_zone, "nowhere"]:
        own = zones[zone_id].operations if zone_id in zones else []
        ids = dict.fromkeys([*own, *(o for a in in_zone.get(zone_id, []) for o in a.operations)])
        assert zone_operations(context, zone_id) == [operations[o] for o in ids if o in operations]


@pytest.mark.parametrize(
    ("section", "twin", "message"),
    [
        (
            "zones",
            {"id": "z1", "name": "Again", "kind": "office"},
            r"zones\[1\]: id 'z1' is already used by zones\[0\]",
        ),
        (
            "conduits",
            {"id": "c1", "from": "z1", "to": "z1"},
            r"conduits\[1\]: id 'c1' is already used by conduits\[0\]",
        ),
        (
            "assets",
            {"id": "z1", "name": "Named like the zone", "type": "equipment"},
            r"zones\[0\]: id 'z1' is already used by assets\[0\]",
        ),
        (
            "measures",
            {"id": "c1", "measure": "net-zone-boundary-filtering"},
            r"measures\[0\]: id 'c1' is already used by conduits\[0\]",
        ),
    ],
)
def test_a_model_that_gives_one_id_to_two_entries_is_refused_when_analysis_starts(
    section: str, twin: dict[str, Any], message: str
) -> None:
    """The loader refuses such a model; one built in code is refused once, by the context, before any part of the analysis reads it."""
    sections: dict[str, list[dict[str, Any]]] = {
        "zones": [{"id": "z1", "name": "Line", "kind": "production"}],
        "conduits": [{"id": "c1", "from": "z1", "to": "z1"}],
        "assets": [],
        "measures": [],
    }
    sections[section].append(twin)
    model = FactoryModel.model_validate({"factory": {"id": "f", "name": "F"}, **sections})
    with pytest.raises(RepeatedIdError, match=message):
        build_context(model, CATALOG)
