"""The supplier portal's JSON API: a vendor's checklists and open items, its answers; the factory's verdicts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from factorysec.analysis.lifecycle.checklists import Checklist, OpenItem
from factorysec.workspace.accounts.permissions import role_of, vendor_party
from factorysec.workspace.apierrors import (
    Error,
    FieldRefused,
    Refusal,
    StaleModel,
    api_factory,
    field_refused,
    item,
    refusals,
)
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.suppliers.models import SupplierAnswer
from factorysec.workspace.suppliers.portal import AnswerError, AnswerStateError, review_answer, submit_answer
from factorysec.workspace.suppliers.views import REVIEWERS, answer_for, view_for

router = Router(tags=["suppliers"])


class PortalOut(Schema):
    party: str
    subcontractors: list[str]
    checklists: list[Checklist]
    open_items: list[OpenItem]
    analysed_at: dt.datetime
    job: int


class AnswerIn(Schema):
    subject: str
    item: str
    answer: str
    evidence: str = ""
    note: str = ""


class AnswerOut(Schema):
    id: int
    party: str
    subject: str
    item: str
    answer: str
    evidence: str
    note: str
    state: str
    review_comment: str
    attachment_name: str


class VerdictIn(Schema):
    verdict: str
    comment: str = ""


def _vendor(request: HttpRequest, slug: str) -> tuple[Factory, str]:
    factory = api_factory(request, slug)
    party = vendor_party(request.user, factory)
    if party is None:
        raise Refusal(403, "the supplier portal is for vendor and provider accounts")
    return factory, party


def _out(a: object) -> AnswerOut:
    return AnswerOut.model_validate(a, from_attributes=True)


class PreparingOut(Error):
    """No analysis of the factory has finished yet: one is queued (poll ``GET .../jobs/{job}`` or retry later); or
    (409, job 0) none can run until the factory's team corrects its model. ``detail`` says the same as ``message``."""

    message: str
    job: int


def _preparing(status: int, message: str, job: int) -> PreparingOut:
    return PreparingOut(detail=[item(status, message)], message=message, job=job)


def _answer(request: HttpRequest, factory: Factory, number: int) -> SupplierAnswer:
    """The supplier answer ``number`` the caller may see (404 naming the path's ``number`` otherwise)."""
    try:
        return answer_for(request, factory, number)
    except Http404:
        raise Refusal(404, f"number: no supplier answer {number} in '{factory.slug}'", ("path", "number")) from None


HELD = "the factory's model needs a fix by the factory's team before your checklists can be shown; nothing is needed from you until then"


@router.get(
    "/factories/{slug}/supplier/checklists",
    response={200: PortalOut, **refusals(403, 404), 409: PreparingOut | StaleModel, 503: PreparingOut},
)
def checklists(request: HttpRequest, response: HttpResponse, slug: str) -> Status[Any]:
    """The vendor's party's checklists (and its declared subcontractors'), and the open items ranked by asset
    importance, as the factory's latest analysis job stored them (``analysed_at`` says when); 503 with the queued job
    while the first analysis is still to run; 409 (job 0) while none can run until the factory's team corrects its
    model."""
    factory, party = _vendor(request, slug)
    share = view_for(request, factory, party)
    if share.held:
        return Status(409, _preparing(409, HELD, 0))
    if share.view is None or share.analysed is None or share.analysed.finished_at is None:
        response["Retry-After"] = "10"
        job = share.pending.pk if share.pending is not None else 0
        return Status(503, _preparing(503, "the factory's analysis is being prepared", job))
    view = share.view
    return Status(
        200,
        PortalOut(
            party=party,
            subcontractors=list(view.subcontractors),
            checklists=list(view.checklists),
            open_items=list(view.open_items),
            analysed_at=share.analysed.finished_at,
            job=share.analysed.pk,
        ),
    )


@router.post(
    "/factories/{slug}/supplier/answers",
    response={200: AnswerOut, **refusals(403, 404), 409: StaleModel, 422: FieldRefused},
)
def answer(request: HttpRequest, slug: str, body: AnswerIn) -> Status[object]:
    factory, party = _vendor(request, slug)
    try:
        share = view_for(request, factory, party)
        if share.held:
            raise AnswerError("item", HELD)
        if share.view is None:
            raise AnswerError("item", "the factory's analysis is being prepared; answer once it has run")
        row = submit_answer(factory, share.view, body.model_dump(), None, request.user)
    except AnswerError as error:
        return Status(422, field_refused(422, error.field, error.message))
    return Status(200, _out(row))


@router.get("/factories/{slug}/supplier/answers/{number}", response={200: AnswerOut, **refusals(404, 422)})
def get_answer(request: HttpRequest, slug: str, number: int) -> AnswerOut:
    return _out(_answer(request, api_factory(request, slug), number))


@router.post(
    "/factories/{slug}/supplier/answers/{number}/verdict",
    response={200: AnswerOut, **refusals(403, 404), 409: FieldRefused | StaleModel, 422: FieldRefused},
)
def verdict(request: HttpRequest, slug: str, number: int, body: VerdictIn) -> Status[object]:
    """Accept or question a submitted answer; 409 when it is no longer submitted (a verdict was given already)."""
    factory = api_factory(request, slug)
    row = _answer(request, factory, number)
    if vendor_party(request.user, factory) is not None or role_of(request.user, factory) not in REVIEWERS:
        raise Refusal(403, "only security/IT and risk management accept or question answers")
    try:
        row = review_answer(row, body.verdict, body.comment, request.user)
    except AnswerError as error:
        status = 409 if isinstance(error, AnswerStateError) else 422
        return Status(status, field_refused(status, error.field, error.message))
    return Status(200, _out(row))
