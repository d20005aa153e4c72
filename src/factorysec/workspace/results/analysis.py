"""Run the same analysis as ``factorysec analyze`` on a factory's stored model, and store what the result pages browse.

Each finding is stored with the zone its subject sits in and the department or
party answerable for it (:func:`subject_places`), and with the measures still
missing for it (the action list). Decisions recorded in the workspace are
passed to the analysis exactly as the CLI passes ``decisions.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from factorysec.analysis import analyze
from factorysec.analysis.assessment import Assessment
from factorysec.catalog import load_catalog
from factorysec.model.entities import FactoryModel
from factorysec.model.planfiles import Decision
from factorysec.workspace.audit.models import Decision as StoredDecision
from factorysec.workspace.factories.jobs import report_progress
from factorysec.workspace.factories.models import Factory, Job
from factorysec.workspace.factories.store import factory_model
from factorysec.workspace.results.models import FindingAction, FindingGroup, StoredFinding
from factorysec.workspace.suppliers.portal import store_party_views

BATCH = 2000
"""Rows written per statement and transaction, so that a page waiting on SQLite's write lock waits briefly."""
GROUPED_BY = {"zone": "zone", "department": "holder", "category": "category"}
"""The result pages' groupings of findings (besides ``action``), and the stored finding's column each reads."""


@dataclass(frozen=True)
class Places:
    """Where each subject of the model sits (zone) and who answers for it (department or party), by subject id."""

    zone: dict[str, str]
    holder: dict[str, str]
    default_holder: str


def subject_places(model: FactoryModel) -> Places:
    """Zone and holder of every zone, asset, conduit and operation of the model.

    The holder is, in this order: the ``responsible`` of a responsibility about
    the subject (Step 3), the party that manages or maintains it, the owner of
    a measure in place on it or on its zone, and the factory's PDCA owner.
    """
    zone: dict[str, str] = {}
    holder: dict[str, str] = {}
    for z in model.zones:
        zone[z.id] = z.id
        for operation in z.operations:
            zone.setdefault(operation, z.id)
        if z.managed_by:
            holder[z.id] = z.managed_by
    for asset in model.assets:
        if asset.zone:
            zone[asset.id] = asset.zone
        party = asset.managed_by or asset.maintainer
        if party:
            holder[asset.id] = party
        for operation in asset.operations:
            if asset.zone:
                zone.setdefault(operation, asset.zone)
    for conduit in model.conduits:
        zone[conduit.id] = conduit.from_zone
    for performed in model.operations:
        if performed.performed_by:
            holder[performed.id] = performed.performed_by
    for measure in model.measures:
        if measure.owner:
            for target in measure.applies_to:
                holder.setdefault(target, measure.owner)
    for responsibility in model.responsibilities:
        holder[responsibility.subject] = responsibility.responsible
    for subject, where in zone.items():
        if subject not in holder and where in holder:
            holder[subject] = holder[where]
    return Places(zone, holder, model.factory.pdca_owner or "")


def decisions_of(factory: Factory) -> list[Decision]:
    """The factory's recorded decisions as the CLI reads them from ``decisions.yaml``."""
    return [
        Decision(
            finding=d.finding,
            status=d.status,
            justification=d.justification,
            owner=d.owner,
            date=d.date,
            review_by=d.review_by,
            file="workspace",
        )
        for d in StoredDecision.objects.filter(factory=factory)
    ]


def assess(factory: Factory, today: dt.date | None = None) -> Assessment:
    """The assessment of the factory's model with its recorded decisions, as the CLI computes it (catalog bundled, dated today)."""
    return analyze(
        factory_model(factory), load_catalog(), today=today or dt.date.today(), decisions=decisions_of(factory)
    )


def _batches(rows: list[StoredFinding]) -> Iterable[list[StoredFinding]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def run_analysis(job: Job) -> dict[str, object]:
    """The body of an analysis job: analyse, store every finding and its missing measures, draw the zone diagram."""
    from factorysec.report.diagram import DiagramError, DiagramOptions, render_svg

    report_progress(job, gettext_noop("reading the model"), 5)
    model = factory_model(job.factory)
    report_progress(
        job, f"analysing {len(model.assets)} assets, {len(model.zones)} zones, {len(model.conduits)} conduits", 15
    )
    assessment = analyze(model, load_catalog(), today=dt.date.today(), decisions=decisions_of(job.factory))
    places = subject_places(model)
    gaps = {gap.finding: gap for gap in assessment.gaps}
    total = len(assessment.findings)
    rows = []
    for position, f in enumerate(assessment.findings):
        gap = gaps.get(f.id)
        rows.append(
            StoredFinding(
                job=job,
                position=position,
                finding=f.id,
                rule=f.rule,
                category=f.category,
                reference=f.reference[:300],
                subject_kind=f.subject.kind,
                subject_id=f.subject.id,
                zone=places.zone.get(f.subject.id, ""),
                holder=places.holder.get(f.subject.id, places.default_holder),
                level=(gap.level or "") if gap is not None else "",
                title_en=f.title.get("en"),
                title_ja=f.title.get("ja"),
                rationale_en=f.rationale.get("en"),
                rationale_ja=f.rationale.get("ja"),
                data=f.model_dump(mode="json"),
            )
        )
    written = 0
    groups: dict[str, Counter[str]] = {dimension: Counter() for dimension in (*GROUPED_BY, "action")}
    for row in rows:
        for dimension, column in GROUPED_BY.items():
            groups[dimension][getattr(row, column)] += 1
    for batch in _batches(rows):
        StoredFinding.objects.bulk_create(batch)
        actions: list[FindingAction] = []
        for row in batch:
            gap = gaps.get(row.finding)
            if gap is not None:
                actions += [FindingAction(job=job, finding=row, measure=m) for m in gap.missing]
                actions += [FindingAction(job=job, finding=row, measure=m, partial=True) for m in gap.partial]
        FindingAction.objects.bulk_create(actions, batch_size=BATCH)
        groups["action"].update(action.measure for action in actions)
        written += len(batch)
        report_progress(job, f"stored {written} of {total} findings", 40 + int(50 * written / max(total, 1)))
    FindingGroup.objects.bulk_create(
        [
            FindingGroup(job=job, dimension=dimension, key=key, count=count)
            for dimension, counted in groups.items()
            for key, count in counted.items()
        ],
        batch_size=BATCH,
    )
    report_progress(job, gettext_noop("keeping each party's checklists for the supplier portal"), 91)
    store_party_views(job, model, assessment)
    report_progress(job, gettext_noop("drawing the zone diagram"), 92)
    diagram_note = ""
    try:  # in every language a reader may switch to: the results are, and drawing costs hundredths of a second
        job.output = b"\0".join(
            render_svg(model, assessment, DiagramOptions(lang=lang)).encode("utf-8") for lang in DIAGRAM_LANGUAGES
        )
        Job.objects.filter(pk=job.pk).update(output=job.output)
    except DiagramError as error:
        diagram_note = str(error)
    previous = Job.objects.filter(factory=job.factory, kind=Job.Kind.ANALYSIS).exclude(pk=job.pk)
    FindingAction.objects.filter(job__in=previous).delete()
    FindingGroup.objects.filter(job__in=previous).delete()
    StoredFinding.objects.filter(job__in=previous).delete()
    categories: dict[str, int] = {}
    for f in assessment.findings:
        categories[f.category] = categories.get(f.category, 0) + 1
    return {
        "findings": total,
        "risks": len(assessment.risks),
        "requirements": len(assessment.requirements),
        "decisions": len(assessment.decisions),
        "stale_decisions": [d.finding for d in assessment.stale_decisions],
        "categories": dict(sorted(categories.items())),
        "model_digest": assessment.model_digest,
        "diagram_note": diagram_note,
    }


DIAGRAM_LANGUAGES = ("en", "ja")
"""The languages an analysis job draws the zone diagram in, in the order its ``output`` holds them (NUL between: an SVG
holds none)."""


def diagram_svg(output: bytes, lang: str) -> str:
    """The zone diagram an analysis job drew, in ``lang`` (an older job drew one, in its own language: that one)."""
    drawn = output.split(b"\0")
    index = DIAGRAM_LANGUAGES.index(lang) if lang in DIAGRAM_LANGUAGES and len(drawn) == len(DIAGRAM_LANGUAGES) else 0
    return drawn[index].decode("utf-8")


def report_bundle(factory: Factory, lang: str, today: dt.date | None = None) -> bytes:
    """Every report ``factorysec report`` writes, for the stored model with its decisions, as one zip.

    The model is exported to ``<slug>.yaml`` first and loaded back as the CLI
    loads a file, so the reports (SARIF locations included) name that file;
    ``decisions.yaml`` goes beside it.
    """
    import io
    import tempfile
    import zipfile
    from pathlib import Path

    from factorysec.model import ModelInputError, load_model_with_sources
    from factorysec.report.bundle import write_reports
    from factorysec.workspace.audit.decisions import decisions_yaml
    from factorysec.workspace.factories.store import export_yaml, text_refused

    catalog = load_catalog()
    with tempfile.TemporaryDirectory(prefix="factorysec-reports-") as folder:
        model_file = Path(folder) / f"{factory.slug}.yaml"
        model_file.write_text(export_yaml(factory), encoding="utf-8")
        try:
            loaded = load_model_with_sources(model_file, catalog)
        except ModelInputError as error:  # text an earlier version stored, which a model file may not hold
            raise text_refused(factory, str(error).replace(f"{folder}/", "")) from None
        assessment = analyze(loaded.model, catalog, today=today or dt.date.today(), decisions=decisions_of(factory))
        out = Path(folder) / "reports"
        written = write_reports(loaded, assessment, out, lang, catalog=catalog)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(model_file, model_file.name)
            archive.writestr("decisions.yaml", decisions_yaml(factory))
            for path in written:
                archive.write(path, f"reports/{path.relative_to(out)}")
        return buffer.getvalue()
