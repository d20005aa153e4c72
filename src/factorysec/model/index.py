"""Lookups over one model (by id, assets per zone, conduits per zone, sub-zones), built in one linear pass."""

from __future__ import annotations

from dataclasses import dataclass

from factorysec.model.entities import Asset, Conduit, FactoryModel, Operation, Party, Zone


@dataclass(frozen=True)
class ModelIndex:
    """The model's elements by id and by zone, for analysis and rendering alike."""

    zones: dict[str, Zone]
    assets: dict[str, Asset]
    operations: dict[str, Operation]
    parties: dict[str, Party]
    conduits: dict[str, Conduit]
    assets_in: dict[str, list[Asset]]
    conduits_from: dict[str, list[Conduit]]
    conduits_to: dict[str, list[Conduit]]
    sub_zones: dict[str, list[Zone]]


def index_model(model: FactoryModel) -> ModelIndex:
    """Index ``model``; linear in its size."""
    assets_in: dict[str, list[Asset]] = {}
    for asset in model.assets:
        if asset.zone:
            assets_in.setdefault(asset.zone, []).append(asset)
    conduits_from: dict[str, list[Conduit]] = {}
    conduits_to: dict[str, list[Conduit]] = {}
    for conduit in model.conduits:
        conduits_from.setdefault(conduit.from_zone, []).append(conduit)
        conduits_to.setdefault(conduit.to_zone, []).append(conduit)
    sub_zones: dict[str, list[Zone]] = {}
    for zone in model.zones:
        if zone.parent:
            sub_zones.setdefault(zone.parent, []).append(zone)
    return ModelIndex(
        zones={z.id: z for z in model.zones},
        assets={a.id: a for a in model.assets},
        operations={o.id: o for o in model.operations},
        parties={p.id: p for p in model.parties},
        conduits={c.id: c for c in model.conduits},
        assets_in=assets_in,
        conduits_from=conduits_from,
        conduits_to=conduits_to,
        sub_zones=sub_zones,
    )
