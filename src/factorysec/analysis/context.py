"""Indexes over one model, built once and shared by every rule so that each rule stays a small predicate."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Set
from dataclasses import dataclass, field, fields
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import Any

from factorysec.analysis.importance import ImportanceFacts, ImportanceResult, assess_importance
from factorysec.catalog import Catalog
from factorysec.model.entities import Asset, AssetType, Conduit, ExternalNetwork, FactoryModel, ImplementedMeasure, Trait
from factorysec.model.index import ModelIndex, index_model

Link = tuple[Conduit, str, str]
"""A conduit whose both zones are in the model, with the sides of its sending and receiving zones."""

_FA_OA = frozenset({("fa", "oa"), ("oa", "fa")})


@dataclass
class _ConduitClasses:
    """See :meth:`AnalysisContext._conduit_classes`."""

    external: list[Link] = field(default_factory=list)
    fa_oa: list[Link] = field(default_factory=list)
    fa_oa_with_data: list[Link] = field(default_factory=list)
    control: list[Link] = field(default_factory=list)
    between_zones: list[Conduit] = field(default_factory=list)
    control_between_zones: list[Conduit] = field(default_factory=list)
    over_external_networks: list[Conduit] = field(default_factory=list)
    hops: dict[str, list[str | int]] = field(default_factory=dict)
    hops_with_measures: list[tuple[str, int, Conduit]] = field(default_factory=list)
    with_measures: list[Conduit] = field(default_factory=list)
    controlled: list[str | list[str]] = field(default_factory=list)


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
    memo: dict[tuple[str, Any], Any] = field(default_factory=dict)
    """Per-run memo for helpers that several rules call with the same key (e.g. a zone's impact text)."""
    conduit_classes: _ConduitClasses | None = None
    """The conduits classified while indexing them by id (see :func:`build_context`); worked out on first use if not given."""
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
        devices, with_any_trait, external, operation_ids = groups.devices, groups.with_any_trait, groups.external, groups.operation_ids
        by_trait = groups.by_trait
        for zone_id, assets in self.assets_in.items():
            zone = zones.get(zone_id)
            if zone is not None:
                operation_ids[zone_id] = dict.fromkeys(chain(zone.operations, chain.from_iterable(map(operations_of, assets))))
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
        key = ("devices_with_traits", traits)
        known: dict[str, list[Asset]] | None = self.memo.get(key)
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
            self.memo[key] = known
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
        return self._conduit_classes.external

    @property
    def fa_oa_links(self) -> list[Link]:
        """The :attr:`linked_sides` that join a control (FA) and an office (OA) zone, either way round, in model order."""
        return self._conduit_classes.fa_oa

    @property
    def fa_oa_data_links(self) -> list[Link]:
        """The :attr:`fa_oa_links` that carry data assets (``data`` not empty), in model order."""
        return self._conduit_classes.fa_oa_with_data

    @property
    def control_links(self) -> list[Link]:
        """The :attr:`linked_sides` that carry control instructions, in model order."""
        return self._conduit_classes.control

    @property
    def between_zones(self) -> list[Conduit]:
        """Conduits whose ``from`` and ``to`` differ (either may be missing from the model), in model order."""
        return self._conduit_classes.between_zones

    @property
    def control_between_zones(self) -> list[Conduit]:
        """The :attr:`between_zones` that carry control instructions, in model order."""
        return self._conduit_classes.control_between_zones

    @property
    def over_external_networks(self) -> list[Conduit]:
        """Conduits that cross an external network (``external_network`` other than none), in model order."""
        return self._conduit_classes.over_external_networks

    @property
    def conduit_hops(self) -> dict[str, list[str | int]]:
        """Per zone of the model, the hops out of it over the conduits between two zones of the model, in model order.

        As :data:`~factorysec.analysis.exposure.Adjacency` holds them (target
        zone, doubled control weight, conduit id), weighted by the conduit's
        declared controls alone: see :attr:`conduit_hops_with_measures`.
        Zone ids are the model's zone index's own strings. Callers must not change it.
        """
        return self._conduit_classes.hops

    @property
    def conduit_hops_with_measures(self) -> list[tuple[str, int, Conduit]]:
        """Each weight in :attr:`conduit_hops` of a conduit that some measure applies to: (zone, index of the weight in its list, conduit), in model order."""
        return self._conduit_classes.hops_with_measures

    @property
    def conduits_with_measures(self) -> list[Conduit]:
        """Conduits whose id some measure applies to (in place, partial or planned), in model order."""
        return self._conduit_classes.with_measures

    @property
    def controlled_conduits(self) -> list[str | list[str]]:
        """The conduits that declare controls, in model order, as one flat list: from zone, to zone, controls, from zone, ...

        Zone ids of the model are the model's zone index's own strings. Callers must not change it.
        """
        return self._conduit_classes.controlled

    @cached_property
    def _conduit_classes(self) -> _ConduitClasses:
        """The few kinds of conduit the analysis looks at, each in model order (see :func:`_classify_conduits`)."""
        if self.conduit_classes is not None:
            return self.conduit_classes
        return _classify_conduits(self.model.conduits, self.zone_sides, {}, _measured_ids(self.model))

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


def _classify_conduits(
    conduits: list[Conduit], zone_sides: Mapping[str, str], by_id: dict[str, Conduit], measured: Set[str] = frozenset()
) -> _ConduitClasses:
    """The few kinds of conduit the analysis looks at, each in model order, found in one pass over the conduits that also fills ``by_id``.

    Most conduits of a plant stay inside one zone, on one side, inside the
    factory: the rules, requirements and exposure walk these short lists
    rather than every conduit again (at 300k conduits each walk cost about a
    tenth of a second). :func:`build_context` indexes the conduits by id in the
    same pass, while each conduit is in the CPU cache.

    The same pass notes what exposure and the security levels read of every
    conduit (see :attr:`AnalysisContext.conduit_hops` and
    :attr:`AnalysisContext.controlled_conduits`): their own walks over the
    conduits between zones (scattered in memory) cost more than reading a
    few more fields here. ``measured``: the ids some measure applies to.
    """
    none = ExternalNetwork.NONE
    fa_oa_pairs = _FA_OA
    classes = _ConduitClasses()
    external, fa_oa, fa_oa_with_data, control = classes.external, classes.fa_oa, classes.fa_oa_with_data, classes.control
    between, control_between, over_external = classes.between_zones, classes.control_between_zones, classes.over_external_networks
    hops_with_measures, with_measures, controlled = classes.hops_with_measures, classes.with_measures, classes.controlled
    # Per zone: its id as the model's zone index holds it (later lookups find it by identity), its side and the hops out of it.
    zone_entries: dict[str, tuple[str, str, list[str | int]]] = {zone_id: (zone_id, side, []) for zone_id, side in zone_sides.items()}
    classes.hops = {zone_id: entry[2] for zone_id, entry in zone_entries.items()}
    zone_of = zone_entries.get
    for conduit in conduits:
        conduit_id = conduit.id
        by_id[conduit_id] = conduit
        has_measures = conduit_id in measured
        if has_measures:
            with_measures.append(conduit)
        from_zone, to_zone = conduit.from_zone, conduit.to_zone
        carries_control = conduit.carries_control_instructions
        controls = conduit.controls
        crosses_network = conduit.external_network is not none
        if crosses_network:
            over_external.append(conduit)
        if from_zone == to_zone:
            found = zone_of(from_zone)
            if found is None:
                if controls:
                    controlled += (from_zone, to_zone, controls)
                continue
            from_zone = to_zone = found[0]
            source = target = found[1]
            if controls:
                controlled += (from_zone, to_zone, controls)
            if crosses_network or source == "external":
                external.append((conduit, source, target))
        else:
            between.append(conduit)
            if carries_control:
                control_between.append(conduit)
            start, end = zone_of(from_zone), zone_of(to_zone)
            if start is None or end is None:
                if controls:
                    controlled += (from_zone, to_zone, controls)
                continue
            from_zone, source, out_of_start = start
            to_zone, target, out_of_end = end
            if controls:
                controlled += (from_zone, to_zone, controls)
                weight = 2 * (len(set(controls)) if len(controls) > 1 else 1)
            else:
                weight = 0
            if has_measures:
                hops_with_measures.append((from_zone, len(out_of_start) + 1, conduit))
            out_of_start += (to_zone, weight, conduit_id)
            if conduit.direction == "two-way":
                if has_measures:
                    hops_with_measures.append((to_zone, len(out_of_end) + 1, conduit))
                out_of_end += (from_zone, weight, conduit_id)
            if crosses_network or source == "external" or target == "external":
                external.append((conduit, source, target))
            if (source, target) in fa_oa_pairs:
                fa_oa.append((conduit, source, target))
                if conduit.data:
                    fa_oa_with_data.append((conduit, source, target))
        if carries_control:
            control.append((conduit, source, target))
    return classes


def _measured_ids(model: FactoryModel) -> set[str]:
    """The ids some measure of the model applies to."""
    return {target for measure in model.measures for target in measure.applies_to}


def build_context(model: FactoryModel, catalog: Catalog, today: dt.date | None = None) -> AnalysisContext:
    """Index the model once; linear in its size. ``today`` dates the review-age rules (see :attr:`AnalysisContext.today`)."""
    zone_sides = {zone.id: zone.kind.side for zone in model.zones}  # the last zone of an id, as in the index
    conduits: dict[str, Conduit] = {}
    classes = _classify_conduits(model.conduits, zone_sides, conduits, _measured_ids(model))
    index = index_model(model, conduits)
    importance, facts = assess_importance(model)
    return AnalysisContext(
        **{f.name: getattr(index, f.name) for f in fields(ModelIndex)}, catalog=catalog, importance=importance, importance_facts=facts,
        conduit_classes=classes, today=today,
    )
