"""Saves of one element take turns in the process; a writer refused as stale gets the next turn; a refusal is answered
without the database lock and still names what changed, so it can be re-applied."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from factorysec.workspace.factories.turns import ElementTurns


def test_saves_of_one_element_take_turns_in_the_order_they_came_and_other_elements_do_not_wait() -> None:
    turns = ElementTurns(hold=5.0)
    order: list[str] = []
    inside: list[str] = []
    first_holds, release = threading.Event(), threading.Event()

    def first() -> None:
        with turns.turn("zone", "a"):
            first_holds.set()
            release.wait(10)
            order.append("a")

    def save(writer: str) -> None:
        with turns.turn("zone", writer):
            inside.append(writer)
            order.append(writer)

    holder = threading.Thread(target=first)
    holder.start()
    assert first_holds.wait(10)
    waiters = []
    for writer in ("b", "c", "d"):
        waiters.append(threading.Thread(target=save, args=(writer,)))
        waiters[-1].start()
        deadline = time.monotonic() + 10
        while turns.waiting("zone") < len(waiters) and time.monotonic() < deadline:
            time.sleep(0.005)
    with turns.turn("another element", "e"):  # not queued behind the zone's saves
        assert inside == []
    release.set()
    for thread in [holder, *waiters]:
        thread.join(10)
    assert order == ["a", "b", "c", "d"]
    assert turns.waiting("zone") == 0


def test_a_refused_writer_retries_ahead_of_those_who_queued_meanwhile() -> None:
    turns = ElementTurns(hold=5.0)
    refused_holds, release = threading.Event(), threading.Event()
    order: list[str] = []

    def refused_then_retry() -> None:
        with turns.turn("zone", "a") as turn:
            refused_holds.set()
            release.wait(10)
            turn.refused()
        time.sleep(0.05)  # the refusal travels to the client and back; the others are already queued
        with turns.turn("zone", "a"):
            order.append("a, retried")

    def save(writer: str) -> None:
        with turns.turn("zone", writer):
            order.append(writer)

    first = threading.Thread(target=refused_then_retry)
    first.start()
    assert refused_holds.wait(10)
    others = [threading.Thread(target=save, args=(writer,)) for writer in ("b", "c")]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 10
    while turns.waiting("zone") < 2 and time.monotonic() < deadline:
        time.sleep(0.005)
    release.set()
    for thread in [first, *others]:
        thread.join(10)
    assert order == ["a, retried", "b", "c"]


def test_a_refused_writer_that_does_not_come_back_delays_the_next_save_by_the_hold_only() -> None:
    turns = ElementTurns(hold=0.3)
    with turns.turn("zone", "a") as turn:
        turn.refused()
    started = time.monotonic()
    with turns.turn("zone", "b"):
        waited = time.monotonic() - started
    assert 0.2 <= waited < 3.0
    started = time.monotonic()
    with turns.turn("zone", "c"):  # b was not refused: nothing is kept for it
        assert time.monotonic() - started < 0.2


def test_fifty_writers_saving_one_element_at_once_are_each_refused_at_most_once() -> None:
    """The load benchmark's shared zone in miniature: every writer reads the version, saves on it, and retries a refusal
    at once on the version the refusal reports. Without the kept turn, each round of retries refuses all but one."""
    turns = ElementTurns(hold=5.0)
    writers = 50
    stored = {"version": 1}
    saved: list[tuple[int, int]] = []
    refusals = [0] * writers
    start = threading.Barrier(writers)

    def writer(number: int) -> None:
        version = stored["version"]
        start.wait(10)
        for _ in range(writers + 1):
            with turns.turn("zone", number) as turn:
                if stored["version"] != version:
                    version = stored["version"]
                    refusals[number] += 1
                    turn.refused()
                    continue
                stored["version"] += 1
                saved.append((number, stored["version"]))
                return

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(number for number, _ in saved) == list(range(writers)), "every writer saved exactly once"
    assert [version for _, version in saved] == list(range(2, writers + 2)), "no version written twice"
    assert max(refusals) <= 1 and sum(refusals) <= writers - 1


@contextmanager
def another_writer_holds_the_write_lock(factory_id: int, seconds: float) -> Iterator[None]:
    """Another writer of the factory holds the database's write lock for ``seconds`` (then lets go, so that a save
    wrongly waiting for it ends): on SQLite the backend's queue in front of SQLite's lock, on PostgreSQL the factory's
    element set row, which every writer locks first."""
    from django.db import connection, connections, transaction

    from factorysec.workspace.factories.models import ElementSet
    from factorysec.workspace.sqlite.base import WRITERS

    if connection.vendor != "postgresql":
        assert WRITERS.acquire(timeout=10)
        letting_go = threading.Timer(seconds, WRITERS.release)
        letting_go.start()
        try:
            yield
        finally:
            letting_go.join()
        return
    held = threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                ElementSet.changes_of(factory_id, lock=True)
                held.set()
                time.sleep(seconds)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(20)
    try:
        yield
    finally:
        holder.join(seconds + 20)


@pytest.mark.django_db(transaction=True)
def test_a_stale_save_is_refused_without_waiting_for_the_write_lock_names_what_changed_and_can_be_re_applied() -> None:
    from django.contrib.auth.models import User

    from factorysec.model import load_model
    from factorysec.workspace.changes.drafts import EditConflict, save_live_checked
    from factorysec.workspace.factories.models import Element, Factory
    from factorysec.workspace.factories.store import import_model
    from tests.workspace.conftest import ANNEX_A, PASSWORD

    factory = Factory.objects.create(slug="turns", name="Turns")
    import_model(factory, load_model(ANNEX_A), None, "test load")
    row = Element.objects.get(factory=factory, section="zones", key="warehouse-zone")
    assert row.payload is not None
    first = User.objects.create_user("first", password=PASSWORD)
    second = User.objects.create_user("second", password=PASSWORD)
    saved = save_live_checked(
        factory, "zones", "warehouse-zone", row.payload | {"description": "first"}, row.version, first
    )
    with another_writer_holds_the_write_lock(factory.pk, seconds=6.0):
        started = time.monotonic()
        with pytest.raises(EditConflict) as refused:
            save_live_checked(
                factory, "zones", "warehouse-zone", row.payload | {"description": "second"}, row.version, second
            )
        waited = time.monotonic() - started
    assert waited < 3.0, f"the stale save waited {waited:.1f} s for another writer's lock before it was refused"
    conflict = refused.value
    assert (conflict.expected, conflict.current_version, conflict.by) == (row.version, saved.version, "first")
    assert conflict.current is not None and conflict.current["description"] == "first"
    assert ("description", "first", "second") in conflict.changed_fields()
    again = save_live_checked(
        factory,
        "zones",
        "warehouse-zone",
        conflict.current | {"description": "second"},
        conflict.current_version,
        second,
    )
    assert again.version == saved.version + 1
    stored = Element.objects.get(pk=row.pk)
    assert stored.version == again.version and stored.payload is not None
    assert stored.payload["description"] == "second"


def test_no_turn_is_kept_for_a_refused_writer_when_too_many_saves_wait_to_bring_its_retry_in() -> None:
    """With every server thread waiting for a turn, the refused writer's retry could not arrive: waiting the hold out
    would only stall the element."""
    turns = ElementTurns(hold=5.0, waiting_limit=2)
    order: list[str] = []
    with turns.turn("zone", "a") as turn:
        turn.refused()

    def save(writer: str) -> None:
        with turns.turn("zone", writer):
            order.append(writer)

    started = time.monotonic()
    blocked = threading.Thread(target=save, args=("b",))
    blocked.start()
    deadline = time.monotonic() + 10
    while turns.waiting("zone") < 1 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert order == [], "one waiting save is below the limit: the turn stays kept for the refused writer"
    save("c")  # the second waiting save reaches the limit: the kept turn is given up
    blocked.join(10)
    assert time.monotonic() - started < 3.0
    assert sorted(order) == ["b", "c"]


def test_with_server_timing_on_a_response_says_how_long_it_waited_for_a_place_and_its_time_in_the_application(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.http import HttpRequest, HttpResponse

    from factorysec.workspace import concurrency

    monkeypatch.setattr(concurrency, "SERVER_TIMING", True)

    def view(request: HttpRequest) -> HttpResponse:
        concurrency.note_wait("turn", time.perf_counter() - 0.05)
        return HttpResponse("ok")

    header = concurrency.ConcurrencyLimitMiddleware(view)(HttpRequest())["Server-Timing"]
    timings = {name: float(value) for name, value in (part.split(";dur=") for part in header.split(", "))}
    assert set(timings) == {"place", "turn", "app"}
    assert 50.0 <= timings["turn"] < 1000.0 and timings["app"] >= 0.0
    monkeypatch.setattr(concurrency, "SERVER_TIMING", False)
    assert "Server-Timing" not in concurrency.ConcurrencyLimitMiddleware(view)(HttpRequest())
