"""Tasks of the results app: the analysis of a factory's model, and the bundle of every report format."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop
from django_tasks import task

from factorysec.workspace.factories.jobs import report_progress, run_job, start_job
from factorysec.workspace.factories.models import Factory, Job
from factorysec.workspace.results.analysis import report_bundle, run_analysis


@task()
def analyse_factory(job_id: int) -> None:
    """Analyse the job's factory and store the findings the result pages browse."""
    run_job(job_id, run_analysis)


def _reports(job: Job) -> dict[str, Any]:
    report_progress(job, gettext_noop("analysing and writing every report format"), 10)
    bundle = report_bundle(job.factory, job.lang)
    Job.objects.filter(pk=job.pk).update(output=bundle)
    return {"bytes": len(bundle)}


@task()
def write_report_bundle(job_id: int) -> None:
    """Write what ``factorysec report`` writes (HTML, SVG, xlsx, Markdown, JSON, SARIF) as one zip kept on the job."""
    run_job(job_id, _reports)


def queue_analysis(factory: Factory, user: Any, lang: str = "en") -> Job:
    """An analysis job that will read the model as it is now: one still waiting in the queue, or a new one (a job
    already running may have read the model before the latest change)."""
    waiting = (
        Job.objects.filter(factory=factory, kind=Job.Kind.ANALYSIS, status=Job.Status.QUEUED)
        .defer("output", "upload")
        .order_by("-created_at", "-pk")
        .first()
    )
    return waiting or start_job(analyse_factory, factory, Job.Kind.ANALYSIS, user, lang)
