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


def report_bundle(factory: Factory, lang: str, today: dt.date | None = None) -> bytes:
    """Every report ``factorysec report`` writes, for the stored model, as one zip.

    The model is exported to ``<slug>.yaml`` first and loaded back as the CLI
    loads a file, so the reports (SARIF locations included) name that file.
    """
    import io
    import tempfile
    import zipfile
    from pathlib import Path

    from factorysec.model import load_model_with_sources
    from factorysec.report.bundle import write_reports
    from factorysec.workspace.factories.store import export_yaml

    catalog = load_catalog()
    with tempfile.TemporaryDirectory(prefix="factorysec-reports-") as folder:
        model_file = Path(folder) / f"{factory.slug}.yaml"
        model_file.write_text(export_yaml(factory), encoding="utf-8")
        loaded = load_model_with_sources(model_file, catalog)
        assessment = analyze(loaded.model, catalog, today=today or dt.date.today())
        out = Path(folder) / "reports"
        written = write_reports(loaded, assessment, out, lang, catalog=catalog)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(model_file, model_file.name)
            for path in written:
                archive.write(path, f"reports/{path.relative_to(out)}")
        return buffer.getvalue()
