"""Indexes over one model, built once and shared by every rule so that each rule stays a small predicate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from functools import cached_property
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
    control: list[Link] = field(default_factory=list)
    between_zones: list[Conduit] = field(default_factory=list)
    over_external_networks: list[Conduit] = field(default_factory=list)


@dataclass(frozen=True)
class AnalysisContext(ModelIndex):
    """The model's index plus the model, the catalog, importance and lookups rules need. Built by :func:`build_context`."""

    catalog: Catalog
    importance: ImportanceResult
    importance_facts: ImportanceFacts
    """Per zone and overall facts about the assets' importance, noted while rating them."""
    memo: dict[tuple[str, Any], Any] = field(default_factory=dict)
    """Per-run memo for helpers that several rules call with the same key (e.g. a zone's impact text)."""

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

    @cached_property
    def devices(self) -> dict[str, list[Asset]]:
        """Every zone's devices (see :meth:`devices_in`), filtered once: a dozen rules ask for each zone's. Zones without any are left out."""
        data = AssetType.DATA
        found = {zone_id: [a for a in assets if a.type is not data] for zone_id, assets in self.assets_in.items()}
        return {zone_id: devices for zone_id, devices in found.items() if devices}

    @cached_property
    def _devices_with_any_trait(self) -> dict[str, list[Asset]]:
        """Every zone's devices that have at least one trait, in model order; zones without any are left out."""
        found = {zone_id: [a for a in devices if a.traits] for zone_id, devices in self.devices.items()}
        return {zone_id: devices for zone_id, devices in found.items() if devices}

    def devices_with_traits(self, traits: frozenset[Trait]) -> dict[str, list[Asset]]:
        """Every zone's devices that have one of ``traits`` or more, in model order; zones without any are left out. Callers must not change it."""
        key = ("devices_with_traits", traits)
        known: dict[str, list[Asset]] | None = self.memo.get(key)
        if known is None:
            disjoint = traits.isdisjoint
            found = {zone_id: [a for a in devices if not disjoint(a.traits)] for zone_id, devices in self._devices_with_any_trait.items()}
            known = self.memo[key] = {zone_id: devices for zone_id, devices in found.items() if devices}
        return known

    @cached_property
    def external_devices(self) -> dict[str, list[Asset]]:
        """Every zone's devices that :meth:`is_external` holds for, in model order; zones without any are left out."""
        service = AssetType.EXTERNAL_SERVICE
        found = {zone_id: [a for a in devices if a.managed_by is not None or a.type is service] for zone_id, devices in self.devices.items()}
        return {zone_id: devices for zone_id, devices in found.items() if devices}

    @cached_property
    def control_sources(self) -> set[str]:
        """Assets that issue control instructions to other zones: declared by trait, or senders on a control conduit."""
        sources = {a.id for a in self.model.assets if Trait.ISSUES_CONTROL_INSTRUCTIONS in a.traits}
        for conduit in self.between_zones:
            if conduit.carries_control_instructions:
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
    def control_links(self) -> list[Link]:
        """The :attr:`linked_sides` that carry control instructions, in model order."""
        return self._conduit_classes.control

    @property
    def between_zones(self) -> list[Conduit]:
        """Conduits whose ``from`` and ``to`` differ (either may be missing from the model), in model order."""
        return self._conduit_classes.between_zones

    @property
    def over_external_networks(self) -> list[Conduit]:
        """Conduits that cross an external network (``external_network`` other than none), in model order."""
        return self._conduit_classes.over_external_networks

    @cached_property
    def _conduit_classes(self) -> _ConduitClasses:
        """The few kinds of conduit the analysis looks at, each in model order, found in one pass over the conduits.

        Most conduits of a plant stay inside one zone, on one side, inside the
        factory: the rules, requirements and exposure walk these short lists
        rather than every conduit again (at 300k conduits each walk cost about a tenth of a second).
        """
        side = self.zone_sides.get
        none = ExternalNetwork.NONE
        fa_oa_pairs = _FA_OA
        classes = _ConduitClasses()
        external, fa_oa, control = classes.external, classes.fa_oa, classes.control
        between, over_external = classes.between_zones, classes.over_external_networks
        for conduit in self.model.conduits:
            from_zone, to_zone = conduit.from_zone, conduit.to_zone
            if from_zone != to_zone:
                between.append(conduit)
            crosses_network = conduit.external_network is not none
            if crosses_network:
                over_external.append(conduit)
            source = side(from_zone)
            target = side(to_zone)
            if source is None or target is None:
                continue
            if crosses_network or source == "external" or target == "external":
                external.append((conduit, source, target))
            if (source, target) in fa_oa_pairs:
                fa_oa.append((conduit, source, target))
            if conduit.carries_control_instructions:
                control.append((conduit, source, target))
        return classes

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


def build_context(model: FactoryModel, catalog: Catalog) -> AnalysisContext:
    """Index the model once; linear in its size."""
    index = index_model(model)
    importance, facts = assess_importance(model)
    return AnalysisContext(**{f.name: getattr(index, f.name) for f in fields(ModelIndex)}, catalog=catalog, importance=importance, importance_facts=facts)
