"""Objects built without validation (analysis/_build.py) equal validated ones and serialise identically."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from factorysec.analysis import Assessment, analyze
from factorysec.analysis._build import assemble, text_unchecked
from factorysec.analysis.findings import Subject
from factorysec.analysis.requirements import REFERENCE, SecurityRequirement
from factorysec.catalog import load_catalog
from factorysec.catalog.models import Text
from factorysec.model import load_model
from factorysec.model.entities import ExternalNetwork, FactoryModel, Importance, Lifecycle, ZoneKind
from tests.conftest import ANNEX_A_MODELS
from tests.model.strategies import free_text, models


def same(built: BaseModel, validated: BaseModel) -> None:
    assert type(built) is type(validated)
    assert built == validated
    assert hash(built) == hash(validated)
    assert repr(built) == repr(validated)
    assert built.model_dump() == validated.model_dump()
    assert built.model_dump_json() == validated.model_dump_json()
    assert built.model_dump_json(exclude_unset=True) == validated.model_dump_json(exclude_unset=True)
    assert built.model_fields_set == validated.model_fields_set
    assert built.__pydantic_extra__ == validated.__pydantic_extra__
    assert built.__pydantic_private__ == validated.__pydantic_private__


def test_text_equals_a_validated_text() -> None:
    same(text_unchecked("Back up 'a'", "「a」を守る"), Text(en="Back up 'a'", ja="「a」を守る"))


def test_assemble_equals_validation_with_every_field_given_including_defaults() -> None:
    subject = assemble(Subject, {"kind": "zone", "id": "z1"})
    same(subject, Subject(kind="zone", id="z1"))
    values = {
        "id": "REQ-x@z1->z2",
        "scope": "between-zones",
        "subject": subject,
        "viewpoint": "a/b",
        "reference": REFERENCE,
        "text": text_unchecked("en", "ja"),
        "because": (),
        "new": False,
        "to_zone": "z2",
        "conduits": ("c1", "c2"),
    }
    built = assemble(SecurityRequirement, dict(values))
    same(built, SecurityRequirement(**values))
    assert built != SecurityRequirement(
        **{k: v for k, v in values.items() if k not in ("because", "new", "to_zone", "conduits")}
    )
    within = {**values, "id": "REQ-x@z1", "scope": "within-zone", "to_zone": None, "conduits": ()}
    assert assemble(SecurityRequirement, dict(within)) == SecurityRequirement(
        **{k: v for k, v in within.items() if k not in ("because", "new", "to_zone", "conduits")}
    )
    assert built.model_copy(update={"new": True}) == SecurityRequirement(**{**values, "new": True})


def test_assemble_keeps_the_declaration_order_that_serialisation_follows() -> None:
    built = assemble(Subject, {"kind": "zone", "id": "z"})
    assert built.model_dump_json() == '{"kind":"zone","id":"z"}'
    assert list(built.__dict__) == list(Subject.model_fields)


@cache
def assess(path: Path) -> Assessment:
    return analyze(load_model(path), load_catalog())


def models_in(value: object) -> list[BaseModel]:
    """Every pydantic model in ``value``, depth first."""
    if isinstance(value, BaseModel):
        return [value, *(m for name in type(value).model_fields for m in models_in(getattr(value, name)))]
    if isinstance(value, dict):
        return [m for item in value.values() for m in models_in(item)]
    if isinstance(value, (tuple, list)):
        return [m for item in value for m in models_in(item)]
    return []


@pytest.mark.parametrize("path", ANNEX_A_MODELS, ids=lambda p: p.stem)
def test_every_object_of_an_assessment_equals_its_revalidated_copy(path: Path) -> None:
    assessment = assess(path)
    for obj in models_in(assessment):
        copy = type(obj).model_validate(obj.model_dump())
        assert copy == obj
        assert copy.model_dump_json() == obj.model_dump_json()
    assert assessment.requirements


@st.composite
def connected_models(draw: Any) -> FactoryModel:
    """Small models whose names, carried data and ratings vary freely and whose zones are all connected, both ways, by one or two conduits."""
    zone_ids = [f"z{i}" for i in range(draw(st.integers(2, 4)))]
    operations = [
        {"id": f"op{i}", "name": draw(free_text), "importance": draw(st.sampled_from(list(Importance))).value}
        for i in range(2)
    ]
    zones = [
        {
            "id": z,
            "name": draw(free_text),
            "kind": draw(st.sampled_from(list(ZoneKind))).value,
            "operations": draw(st.lists(st.sampled_from(["op0", "op1"]), max_size=2, unique=True)),
        }
        for z in zone_ids
    ]
    assets = []
    for i in range(draw(st.integers(0, 6))):
        is_data = draw(st.booleans())
        rating = draw(st.none() | st.sampled_from(list(Importance)))
        assets.append(
            {
                "id": f"a{i}",
                "name": draw(free_text),
                "type": "data" if is_data else "equipment",
                "zone": draw(st.sampled_from(zone_ids)),
                "operations": draw(st.lists(st.sampled_from(["op0", "op1"]), max_size=2, unique=True)),
                "status": draw(st.sampled_from(list(Lifecycle))).value,
                "importance": {"quality": rating.value, "safety": rating.value} if rating else None,
                "data": {"disclosure": draw(st.sampled_from(["public", "internal", "restricted", "secret"]))}
                if is_data
                else None,
            }
        )
    data_ids = [a["id"] for a in assets if a["type"] == "data"]
    conduits = [
        {
            "id": f"c-{source}-{target}-{k}",
            "from": source,
            "to": target,
            "carries": draw(st.none() | free_text),
            "data": draw(st.lists(st.sampled_from(data_ids), max_size=2, unique=True)) if data_ids else [],
            "from_assets": [a["id"] for a in assets if a["zone"] == source][:2],
            "carries_control_instructions": draw(st.booleans()),
            "external_network": draw(st.sampled_from(list(ExternalNetwork))).value,
            "status": draw(st.sampled_from(list(Lifecycle))).value,
        }
        for source in zone_ids
        for target in zone_ids
        if source != target
        for k in range(draw(st.integers(1, 2)))  # two conduits between the same zones share their requirements
    ]
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": draw(free_text)},
            "zones": zones,
            "operations": operations,
            "assets": assets,
            "conduits": conduits,
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(models(), connected_models()))
def test_objects_built_from_generated_models_equal_their_revalidated_copies(model: FactoryModel) -> None:
    """Names with edge whitespace, empty or YAML-hostile text never reach the start or end of a built text."""
    assessment = analyze(model, load_catalog())
    for obj in models_in(assessment):
        copy = type(obj).model_validate(obj.model_dump())
        assert copy == obj
        assert copy.model_dump_json() == obj.model_dump_json()
