"""The change API checks what the web forms check: a proposal's title and description, and the id a draft edit is saved under."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.models import AuditEntry
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.factories.models import Factory
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
