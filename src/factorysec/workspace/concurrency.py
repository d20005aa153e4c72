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
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from factorysec.workspace.env import concurrent_requests

RUNNING = threading.BoundedSemaphore(concurrent_requests())
"""Requests of this process that may run at once (``FACTORYSEC_MAX_CONCURRENT_REQUESTS``, default 4)."""

_place = threading.local()

SERVER_TIMING = os.environ.get("FACTORYSEC_SERVER_TIMING", "") == "1"
"""With ``FACTORYSEC_SERVER_TIMING=1`` every response carries a ``Server-Timing`` header: how long the request waited
for a running place (``place``), for the database's write lock (``lock``: SQLite's queue, or on PostgreSQL the factory's
element set row held by another writer), for a save of the same element in progress (``element``,
:mod:`factorysec.workspace.changes.writers`), and its whole time in the application (``app``), in ms. The load benchmark
sets it to see where its slowest requests wait."""


def note_wait(name: str, started: float) -> None:
    """Add the time since ``started`` (``time.perf_counter``) to this request's ``name`` wait, when timing is on."""
    if SERVER_TIMING:
        waits: dict[str, float] = getattr(_place, "waits", {})
        waits[name] = waits.get(name, 0.0) + time.perf_counter() - started


def give_up_place() -> None:
    """Let another request run in this thread's place (called before sleeping on a queue); the request goes on without one."""
    if getattr(_place, "held", False):
        _place.held = False
        RUNNING.release()


class ConcurrencyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        _place.waits = {}
        RUNNING.acquire()
        _place.held = True
        note_wait("place", started)
        try:
            response = self.get_response(request)
        finally:
            give_up_place()
        if SERVER_TIMING:
            note_wait("app", started)
            response["Server-Timing"] = ", ".join(
                f"{name};dur={1000 * value:.1f}" for name, value in _place.waits.items()
            )
        return response
