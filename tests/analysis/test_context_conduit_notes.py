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
from factorysec.analysis.zone_graph import Hop, enforces_one_way, hop_weight
from factorysec.catalog import load_catalog
from factorysec.model.entities import FactoryModel, ImplementedMeasure
from factorysec.model.references import DATA_DIODE
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
        c.model_copy(update={"controls": draw(st.lists(st.sampled_from(MEASURES), max_size=3, unique=True))})
        for c in model.conduits
    ]
    targets = [*(c.id for c in conduits), *(z.id for z in model.zones), "ghost"]
    measures = [
        ImplementedMeasure(
            id=f"m{i}",
            measure=draw(st.sampled_from(MEASURES)),
            status=draw(st.sampled_from(["implemented", "partial", "planned"])),
            applies_to=draw(st.lists(st.sampled_from(targets), max_size=3, unique=True)),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    return model.model_copy(update={"conduits": conduits, "measures": measures})


def plain_edges(context: AnalysisContext) -> dict[str, list[Hop]]:
    """The hops as a walk over every conduit between two zones of the model gives them."""
    adjacency: dict[str, list[Hop]] = {zone: [] for zone in context.zones}
    diodes = {asset.id for asset in context.model.assets if asset.component == DATA_DIODE}
    between = [
        c for c in context.model.conduits if c.from_zone != c.to_zone and {c.from_zone, c.to_zone} <= set(adjacency)
    ]
    weights = {c.id: hop_weight(*map(len, conduit_controls(context, c))) for c in between}
    for conduit in between:
        adjacency[conduit.from_zone].append((conduit.to_zone, weights[conduit.id], conduit.id))
    for conduit in (
        between
    ):  # every conduit is also a way back unless it enforces one direction (#23 item 1), after the drawn ones
        if not enforces_one_way(conduit, diodes):
            adjacency[conduit.to_zone].append((conduit.from_zone, weights[conduit.id], conduit.id))
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
