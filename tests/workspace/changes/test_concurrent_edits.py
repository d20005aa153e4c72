"""Concurrent editing loses nothing: the second save of an element saved meanwhile is refused with what changed; saves of different elements both land."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.changes import drafts
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.store import factory_model
from tests.workspace.conftest import client_for, make_member

pytestmark = pytest.mark.django_db
API = "/api/factories/annex-a-factory"


def _live(factory: Factory, section: str, key: str) -> tuple[int, dict[str, Any]]:
    row = Element.objects.get(factory=factory, section=section, key=key)
    return row.version, dict(row.payload)


@pytest.fixture
def two(annex_a: Factory) -> tuple[Client, Client]:
    return client_for(make_member(annex_a, Role.SECURITY_IT)), client_for(make_member(annex_a, Role.PRODUCTION))


def test_api_second_save_of_the_same_element_is_refused_with_what_changed(
    annex_a: Factory, two: tuple[Client, Client]
) -> None:
    alice, bob = two
    version, payload = _live(annex_a, "assets", "mes-server")
    first = alice.put(
        f"{API}/elements/assets/mes-server",
        {"version": version, "payload": payload | {"description": "alice"}},
        content_type="application/json",
    )
    assert first.status_code == 200 and first.json()["version"] == version + 1
    second = bob.put(
        f"{API}/elements/assets/mes-server",
        {"version": version, "payload": payload | {"description": "bob"}},
        content_type="application/json",
    )
    assert second.status_code == 409
    body = second.json()
    assert body["current_version"] == version + 1 and body["saved_by"] == "security-it-staff"
    assert body["changed"] == [{"field": "description", "stored": "alice", "yours": "bob"}]
    assert (
        factory_model(annex_a).assets[[a.id for a in factory_model(annex_a).assets].index("mes-server")].description
        == "alice"
    )
    again = bob.put(
        f"{API}/elements/assets/mes-server",
        {"version": body["current_version"], "payload": body["current"] | {"name": "MES (bob)"}},
        content_type="application/json",
    )
    assert again.status_code == 200, "re-applied on top of the stored version, it lands"
    stored = _live(annex_a, "assets", "mes-server")[1]
    assert (stored["description"], stored["name"]) == ("alice", "MES (bob)")


def test_api_saves_of_different_elements_both_land(annex_a: Factory, two: tuple[Client, Client]) -> None:
    alice, bob = two
    v1, asset = _live(annex_a, "assets", "mes-server")
    v2, zone = _live(annex_a, "zones", "warehouse-zone")
    assert (
        alice.put(
            f"{API}/elements/assets/mes-server",
            {"version": v1, "payload": asset | {"description": "a"}},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert (
        bob.put(
            f"{API}/elements/zones/warehouse-zone",
            {"version": v2, "payload": zone | {"description": "b"}},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert (
        _live(annex_a, "assets", "mes-server")[1]["description"] == "a"
        and _live(annex_a, "zones", "warehouse-zone")[1]["description"] == "b"
    )


def test_two_browser_sessions_editing_one_draft_element(annex_a: Factory) -> None:
    dx, security = make_member(annex_a, Role.DX), make_member(annex_a, Role.SECURITY_IT)
    change = drafts.propose(annex_a, "describe zones", "", dx)
    first, second = client_for(dx), client_for(security)
    url = f"/f/annex-a-factory/changes/{change.pk}/s/zones/e/warehouse-zone/"
    form_a, form_b = first.get(url), second.get(url)
    version = form_a.context["version"]
    assert form_b.context["version"] == version
    fields = {f.name: f.value for f in form_a.context["fields"] if f.widget != "checkbox"}
    assert first.post(url, {**fields, "description": "from the DX engineer", "version": version}).status_code == 302
    refused = second.post(url, {**fields, "description": "from security", "version": version})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "from the DX engineer" in page and "from security" in page, (
        "both what is stored and what was typed are shown"
    )
    retry_version = refused.context["version"]
    assert second.post(url, {**fields, "description": "from security", "version": retry_version}).status_code == 302
    assert change.edits.get(key="warehouse-zone").payload["description"] == "from security"
    other = f"/f/annex-a-factory/changes/{change.pk}/s/zones/e/production-control/"
    other_fields = {f.name: f.value for f in second.get(other).context["fields"] if f.widget != "checkbox"}
    assert (
        first.post(
            other, {**other_fields, "description": "parallel", "version": second.get(other).context["version"]}
        ).status_code
        == 302
    )
    assert {e.key for e in change.edits.all()} == {"warehouse-zone", "production-control"}


def test_api_draft_edit_conflict_and_new_elements(annex_a: Factory) -> None:
    dx = make_member(annex_a, Role.DX)
    client = client_for(dx)
    number = client.post(f"{API}/changes", {"title": "new zone"}, content_type="application/json").json()["id"]
    new_zone = {"id": "external-services", "name": "External services", "kind": "external", "status": "new"}
    created = client.put(
        f"{API}/changes/{number}/edits/zones/external-services",
        {"version": 0, "payload": new_zone},
        content_type="application/json",
    )
    assert created.status_code == 200 and created.json()["version"] == 1
    again = client.put(
        f"{API}/changes/{number}/edits/zones/external-services",
        {"version": 0, "payload": new_zone | {"name": "x"}},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["changed"] == [
        {"field": "name", "stored": "External services", "yours": "x"}
    ]
    broken = client.put(
        f"{API}/changes/{number}/edits/zones/external-services",
        {"version": 1, "payload": new_zone | {"parent": "nowhere"}},
        content_type="application/json",
    )
    assert broken.status_code == 422 and "nowhere" in broken.content.decode()
