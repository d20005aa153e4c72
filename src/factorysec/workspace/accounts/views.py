"""The account page: issue an API token (shown once)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from factorysec.workspace.accounts.models import ApiToken
from factorysec.workspace.accounts.tokens import issue_token


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    issued = None
    if request.method == "POST":
        issued = issue_token(request.user, request.POST.get("name", "").strip() or "token")
    return render(request, "accounts/tokens.html", {"tokens": ApiToken.objects.filter(user__pk=request.user.pk or 0), "issued": issued})
