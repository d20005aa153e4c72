"""The HTTP server ``factorysec serve`` runs: Django's threaded development server with a listen backlog for a team.

Django's server listens with a backlog of 10 connections. When more people
connect at once (the load benchmark's 50), the kernel drops the others' first
packet and their browsers try again after one second, then three: requests
that cost 20 ms of CPU took seconds. A production run uses gunicorn (README),
whose backlog is 2048.
"""

from __future__ import annotations

from django.core.servers.basehttp import WSGIServer

LISTEN_BACKLOG = 1024


class WorkspaceServer(WSGIServer):
    request_queue_size = LISTEN_BACKLOG
