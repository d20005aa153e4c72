"""How one workspace process shares itself among many people: a fixed pool of request threads, a few requests running
at once, and saves queued for SQLite's write lock giving their place to others while they wait."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.http import HttpRequest, HttpResponse

from factorysec.workspace import concurrency
from factorysec.workspace.env import POOL_THREADS
from factorysec.workspace.server import WorkspaceServer


def test_serve_answers_on_a_fixed_pool_of_threads_so_they_keep_their_database_connections() -> None:
    seen: list[str] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen.append(threading.current_thread().name)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = WorkspaceServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(app)
    host, port = server.server_address[:2]
    listening = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    listening.start()
    try:
        for _ in range(3 * POOL_THREADS):
            with urllib.request.urlopen(f"http://{host!s}:{port}/", timeout=10) as response:
                assert response.read() == b"ok" and response.headers["Connection"] == "close"
    finally:
        server.shutdown()
        server.server_close()
    assert len(seen) == 3 * POOL_THREADS and all(name.startswith("factorysec-request") for name in seen)
    assert len(set(seen)) <= POOL_THREADS, "every request on one of the pool's threads, none on a thread of its own"


def test_a_request_queued_for_the_write_lock_gives_its_place_to_a_read() -> None:
    """Four saves waiting for a writer hold every place; without giving them up, a read would wait for the writer too."""
    places = concurrency.RUNNING._initial_value  # type: ignore[attr-defined]  # the configured limit
    writer = threading.Lock()
    writer.acquire()
    waiting = threading.Barrier(places + 1)

    def save(request: HttpRequest) -> HttpResponse:
        concurrency.give_up_place()  # what the SQLite backend does before it sleeps on its queue
        waiting.wait(timeout=10)
        with writer:
            return HttpResponse("saved")

    saves = [
        threading.Thread(target=concurrency.ConcurrencyLimitMiddleware(save), args=(HttpRequest(),))
        for _ in range(places)
    ]
    for thread in saves:
        thread.start()
    waiting.wait(timeout=10)
    answered: list[bytes] = []
    read = threading.Thread(
        target=lambda: answered.append(
            concurrency.ConcurrencyLimitMiddleware(lambda request: HttpResponse("read"))(HttpRequest()).content
        )
    )
    read.start()
    read.join(timeout=5)
    try:
        assert answered == [b"read"], "the read ran while every save waited for the write lock"
    finally:
        writer.release()
        for thread in saves:
            thread.join(timeout=10)
    for _ in range(places):  # every place was given back once
        assert concurrency.RUNNING.acquire(timeout=1)
    for _ in range(places):
        concurrency.RUNNING.release()


def test_the_sqlite_backend_gives_the_place_up_only_when_it_has_to_wait(
    monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any
) -> None:
    from factorysec.workspace.sqlite import base

    calls: list[str] = []
    monkeypatch.setattr(base, "give_up_place", lambda: calls.append("given up"))
    wrapper = base.DatabaseWrapper({"NAME": ":memory:", "OPTIONS": {"timeout": 5}, **_SETTINGS}, "standalone")
    with django_db_blocker.unblock():
        wrapper.connect()
        wrapper._start_transaction_under_autocommit()
        wrapper._commit()
        assert calls == [], "the lock was free: the place is kept"
        base.WRITERS.acquire()
        holder = threading.Timer(0.2, base.WRITERS.release)
        holder.start()
        wrapper._start_transaction_under_autocommit()
        wrapper._commit()
        holder.join()
        assert calls == ["given up"]
        wrapper.close()


_SETTINGS: dict[str, Any] = {
    "ENGINE": "factorysec.workspace.sqlite",
    "USER": "",
    "PASSWORD": "",
    "HOST": "",
    "PORT": "",
    "TIME_ZONE": None,
    "CONN_MAX_AGE": 0,
    "CONN_HEALTH_CHECKS": False,
    "AUTOCOMMIT": True,
    "ATOMIC_REQUESTS": False,
    "TEST": {},
}


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_save_finding_the_element_set_locked_gives_its_place_up_waits_and_lands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A save whose factory's element set row is held by another writer must wait for it (never write beside it),
    give its running place up while it waits, and land on top once the other writer commits."""
    from django.contrib.auth.models import User
    from django.db import connection, connections, transaction

    from factorysec.model import load_model
    from factorysec.workspace.changes.drafts import save_live_checked
    from factorysec.workspace.factories import models
    from factorysec.workspace.factories.models import Element, ElementSet, Factory
    from factorysec.workspace.factories.store import import_model
    from tests.workspace.conftest import ANNEX_A

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite's write queue is tested above")
    factory = Factory.objects.create(slug="lock-order", name="Lock order")
    import_model(factory, load_model(ANNEX_A), None, "test load")
    row = Element.objects.get(factory=factory, section="zones", key="warehouse-zone")
    assert row.payload is not None
    editor = User.objects.create_user("editor", password="a long test password 42")
    given_up: list[str] = []
    monkeypatch.setattr(models, "give_up_place", lambda: given_up.append(threading.current_thread().name))
    held, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hold_the_element_set() -> None:
        try:
            with transaction.atomic():
                ElementSet.changes_of(factory.pk, lock=True)
                held.set()
                release.wait(20)
        finally:
            connections.close_all()

    def save() -> None:
        try:
            saved = save_live_checked(
                factory, "zones", "warehouse-zone", row.payload | {"description": "after the wait"}, row.version, editor
            )
            outcome["version"] = saved.version
        except Exception as error:  # the assertion below names it
            outcome["error"] = repr(error)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_element_set, name="holder")
    holder.start()
    assert held.wait(20)
    saver = threading.Thread(target=save, name="saver")
    saver.start()
    saver.join(1.0)
    assert saver.is_alive(), "the save went on while another writer held the factory's element set"
    assert given_up == ["saver"], "the waiting save kept its running place"
    release.set()
    holder.join(20)
    saver.join(20)
    assert outcome == {"version": row.version + 1}
    stored = Element.objects.get(pk=row.pk)
    assert stored.version == row.version + 1 and stored.payload is not None
    assert stored.payload["description"] == "after the wait"


def test_with_server_timing_on_a_response_says_how_long_it_waited_for_a_place_and_its_time_in_the_application(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.http import HttpRequest, HttpResponse

    from factorysec.workspace import concurrency

    monkeypatch.setattr(concurrency, "SERVER_TIMING", True)

    def view(request: HttpRequest) -> HttpResponse:
        concurrency.note_wait("lock", time.perf_counter() - 0.05)
        return HttpResponse("ok")

    header = concurrency.ConcurrencyLimitMiddleware(view)(HttpRequest())["Server-Timing"]
    timings = {name: float(value) for name, value in (part.split(";dur=") for part in header.split(", "))}
    assert set(timings) == {"place", "lock", "app"}
    assert 50.0 <= timings["lock"] < 1000.0 and timings["app"] >= 0.0
    monkeypatch.setattr(concurrency, "SERVER_TIMING", False)
    assert "Server-Timing" not in concurrency.ConcurrencyLimitMiddleware(view)(HttpRequest())
