"""Run the same analysis as ``factorysec analyze`` on a factory's stored model."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from factorysec.analysis import analyze
from factorysec.analysis.assessment import Assessment
from factorysec.catalog import load_catalog
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import factory_model


@dataclass(frozen=True)
class FindingRow:
    """A finding as a page shows it: rule id, guideline reference, subject, title and why, in one language."""

    id: str
    rule: str
    reference: str
    category: str
    subject_kind: str
    subject_id: str
    title: str
    rationale: str


def assess(factory: Factory, today: dt.date | None = None) -> Assessment:
    """The assessment of the factory's model, as the CLI computes it (catalog bundled, dated today)."""
    return analyze(factory_model(factory), load_catalog(), today=today or dt.date.today())


def finding_rows(assessment: Assessment, lang: str) -> list[FindingRow]:
    return [
        FindingRow(f.id, f.rule, f.reference, f.category, f.subject.kind, f.subject.id, f.title.get(lang), f.rationale.get(lang))
        for f in assessment.findings
    ]


def category_counts(assessment: Assessment) -> list[tuple[str, int]]:
    return sorted(Counter(f.category for f in assessment.findings).items())
