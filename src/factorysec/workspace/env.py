"""The workspace's numeric settings from environment variables, each checked before anything is prepared.

A value outside its range is refused with one line naming the variable (`SettingError`); ``factorysec serve``
and the ``audit`` commands check them all (:func:`check_environment`) before Django is set up, so a mistyped
variable is an exit 2, never a traceback from the settings module or a silently different limit.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

POOL_THREADS = 8
"""Threads answering requests when ``FACTORYSEC_SERVE_THREADS`` is not set."""
MAX_POOL_THREADS = 256
CONCURRENT_REQUESTS = 4
"""Requests of a process that run at once when ``FACTORYSEC_MAX_CONCURRENT_REQUESTS`` is not set."""
MAX_CONCURRENT_REQUESTS = 256
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_MAX_BYTES = 1024 * 1024 * 1024
"""Attachments are kept in the database: 1 GiB is the most a supplier's upload may be set to."""


class SettingError(ValueError):
    """A workspace setting from the environment that is not usable; the message is one line naming the variable."""


def counted_setting(environ: Mapping[str, str], name: str, unit: str, default: int, maximum: int) -> int:
    """The whole number from 1 to ``maximum`` the environment variable ``name`` gives, or ``default`` when unset."""
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip()
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= maximum:
        raise SettingError(f"{name}: expected a whole number of {unit} from 1 to {maximum}, got {raw!r}")
    return int(value)


def pool_threads(environ: Mapping[str, str] = os.environ) -> int:
    """The number of request threads ``FACTORYSEC_SERVE_THREADS`` asks for (1 to 256), or the default."""
    return counted_setting(environ, "FACTORYSEC_SERVE_THREADS", "threads", POOL_THREADS, MAX_POOL_THREADS)


def concurrent_requests(environ: Mapping[str, str] = os.environ) -> int:
    """The number of requests ``FACTORYSEC_MAX_CONCURRENT_REQUESTS`` lets run at once (1 to 256), or the default."""
    return counted_setting(
        environ, "FACTORYSEC_MAX_CONCURRENT_REQUESTS", "requests", CONCURRENT_REQUESTS, MAX_CONCURRENT_REQUESTS
    )


def attachment_max_bytes(environ: Mapping[str, str] = os.environ) -> int:
    """The largest attachment a supplier may upload (``FACTORYSEC_ATTACHMENT_MAX_BYTES``), default 5 MiB."""
    return counted_setting(
        environ, "FACTORYSEC_ATTACHMENT_MAX_BYTES", "bytes", ATTACHMENT_MAX_BYTES, MAX_ATTACHMENT_MAX_BYTES
    )


def check_environment(environ: Mapping[str, str] = os.environ) -> None:
    """Raise `SettingError` for the first numeric workspace setting that is not usable."""
    pool_threads(environ)
    concurrent_requests(environ)
    attachment_max_bytes(environ)
