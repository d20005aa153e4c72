"""The supplier portal's JSON API: a vendor's checklists and open items, its answers; the factory's verdicts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from factorysec.analysis.lifecycle.checklists import Checklist, OpenItem
from factorysec.workspace.accounts.permissions import role_of, vendor_party
from factorysec.workspace.factories.models import Factory
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
    factory = get_object_or_404(Factory, slug=slug)
    party = vendor_party(request.user, factory)
    if party is None:
        raise HttpError(403, "the supplier portal is for vendor and provider accounts")
    return factory, party


def _out(a: object) -> AnswerOut:
    return AnswerOut.model_validate(a, from_attributes=True)


class PreparingOut(Schema):
    """No analysis of the factory has finished yet: one is queued (poll ``GET .../jobs/{job}`` or retry later)."""

    message: str
    job: int


HELD = "the factory's model needs a fix by the factory's team before your checklists can be shown; nothing is needed from you until then"


@router.get("/factories/{slug}/supplier/checklists", response={200: PortalOut, 409: PreparingOut, 503: PreparingOut})
def checklists(request: HttpRequest, response: HttpResponse, slug: str) -> Status[Any]:
    """The vendor's party's checklists (and its declared subcontractors'), and the open items ranked by asset
    importance, as the factory's latest analysis job stored them (``analysed_at`` says when); 503 with the queued job
    while the first analysis is still to run; 409 (job 0) while none can run until the factory's team corrects its
    model."""
    factory, party = _vendor(request, slug)
    share = view_for(request, factory, party)
    if share.held:
        return Status(409, PreparingOut(message=HELD, job=0))
    if share.view is None or share.analysed is None or share.analysed.finished_at is None:
        response["Retry-After"] = "10"
        job = share.pending.pk if share.pending is not None else 0
        return Status(503, PreparingOut(message="the factory's analysis is being prepared", job=job))
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


@router.post("/factories/{slug}/supplier/answers", response={200: AnswerOut, 422: dict[str, str]})
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
        return Status(422, {"field": error.field, "message": error.message})
    return Status(200, _out(row))


@router.get("/factories/{slug}/supplier/answers/{number}", response=AnswerOut)
def get_answer(request: HttpRequest, slug: str, number: int) -> AnswerOut:
    factory = get_object_or_404(Factory, slug=slug)
    return _out(answer_for(request, factory, number))


@router.post(
    "/factories/{slug}/supplier/answers/{number}/verdict",
    response={200: AnswerOut, 409: dict[str, str], 422: dict[str, str]},
)
def verdict(request: HttpRequest, slug: str, number: int, body: VerdictIn) -> Status[object]:
    """Accept or question a submitted answer; 409 when it is no longer submitted (a verdict was given already)."""
    factory = get_object_or_404(Factory, slug=slug)
    row = answer_for(request, factory, number)
    if vendor_party(request.user, factory) is not None or role_of(request.user, factory) not in REVIEWERS:
        raise HttpError(403, "only security/IT and risk management accept or question answers")
    try:
        row = review_answer(row, body.verdict, body.comment, request.user)
    except AnswerError as error:
        return Status(
            409 if isinstance(error, AnswerStateError) else 422, {"field": error.field, "message": error.message}
        )
    return Status(200, _out(row))
