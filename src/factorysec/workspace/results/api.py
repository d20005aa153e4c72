"""The JSON API of analysis results: the findings as ``assessment.json`` holds them, and the comments on a finding."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import BaseModel

from factorysec.analysis.findings import Finding
from factorysec.workspace.accounts.permissions import Action, can
from factorysec.workspace.apierrors import FieldRefused, Refusal, api_factory, field_refused, refusals
from factorysec.workspace.factories.jobs import start_job
from factorysec.workspace.factories.models import Element, Factory, Job
from factorysec.workspace.factories.paging import Limit, Offset
from factorysec.workspace.results.comments import CommentError, add_comment, comments_on, finding_on_record, may_comment
from factorysec.workspace.results.models import DecisionComment, StoredFinding

router = Router(tags=["results"])


FINDINGS_PAGE = 100
"""Findings per response unless ``limit`` asks for fewer (at most :data:`FINDINGS_LIMIT`)."""
FINDINGS_LIMIT = 1000


class StoredFindings(BaseModel):
    """The findings of the factory's last finished analysis job, a page at a time, and how old they are.

    Nothing is analysed in the request: run ``POST .../analysis`` for fresh
    results. ``model_changed_since`` says an element was saved after the job
    finished, so the findings may no longer match the model.
    """

    job: int
    analysed_at: dt.datetime
    age_seconds: int
    model_digest: str
    model_changed_since: bool
    total: int
    offset: int
    findings: list[Finding]


@router.get("/{slug}/findings", response={200: StoredFindings, **refusals(403, 404, 422)})
def findings(request: HttpRequest, slug: str, offset: Offset = 0, limit: Limit = FINDINGS_PAGE) -> StoredFindings:
    factory = api_factory(request, slug)
    if not can(request.user, factory, Action.RUN_ANALYSIS):
        raise Refusal(403, "your role in this factory does not allow this")
    job = (
        Job.objects.defer("output", "upload")
        .filter(factory=factory, kind=Job.Kind.ANALYSIS, status=Job.Status.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if job is None or job.finished_at is None:
        raise Refusal(404, f"no analysis of '{slug}' has finished yet: POST /api/factories/{slug}/analysis first")
    limit = min(limit, FINDINGS_LIMIT)
    stored = StoredFinding.objects.filter(job=job)
    page = stored.order_by("position").values_list("data", flat=True)[offset : offset + limit]
    return StoredFindings(
        job=job.pk,
        analysed_at=job.finished_at,
        age_seconds=max(0, int((timezone.now() - job.finished_at).total_seconds())),
        model_digest=str(job.result.get("model_digest", "")),
        model_changed_since=Element.objects.filter(factory=factory, updated_at__gt=job.finished_at).exists(),
        total=stored.count(),
        offset=offset,
        findings=[Finding.model_validate(data) for data in page],
    )


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


@router.post("/{slug}/analysis", response={202: JobState, **refusals(403, 404)})
def queue_analysis(request: HttpRequest, slug: str) -> Status[Any]:
    """Queue an analysis job (the worker runs it; the result pages and ``.../jobs/{id}`` show it)."""
    from factorysec.workspace.results.tasks import analyse_factory

    factory = api_factory(request, slug)
    if not can(request.user, factory, Action.RUN_ANALYSIS):
        raise Refusal(403, "your role in this factory does not allow this")
    return Status(202, _state(start_job(analyse_factory, factory, Job.Kind.ANALYSIS, request.user)))


@router.get("/{slug}/jobs/{job_id}", response={200: JobState, **refusals(403, 404, 422)})
def job_state(request: HttpRequest, slug: str, job_id: int) -> JobState:
    factory = api_factory(request, slug)
    if not can(request.user, factory, Action.RUN_ANALYSIS):
        raise Refusal(403, "your role in this factory does not allow this")
    job = Job.objects.defer("output", "upload").filter(factory=factory, pk=job_id).first()
    if job is None:
        raise Refusal(404, f"job_id: no job {job_id} of '{slug}'", ("path", "job_id"))
    return _state(job)


class CommentOut(Schema):
    """A comment on a finding: its author's user name (``null`` once the account is deleted), when, and its text (line
    breaks as LF, surrounding blanks removed)."""

    id: int
    finding: str
    author: str | None
    created_at: dt.datetime
    text: str


class CommentIn(Schema):
    """A new comment: at most 2,000 characters once surrounding blanks are removed, not empty."""

    text: str


def _comment_out(comment: DecisionComment) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        finding=comment.finding,
        author=comment.author.get_username() if comment.author is not None else None,
        created_at=comment.created_at,
        text=comment.text,
    )


def _commented_factory(request: HttpRequest, slug: str, finding: str) -> Factory:
    """The factory, the caller allowed to read and write its findings' comments (403 as on the finding's page), and
    the finding on record there (404 naming ``finding``)."""
    factory = api_factory(request, slug)
    if not may_comment(request.user, factory):
        raise Refusal(403, "your role in this factory does not allow this")
    try:
        finding_on_record(factory, finding)
    except Http404 as error:
        raise Refusal(404, f"finding: {error}", ("path", "finding")) from None
    return factory


@router.get("/{slug}/findings/{path:finding}/comments", response={200: list[CommentOut], **refusals(403, 404)})
def list_comments(request: HttpRequest, slug: str, finding: str) -> list[CommentOut]:
    """The comments on a finding (one the latest analysis reported, or with a decision), oldest first, as its page
    lists them."""
    factory = _commented_factory(request, slug, finding)
    return [_comment_out(c) for c in comments_on(factory, finding)]


@router.post(
    "/{slug}/findings/{path:finding}/comments",
    response={201: CommentOut, **refusals(403, 404), 422: FieldRefused},
)
def post_comment(request: HttpRequest, slug: str, finding: str, body: CommentIn) -> Status[CommentOut | FieldRefused]:
    """Add a comment, checked and logged (``finding-commented``) as the finding's page does; refused with 422 naming
    ``text`` when it is empty or over 2,000 characters."""
    factory = _commented_factory(request, slug, finding)
    try:
        comment = add_comment(factory, finding, body.text, request.user)  # in English, as every API message is
    except CommentError as error:
        return Status(422, field_refused(422, error.field, error.reason))
    return Status(201, _comment_out(comment))
