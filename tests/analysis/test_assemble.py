"""Objects built without validation (``findings.assemble`` and its users) equal and serialise as validated ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from factorysec.analysis import analyze
from factorysec.analysis._build import assembler
from factorysec.analysis.findings import Finding, Rule, Subject, assemble, new_subject, text
from factorysec.catalog import Catalog
from factorysec.catalog.models import Text
from factorysec.model import load_model

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "annex-a"


def assert_same(built: BaseModel, validated: BaseModel) -> None:
    """Equal, the same JSON, the same fields set, and the same field values in the same order and of the same types."""
    assert built == validated
    assert built.model_dump_json() == validated.model_dump_json()
    assert built.model_fields_set == validated.model_fields_set
    assert list(vars(built)) == list(vars(validated))
    assert [type(v) for v in vars(built).values()] == [type(v) for v in vars(validated).values()]
    assert built.__pydantic_extra__ == validated.__pydantic_extra__
    assert built.__pydantic_private__ == validated.__pydantic_private__
    assert _hash(built) == _hash(validated)


def _hash(instance: BaseModel) -> int | None:
    try:
        return hash(instance)
    except TypeError:  # a frozen model with a dict field
        return None


def revalidated(instance: BaseModel) -> BaseModel:
    """The instance validated anew from the fields it was given (defaults left to the model)."""
    return type(instance)(**{name: getattr(instance, name) for name in instance.model_fields_set})


def models_in(value: Any) -> Iterator[BaseModel]:
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from models_in(getattr(value, name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from models_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from models_in(item)


@pytest.mark.parametrize(
    ("en", "ja"), [("a", "b"), ("likelihood 3/4 → high", "発生可能性 3/4（侵入口）"), ("x" * 500, "語" * 300)]
)
def test_text_equals_validated(en: str, ja: str) -> None:
    assert_same(text(en, ja), Text(en=en, ja=ja))


@pytest.mark.parametrize(("en", "ja"), [(" a", "b"), ("a\n", "b"), ("a", "\u3000b"), ("a\u00a0", "b"), ("a", "b\x1f")])
def test_text_strips_like_validation(en: str, ja: str) -> None:
    """Edge whitespace (and ``\x1f``, which Python strips and pydantic-core keeps) goes through validation."""
    assert_same(text(en, ja), Text(en=en, ja=ja))


@pytest.mark.parametrize(("en", "ja"), [("", "b"), ("a", ""), ("  ", "b")])
def test_text_still_rejects_empty(en: str, ja: str) -> None:
    with pytest.raises(ValidationError):
        text(en, ja)


def test_new_subject_equals_validated() -> None:
    assert_same(new_subject("conduit", "c-1"), Subject(kind="conduit", id="c-1"))


def test_rule_finding_equals_validated() -> None:
    rule = Rule(
        id="TEST-RULE",
        category="threat",
        reference="Appendix 0",
        title=text("T", "T"),
        summary=text("S", "S"),
        check=lambda context: (),
        why=text("W", "W"),
        false_positives=text("F", "F"),
        threat_type="data-theft-leakage",
        measures=("m-1",),
    )
    subject = new_subject("zone", "z-1")
    built = rule.finding(subject, text("why", "なぜ"), impact=text("impact", "影響"), related=["a", "b", "a"], key="k")
    validated = Finding(
        id="TEST-RULE@z-1#k",
        rule="TEST-RULE",
        category="threat",
        reference="Appendix 0",
        title=Text(en="T", ja="T"),
        rationale=Text(en="why", ja="なぜ"),
        subject=Subject(kind="zone", id="z-1"),
        threat_type="data-theft-leakage",
        viewpoint=None,
        risk_matter=None,
        impact=Text(en="impact", ja="影響"),
        related=("a", "b"),
        measures=("m-1",),
        advisory=False,
    )
    assert_same(built, validated)


def test_assemble_keeps_fields_set_of_defaults() -> None:
    built = assemble(Subject, {"kind": "zone", "id": "z"}, {"id", "kind"})
    assert_same(built, Subject(kind="zone", id="z"))


@pytest.mark.parametrize("path", [*sorted(EXAMPLES.glob("*.yaml")), EXAMPLES / "current"], ids=lambda p: p.name)
def test_every_model_of_an_assessment_equals_its_revalidation(path: Path, catalog: Catalog) -> None:
    assessment = analyze(load_model(path), catalog)
    seen = 0
    for instance in models_in(assessment):
        assert_same(instance, revalidated(instance))
        seen += 1
    assert seen > 1000


class _WithPrivate(BaseModel):
    name: str
    _note: str | None = PrivateAttr(None)


def test_assemble_gives_private_attributes_their_defaults() -> None:
    assert_same(assemble(_WithPrivate, {"name": "a"}), _WithPrivate(name="a"))


def test_assembler_refuses_a_model_with_private_attributes() -> None:
    class FrozenWithPrivate(_WithPrivate):
        model_config = ConfigDict(frozen=True)

    with pytest.raises(TypeError, match="private attributes"):
        assembler(FrozenWithPrivate)
