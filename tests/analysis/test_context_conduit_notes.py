"""What the zone graph notes of the conduits for exposure and the security levels equals what a plain walk over every conduit gives.

The models repeat controls on a conduit, let conduits end in zones that are not
in the model, and apply measures (in place, partial, planned) to conduits,
zones and ids that name nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorysec.analysis import build_context
from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.exposure import _edges, conduit_controls
from factorysec.analysis.security_levels import _conduit_measures
from factorysec.analysis.zone_graph import Hop, hop_weight
from factorysec.catalog import load_catalog
from factorysec.model.entities import FactoryModel, ImplementedMeasure
from tests.analysis.test_rules_shortcuts import mixed_models

CATALOG = load_catalog()
MEASURES = [
    "net-zone-boundary-filtering",
    "net-unidirectional-control-instructions",
    "net-encrypted-authenticated-conduit",
]


@st.composite
def models_with_measures(draw: Any) -> FactoryModel:
    model: FactoryModel = draw(mixed_models())
    conduits = [
        c.model_copy(update={"controls": draw(st.lists(st.sampled_from(MEASURES), max_size=4))}) for c in model.conduits
    ]
    targets = [*(c.id for c in conduits), *(z.id for z in model.zones), "ghost"]
    measures = [
        ImplementedMeasure(
            id=f"m{i}",
            measure=draw(st.sampled_from(MEASURES)),
            status=draw(st.sampled_from(["implemented", "partial", "planned"])),
            applies_to=draw(st.lists(st.sampled_from(targets), max_size=3)),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    return model.model_copy(update={"conduits": conduits, "measures": measures})


def plain_edges(context: AnalysisContext) -> dict[str, list[Hop]]:
    """The hops as a walk over every conduit between two zones of the model gives them."""
    adjacency: dict[str, list[Hop]] = {zone: [] for zone in context.zones}
    for conduit in context.model.conduits:
        a, b = conduit.from_zone, conduit.to_zone
        if a == b or a not in adjacency or b not in adjacency:
            continue
        full, partial = conduit_controls(context, conduit)
        weight = hop_weight(len(full), len(partial))
        adjacency[a].append((b, weight, conduit.id))
        if conduit.direction == "two-way":
            adjacency[b].append((a, weight, conduit.id))
    return adjacency


def plain_conduit_measures(
    context: AnalysisContext, zone_ids: set[str], implemented_on: dict[str, list[str]]
) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {zone_id: set() for zone_id in zone_ids}
    for conduit in context.model.conduits:
        for zone_id in (conduit.from_zone, conduit.to_zone):
            if zone_id in found:
                found[zone_id].update(conduit.controls)
                found[zone_id].update(implemented_on.get(conduit.id, ()))
    return found


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models_with_measures(), st.data())
def test_conduit_notes_equal_plain_walks(model: FactoryModel, data: Any) -> None:
    context = build_context(model, CATALOG)
    measured = {target for measure in model.measures for target in measure.applies_to}
    assert context.conduits_with_measures == [c for c in model.conduits if c.id in measured]
    declared = context.graph.hops(lambda conduit: (len(set(conduit.controls)), 0)).as_dict()
    assert _edges(context).as_dict() == plain_edges(context)
    assert (
        context.graph.hops(lambda conduit: (len(set(conduit.controls)), 0)).as_dict() == declared
    )  # weighed again in copies
    zone_ids = data.draw(st.sets(st.sampled_from([*context.zones, "ghost"])))
    implemented_on = {
        target: [m.measure for m in measures if m.status == "implemented"]
        for target, measures in context.measures_by_target.items()
    }
    assert _conduit_measures(context, zone_ids, implemented_on) == plain_conduit_measures(
        context, zone_ids, implemented_on
    )
