"""Lookups over one model (by id, assets per zone, sub-zones in one linear pass; conduits per zone on first use)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from factorysec.model.entities import Asset, Conduit, FactoryModel, Operation, Party, Zone


@dataclass(frozen=True)
class ModelIndex:
    """The model's elements by id and by zone, for analysis and rendering alike.

    The conduits by zone are worked out on first use: the analysis hardly needs
    them, and at 300k conduits building them cost a fifth of a second.
    """

    model: FactoryModel
    zones: dict[str, Zone]
    assets: dict[str, Asset]
    operations: dict[str, Operation]
    parties: dict[str, Party]
    conduits: dict[str, Conduit]
    assets_in: dict[str, list[Asset]]
    sub_zones: dict[str, list[Zone]]

    @cached_property
    def conduits_from(self) -> dict[str, list[Conduit]]:
        """Conduits by the zone they start in, in model order."""
        return _group(self.model.conduits, attrgetter("from_zone"))

    @cached_property
    def conduits_to(self) -> dict[str, list[Conduit]]:
        """Conduits by the zone they end in, in model order."""
        return _group(self.model.conduits, attrgetter("to_zone"))


def _group(conduits: list[Conduit], zone_of: Callable[[Conduit], str]) -> dict[str, list[Conduit]]:
    found: dict[str, list[Conduit]] = {}
    for conduit in conduits:
        found.setdefault(zone_of(conduit), []).append(conduit)
    return found


def index_model(model: FactoryModel, conduits: dict[str, Conduit] | None = None) -> ModelIndex:
    """Index ``model``; linear in its size. ``conduits``: the model's conduits by id, when the caller has indexed them already."""
    assets_in: dict[str, list[Asset]] = {}
    for asset in model.assets:
        if asset.zone:
            assets_in.setdefault(asset.zone, []).append(asset)
    sub_zones: dict[str, list[Zone]] = {}
    for zone in model.zones:
        if zone.parent:
            sub_zones.setdefault(zone.parent, []).append(zone)
    return ModelIndex(
        model=model,
        zones={z.id: z for z in model.zones},
        assets={a.id: a for a in model.assets},
        operations={o.id: o for o in model.operations},
        parties={p.id: p for p in model.parties},
        conduits={c.id: c for c in model.conduits} if conduits is None else conduits,
        assets_in=assets_in,
        sub_zones=sub_zones,
    )
