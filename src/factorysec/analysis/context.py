"""Indexes over one model, built once and shared by every rule so that each rule stays a small predicate."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass, field, fields
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import Any, Generic, TypeVar

from factorysec.analysis.importance import ImportanceFacts, ImportanceResult, assess_importance
from factorysec.analysis.zone_graph import Link, ZoneGraph, build_zone_graph
from factorysec.catalog import Catalog
from factorysec.model.entities import (
    IDENTIFIED_COLLECTIONS,
    Asset,
    AssetType,
    Conduit,
    ExternalNetwork,
    FactoryModel,
    ImplementedMeasure,
    Trait,
)
from factorysec.model.index import ModelIndex, index_model

__all__ = ["AnalysisContext", "Link", "Memo", "MemoSlot", "RepeatedIdError", "build_context"]

Key = TypeVar("Key")
Value = TypeVar("Value")


class MemoSlot(Generic[Key, Value]):
    """One kind of per-run result that several rules ask for (e.g. a zone's impact text), by key: declared once beside the helper that works it out."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"MemoSlot({self.name!r})"


class Memo:
    """Per-run results of helpers that several rules call with the same key, each kind in a :class:`MemoSlot` of its own types."""

    __slots__ = ("_slots",)

    def __init__(self) -> None:
        self._slots: dict[MemoSlot[Any, Any], dict[Any, Any]] = {}
        """Each slot's results by key; :meth:`get` and :meth:`put` keep every slot's keys and values of its types."""

    def _values(self, slot: MemoSlot[Key, Value]) -> dict[Key, Value]:
        values = self._slots.get(slot)
        if values is None:
            values = self._slots[slot] = {}
        return values

    def get(self, slot: MemoSlot[Key, Value], key: Key) -> Value | None:
        """The result noted for ``key``, or None."""
        return self._values(slot).get(key)

    def put(self, slot: MemoSlot[Key, Value], key: Key, value: Value) -> Value:
        """Note ``value`` for ``key`` and return it."""
        self._values(slot)[key] = value
        return value


_DEVICES_WITH_TRAITS: MemoSlot[frozenset[Trait], dict[str, list[Asset]]] = MemoSlot("devices_with_traits")


class RepeatedIdError(ValueError):
    """The model gives one id to two entries: refused when analysis starts (the loader refuses it too; code can still build such a model)."""


@dataclass
class _ZoneGroups:
    """See :attr:`AnalysisContext._zone_groups`: each mapping in the order of :attr:`~ModelIndex.assets_in`."""

    devices: dict[str, list[Asset]] = field(default_factory=dict)
    with_any_trait: dict[str, list[Asset]] = field(default_factory=dict)
    by_trait: dict[Trait, dict[str, list[Asset]]] = field(default_factory=dict)
    """Per trait, every zone's devices that have it (zones without any left out)."""
    external: dict[str, list[Asset]] = field(default_factory=dict)
    operation_ids: dict[str, dict[str, None]] = field(default_factory=dict)


_operations_of = attrgetter("operations")


@dataclass(frozen=True)
class AnalysisContext(ModelIndex):
    """The model's index plus the model, the catalog, importance and lookups rules need. Built by :func:`build_context`."""

    catalog: Catalog
    importance: ImportanceResult
    importance_facts: ImportanceFacts
    """Per zone and overall facts about the assets' importance, noted while rating them."""
    graph: ZoneGraph
    """The conduits classified and the zone graph they make, noted while indexing them by id (see :func:`build_context`)."""
    memo: Memo = field(default_factory=Memo)
    """Per-run results of helpers that several rules call with the same key (e.g. a zone's impact text)."""
    today: dt.date | None = None
    """The date of the run, for rules that judge the age of a review (BCP, requirements); None leaves ages unjudged."""

    def zone_name(self, zone_id: str) -> str:
        zone = self.zones.get(zone_id)
        return zone.name if zone else zone_id

    def asset_name(self, asset_id: str) -> str:
        asset = self.assets.get(asset_id)
        return asset.name if asset else asset_id

    def is_external(self, asset: Asset) -> bool:
        """Run by an external party, or an external service."""
        return asset.managed_by is not None or asset.type is AssetType.EXTERNAL_SERVICE

    def devices_in(self, zone_id: str) -> list[Asset]:
        """Assets of a zone that act (equipment, software, services), leaving data aside. Callers must not change the list."""
        return self.devices.get(zone_id, [])

    @property
    def devices(self) -> dict[str, list[Asset]]:
        """Every zone's devices (see :meth:`devices_in`), filtered once: a dozen rules ask for each zone's. Zones without any are left out."""
        return self._zone_groups.devices

    @property
    def _devices_with_any_trait(self) -> dict[str, list[Asset]]:
        """Every zone's devices that have at least one trait, in model order; zones without any are left out."""
        return self._zone_groups.with_any_trait

    @property
    def zone_operation_ids(self) -> dict[str, dict[str, None]]:
        """For every zone of the model, the ids of the operations it carries out: its own, then its assets', each once, in model order.

        Ids that name no operation are kept (readers drop them). Callers must not change it.
        """
        return self._zone_groups.operation_ids

    @cached_property
    def _zone_groups(self) -> _ZoneGroups:
        """Every zone's devices, devices with traits (also per trait), external devices and operations, found zone by zone in one walk.

        Each zone's assets are walked for all four while they are in the CPU
        cache: at 100k assets this costs half of one walk over all of them per kind.
        """
        data, service = AssetType.DATA, AssetType.EXTERNAL_SERVICE
        zones, operations_of = self.zones, _operations_of
        groups = _ZoneGroups()
        devices, with_any_trait, external, operation_ids = (
            groups.devices,
            groups.with_any_trait,
            groups.external,
            groups.operation_ids,
        )
        by_trait = groups.by_trait
        for zone_id, assets in self.assets_in.items():
            zone = zones.get(zone_id)
            if zone is not None:
                operation_ids[zone_id] = dict.fromkeys(
                    chain(zone.operations, chain.from_iterable(map(operations_of, assets)))
                )
            found = [a for a in assets if a.type is not data]
            if not found:
                continue
            devices[zone_id] = found
            traited = [a for a in found if a.traits]
            if traited:
                with_any_trait[zone_id] = traited
                zone_by_trait: dict[Trait, list[Asset]] = {}
                for asset in traited:
                    for trait in asset.traits:
                        listed = zone_by_trait.get(trait)
                        if listed is None:
                            zone_by_trait[trait] = [asset]
                        elif listed[-1] is not asset:  # not the same trait listed twice
                            listed.append(asset)
                for trait, listed in zone_by_trait.items():
                    by_trait.setdefault(trait, {})[zone_id] = listed
            outside = [a for a in found if a.managed_by is not None or a.type is service]
            if outside:
                external[zone_id] = outside
        for zone_id, zone in zones.items():
            if zone_id not in operation_ids:
                operation_ids[zone_id] = dict.fromkeys(zone.operations)
        return groups

    def devices_with_traits(self, traits: frozenset[Trait]) -> dict[str, list[Asset]]:
        """Every zone's devices that have one of ``traits`` or more, in model order; zones without any are left out. Callers must not change it."""
        known = self.memo.get(_DEVICES_WITH_TRAITS, traits)
        if known is None:
            by_trait = self._zone_groups.by_trait
            if len(traits) == 1:
                known = by_trait.get(next(iter(traits)), {})
            else:
                # Each zone's devices of any of the traits, in model order: those of its list of devices with traits that some trait's list holds.
                per_trait = [by_trait[t] for t in traits if t in by_trait]
                known = {}
                for zone_id, devices in self._devices_with_any_trait.items():
                    lists = [found[zone_id] for found in per_trait if zone_id in found]
                    if len(lists) == 1:
                        known[zone_id] = lists[0]
                    elif lists:
                        held = {id(a) for a in chain.from_iterable(lists)}
                        known[zone_id] = [a for a in devices if id(a) in held]
            self.memo.put(_DEVICES_WITH_TRAITS, traits, known)
        return known

    @property
    def external_devices(self) -> dict[str, list[Asset]]:
        """Every zone's devices that :meth:`is_external` holds for, in model order; zones without any are left out."""
        return self._zone_groups.external

    @cached_property
    def control_sources(self) -> set[str]:
        """Assets that issue control instructions to other zones: declared by trait, or senders on a control conduit."""
        sources = {a.id for a in self.model.assets if Trait.ISSUES_CONTROL_INSTRUCTIONS in a.traits}
        for conduit in self.control_between_zones:
            sources.update(conduit.from_assets)
        return sources

    @cached_property
    def linked_conduits(self) -> list[Conduit]:
        """Conduits whose both zones are in the model, in model order (each conduit rule walks them)."""
        zones = self.zones
        return [c for c in self.model.conduits if c.from_zone in zones and c.to_zone in zones]

    @cached_property
    def linked_sides(self) -> list[Link]:
        """Each of :attr:`linked_conduits` with the sides of its sending and receiving zones (the conduit rules filter on them)."""
        side = self.zone_sides
        return [(c, side[c.from_zone], side[c.to_zone]) for c in self.linked_conduits]

    @property
    def external_links(self) -> list[Link]:
        """The :attr:`linked_sides` that cross an external network or have an external zone at either end, in model order."""
        return self.graph.external

    @property
    def fa_oa_links(self) -> list[Link]:
        """The :attr:`linked_sides` that join a control (FA) and an office (OA) zone, either way round, in model order."""
        return self.graph.fa_oa

    @property
    def fa_oa_data_links(self) -> list[Link]:
        """The :attr:`fa_oa_links` that carry data assets (``data`` not empty), in model order."""
        return self.graph.fa_oa_with_data

    @property
    def control_links(self) -> list[Link]:
        """The :attr:`linked_sides` that carry control instructions, in model order."""
        return self.graph.control

    @property
    def internal_links(self) -> list[Link]:
        """The :attr:`linked_sides` between two different zones, neither external, that do not join FA and OA, in model order."""
        return self.graph.internal

    @property
    def carrying_between_zones(self) -> list[Conduit]:
        """The :attr:`linked_conduits` between two different zones that carry data assets, a ``carries`` wording or control instructions, in model order."""
        return self.graph.carrying_between

    @property
    def inside_with_ends(self) -> list[Conduit]:
        """The :attr:`linked_conduits` inside one zone that name their sending or receiving assets, in model order."""
        return self.graph.inside_with_ends

    @property
    def outside_origins(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """Zones holding data, programs or settings that came from outside the factory, each with the routes they came by (Table 3-4).

        Origins are what enters from outside: a conduit from an external zone or
        over an external network that brings data in (:meth:`_brings_data_in`:
        not one that only takes the factory's own data out), removable media
        carried in (a zone's first asset with the ``removable-media`` trait).
        Each entry is followed along every conduit between zones that carries
        something (both ways when two-way), through any number of internal
        zones: converting the data on the way does not change where it came
        from. A session (:meth:`_is_session`: a vendor's remote maintenance) is
        followed only the way conduits carrying control instructions run: what
        it brings is what its user does, not data sent on. A route lists element ids from the entry (a conduit id, or the
        removable-media asset's id) to the zone, the zone itself left out.

        A zone keeps one route per entry that reaches it, the shortest (of
        equally short ones, the first in model order), and at most
        :data:`OUTSIDE_ROUTES_PER_ZONE` of them (the first to arrive), listed
        shortest first, then in the order of the entries (external conduits in
        model order, then removable media in the zones' order).
        :attr:`outside_origins_cut` names the zones that more entries reach
        than that. One breadth-first walk over the zone graph's
        :attr:`external_links` and :attr:`carrying_between_zones` in which a
        zone is left once per route it keeps: linear in the conduits, never a
        walk over every path; then one walk per session over the control
        conduits, its routes added where a zone has room.
        """
        return self._outside_walk[0]

    @property
    def outside_origins_cut(self) -> frozenset[str]:
        """The zones of :attr:`outside_origins` that more entries reach than the routes kept for them."""
        return self._outside_walk[1]

    @cached_property
    def _outside_walk(self) -> tuple[dict[str, tuple[tuple[str, ...], ...]], frozenset[str]]:
        """:attr:`outside_origins` and :attr:`outside_origins_cut`, found in one walk."""
        sides = self.zone_sides
        none = ExternalNetwork.NONE
        limit = OUTSIDE_ROUTES_PER_ZONE
        found: dict[str, dict[str, tuple[str, ...]]] = {}  # zone -> entry -> route, in the order kept
        rank: dict[str, int] = {}  # entry -> its place among the entries
        refused: list[str] = []  # zones that more entries reached than they keep
        frontier: list[tuple[str, tuple[str, ...]]] = []

        def keep(zone_id: str, entry: str, route: tuple[str, ...]) -> None:
            held = found.get(zone_id)
            if held is None:
                held = found[zone_id] = {}
            elif entry in held:
                return
            if len(held) >= limit:
                refused.append(zone_id)
                return
            held[entry] = route
            frontier.append((zone_id, route))

        sessions: dict[str, list[str]] = {}  # a session's entry -> the zones it lands in
        for conduit, source, target in self.external_links:
            if not self._brings_data_in(conduit):
                continue
            crosses_network = conduit.external_network is not none
            rank.setdefault(conduit.id, len(rank))
            landing = []
            if target != "external" and (source == "external" or crosses_network):
                landing.append(conduit.to_zone)
            if conduit.direction == "two-way" and source != "external" and (target == "external" or crosses_network):
                landing.append(conduit.from_zone)
            if self._is_session(conduit):
                sessions[conduit.id] = landing
                continue
            for zone_id in landing:
                keep(zone_id, conduit.id, (conduit.id,))
        for zone in self.model.zones:
            if sides.get(zone.id) == "external":
                continue
            for asset in self.assets_in.get(zone.id, ()):
                if Trait.REMOVABLE_MEDIA in asset.traits:
                    rank.setdefault(asset.id, len(rank))
                    keep(zone.id, asset.id, (asset.id,))
                    break
        if not frontier and not sessions:
            return {}, frozenset()
        out: dict[str, list[str]] = {}  # zone -> (target zone, conduit id), flattened
        control: dict[str, list[str]] = {}  # the same, only the way the conduits carrying control instructions run
        for conduit in self.carrying_between_zones:
            from_zone, to_zone = conduit.from_zone, conduit.to_zone
            if sides[to_zone] != "external":  # both zones are in the model
                out.setdefault(from_zone, []).extend((to_zone, conduit.id))
                if conduit.carries_control_instructions:
                    control.setdefault(from_zone, []).extend((to_zone, conduit.id))
            if conduit.direction == "two-way" and sides[from_zone] != "external":
                out.setdefault(to_zone, []).extend((from_zone, conduit.id))
        while frontier:
            leaving, frontier = frontier, []
            for zone_id, route in leaving:
                hops = out.get(zone_id, ())
                entry = route[0]
                for position in range(0, len(hops), 2):
                    keep(hops[position], entry, (*route, zone_id, hops[position + 1]))
        # A zone downstream of one that refused an entry is reached by more entries than it keeps, too: every entry of
        # the refusing zone (it held as many as it keeps) and the one refused.
        cut = set(refused)
        waiting = list(cut)
        while waiting:
            hops = out.get(waiting.pop(), ())
            for position in range(0, len(hops), 2):
                if hops[position] not in cut:
                    cut.add(hops[position])
                    waiting.append(hops[position])
        # Sessions, each walked on its own over the control conduits (few: remote maintenance links), are added where
        # there is room; a zone without is reached by more entries than it keeps (so are those its control conduits
        # lead to, which the session's own walk reaches too).
        walled = frozenset(cut)  # with every zone their conduits lead to: a session's walk need not enter them
        for entry, landing in sessions.items():
            for zone_id, route in _walk_forward(landing, entry, control, walled):
                if zone_id in cut:
                    continue
                held = found.setdefault(zone_id, {})
                if len(held) < limit:
                    held[entry] = route
                else:
                    cut.add(zone_id)
        routes = {
            zone_id: tuple(sorted(held.values(), key=lambda route: (len(route), rank[route[0]])))
            for zone_id, held in found.items()
            if held
        }
        return routes, frozenset(cut)

    @cached_property
    def data_from_outside(self) -> dict[str, str]:
        """Data assets of outside origin, each with how: the id of the first conduit (in model order) that brings it
        in from outside (an external link that :meth:`_brings_data_in`, a session included), or ``""`` when it lives
        outside (in an external zone, on an outside-run asset or as an external service). Read with a data asset's
        ``data.derived_from`` (THREAT-OUTSIDE-ORIGIN-CONTROL): data whose lineage reaches none of these is made in
        the factory, wherever the zones' outside routes lead."""
        found: dict[str, str] = {}
        for asset in self.model.assets:
            if asset.type is AssetType.DATA and self._lives_outside(asset):
                found[asset.id] = ""
        none = ExternalNetwork.NONE
        for conduit, source, target in self.external_links:
            crosses = conduit.external_network is not none or "external" in (source, target)
            if crosses and conduit.data and self._brings_data_in(conduit):
                for data_id in conduit.data:
                    found.setdefault(data_id, conduit.id)
        return found

    def _is_session(self, conduit: Conduit) -> bool:
        """Whether an external link that brings something in is a session (remote maintenance or operation) rather than
        data: two-way, carrying control instructions or ending at one of the factory's remote-access assets (a jump
        server, a remote-maintenance gateway), and carrying no data asset that lives outside.

        What a session brings in is what the person at its far end does in the zone it lands in and, through it, in the
        zones that zone sends control instructions to (a jump server's desktop sessions to the engineering
        workstation); it does not travel on with the data a zone sends (a mill's readings to Level 2, a tester's
        results to the MES), as data brought in do (:attr:`outside_origins`).
        """
        if conduit.direction != "two-way":
            return False
        assets = self.assets
        if not conduit.carries_control_instructions and not any(
            Trait.REMOTE_ACCESS in assets[a].traits and not self.is_external(assets[a])
            for a in (*conduit.to_assets, *conduit.from_assets)
            if a in assets
        ):
            return False
        return not self._carries_outside_data(conduit)

    def _brings_data_in(self, conduit: Conduit) -> bool:
        """Whether an external link brings data, programs or settings into the factory, rather than only taking the factory's data out.

        A one-way link brings in what its sender sends: it does when the sending zone is external or a sending asset is run by
        an outside party or is an external service. A two-way link does when it carries control instructions, lists no data
        (what comes back is unknown), or carries data that lives outside (in an external zone or on an outside-run asset).
        """
        assets, sides = self.assets, self.zone_sides
        if conduit.direction == "one-way":
            return sides[conduit.from_zone] == "external" or any(
                self.is_external(assets[a]) for a in conduit.from_assets if a in assets
            )
        return conduit.carries_control_instructions or not conduit.data or self._carries_outside_data(conduit)

    def _carries_outside_data(self, conduit: Conduit) -> bool:
        """Whether a conduit carries a data asset that lives outside: unknown to the model, in an external zone, or on
        an outside-run asset."""
        assets = self.assets
        for data_id in conduit.data:
            data = assets.get(data_id)
            if data is None or self._lives_outside(data):
                return True
        return False

    def _lives_outside(self, asset: Asset) -> bool:
        """In an external zone, run by an outside party, or an external service."""
        return (asset.zone is not None and self.zone_sides.get(asset.zone) == "external") or self.is_external(asset)

    @property
    def between_zones(self) -> list[Conduit]:
        """Conduits whose ``from`` and ``to`` differ (either may be missing from the model), in model order."""
        return self.graph.between_zones

    @property
    def control_between_zones(self) -> list[Conduit]:
        """The :attr:`between_zones` that carry control instructions, in model order."""
        return self.graph.control_between_zones

    @property
    def over_external_networks(self) -> list[Conduit]:
        """Conduits that cross an external network (``external_network`` other than none), in model order."""
        return self.graph.over_external_networks

    @property
    def conduits_with_measures(self) -> list[Conduit]:
        """Conduits whose id some measure applies to (in place, partial or planned), in model order."""
        return self.graph.with_measures

    @cached_property
    def zone_sides(self) -> dict[str, str]:
        """Each zone's side (``fa``, ``oa``, ``external``, ...), read once rather than per conduit and rule."""
        return {zone_id: zone.kind.side for zone_id, zone in self.zones.items()}

    @cached_property
    def measures_by_target(self) -> dict[str, list[ImplementedMeasure]]:
        """Measures in place or planned, by the element they apply to; key ``""`` holds factory-wide ones (empty ``applies_to``)."""
        index: dict[str, list[ImplementedMeasure]] = defaultdict(list)
        for measure in self.model.measures:
            for target in measure.applies_to or [""]:
                index[target].append(measure)
        return dict(index)

    def measures_on(self, element_id: str) -> list[ImplementedMeasure]:
        return self.measures_by_target.get(element_id, [])

    def zone_and_ancestors(self, zone_id: str) -> list[str]:
        chain, seen = [], set()
        current: str | None = zone_id
        while current and current not in seen and current in self.zones:
            seen.add(current)
            chain.append(current)
            current = self.zones[current].parent
        return chain


def _walk_forward(
    landing: list[str], entry: str, hops: dict[str, list[str]], walled: frozenset[str]
) -> list[tuple[str, tuple[str, ...]]]:
    """The zones one entry reaches from the zones it lands in over ``hops`` (zone -> target zone, conduit id,
    flattened), breadth first, each with its shortest route (of equally short ones, the first in the hops' order),
    leaving out the ``walled`` zones (and all they lead to, which the caller knows to be walled too)."""
    routes: dict[str, tuple[str, ...]] = {}
    for zone_id in landing:
        if zone_id not in walled:
            routes.setdefault(zone_id, (entry,))
    frontier = list(routes)
    while frontier:
        following = []
        for zone_id in frontier:
            found = hops.get(zone_id, ())
            for position in range(0, len(found), 2):
                target = found[position]
                if target not in routes and target not in walled:
                    routes[target] = (*routes[zone_id], zone_id, found[position + 1])
                    following.append(target)
        frontier = following
    return list(routes.items())


def _measured_ids(model: FactoryModel) -> set[str]:
    """The ids some measure of the model applies to."""
    return {target for measure in model.measures for target in measure.applies_to}


ONE_WAY_GATEWAY = "data-diode"
"""The catalog component of a device that lets traffic through one way only: a conduit passing one is crossed from ``from`` to ``to`` only."""


OUTSIDE_ROUTES_PER_ZONE = 4
"""The most routes :attr:`AnalysisContext.outside_origins` keeps for one zone (one per entry that reaches it): enough for
a control room reached by a cloud, a vendor's sessions and removable media, and few enough to read in a finding."""


def _one_way_gateways(model: FactoryModel) -> frozenset[str]:
    """The ids of the assets that are data diodes (component ``data-diode``): few or none, so the zone graph tests each conduit's ``via`` against a small set."""
    return frozenset(asset.id for asset in model.assets if asset.component == ONE_WAY_GATEWAY)


def refuse_repeated_ids(model: FactoryModel, index: ModelIndex) -> None:
    """Raise :class:`RepeatedIdError` if two entries of the model share an id (ids are unique across the whole model).

    The loader refuses such a model with the file and line; a model built in
    code is refused here, once, so that no part of the analysis has to decide
    which of two entries an id means. The index's own mappings by id tell
    repeats within a section for free; across sections, each pair is compared
    by walking the smaller one.
    """
    indexed: dict[str, Set[str]] = {
        "zones": index.zones.keys(),
        "assets": index.assets.keys(),
        "operations": index.operations.keys(),
        "parties": index.parties.keys(),
        "conduits": index.conduits.keys(),
    }
    sections: list[Set[str]] = []
    for section in IDENTIFIED_COLLECTIONS:
        entries = getattr(model, section)
        ids = indexed.get(section) or {entry.id for entry in entries}
        if len(ids) != len(entries):
            _raise_repeated(model)
        sections.append(ids)
    for position, ids in enumerate(sections):
        for other in sections[position + 1 :]:
            smaller, larger = (ids, other) if len(ids) <= len(other) else (other, ids)
            if not larger.isdisjoint(smaller):
                _raise_repeated(model)


def _raise_repeated(model: FactoryModel) -> None:
    first: dict[str, tuple[str, int]] = {}
    for section in IDENTIFIED_COLLECTIONS:
        for position, entry in enumerate(getattr(model, section)):
            earlier = first.setdefault(entry.id, (section, position))
            if earlier != (section, position):
                raise RepeatedIdError(
                    f"{section}[{position}]: id '{entry.id}' is already used by {earlier[0]}[{earlier[1]}]; "
                    "ids must be unique across the whole model (validate the model before analysing it)"
                )


def build_context(model: FactoryModel, catalog: Catalog, today: dt.date | None = None) -> AnalysisContext:
    """Index the model once; linear in its size. ``today`` dates the review-age rules (see :attr:`AnalysisContext.today`).

    Refuses a model that gives one id to two entries (:class:`RepeatedIdError`).
    """
    zone_sides = {zone.id: zone.kind.side for zone in model.zones}
    conduits: dict[str, Conduit] = {}
    graph = build_zone_graph(model.conduits, zone_sides, conduits, _measured_ids(model), _one_way_gateways(model))
    index = index_model(model, conduits)
    refuse_repeated_ids(model, index)
    importance, facts = assess_importance(model)
    return AnalysisContext(
        **{f.name: getattr(index, f.name) for f in fields(ModelIndex)},
        catalog=catalog,
        importance=importance,
        importance_facts=facts,
        graph=graph,
        today=today,
    )
