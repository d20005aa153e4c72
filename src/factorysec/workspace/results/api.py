"""The JSON API of analysis results: the findings as ``assessment.json`` holds them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import BaseModel

from factorysec.analysis.findings import Finding
from factorysec.workspace.accounts.permissions import Action, can
from factorysec.workspace.factories.jobs import start_job
from factorysec.workspace.factories.models import Factory, Job
from factorysec.workspace.results.analysis import assess

router = Router(tags=["results"])


@router.get("/{slug}/findings", response=list[Finding])
def findings(request: HttpRequest, slug: str) -> list[Finding]:
    factory = get_object_or_404(Factory, slug=slug)
    if not can(request.user, factory, Action.RUN_ANALYSIS):
        raise HttpError(403, "your role in this factory does not allow this")
    return list(assess(factory).findings)


class JobState(BaseModel):
    """A background job as the API reports it: poll ``GET .../jobs/{id}`` until ``status`` is done or failed."""

    id: int
    kind: str
    status: str
    stage: str
    progress: int
    result: dict[str, Any]


def _state(job: Job) -> JobState:
    return JobState(
        id=job.pk, kind=job.kind, status=job.status, stage=job.stage, progress=job.progress, result=job.result
    )


@router.post("/{slug}/analysis", response={202: JobState})
def queue_analysis(request: HttpRequest, slug: str) -> Status[Any]:
    """Queue an analysis job (the worker runs it; the result pages and ``.../jobs/{id}`` show it)."""
    from factorysec.workspace.results.tasks import analyse_factory

    factory = get_object_or_404(Factory, slug=slug)
    if not can(request.user, factory, Action.RUN_ANALYSIS):
        raise HttpError(403, "your role in this factory does not allow this")
    return Status(202, _state(start_job(analyse_factory, factory, Job.Kind.ANALYSIS, request.user)))


@router.get("/{slug}/jobs/{job_id}", response=JobState)
def job_state(request: HttpRequest, slug: str, job_id: int) -> JobState:
    factory = get_object_or_404(Factory, slug=slug)
    if not can(request.user, factory, Action.RUN_ANALYSIS):
        raise HttpError(403, "your role in this factory does not allow this")
    return _state(get_object_or_404(Job.objects.defer("output", "upload"), factory=factory, pk=job_id))
