"""Indexes over one model, built once and shared by every rule so that each rule stays a small predicate."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
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
        """Assets that issue control instructions to other zones: declared by trait, or issuers on a control conduit
        (:meth:`control_ends`)."""
        sources = {a.id for a in self.model.assets if Trait.ISSUES_CONTROL_INSTRUCTIONS in a.traits}
        for conduit in self.control_between_zones:
            sources.update(self.control_ends(conduit)[1])
        return sources

    def control_ends(self, conduit: Conduit, *, stated_only: bool = False) -> tuple[str, list[str], str, list[str]]:
        """The zone and the assets at the end of ``conduit`` that issues its control instructions, then those at the end
        that receives them: ``from`` then ``to``, or the other way round where :meth:`issued_at_to_end`.

        Every rule that asks which end of a conduit issues its instructions (or which end receives them) reads it here.
        ``stated_only``: by what the model states (``instructions_from``) alone, for the outside-origin walk
        (:meth:`_outside_walk`) and the rules that read it (see :meth:`issued_at_to_end`).
        """
        if self.issued_at_to_end(conduit, stated_only=stated_only):
            return conduit.to_zone, conduit.to_assets, conduit.from_zone, conduit.from_assets
        return conduit.from_zone, conduit.from_assets, conduit.to_zone, conduit.to_assets

    def issued_at_to_end(self, conduit: Conduit, *, stated_only: bool = False) -> bool:
        """Whether a two-way conduit's control instructions come from its ``to`` end rather than the drawn way.

        The one place that decides which end issues them (:meth:`control_ends`). The model says it in the conduit's
        ``instructions_from`` (``to``: a router that dials out to its maker's cloud, which sends the sessions back),
        and what it says wins; ``to`` counts only on a two-way conduit, which ``check`` insists on. ``stated_only``
        reads that alone: the outside-origin walk and THREAT-OUTSIDE-ORIGIN-CONTROL and THREAT-AUTO-CONTROL-INSTRUCTIONS,
        which read it, take the issuer's zone for where instructions are built from every outside route into it, and a
        guessed issuer would bring them routes the model never said feed its instructions (the EMS's reel requests
        from the MES, whose own data reach the MES from the test floor).

        Where the model does not say: a two-way link inside the factory may be
        drawn from either end (a reel store drawn towards the MES that sends it
        requests); the instructions go from the end whose assets issue them.
        That is the ``to`` end when its assets include one declared to issue
        control instructions and the ``from`` end's assets include none. A
        session keeps the drawn way: one with an external zone or an
        outside-run asset at either end, or with a remote-access asset (a jump
        server) at either end, carries what the person who opened it does, even
        into an engineering workstation that itself issues instructions.
        """
        if conduit.direction != "two-way":
            return False
        stated = conduit.instructions_from
        if stated is not None or stated_only:
            return stated == "to"
        if not conduit.from_assets or not conduit.to_assets:
            return False
        sides = self.zone_sides
        if sides.get(conduit.from_zone) == "external" or sides.get(conduit.to_zone) == "external":
            return False
        assets, issues, remote = self.assets, Trait.ISSUES_CONTROL_INSTRUCTIONS, Trait.REMOTE_ACCESS
        ends = [assets[a] for a in (*conduit.from_assets, *conduit.to_assets) if a in assets]
        if any(remote in asset.traits or self.is_external(asset) for asset in ends):
            return False

        def issuer(asset_id: str) -> bool:
            asset = assets.get(asset_id)
            return asset is not None and issues in asset.traits

        return not any(issuer(a) for a in conduit.from_assets) and any(issuer(a) for a in conduit.to_assets)

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
    def outside_origins(self) -> dict[str, tuple[Route, ...]]:
        """Zones holding data, programs or settings that came from outside the factory, each with the routes they came by (Table 3-4).

        Origins are what enters from outside: a conduit from an external zone or
        over an external network that brings data in (:meth:`_brings_data_in`:
        not one that only takes the factory's own data out), removable media
        carried in (a zone's first asset with the ``removable-media`` trait
        names the entry; the data land on every asset of the zone with it).
        They are followed from conduit to conduit between zones, through any
        number of internal zones (converting the data on the way does not change
        where they came from), but only where the model shows them passed on
        (:meth:`_outside_walk`): by the assets that received them, the data
        assets that carry them, or a conduit that names no assets at that end.
        What a two-way conduit carrying control instructions sends back (the
        controlled equipment's readings and status) carries them only when it
        lists the same data asset. A session (:meth:`_is_session`: a vendor's
        remote maintenance) is followed only the way conduits carrying control
        instructions run: what it brings is what its user does, not data sent
        on. A route lists element ids from the entry (a conduit id, or the
        removable-media asset's id) to the zone, the zone itself left out.

        A zone keeps one route per entry that reaches it, the shortest (of
        equally short ones, the first in model order), at most
        :data:`OUTSIDE_ROUTES_PER_ZONE` of them, listed shortest first, then in
        the order of the entries (external conduits in model order, then
        removable media in the zones' order). :attr:`outside_origins_cut` names
        the zones that more entries reach than that. The routes that reach the
        assets sending over one conduit are :attr:`conduit_outside_origins`.
        """
        return self._outside_walk.zones

    @property
    def outside_origins_cut(self) -> frozenset[str]:
        """The zones of :attr:`outside_origins` that more entries reach than the routes kept for them."""
        return self._outside_walk.zones_cut

    @property
    def conduit_outside_origins(self) -> Mapping[str, tuple[Route, ...]]:
        """Per conduit between zones, the routes by which data of outside origin reach what it sends from its ``from``
        zone, or for a conduit carrying control instructions from the zone the model says issues them
        (:meth:`control_ends`, ``stated_only``):
        the assets it names as senders there, the data assets it lists, or the zone when it names no sender; in the
        form and order of :attr:`outside_origins`: the routes THREAT-OUTSIDE-ORIGIN-CONTROL names for instructions
        sent over it. Conduits no outside data reach are left out."""
        return self._outside_walk.conduits

    @property
    def conduit_outside_origins_cut(self) -> Set[str]:
        """The conduits of :attr:`conduit_outside_origins` that more entries reach than the routes kept for them."""
        return self._outside_walk.conduits_cut

    @cached_property
    def _outside_walk(self) -> OutsideWalk:
        """:attr:`outside_origins` and :attr:`conduit_outside_origins`, found in one walk.

        The walk goes from conduit to conduit. What arrives in a zone is held there under keys
        (:meth:`_OutsideKeys.landing`): each receiving asset the arriving conduit names (and the conduits that name no
        sender, which any asset may send), each data asset it lists, or the whole zone when it names no receiver.
        A conduit leaving the zone takes it on when one of its keys (:meth:`_OutsideKeys.sending`) holds it: it is sent
        by an asset that holds it, lists a data asset that does, names no sender, or leaves a zone held as a whole.
        Instructions (what a conduit carrying control instructions delivers, and a session) are held under keys of
        their own, which only conduits carrying control instructions take on; the data assets such a conduit lists
        travel on as data. Such a conduit takes them on at the end that issues its instructions (:meth:`control_ends`:
        its ``from`` end unless its ``instructions_from`` says ``to``), and its way back (the controlled equipment's
        readings and status) takes nothing on.

        The bound: each key keeps at most :data:`OUTSIDE_ROUTES_PER_ZONE` entries (the first to arrive, breadth
        first, so the shortest), and the conduits leaving from a key are looked at once for each entry it takes in.
        So each way a conduit carries something is looked at no more than :data:`OUTSIDE_ROUTES_PER_ZONE` times per
        key it is sent from (two keys for a conduit naming nothing at its sending end, the zone and the conduits that
        name no sender; four when it carries control instructions; one more per data asset it lists and per asset it
        names there, two for an asset named on a conduit carrying control instructions): the walk is linear in the
        conduits and the names they give, times :data:`OUTSIDE_ROUTES_PER_ZONE`, never a walk over every path. A
        look costs little once nothing can change: once a zone notes more entries than it shows, all of them shorter
        than what arrives now, and every key a conduit lands on there has refused an entry, the conduit is passed
        over for good (:attr:`OutsideWalk.arrivals` counts the looks that are not). Zones, keys, entries and the
        walk's items are numbered and kept in flat lists; a route is built only for a route shown, and what a conduit
        takes on is read from its keys when first asked for (:class:`_ConduitRoutes`). A key that refuses an entry,
        and every key it leads to, is reached by more entries than it keeps.
        """
        limit = OUTSIDE_ROUTES_PER_ZONE
        sides = self.zone_sides
        none = ExternalNetwork.NONE
        zone_ids = list(self.zones)
        numbers = {zone_id: number for number, zone_id in enumerate(zone_ids)}
        keys = _OutsideKeys(len(zone_ids))
        # Where each entry lands first: (zone, keys, entry), the entries numbered in their order.
        entry_ids: list[str] = []
        rank: dict[str, int] = {}
        seeds: list[tuple[int, tuple[int, ...], int]] = []
        for conduit, source, target in self.external_links:
            if not self._brings_data_in(conduit):
                continue
            crosses_network = conduit.external_network is not none
            entry = rank.setdefault(conduit.id, len(rank))
            if entry == len(entry_ids):
                entry_ids.append(conduit.id)
            session = self._is_session(conduit)
            if target != "external" and (source == "external" or crosses_network):
                number = numbers[conduit.to_zone]
                seeds.append((number, keys.landing(number, conduit.to_assets, conduit.data, session), entry))
            if conduit.direction == "two-way" and source != "external" and (target == "external" or crosses_network):
                number = numbers[conduit.from_zone]
                seeds.append((number, keys.landing(number, conduit.from_assets, conduit.data, session), entry))
        removable = Trait.REMOVABLE_MEDIA
        for zone in self.model.zones:
            if sides.get(zone.id) == "external":
                continue
            media = [a.id for a in self.assets_in.get(zone.id, ()) if a.traits and removable in a.traits]
            if media:
                entry = rank.setdefault(media[0], len(rank))
                if entry == len(entry_ids):
                    entry_ids.append(media[0])
                number = numbers[zone.id]
                seeds.append((number, keys.landing(number, media, (), False), entry))
        if not seeds:
            return OutsideWalk({}, frozenset(), {}, frozenset())
        # Each way a conduit between zones takes something on (a send), in model order: its conduit, the zone it lands
        # in (-1: an external one) and the keys it lands on there; and each conduit's own keys, sent from its ``from``
        # zone, or from the zone the model says issues its control instructions (:meth:`control_ends`; the way back
        # of a two-way conduit carrying them sends nothing of its own).
        conduit_ids: list[str] = []
        land_zone: list[int] = []
        land_keys: list[tuple[int, ...]] = []
        sending: dict[str, tuple[int, ...]] = {}
        by_key = keys.sends  # key -> the sends that take on what it holds, in model order
        external = [sides[zone_id] == "external" for zone_id in zone_ids]
        sending_keys, landing_keys = keys.sending, keys.landing

        def add_way(
            conduit_id: str,
            start: int,
            end: int,
            senders: Sequence[str],
            receivers: Sequence[str],
            data: Sequence[str],
            control: bool,
        ) -> tuple[int, ...]:
            """One way a conduit takes something on, from zone ``start`` to ``end``; its keys at ``start``."""
            own = sending_keys(start, senders, data, control)
            for key in own:
                by_key[key].append(len(conduit_ids))
            conduit_ids.append(conduit_id)
            land_zone.append(-1 if external[end] else end)
            land_keys.append(() if external[end] else landing_keys(end, receivers, data, control))
            return own

        for conduit in self.carrying_between_zones:
            control, data, conduit_id = conduit.carries_control_instructions, conduit.data, conduit.id
            if control:  # the instructions go from the end the model says issues them, the drawn way or back
                issuer, senders, receiver, receivers = self.control_ends(conduit, stated_only=True)
                start, end = numbers[issuer], numbers[receiver]
            else:
                start, end = numbers[conduit.from_zone], numbers[conduit.to_zone]
                senders, receivers = conduit.from_assets, conduit.to_assets
            sending[conduit_id] = add_way(conduit_id, start, end, senders, receivers, data, control)
            if not control and conduit.direction == "two-way":  # the way back, no instructions of its own
                add_way(conduit_id, end, start, receivers, senders, data, False)
        # What each key holds, kept in flat lists (no object per key or entry): how many entries, which (``limit``
        # slots per key, in the order taken in), and per key and entry (``key * len(entry_ids) + entry``) the item
        # that took it in (-1 at a key no conduit leaves from).
        entry_count, send_count = len(entry_ids), len(conduit_ids)
        held_count = [0] * len(by_key)
        held_slots = [0] * (len(by_key) * limit)
        held_at: dict[int, int] = {}
        refused = bytearray(len(by_key))
        # Per zone, entry -> how its first route arrived: ``item * send_count + send``, the route of the item and the
        # send from its zone, or -1, the entry's landing (the route (entry,)).
        arrived: list[dict[int, int]] = [{} for _ in zone_ids]
        order: list[int] = []  # the zones in the order first reached
        closed = bytearray(len(zone_ids))  # zones whose routes shown and cut no arrival can change any more
        done = bytearray(send_count)  # sends whose arrival can change nothing any more
        for position, number in enumerate(land_zone):
            if number < 0:
                done[position] = 1
        # Items, six numbers each: zone, entry, the key that took it in (or -2 - i: the keys ``several[i]``), the item it
        # came from (-1: an entry's landing), the send it came by, the length of its route. Walked breadth first: the
        # list grows while walked.
        items: list[int] = []
        several: list[list[int]] = []

        def take(number: int, entry: int, landing: tuple[int, ...], parent: int, position: int, length: int) -> None:
            """Take ``entry``, arrived in zone ``number`` over ``landing``, in at the keys that have room, as one item."""
            first = -1
            more: list[int] | None = None
            item = len(items) // 6
            for key in landing:
                code = key * entry_count + entry
                if code in held_at:
                    continue
                count = held_count[key]
                if count >= limit:
                    refused[key] = 1
                    continue
                held_count[key] = count + 1
                held_slots[key * limit + count] = entry
                if not by_key[key]:
                    held_at[code] = -1
                    continue
                held_at[code] = item
                if first < 0:
                    first = key
                elif more is None:
                    more = [first, key]
                else:
                    more.append(key)
            if more is not None:
                first = -2 - len(several)
                several.append(more)
            if first != -1:
                items.extend((number, entry, first, parent, position, length))

        for number, landing, entry in seeds:
            found = arrived[number]
            if not found:
                order.append(number)
            found.setdefault(entry, -1)
            take(number, entry, landing, -1, -1, 1)
        level = 0
        item = 0
        arrivals = 0
        while item * 6 < len(items):
            entry, taken, length = items[item * 6 + 1], items[item * 6 + 2], items[item * 6 + 5] + 2
            if length != level:
                # Every route noted so far is shorter than those arriving now: a zone noting more than it shows
                # shows the same whatever else arrives.
                level = length
                for number in order:
                    if len(arrived[number]) > limit:
                        closed[number] = 1
            if taken >= 0:
                positions: Iterable[int] = by_key[taken]
            else:
                positions = sorted(set(chain.from_iterable(by_key[key] for key in several[-2 - taken])))
            for position in positions:
                if done[position]:
                    continue
                arrivals += 1
                number = land_zone[position]
                shut = closed[number]
                if not shut:
                    found = arrived[number]
                    if entry not in found:
                        if not found:
                            order.append(number)
                        found[entry] = item * send_count + position
                first = -1
                more: list[int] | None = None
                for key in land_keys[position]:
                    code = key * entry_count + entry
                    if code in held_at:
                        if not refused[key]:
                            shut = 0
                        continue
                    count = held_count[key]
                    if count >= limit:
                        refused[key] = 1
                        continue
                    shut = 0
                    held_count[key] = count + 1
                    held_slots[key * limit + count] = entry
                    if not by_key[key]:
                        held_at[code] = -1
                        continue
                    held_at[code] = len(items) // 6
                    if first < 0:
                        first = key
                    elif more is None:
                        more = [first, key]
                    else:
                        more.append(key)
                if shut:
                    done[position] = 1  # its zone is closed and every key it lands on has refused an entry
                elif first != -1:
                    if more is not None:
                        first = -2 - len(several)
                        several.append(more)
                    items.extend((number, entry, first, item, position, length))
            item += 1
        # A key downstream of one that refused an entry is reached by more entries than it keeps, too: every entry
        # of the refusing key (it held as many as it keeps) and the one refused.
        cut = bytearray(refused)
        waiting = [key for key, flag in enumerate(refused) if flag]
        passed = bytearray(send_count)
        while waiting:
            for position in by_key[waiting.pop()]:
                if not passed[position]:
                    passed[position] = 1
                    for key in land_keys[position]:
                        if not cut[key]:
                            cut[key] = 1
                            waiting.append(key)
        routes: dict[int, Route] = {}

        def route_of(item: int) -> Route:
            """The route of ``item``'s entry to its zone."""
            found = routes.get(item)
            if found is not None:
                return found
            steps: list[int] = []
            while item not in routes and items[item * 6 + 3] >= 0:
                steps.append(item)
                item = items[item * 6 + 3]
            found = routes.get(item) or (entry_ids[items[item * 6 + 1]],)
            routes[item] = found
            for step in reversed(steps):
                parent, position = items[step * 6 + 3], items[step * 6 + 4]
                found = (*found, zone_ids[items[parent * 6]], conduit_ids[position])
                routes[step] = found
            return found

        def first_route(entry: int, came: int) -> Route:
            """The first route of ``entry`` to arrive in a zone, noted there as ``came``."""
            if came < 0:
                return (entry_ids[entry],)
            parent, position = divmod(came, send_count)
            return (*route_of(parent), zone_ids[items[parent * 6]], conduit_ids[position])

        zones: dict[str, tuple[Route, ...]] = {}
        zones_cut = {zone_ids[keys.zone[key]] for key, flag in enumerate(cut) if flag and arrived[keys.zone[key]]}
        for number in order:
            found = arrived[number]
            if len(found) > limit:
                zones_cut.add(zone_ids[number])
            # Noted in the order they arrived, so by length: the shortest are the first few, sorted by entry.
            shortest: list[tuple[int, int]] = []
            for entry, came in found.items():
                length = 1 if came < 0 else items[came // send_count * 6 + 5] + 2
                if len(shortest) >= limit and length > shortest[limit - 1][0]:
                    break
                shortest.append((length, entry))
            zones[zone_ids[number]] = tuple(first_route(entry, found[entry]) for _, entry in sorted(shortest)[:limit])
        ranked: dict[int, list[tuple[int, int, int]]] = {}  # key -> (length, entry, item) of what it holds, sorted
        results: dict[tuple[int, ...], _TakenOn] = {}

        def taken_on(own: tuple[int, ...]) -> _TakenOn:
            """What a conduit sending from the keys ``own`` takes on: the entries they hold, each by the first item
            that took it in at one of them, shortest first, then by entry; and whether more reach it than it shows."""
            if own in results:
                return results[own]
            result: _TakenOn
            candidates: list[tuple[int, int, int]] = []
            for key in own:
                count = held_count[key]
                if count:
                    sorted_held = ranked.get(key)
                    if sorted_held is None:
                        sorted_held = []
                        for entry in held_slots[key * limit : key * limit + count]:
                            came = held_at[key * entry_count + entry]
                            sorted_held.append((items[came * 6 + 5], entry, came))
                        sorted_held.sort()
                        ranked[key] = sorted_held
                    candidates.extend(sorted_held)
            if not candidates:
                result = None
            else:
                candidates.sort()
                first: dict[int, int] = {}
                for _, entry, came in candidates:
                    first.setdefault(entry, came)  # the shortest, and of equally short ones the first
                shown = tuple(route_of(came) for came in list(first.values())[:limit])
                result = (shown, len(first) > limit or any(cut[key] for key in own))
            results[own] = result
            return result

        return OutsideWalk(
            zones, frozenset(zones_cut), _ConduitRoutes(sending, taken_on), _ConduitsCut(sending, taken_on), arrivals
        )

    @cached_property
    def data_from_outside(self) -> dict[str, str]:
        """Data assets of outside origin, each with how: the id of the first conduit (in model order) that brings it
        in from outside (an external link that :meth:`_brings_data_in`, a session included), or ``""`` when it lives
        outside (in an external zone, on an outside-run asset or as an external service) or is generated outside with
        no conduit shown bringing it in. Read with a data asset's
        ``data.derived_from`` (THREAT-OUTSIDE-ORIGIN-CONTROL): data whose lineage reaches none of these is made in
        the factory, wherever the zones' outside routes lead."""
        found: dict[str, str] = {}
        data_assets = [asset for asset in self.model.assets if asset.type is AssetType.DATA]
        for asset in data_assets:
            if self.kept_outside(asset):
                found[asset.id] = ""
        none = ExternalNetwork.NONE
        for conduit, source, target in self.external_links:
            crosses = conduit.external_network is not none or "external" in (source, target)
            if crosses and conduit.data and self._brings_data_in(conduit):
                for data_id in conduit.data:
                    found.setdefault(data_id, conduit.id)
        for asset in data_assets:  # generated outside and brought in by no conduit the model shows
            if asset.id not in found and self.made_outside(asset):
                found[asset.id] = ""
        return found

    def lineage_of(self, carried: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
        """The lineage of the data assets ``carried``: every data asset reached over ``data.derived_from`` from them,
        the carried ones included, in the order met; the data of outside origin (:attr:`data_from_outside`) among
        them; and those whose lineage is not stated (no ``data.derived_from``). An asset's lineage is followed on
        whether or not it is of outside origin itself. Returns (outside, unstated, every one)."""
        assets, from_outside = self.assets, self.data_from_outside
        outside: list[str] = []
        unstated: list[str] = []
        seen: dict[str, None] = dict.fromkeys(carried)
        waiting = list(seen)
        position = 0
        while position < len(waiting):
            data_id = waiting[position]
            position += 1
            if data_id in from_outside:
                outside.append(data_id)
            asset = assets.get(data_id)
            derived_from = asset.data.derived_from if asset is not None and asset.data is not None else None
            if derived_from is None:
                unstated.append(data_id)
                continue
            for source in derived_from:
                if source not in seen:
                    seen[source] = None
                    waiting.append(source)
        return outside, unstated, waiting

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
        """Kept outside (:meth:`kept_outside`), or data the model says is generated outside (:meth:`made_outside`)."""
        return self.kept_outside(asset) or self.made_outside(asset)

    def kept_outside(self, asset: Asset) -> bool:
        """In an external zone, run by an outside party, or an external service."""
        return (asset.zone is not None and self.zone_sides.get(asset.zone) == "external") or self.is_external(asset)

    def made_outside(self, asset: Asset) -> bool:
        """Data whose lifecycle has it generated in an external zone, wherever the factory keeps it (a demand-response
        event in the factory's EMS is still the aggregator's; a wafer map stored in the MES is still the fab's)."""
        data, sides = asset.data, self.zone_sides
        return data is not None and any(
            event.event == "generation" and event.zone is not None and sides.get(event.zone) == "external"
            for event in data.lifecycle
        )

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


Route = tuple[str, ...]
"""A route of outside data: element ids from the entry (a conduit id, or a removable-media asset's id) to a zone, the
zone itself left out (:attr:`AnalysisContext.outside_origins`)."""


_TakenOn = tuple[tuple[Route, ...], bool] | None
"""What a conduit takes on in the outside-origin walk: the routes shown and whether more entries reach it; None: none."""


class _ConduitRoutes(Mapping[str, tuple[Route, ...]]):
    """:attr:`AnalysisContext.conduit_outside_origins`: each conduit's routes, read from the walk's keys when first
    asked for (the rules ask for the conduits that carry control instructions, a tenth of a large model's)."""

    __slots__ = ("_sending", "_taken_on")

    def __init__(self, sending: dict[str, tuple[int, ...]], taken_on: Callable[[tuple[int, ...]], _TakenOn]) -> None:
        self._sending = sending
        self._taken_on = taken_on

    def __getitem__(self, conduit_id: str) -> tuple[Route, ...]:
        found = self._taken_on(self._sending[conduit_id])
        if found is None:
            raise KeyError(conduit_id)
        return found[0]

    def __iter__(self) -> Iterator[str]:
        taken_on = self._taken_on
        return (conduit_id for conduit_id, own in self._sending.items() if taken_on(own) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _ConduitsCut(Set[str]):
    """:attr:`AnalysisContext.conduit_outside_origins_cut`, read like :class:`_ConduitRoutes`."""

    __slots__ = ("_sending", "_taken_on")

    def __init__(self, sending: dict[str, tuple[int, ...]], taken_on: Callable[[tuple[int, ...]], _TakenOn]) -> None:
        self._sending = sending
        self._taken_on = taken_on

    def __contains__(self, conduit_id: object) -> bool:
        own = self._sending.get(conduit_id) if isinstance(conduit_id, str) else None
        found = None if own is None else self._taken_on(own)
        return found is not None and found[1]

    def __iter__(self) -> Iterator[str]:
        return (conduit_id for conduit_id in self._sending if conduit_id in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True)
class OutsideWalk:
    """What :meth:`AnalysisContext._outside_walk` finds: the routes per zone and per conduit, and those cut short."""

    zones: dict[str, tuple[Route, ...]]
    zones_cut: frozenset[str]
    conduits: Mapping[str, tuple[Route, ...]]
    conduits_cut: Set[str]
    arrivals: int = 0
    """The times the walk carried an entry over a conduit into a zone and looked at what it lands on: its work, beside
    the conduits (a conduit that can change nothing there any more is passed over)."""


class _OutsideKeys:
    """The keys outside data are held under in a zone (:meth:`AnalysisContext._outside_walk`), numbered: four per zone
    (``4 * zone``: the zone as a whole; ``+ 1``: the conduits that name no sender there; ``+ 2`` and ``+ 3``: the same
    for instructions), then, as the conduits name them, two per asset at a conduit's end (the asset, and ``+ 1`` the
    instructions it received) and one per data asset, in each zone."""

    __slots__ = ("_assets", "_data", "plain_landing", "plain_sending", "sends", "zone")

    def __init__(self, zone_count: int) -> None:
        self.zone: list[int] = [number for number in range(zone_count) for _ in range(4)]
        """Each key's zone (numbered in the model's order)."""
        self.sends: list[list[int]] = [[] for _ in self.zone]
        """Each key's sends: the ways conduits leave from it, in model order (filled by the walk)."""
        self._assets: list[dict[str, int]] = [{} for _ in range(zone_count)]
        self._data: list[dict[str, int]] = [{} for _ in range(zone_count)]
        self.plain_landing = [((4 * n,), (4 * n + 2,)) for n in range(zone_count)]
        """Per zone, :meth:`landing`'s keys for a conduit that names nothing at that end: (data, instructions)."""
        self.plain_sending = [((4 * n, 4 * n + 1), (4 * n, 4 * n + 1, 4 * n + 2, 4 * n + 3)) for n in range(zone_count)]
        """Per zone, :meth:`sending`'s keys for a conduit that names nothing at that end: (data, control)."""

    def _new(self, known: dict[str, int], name: str, zone: int, width: int) -> int:
        """A new key for ``name`` in ``zone`` (``width`` keys in a row), noted in ``known``."""
        key = known[name] = len(self.zone)
        self.zone.extend((zone,) * width)
        self.sends.extend([] for _ in range(width))
        return key

    def landing(self, zone: int, receivers: Sequence[str], data: Sequence[str], instructions: bool) -> tuple[int, ...]:
        """The keys what arrives in ``zone`` is held under: each data asset listed; each receiving asset named, and
        the conduits that name no sender (any asset may send them); or the whole zone when no receiver is named.
        ``instructions``: control instructions or a session, which go on only as instructions."""
        if not data and not receivers:
            return self.plain_landing[zone][instructions]
        found = []
        if data:
            known = self._data[zone]
            for name in data:
                key = known.get(name)
                found.append(self._new(known, name, zone, 1) if key is None else key)
        if receivers:
            known, shift = self._assets[zone], 1 if instructions else 0
            for name in receivers:
                key = known.get(name)
                found.append((self._new(known, name, zone, 2) if key is None else key) + shift)
            found.append(4 * zone + (3 if instructions else 1))
        else:
            found.append(4 * zone + (2 if instructions else 0))
        return tuple(found)

    def sending(self, zone: int, senders: Sequence[str], data: Sequence[str], control: bool) -> tuple[int, ...]:
        """The keys whose holdings a conduit sending from ``zone`` takes on: each data asset it lists, the zone as a
        whole, and each sending asset it names (or, naming none, the conduits that name no sender); ``control``: a
        conduit carrying control instructions, which takes on instructions too (the same keys for instructions)."""
        if not data and not senders:
            return self.plain_sending[zone][control]
        base = 4 * zone
        found = []
        if data:
            known = self._data[zone]
            for name in data:
                key = known.get(name)
                found.append(self._new(known, name, zone, 1) if key is None else key)
        found.append(base)
        if senders:
            known = self._assets[zone]
            named = []
            for name in senders:
                key = known.get(name)
                named.append(self._new(known, name, zone, 2) if key is None else key)
            found.extend(named)
            if control:
                found.append(base + 2)
                found.extend([key + 1 for key in named])
        else:
            found.append(base + 1)
            if control:
                found.extend((base + 2, base + 3))
        return tuple(found)


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
