"""The JSON API of evidence: the chain's verification, and decisions (read, and written by security/IT or risk management)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from factorysec.model.planfiles import Decision as DecisionEntry
from factorysec.workspace.accounts.permissions import Action, can, role_of
from factorysec.workspace.apierrors import FieldRefused, Refusal, api_factory, field_refused, refusals
from factorysec.workspace.audit.decisions import DecisionError, is_due, save_decision
from factorysec.workspace.audit.log import verify_stored
from factorysec.workspace.audit.models import Decision
from factorysec.workspace.audit.views import DECISION_WRITERS, reads_whole_log

router = Router(tags=["audit"])


class VerifyOut(Schema):
    intact: bool
    entries: int
    head: str
    first_altered: int | None
    reason: str | None


class DecisionOut(Schema):
    finding: str
    status: str
    owner: str
    justification: str
    date: dt.date | None
    review_by: dt.date | None
    due: bool


@router.get("/audit/verify", response={200: VerifyOut, **refusals(403)})
def verify(request: HttpRequest) -> VerifyOut:
    if not reads_whole_log(request.user):
        raise Refusal(403, "only auditors and administrators read the whole log")
    result = verify_stored()
    return VerifyOut(
        intact=result.intact,
        entries=result.count,
        head=result.head,
        first_altered=result.broken.seq if result.broken else None,
        reason=result.broken.reason if result.broken else None,
    )


def _out(d: Decision, today: dt.date) -> DecisionOut:
    return DecisionOut(
        finding=d.finding,
        status=d.status,
        owner=d.owner,
        justification=d.justification,
        date=d.date,
        review_by=d.review_by,
        due=is_due(d, today),
    )


@router.get("/factories/{slug}/decisions", response={200: list[DecisionOut], **refusals(403, 404)})
def list_decisions(request: HttpRequest, slug: str) -> list[DecisionOut]:
    factory = api_factory(request, slug)
    if not can(request.user, factory, Action.RUN_ANALYSIS):
        raise Refusal(403, "your role in this factory does not allow this")
    today = dt.date.today()
    return [_out(d, today) for d in Decision.objects.filter(factory=factory)]


@router.post("/factories/{slug}/decisions", response={200: DecisionOut, **refusals(403, 404), 422: FieldRefused})
def put_decision(request: HttpRequest, slug: str, body: DecisionEntry) -> Status[DecisionOut | FieldRefused]:
    """Create or replace a decision (the ``decisions.yaml`` entry schema)."""
    factory = api_factory(request, slug)
    if role_of(request.user, factory) not in DECISION_WRITERS:
        raise Refusal(403, "only security/IT and risk management record decisions")
    try:
        decision = save_decision(factory, body.model_dump(mode="json"), request.user)
    except DecisionError as error:
        return Status(422, field_refused(422, error.field, error.message))
    return Status(200, _out(decision, dt.date.today()))
