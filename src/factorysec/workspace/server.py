"""The HTTP server ``factorysec serve`` runs: Django's development server answering on a fixed pool of threads.

Django's server listens with a backlog of 10 connections. When more people
connect at once (the load benchmark's 50), the kernel drops the others' first
packet and their browsers try again after one second, then three: requests
that cost 20 ms of CPU took seconds. This server listens with a backlog of
:data:`LISTEN_BACKLOG`.

Django's threaded server starts a new thread for every connection, and a
thread's database connection goes with it: every request opened a database
connection of its own (SQLite's file, pragmas and the functions Django
registers on it; a PostgreSQL backend process forked for it). Here a fixed
pool of :func:`pool_threads` threads answers every request, so each thread
keeps its database connection (``CONN_MAX_AGE`` in the settings) from one
request to the next, and no more requests run at once than the pool holds:
with the interpreter lock, more threads only make each request slower. The
server answers with ``Connection: close`` (Django's server does for a server
that is not ``ThreadingMixIn``'s), so an idle browser connection never holds a
pool thread. A production run uses gunicorn (docs/workspace.md, "Running it for real"), whose backlog is 2048.
"""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core.servers.basehttp import WSGIServer

from factorysec.workspace.env import pool_threads

LISTEN_BACKLOG = 1024


class WorkspaceServer(WSGIServer):
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pool = ThreadPoolExecutor(pool_threads(), thread_name_prefix="factorysec-request")

    def process_request(self, request: Any, client_address: Any) -> None:
        """Hand the accepted connection to a pool thread; the listening thread goes back to ``accept`` at once."""
        self._pool.submit(self._answer, request, client_address)

    def _answer(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)
