"""Shared fixtures for renderer tests: the Annex A example and synthetic factories of any size."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import FactoryModel, LoadedModel, load_model_with_sources
from factorysec.model.sources import SourceMap

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "annex-a"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def annex(catalog: Catalog) -> Callable[[str], tuple[LoadedModel, Assessment]]:
    """Load an Annex A example (file or folder name under examples/annex-a) and analyse it."""
    cache: dict[str, tuple[LoadedModel, Assessment]] = {}

    def load(name: str) -> tuple[LoadedModel, Assessment]:
        if name not in cache:
            loaded = load_model_with_sources(EXAMPLES / name)
            cache[name] = (loaded, analyze(loaded.model, catalog))
        return cache[name]

    return load


def synthetic_model(zone_count: int, assets_per_zone: int = 3, **zone_overrides: Any) -> FactoryModel:
    """A factory of ``zone_count`` zones in four tiers (office, control, monitoring, production), each zone sending
    to one zone of the tier below; flows into the production tier carry control instructions, and every seventh zone
    also reports back to the office tier."""
    kinds = ("office", "production-control", "monitoring", "production")
    tier = [i * len(kinds) // zone_count for i in range(zone_count)]
    zones = [{"id": f"z{i}", "name": f"Zone {i}", "kind": kinds[tier[i]]} for i in range(zone_count)]
    if zone_overrides:
        zones[0].update(zone_overrides)
    operations = [{"id": "op", "name": "Operation", "importance": "high"}]
    assets = [
        {
            "id": f"z{i}-a{j}",
            "name": f"Asset {i}.{j}",
            "type": "data" if j == 0 else "equipment",
            "zone": f"z{i}",
            "operations": ["op"] if i % 2 else [],
        }
        for i in range(zone_count)
        for j in range(assets_per_zone)
    ]
    first = {t: tier.index(t) for t in set(tier)}
    size = {t: tier.count(t) for t in set(tier)}
    conduits = []
    for i in range(zone_count):
        if tier[i] == 0:
            continue
        upper = max(t for t in first if t < tier[i])
        source = first[upper] + (i - first[tier[i]]) % size[upper]
        conduits.append(
            {
                "id": f"c{i}",
                "from": f"z{source}",
                "to": f"z{i}",
                "data": [f"z{source}-a0"],
                "carries_control_instructions": kinds[tier[i]] == "production",
            }
        )
        if i % 7 == 0:
            conduits.append({"id": f"r{i}", "from": f"z{i}", "to": "z0", "carries": "status"})
    return FactoryModel.model_validate(
        {
            "factory": {"id": "synthetic", "name": "Synthetic factory"},
            "operations": operations,
            "zones": zones,
            "assets": assets,
            "conduits": conduits,
        }
    )


@pytest.fixture
def synthetic(catalog: Catalog) -> Callable[..., tuple[LoadedModel, Assessment]]:
    def build(zone_count: int, assets_per_zone: int = 3, **zone_overrides: Any) -> tuple[LoadedModel, Assessment]:
        model = synthetic_model(zone_count, assets_per_zone, **zone_overrides)
        return LoadedModel(model, SourceMap({}, {}, {})), analyze(model, catalog)

    return build
