"""API tokens: issued once, stored as a digest, checked by the API's bearer authentication."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from factorysec.workspace.accounts.models import ApiToken
from factorysec.workspace.apierrors import Refusal
from factorysec.workspace.audit.log import record

TOKEN_PREFIX = "fsec_"
LAST_USED_STEP = dt.timedelta(minutes=1)
"""A token's ``last_used_at`` is moved when it is older than this: a read costs no write while a CI job polls."""

logger = logging.getLogger(__name__)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: Any, name: str) -> str:
    """A new token for ``user``, with its audit entry; the caller shows it once, only its digest is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():  # the token and its audit entry are kept together or not at all
        row = ApiToken.objects.create(user=user, name=name, digest=_digest(token))
        record("token-issued", user=user, subject=name, detail={"token": row.pk, "name": name})
    return token


def revoke_token(user: Any, pk: int) -> ApiToken | None:
    """Revoke ``user``'s token ``pk`` (with its audit entry); None when ``user`` has no such token. A token revoked
    before is returned as it is, with no second entry."""
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().filter(user__pk=user.pk or 0, pk=pk).first()
        if row is None or row.revoked_at is not None:
            return row
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        record("token-revoked", user=user, subject=row.name, detail={"token": row.pk, "name": row.name})
    return row


def revoked_message(revoked_at: dt.datetime) -> str:
    """The API's refusal of a revoked token (the message is in English, as every API message is)."""
    return (
        f"Authorization: this token was revoked at {revoked_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC on the"
        " workspace's API tokens page; send another token of an active account"
    )


class BearerToken(HttpBearer):
    """``Authorization: Bearer fsec_...``: the request acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user: Any = next(iter(get_user_model().objects.raw(_token_user_sql(), [_digest(token)])), None)
        if user is None or not user.is_active:
            return None
        revoked_at = _aware(user.token_revoked_at)  # the query's columns of the token, beside the user's
        if revoked_at is not None:  # refused at once, even beside a signed-in session: the caller sent this token
            raise Refusal(401, revoked_message(revoked_at), ("header", "Authorization"))
        _note_use(user.token_id, _aware(user.token_last_used_at))
        request.user = user
        return user


def _aware(value: Any) -> dt.datetime | None:
    """A timestamp a raw query read: SQLite's driver gives text (or a naive time), PostgreSQL's an aware time."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value  # type: ignore[no-any-return]


def _note_use(pk: int, last_used_at: dt.datetime | None) -> None:
    """Move the token's ``last_used_at`` when it is older than :data:`LAST_USED_STEP` (one short write, no more than
    once a minute per token). It helps its owner see which token is still used; it is no evidence, so a database busy
    past its timeout leaves it as it was, with a warning, and the request goes on."""
    now = timezone.now()
    if last_used_at is not None and now - last_used_at < LAST_USED_STEP:
        return
    try:
        with transaction.atomic():
            ApiToken.objects.filter(pk=pk).update(last_used_at=now)
    except DatabaseError as error:
        logger.warning("API token %s: its last use was not written (%s)", pk, error)


@functools.cache
def _token_user_sql() -> str:
    """The token's user in one statement written once (every API call asks it; a queryset is compiled per call)."""
    users = get_user_model()._meta.db_table
    return (
        f'SELECT u.*, t."id" AS "token_id", t."revoked_at" AS "token_revoked_at", t."last_used_at" AS'
        f' "token_last_used_at" FROM "{users}" u JOIN "{ApiToken._meta.db_table}" t ON t."user_id" = u."id"'
        ' WHERE t."digest" = %s'
    )
