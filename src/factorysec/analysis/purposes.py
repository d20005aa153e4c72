"""What each purpose of smartification brings (Table 3-1, 3.1.1, 3.1.2): its operations, zones, data flows and measures.

A DX department that proposes a purpose sees what it costs in security: the
operations that serve it, the protected objects and zones they use, the
conduits that carry their data, and the measures the findings on those
elements call for.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding
from factorysec.catalog.models import Text

REFERENCE = "Appendix 3.1.1 Step 1-1 (1), Table 3-1; 3.1.2 Step 1-2 (operations needed for the purpose)"


class PurposeFootprint(BaseModel):
    """One purpose of smartification and the elements, findings and measures it brings."""

    model_config = ConfigDict(frozen=True)
    purpose: str
    title: Text
    declared: bool
    """Whether the factory lists it under ``factory.purposes`` (else only operations name it)."""
    operations: tuple[str, ...]
    assets: tuple[str, ...]
    zones: tuple[str, ...]
    conduits: tuple[str, ...]
    findings: tuple[str, ...]
    measures: tuple[str, ...]
    reference: str = REFERENCE


def purpose_footprints(context: AnalysisContext, findings: Sequence[Finding]) -> tuple[PurposeFootprint, ...]:
    """Per purpose named by the factory or an operation, in catalog order (unknown ids last): one pass over operations, assets, conduits and findings each."""
    model = context.model
    declared = set(model.factory.purposes)
    ops_of: dict[str, list[str]] = {}
    for operation in model.operations:
        for purpose in operation.purposes:
            ops_of.setdefault(purpose, []).append(operation.id)
    named = dict.fromkeys([*model.factory.purposes, *ops_of])
    if not named:
        return ()
    purposes_of_op: dict[str, list[str]] = {}
    for purpose, ops in ops_of.items():
        for op in ops:
            purposes_of_op.setdefault(op, []).append(purpose)
    assets: dict[str, dict[str, None]] = {p: {} for p in named}
    zones: dict[str, dict[str, None]] = {p: {} for p in named}
    purposes_of_element: dict[str, set[str]] = {}
    for zone in model.zones:
        for op in zone.operations:
            for purpose in purposes_of_op.get(op, ()):
                zones[purpose][zone.id] = None
    for asset in model.assets:
        for op in asset.operations:
            for purpose in purposes_of_op.get(op, ()):
                assets[purpose][asset.id] = None
                if asset.zone:
                    zones[purpose][asset.zone] = None
                purposes_of_element.setdefault(asset.id, set()).add(purpose)
    conduits: dict[str, dict[str, None]] = {p: {} for p in named}
    for conduit in model.conduits:
        for element in (*conduit.from_assets, *conduit.to_assets, *conduit.data):
            for purpose in purposes_of_element.get(element, ()):
                conduits[purpose][conduit.id] = None
    for purpose in named:
        for op in ops_of.get(purpose, ()):
            purposes_of_element.setdefault(op, set()).add(purpose)
        for element in (*zones[purpose], *conduits[purpose]):
            purposes_of_element.setdefault(element, set()).add(purpose)
    found: dict[str, dict[str, None]] = {p: {} for p in named}
    measures: dict[str, dict[str, None]] = {p: {} for p in named}
    for finding in findings:
        for purpose in purposes_of_element.get(finding.subject.id, ()):
            found[purpose][finding.id] = None
            measures[purpose].update(dict.fromkeys(finding.measures))
    catalog = context.catalog.purposes
    order = {purpose: position for position, purpose in enumerate(catalog)}
    return tuple(
        PurposeFootprint(
            purpose=purpose,
            title=catalog[purpose].title if purpose in catalog else Text(en=purpose, ja=purpose),
            declared=purpose in declared,
            operations=tuple(ops_of.get(purpose, ())),
            assets=tuple(assets[purpose]),
            zones=tuple(zones[purpose]),
            conduits=tuple(conduits[purpose]),
            findings=tuple(found[purpose]),
            measures=tuple(measures[purpose]),
        )
        for purpose in sorted(named, key=lambda p: (order.get(p, len(order)), p))
    )
