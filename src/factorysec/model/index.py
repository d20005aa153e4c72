"""Lookups over one model (by id, assets per zone, sub-zones) in one linear pass."""

from __future__ import annotations

from dataclasses import dataclass

from factorysec.model.entities import Asset, Conduit, FactoryModel, Operation, Party, Zone


@dataclass(frozen=True)
class ModelIndex:
    """The model's elements by id and by zone, for analysis and rendering alike."""

    model: FactoryModel
    zones: dict[str, Zone]
    assets: dict[str, Asset]
    operations: dict[str, Operation]
    parties: dict[str, Party]
    conduits: dict[str, Conduit]
    assets_in: dict[str, list[Asset]]
    sub_zones: dict[str, list[Zone]]


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
