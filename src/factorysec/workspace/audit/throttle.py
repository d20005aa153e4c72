"""Brute-force protection for sign-in: after too many failed attempts for one user name, every attempt is refused for a while.

Failed attempts are the audit log's own ``login-failed`` entries, so the count
holds across app processes and survives a restart. Installed as the first
authentication backend: raising :class:`PermissionDenied` makes Django stop
trying the others and report the attempt as failed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from factorysec.workspace.audit.models import AuditEntry

DEFAULT_LIMIT = 5
DEFAULT_WINDOW_SECONDS = 900


def limit() -> int:
    return int(getattr(settings, "FACTORYSEC_LOGIN_FAILURE_LIMIT", DEFAULT_LIMIT))


def window() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "FACTORYSEC_LOGIN_FAILURE_WINDOW", DEFAULT_WINDOW_SECONDS)))


def recent_failures(username: str) -> int:
    """Failed sign-ins for ``username`` within the window, since its last successful one."""
    since = (dt.datetime.now(dt.UTC) - window()).isoformat(timespec="microseconds")
    entries = (
        AuditEntry.objects.filter(actor=username, action__in=("login", "login-failed"), created_at__gte=since)
        .order_by("-seq")
        .values_list("action", flat=True)
    )
    count = 0
    for action in entries[: limit() + 1]:
        if action == "login":
            break
        count += 1
    return count


class LoginThrottle(ModelBackend):
    """An authentication backend that authenticates no one itself; it refuses a user name with too many recent failures.

    It loads users for sessions as the model backend does, so a session made
    with it (``force_login`` takes the first backend) stays valid.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if username and recent_failures(username) >= limit():
            raise PermissionDenied("too many failed sign-ins; wait before trying again")
        return None
