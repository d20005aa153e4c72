"""The change API checks what the web forms check: a proposal's title and description, and the id a draft edit is saved under."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.models import AuditEntry
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.store import StoreError, save_element
from tests.workspace.conftest import client_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def dx(annex_a: Factory) -> User:
    return make_member(annex_a, Role.DX)


def _fields(response: Any) -> list[str]:
    """The fields a 422 of the API's schema check names (the last part of each error's location)."""
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x" * 100000}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "t", "description": "d" * 10001}, "description"),
    ],
    ids=["title-100k", "title-301", "title-empty", "title-blank", "description-too-long"],
)
def test_a_proposal_the_web_form_refuses_is_refused_by_the_api_naming_the_field(
    annex_a: Factory, dx: User, body: dict[str, str], field: str
) -> None:
    client = client_for(dx)
    response = client.post(f"/api/factories/{annex_a.slug}/changes", body, content_type="application/json")
    assert response.status_code == 422, response.content[:300]
    assert _fields(response) == [field]
    assert not ChangeRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="change-proposed").exists()
    form = client.post(f"/f/{annex_a.slug}/changes/", body)
    assert form.status_code == 422 and not ChangeRequest.objects.exists(), "the web form refuses it too"


def test_a_proposal_at_the_limits_is_kept_as_given_without_its_surrounding_blanks(annex_a: Factory, dx: User) -> None:
    response = client_for(dx).post(
        f"/api/factories/{annex_a.slug}/changes",
        {"title": "  " + "x" * 300 + "  ", "description": "d" * 10000},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:300]
    change = ChangeRequest.objects.get()
    assert (change.title, change.description) == ("x" * 300, "d" * 10000)


@pytest.mark.parametrize("title", ["", "  ", "x" * 301])
def test_propose_itself_never_cuts_or_replaces_a_title(annex_a: Factory, dx: User, title: str) -> None:
    with pytest.raises(drafts.ChangeError, match="title"):
        drafts.propose(annex_a, title, "", dx)
    assert not ChangeRequest.objects.exists()


def _spare_zone(factory: Factory) -> Element:
    """A zone nothing refers to, so that renaming it passes the model's check."""
    return save_element(factory, "zones", None, {"id": "spare", "name": "Spare", "kind": "other"})


def _new_change(client: Client, factory: Factory) -> int:
    response = client.post(f"/api/factories/{factory.slug}/changes", {"title": "t"}, content_type="application/json")
    assert response.status_code == 201
    number: int = response.json()["id"]
    return number


def test_a_draft_edit_whose_payload_names_another_id_than_the_url_is_refused(annex_a: Factory, dx: User) -> None:
    client = client_for(dx)
    number = _new_change(client, annex_a)
    url = f"/api/factories/{annex_a.slug}/changes/{number}/edits"
    zone = {"id": "other-id", "name": "Spare", "kind": "other"}
    refused = client.put(f"{url}/zones/new-two", {"version": 0, "payload": zone}, content_type="application/json")
    assert refused.status_code == 422, refused.content[:300]
    [problem] = refused.json()["problems"]
    assert (problem["field"], problem["key"]) == ("id", "new-two") and "'other-id' is not 'new-two'" in problem[
        "message"
    ]
    row = Element.objects.get(factory=annex_a, section="zones", key="oa")
    renamed = client.put(
        f"{url}/zones/oa",
        {"version": row.version, "payload": row.payload | {"id": "oa-2"}},
        content_type="application/json",
    )
    assert renamed.status_code == 422 and renamed.json()["problems"][0]["field"] == "id"
    assert not ChangeRequest.objects.get(pk=number).edits.exists(), "nothing saved under either id"
    saved = client.put(
        f"{url}/zones/new-two", {"version": 0, "payload": zone | {"id": "new-two"}}, content_type="application/json"
    )
    assert saved.status_code == 200 and saved.json()["key"] == "new-two"
    assert list(ChangeRequest.objects.get(pk=number).edits.values_list("key", flat=True)) == ["new-two"]


def test_a_draft_edit_refuses_a_renamed_id_that_a_merge_would_store_under_the_old_key(
    annex_a: Factory, dx: User
) -> None:
    change = drafts.propose(annex_a, "t", "", dx)
    row = _spare_zone(annex_a)
    with pytest.raises(StoreError) as caught:
        drafts.edit_draft(change, "zones", "spare", row.payload | {"id": "spare-2"}, row.version, dx)
    assert [p.field for p in caught.value.problems] == ["id"]
    assert not change.edits.exists()
