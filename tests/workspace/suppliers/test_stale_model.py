"""The supplier portal on a factory whose stored model this version's check refuses (a database an older, less strict
version wrote): accepting an answer about a change is the 409 page or answer, and the answer waits as it was."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import User
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.suppliers.models import SupplierAnswer
from tests.workspace.changes.test_change_requests import CASE_2_FIRST
from tests.workspace.conftest import client_for, make_member
from tests.workspace.factories.test_stale import SLUG, _store_repeat

pytestmark = pytest.mark.django_db

PORTAL = f"/f/{SLUG}/suppliers/"


@pytest.fixture
def people(annex_a: Factory) -> dict[str, User]:
    return {
        "dx": make_member(annex_a, Role.DX),
        "security": make_member(annex_a, Role.SECURITY_IT),
        "provider": make_member(annex_a, Role.VENDOR, "remote-maintenance-provider"),
    }


@pytest.fixture
def change(annex_a: Factory, people: dict[str, User]) -> ChangeRequest:
    """Case (ii): the change asks the remote maintenance provider to sign off the service it brings."""
    opened = drafts.propose(annex_a, "case (ii)", "", people["dx"])
    drafts.upload(opened, "case-2.yaml", CASE_2_FIRST, people["dx"])
    opened.refresh_from_db()
    assert any(a["kind"] == "party" and a["id"] == "remote-maintenance-provider" for a in opened.approvers)
    return opened


@pytest.fixture
def provider(people: dict[str, User]) -> Client:
    return client_for(people["provider"])


def _section(page: str, change: ChangeRequest) -> str:
    assert f'id="change-{change.pk}"' in page, "the change is listed"
    return html.unescape(page.split(f'id="change-{change.pk}"')[1].split("<h2")[0])


def test_accepting_an_answer_about_a_change_is_the_409_page_and_the_answer_waits(
    annex_a: Factory, change: ChangeRequest, provider: Client, people: dict[str, User]
) -> None:
    """The answer goes into the change's draft, which is reviewed against the stored model: the stored model's 409
    (its problems, the element's page), not a refusal of the answer."""
    page = provider.get(PORTAL).text
    item = _section(page, change).split('name="item" value="')[1].split('"')[0]
    answered = provider.post(
        PORTAL, {"change": change.pk, "subject": "remote-maintenance-service", "item": item, "answer": "yes"}
    )
    assert answered.status_code == 302
    answer = SupplierAnswer.objects.get()
    revision = ChangeRequest.objects.get(pk=change.pk).revision
    _store_repeat(annex_a)
    security = client_for(people["security"])
    refused = security.post(f"{PORTAL}answers/{answer.pk}/verdict/", {"verdict": "accepted"})
    assert refused.status_code == 409 and 'id="stale"' in refused.text
    assert 'href="/f/annex-a-factory/s/assets/e/scada/"' in refused.text and "is listed twice" in refused.text
    api = security.post(
        f"/api/factories/{SLUG}/supplier/answers/{answer.pk}/verdict", {"verdict": "accepted"}, "application/json"
    )
    assert api.status_code == 409 and api.json()["factory"] == SLUG
    assert [(p["key"], p["field"]) for p in api.json()["problems"]] == [("scada", "traits[1]")]
    answer.refresh_from_db()
    assert answer.state == "submitted"
    assert ChangeRequest.objects.get(pk=change.pk).revision == revision, "the draft is unchanged"
