"""API tokens: issued once, stored as a digest, checked by the API's bearer authentication."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from factorysec.workspace.accounts.models import ApiToken

TOKEN_PREFIX = "fsec_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: Any, name: str) -> str:
    """A new token for ``user``; the caller shows it once, only its digest is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=_digest(token))
    return token


class BearerToken(HttpBearer):
    """``Authorization: Bearer fsec_...``: the request acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(digest=_digest(token)).first()
        if found is None or not found.user.is_active:
            return None
        request.user = found.user
        return found.user
