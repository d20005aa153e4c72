"""Conduits grouped by the zone they start or end in, in model order: what the reference implementations in these
tests (the rules and lookups as they were written first) read."""

from __future__ import annotations

from factorysec.model.entities import Conduit, FactoryModel


def conduits_from(model: FactoryModel) -> dict[str, list[Conduit]]:
    found: dict[str, list[Conduit]] = {}
    for conduit in model.conduits:
        found.setdefault(conduit.from_zone, []).append(conduit)
    return found


def conduits_to(model: FactoryModel) -> dict[str, list[Conduit]]:
    found: dict[str, list[Conduit]] = {}
    for conduit in model.conduits:
        found.setdefault(conduit.to_zone, []).append(conduit)
    return found
