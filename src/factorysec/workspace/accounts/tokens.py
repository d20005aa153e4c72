"""API tokens: issued once, stored as a digest, checked by the API's bearer authentication."""

from __future__ import annotations

import functools
import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
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
        user = next(iter(get_user_model().objects.raw(_token_user_sql(), [_digest(token)])), None)
        if user is None or not user.is_active:
            return None
        request.user = user
        return user


@functools.cache
def _token_user_sql() -> str:
    """The token's user in one statement written once (every API call asks it; a queryset is compiled per call)."""
    users = get_user_model()._meta.db_table
    return (
        f'SELECT u.* FROM "{users}" u JOIN "{ApiToken._meta.db_table}" t ON t."user_id" = u."id" WHERE t."digest" = %s'
    )
