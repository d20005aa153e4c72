"""A save bound to be refused is refused without the factory's write lock, after the save of its element in progress."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connections

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.changes import drafts, writers
from factorysec.workspace.factories.models import Element, Factory
from tests.workspace.conftest import client_for, make_member

API = "/api/factories/annex-a-factory"


def test_a_claimed_element_makes_others_wait_until_its_save_ends_and_then_wakes_them_all() -> None:
    woken: list[bool] = []
    claimed, release = threading.Event(), threading.Event()

    def saver() -> None:
        with writers.claim(7, time.monotonic() + 10) as taken:
            assert taken
            claimed.set()
            release.wait(10)

    def stale() -> None:
        woken.append(writers.wait_until_free(7, time.monotonic() + 10))

    def current() -> None:
        with writers.claim(7, time.monotonic() + 10) as taken:
            woken.append(taken)

    holder = threading.Thread(target=saver)
    holder.start()
    assert claimed.wait(10)
    waiting = [threading.Thread(target=stale), threading.Thread(target=current)]
    for thread in waiting:
        thread.start()
    time.sleep(0.2)
    assert woken == [] and writers.holders(7) == 1, "both wait while the element is claimed"
    release.set()
    for thread in [holder, *waiting]:
        thread.join(10)
    assert sorted(woken) == [False, False], (
        "the stale one had to wait; the current one is not given the claim but told to look again"
    )
    assert writers.holders(7) == 0 and 7 not in writers._CLAIMS, "nothing is left behind"


def test_past_the_deadline_a_save_claims_the_element_even_if_another_still_holds_it() -> None:
    with writers.claim(8, time.monotonic() + 10) as first:
        started = time.monotonic()
        with writers.claim(8, started + 0.1) as second:
            assert first and second and writers.holders(8) == 2
        assert 0.1 <= time.monotonic() - started < 5
    assert writers.holders(8) == 0


@pytest.mark.django_db
def test_a_stale_save_is_refused_without_the_write_lock(annex_a: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    editor = client_for(make_member(annex_a, Role.SECURITY_IT))
    row = Element.objects.get(factory=annex_a, section="zones", key="warehouse-zone")
    url = f"{API}/elements/zones/warehouse-zone"
    assert row.payload is not None
    first = editor.put(
        url,
        {"version": row.version, "payload": row.payload | {"description": "first"}},
        content_type="application/json",
    )
    assert first.status_code == 200
    locked: list[str] = []
    original = drafts._save_locked

    def spy(*args: Any, **kwargs: Any) -> Element:
        locked.append("save")
        return original(*args, **kwargs)

    monkeypatch.setattr(drafts, "_save_locked", spy)
    stale = editor.put(
        url, {"version": row.version, "payload": row.payload | {"description": "late"}}, content_type="application/json"
    )
    assert stale.status_code == 409 and locked == [], "refused from a plain read, not under the lock"
    body = stale.json()
    assert body["current_version"] == row.version + 1 and body["saved_by"] == "security-it-staff"
    assert body["current"]["description"] == "first"


@pytest.mark.django_db(transaction=True)
def test_a_stale_save_waits_for_the_save_of_its_element_in_progress_and_reports_the_version_it_wrote(
    annex_a: Factory,
) -> None:
    editor = make_member(annex_a, Role.SECURITY_IT)
    other = User.objects.create_user("other", password="a long test password 42")
    row = Element.objects.get(factory=annex_a, section="zones", key="warehouse-zone")
    assert row.payload is not None
    base = row.payload
    outcome: dict[str, Any] = {}

    def stale_save() -> None:
        try:
            drafts.save_live_checked(annex_a, "zones", "warehouse-zone", base | {"description": "late"}, 0, other)
        except drafts.EditConflict as conflict:
            outcome["refused at"] = conflict.current_version
            outcome["by"] = conflict.by
        finally:
            connections.close_all()

    with writers.claim(row.pk, time.monotonic() + 10) as taken:
        assert taken
        late = threading.Thread(target=stale_save)
        late.start()
        late.join(0.5)
        assert late.is_alive(), "the refusal waits for the save of the element in progress"
        drafts._save_locked(annex_a, "zones", "warehouse-zone", base | {"description": "landed"}, row.version, editor)
    late.join(10)
    assert outcome == {"refused at": row.version + 1, "by": editor.username}, "the version the save in progress wrote"
