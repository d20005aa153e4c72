"""At most a few requests of one process run at once; the others wait, asleep, for their turn.

A threaded server starts or keeps a thread per request. With 50 people those
threads all compete for the one interpreter lock, and a request that holds the
database's write lock waits behind every other thread each time it gives the
interpreter up (at every query), so the write lock is held for seconds and
every save queues behind it. Admitting a few requests at a time keeps the lock
holder running.

A request that has to queue for SQLite's write lock (:mod:`factorysec.workspace.sqlite.base`)
gives its place up while it sleeps there (:func:`give_up_place`) and runs on
without one once it has the lock: saves waiting for each other no longer keep
reads out, and the one writer runs beside the admitted requests instead of
waiting for a place while it holds the lock. Under gunicorn's sync workers (one
request per process) the limit is never reached.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

RUNNING = threading.BoundedSemaphore(max(1, int(os.environ.get("FACTORYSEC_MAX_CONCURRENT_REQUESTS", "4"))))
"""Requests of this process that may run at once (``FACTORYSEC_MAX_CONCURRENT_REQUESTS``, default 4)."""

_place = threading.local()


def give_up_place() -> None:
    """Let another request run in this thread's place (called before sleeping on a queue); the request goes on without one."""
    if getattr(_place, "held", False):
        _place.held = False
        RUNNING.release()


class ConcurrencyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        RUNNING.acquire()
        _place.held = True
        try:
            return self.get_response(request)
        finally:
            give_up_place()
