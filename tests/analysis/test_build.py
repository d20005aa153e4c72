"""Objects built without validation (analysis/_build.py) equal validated ones and serialise identically."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pydantic import BaseModel

from factorysec.analysis import Assessment, analyze
from factorysec.analysis._build import build, text
from factorysec.analysis.findings import Subject
from factorysec.analysis.requirements import REFERENCE, SecurityRequirement
from factorysec.catalog import load_catalog
from factorysec.catalog.models import Text
from factorysec.model import load_model
from tests.conftest import ANNEX_A_MODELS


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
    same(text("Back up 'a'", "「a」を守る"), Text(en="Back up 'a'", ja="「a」を守る"))


def test_build_equals_validation_with_every_field_given_including_defaults() -> None:
    subject = build(Subject, {"kind": "conduit", "id": "c1"})
    same(subject, Subject(kind="conduit", id="c1"))
    values = {
        "id": "REQ-x@c1", "scope": "between-zones", "subject": subject, "viewpoint": "a/b", "reference": REFERENCE,
        "text": text("en", "ja"), "because": (), "new": False,
    }
    built = build(SecurityRequirement, dict(values))
    same(built, SecurityRequirement(**values))
    assert built == SecurityRequirement(**{k: v for k, v in values.items() if k not in ("because", "new")})
    assert built.model_copy(update={"new": True}) == SecurityRequirement(**{**values, "new": True})


def test_build_keeps_the_declaration_order_that_serialisation_follows() -> None:
    built = build(Subject, {"kind": "zone", "id": "z"})
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
