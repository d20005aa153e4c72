"""Helpers shared by the Step 1-1 organisation rules (purposes, BCP, requirements, stakeholders) and the PDCA rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

from factorysec.analysis.context import AnalysisContext, MemoSlot
from factorysec.analysis.findings import Subject, new_subject
from factorysec.model.entities import (
    Asset,
    AssetType,
    Conduit,
    ExternalNetwork,
    FactoryModel,
    Lifecycle,
    Operation,
    Party,
    Requirement,
    Zone,
)

SMARTIFICATION_TRIGGER = "smartification-change"
HOME_COUNTRY = "JP"
"""The factory's country when the model does not say (the guideline is Japan's)."""
RELATED_LIMIT = 50
"""At most this many element ids are kept in a finding's ``related`` (a 100k-asset model may have thousands of triggers)."""


def factory_subject(context: AnalysisContext) -> Subject:
    return new_subject("factory", context.model.factory.id)


def listed(ids: Sequence[str], limit: int = 6) -> str:
    """Ids joined for a rationale, the rest counted: ``a, b, c and 4 more``."""
    shown = ", ".join(ids[:limit])
    return f"{shown} and {len(ids) - limit} more" if len(ids) > limit else shown


def listed_ja(ids: Sequence[str], limit: int = 6) -> str:
    shown = "、".join(ids[:limit])
    return f"{shown} ほか {len(ids) - limit} 件" if len(ids) > limit else shown


def related(ids: Iterable[str]) -> list[str]:
    result: list[str] = []
    for element_id in ids:
        result.append(element_id)
        if len(result) == RELATED_LIMIT:
            break
    return result


def is_smartified(element: Operation | Asset | Zone | Conduit | Party) -> bool:
    return element.status is not Lifecycle.EXISTING


def smartification_elements(model: FactoryModel) -> list[str]:
    """Ids of the operations, assets (data aside), zones, conduits and parties that smartification adds or changes, in model order."""
    existing, data = Lifecycle.EXISTING, AssetType.DATA
    ids: list[str] = [o.id for o in model.operations if o.status is not existing]
    ids.extend([a.id for a in model.assets if a.status is not existing and a.type is not data])
    ids.extend([z.id for z in model.zones if z.status is not existing])
    ids.extend([c.id for c in model.conduits if c.status is not existing])
    ids.extend([p.id for p in model.parties if p.status is not existing])
    return ids


def latest_change_review(model: FactoryModel) -> dt.date | None:
    """The date of the latest review triggered by a smartification change: the date the change was looked at as a whole."""
    dates = [r.date for r in model.reviews if r.trigger == SMARTIFICATION_TRIGGER]
    return max(dates) if dates else None


def home_country(model: FactoryModel) -> str:
    return model.factory.country or HOME_COUNTRY


def is_overseas(model: FactoryModel, party: Party) -> bool:
    return party.country is not None and party.country != home_country(model)


def remote_parties(model: FactoryModel) -> set[str]:
    """Parties that work remotely: declared so, or maintaining or running an asset with remote access.

    The second is an inference, and it is not drawn for a party one of whose subcontractors (at any depth) is declared to
    work remotely: that subcontractor is who reaches the asset (a tester maker whose overseas support centre does its
    remote support). Declaring ``remote_work`` on the party itself still counts it.
    """
    declared = {p.id for p in model.parties if p.remote_work}
    parties = {p.id: p for p in model.parties}
    delegated = {c for p in model.parties if p.id in declared for c in contractor_chain(parties, p)}
    found = set(declared)
    for asset in model.assets:
        if "remote-access" in asset.traits:
            found.update(p for p in (asset.maintainer, asset.managed_by) if p and p not in delegated)
    return found


def contractor_chain(parties: dict[str, Party], party: Party) -> list[str]:
    """The party's contractors upwards (``subcontractor_of``), nearest first; stops at a loop or an unknown id."""
    chain: list[str] = []
    seen = {party.id}
    current = party.subcontractor_of
    while current and current not in seen and current in parties:
        chain.append(current)
        seen.add(current)
        current = parties[current].subcontractor_of
    return chain


def in_scope(context: AnalysisContext, requirement: Requirement) -> tuple[bool, set[str]]:
    """Whether the requirement covers the whole factory, and otherwise the ids it covers: named elements, the assets of named zones and the conduits that touch them."""
    if not requirement.applies_to:
        return True, set()
    scope = set(requirement.applies_to)
    zones = {z for z in scope if z in context.zones}
    for zone_id in zones:
        scope.update(a.id for a in context.assets_in.get(zone_id, ()))
    for conduit in context.model.conduits:
        if conduit.from_zone in zones or conduit.to_zone in zones:
            scope.add(conduit.id)
    return False, scope


def assets_in_scope(context: AnalysisContext, requirement: Requirement) -> Iterator[Asset]:
    whole, scope = in_scope(context, requirement)
    for asset in context.model.assets:
        if whole or asset.id in scope:
            yield asset


def crosses_outside(context: AnalysisContext, conduit: Conduit) -> bool:
    """A conduit over an external network or with an external zone at either end."""
    if conduit.external_network is not ExternalNetwork.NONE:
        return True
    return any(
        z in context.zones and context.zones[z].kind.side == "external" for z in (conduit.from_zone, conduit.to_zone)
    )


def smartified_ids(context: AnalysisContext) -> list[str]:
    """:func:`smartification_elements` of the context's model, worked out once per run (several rules ask). Callers must not change the list."""
    found = context.memo.get(_SMARTIFIED_IDS, None)
    if found is None:
        found = context.memo.put(_SMARTIFIED_IDS, None, smartification_elements(context.model))
    return found


_SMARTIFIED_IDS: MemoSlot[None, list[str]] = MemoSlot("smartification_elements")
