"""At most a few requests of one process run at once; the others wait, asleep, for their turn.

A threaded server (``factorysec serve``) starts a thread per connection. With
50 people those threads all compete for the one interpreter lock, and a
request that holds the database's write lock waits behind every other thread
each time it gives the interpreter up (at every query), so the write lock is
held for seconds and every save queues behind it. Admitting a few requests at
a time keeps the lock holder running. Under gunicorn's sync workers (one
request per process) the limit is never reached.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

RUNNING = threading.BoundedSemaphore(max(1, int(os.environ.get("FACTORYSEC_MAX_CONCURRENT_REQUESTS", "4"))))
"""Requests of this process that may run at once (``FACTORYSEC_MAX_CONCURRENT_REQUESTS``, default 4)."""


class ConcurrencyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with RUNNING:
            return self.get_response(request)
