"""Requirements and zone policies: what the faster paths note on the way equals what the general paths work out."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from factorysec.analysis import build_context, run_rules
from factorysec.analysis.policy import zone_requirements
from factorysec.analysis.requirements import Requirements, derive_requirements
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.conftest import ANNEX_A_MODELS


@pytest.mark.parametrize("path", ANNEX_A_MODELS, ids=lambda p: p.stem)
def test_requirement_ids_noted_per_zone_equal_those_grouped_from_a_plain_sequence(path: Path, catalog: Catalog) -> None:
    context = build_context(load_model(path), catalog)
    requirements = derive_requirements(context, run_rules(context))
    assert isinstance(requirements, Requirements)
    noted = {zone: list(ids) for zone, ids in requirements.by_zone.items() if ids}
    grouped = {zone: list(ids) for zone, ids in zone_requirements(requirements.items).items() if ids}
    assert noted == grouped
    assert any(r.scope == "between-zones" for r in requirements.items) and any(
        r.scope == "within-zone" for r in requirements.items
    )


@pytest.mark.parametrize("where", ["carries", "zone name"])
def test_a_lone_surrogate_worded_into_a_requirement_fails_validation_as_before(where: str, catalog: Catalog) -> None:
    model = load_model(ANNEX_A_MODELS[0])
    conduit = next(c for c in model.conduits if c.carries and not c.data and c.from_zone != c.to_zone)
    if where == "carries":
        conduits = [c.model_copy(update={"carries": "orders \ud800"}) if c is conduit else c for c in model.conduits]
        model = model.model_copy(update={"conduits": conduits})
    else:
        zones = [z.model_copy(update={"name": "Line \ud800"}) if z.id == conduit.to_zone else z for z in model.zones]
        model = model.model_copy(update={"zones": zones})
    with pytest.raises(ValidationError, match="unicode"):
        derive_requirements(build_context(model, catalog), [])
