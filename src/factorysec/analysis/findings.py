"""What every analysis emits: findings that name their rule and the guideline text they rest on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from factorysec.catalog.models import Text

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext

SubjectKind = Literal["factory", "zone", "asset", "conduit", "operation", "party", "department"]
Category = Literal["zoning", "hygiene", "threat", "requirement", "exposure", "lifecycle", "supply-chain", "discovery"]


class Subject(BaseModel):
    """The model element a finding is about."""

    model_config = ConfigDict(frozen=True)
    kind: SubjectKind
    id: str


class Finding(BaseModel):
    """One result of one rule about one subject; ``id`` (``rule@subject``) is stable across runs."""

    model_config = ConfigDict(frozen=True)
    id: str
    rule: str
    category: Category
    reference: str
    title: Text
    rationale: Text
    subject: Subject
    threat_type: str | None = None
    viewpoint: str | None = None
    risk_matter: str | None = None
    impact: Text | None = None
    related: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    advisory: bool = False


@dataclass(frozen=True)
class Rule:
    """A rule: its metadata, and a pure function from the analysis context to findings."""

    id: str
    category: Category
    reference: str
    title: Text
    summary: Text
    check: Callable[["AnalysisContext"], Iterable[Finding]]
    threat_type: str | None = None
    viewpoint: str | None = None
    risk_matter: str | None = None
    measures: tuple[str, ...] = ()
    advisory: bool = False
    triggers: tuple[str, ...] = field(default=())

    def finding(
        self,
        subject: Subject,
        rationale: Text,
        *,
        title: Text | None = None,
        impact: Text | None = None,
        related: Iterable[str] = (),
        key: str | None = None,
        threat_type: str | None = None,
        viewpoint: str | None = None,
    ) -> Finding:
        """A finding of this rule; ``key`` distinguishes several findings on one subject."""
        suffix = f"#{key}" if key else ""
        values: dict[str, Any] = {
            "id": f"{self.id}@{subject.id}{suffix}",
            "rule": self.id,
            "category": self.category,
            "reference": self.reference,
            "title": title or self.title,
            "rationale": rationale,
            "subject": subject,
            "threat_type": threat_type or self.threat_type,
            "viewpoint": viewpoint or self.viewpoint,
            "risk_matter": self.risk_matter,
            "impact": impact,
            "related": tuple(dict.fromkeys(related)),
            "measures": self.measures,
            "advisory": self.advisory,
        }
        if type(values["title"]) is Text and type(rationale) is Text and type(subject) is Subject and (impact is None or type(impact) is Text):
            return assemble(Finding, values, set(_FINDING_FIELDS))
        return Finding(**values)


_FINDING_FIELDS = frozenset(Finding.model_fields)

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__
_set_fields_set = cast(Any, BaseModel.__dict__["__pydantic_fields_set__"]).__set__
_set_extra = cast(Any, BaseModel.__dict__["__pydantic_extra__"]).__set__
_set_private = cast(Any, BaseModel.__dict__["__pydantic_private__"]).__set__


def assemble(cls: type[M], values: dict[str, Any], fields_set: set[str]) -> M:
    """A model instance from values that already are what validation would make of them, without validating.

    For models the analysis builds by the hundred thousand from validated parts
    (a :class:`Text` from two non-empty stripped ``str``, a :class:`Finding` from
    ``Text`` and ``Subject`` instances...): the instance equals and serialises as
    ``cls(**values)`` would, in half the time or less. ``values`` must hold every
    field, in declaration order, with exactly the types validation gives (``float``
    not ``int``, ``tuple`` not ``list``, plain ``str``); ``fields_set`` names the
    fields a constructor call would have been given (the others hold defaults).
    Only for models without validators, extra fields or private attributes.
    """
    instance = _new(cls)
    _set(instance, "__dict__", values)
    _set_fields_set(instance, fields_set)
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance


def _clean(value: str) -> bool:
    """Whether ``value`` is a plain, non-empty ``str`` that a :class:`Text` field keeps as is (nothing to strip)."""
    return type(value) is str and value != "" and value.strip() == value


def text(en: str, ja: str) -> Text:
    """Shorthand for a bilingual text.

    Built without validation when both strings are already what validation
    would leave (Python's ``str.strip`` removes a superset of the whitespace
    pydantic-core strips); anything else goes through :class:`Text` and its checks.
    """
    if _clean(en) and _clean(ja):
        return assemble(Text, {"en": en, "ja": ja}, {"en", "ja"})
    return Text(en=en, ja=ja)


def new_subject(kind: SubjectKind, id: str) -> Subject:
    """A :class:`Subject` from a literal kind and a model element's id, built without validation when the id is a plain ``str``."""
    if type(id) is str:
        return assemble(Subject, {"kind": kind, "id": id}, {"kind", "id"})
    return Subject(kind=kind, id=id)
