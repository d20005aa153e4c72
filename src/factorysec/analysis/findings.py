"""What every analysis emits: findings that name their rule and the guideline text they rest on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from factorysec.analysis._build import assemble as assemble
from factorysec.analysis._build import assembler
from factorysec.analysis._build import text as text
from factorysec.catalog.models import Text
from factorysec.rulebook import Family, RuleInfo

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext

SubjectKind = Literal["factory", "zone", "asset", "conduit", "operation", "party", "department", "requirement"]
Category = Literal[
    "zoning", "hygiene", "threat", "requirement", "exposure", "lifecycle", "supply-chain", "discovery", "vulnerability"
]


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


@dataclass(frozen=True, kw_only=True)
class FindingRule(RuleInfo):
    """A rule's declaration and how its findings are made, for rules whose findings another part of the analysis emits.

    The Step 3 lifecycle gaps are such rules: :func:`factorysec.analysis.lifecycle.assess_lifecycle`
    builds their findings from the matrices the lifecycle report shares.
    """

    category: Category
    family: Family = "step1"

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
        if (
            type(values["title"]) is Text
            and type(rationale) is Text
            and type(subject) is Subject
            and (impact is None or type(impact) is Text)
        ):
            return _assemble_finding(values)
        return Finding(**values)


@dataclass(frozen=True, kw_only=True)
class Rule(FindingRule):
    """A rule: its declaration, and a pure function from the analysis context to findings.

    Adding one is a module under :mod:`factorysec.analysis.rules` with a ``RULE``
    listed in its ``__init__``, and a fixture folder under ``tests/fixtures/rules/``.
    """

    check: Callable[[AnalysisContext], Iterable[Finding]]
    triggers: tuple[str, ...] = field(default=())


_assemble_finding = assembler(Finding)
_assemble_subject = assembler(Subject)


def new_subject(kind: SubjectKind, id: str) -> Subject:
    """A :class:`Subject` from a literal kind and a model element's id, built without validation when the id is a plain ``str``."""
    if type(id) is str:
        return _assemble_subject({"kind": kind, "id": id})
    return Subject(kind=kind, id=id)
