"""The JSON API of analysis results: the findings as ``assessment.json`` holds them."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from factorysec.analysis.findings import Finding
from factorysec.workspace.accounts.permissions import Action, can
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.results.analysis import assess

router = Router(tags=["results"])


@router.get("/{slug}/findings", response=list[Finding])
def findings(request: HttpRequest, slug: str) -> list[Finding]:
    factory = get_object_or_404(Factory, slug=slug)
    if not can(request.user, factory, Action.RUN_ANALYSIS):
        raise HttpError(403, "your role in this factory does not allow this")
    return list(assess(factory).findings)
