"""The supplier portal on a factory whose stored model this version's check refuses (a database an older, less strict
version wrote): a change the portal would review for the vendor is shown held, with who must act and nothing of what
is wrong; accepting an answer about a change is the 409 page or answer, and the answer waits as it was."""

from __future__ import annotations

import html
import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import ChangeRequest, DraftEdit
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.suppliers.models import StoredPartyView, SupplierAnswer
from tests.workspace.changes.test_change_requests import CASE_2_FIRST
from tests.workspace.conftest import client_for, make_member
from tests.workspace.factories.test_stale import SLUG, _store_repeat

pytestmark = pytest.mark.django_db

PORTAL = f"/f/{SLUG}/suppliers/"
HELD_EN = "asks your party to sign off, but its items cannot be shown yet: the factory's model needs a fix by the factory's team first"
HELD_JA = "先に工場のチームが工場のモデルを修正する必要があります"


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


def _kept_before_shares(annex_a: Factory, change: ChangeRequest, provider: Client) -> None:
    """The portal has opened once (the analysis ran); then the database is one an older version wrote: the change's
    shares were not kept, and the stored model no longer passes."""
    assert provider.get(PORTAL).status_code == 200
    _store_repeat(annex_a)
    StoredPartyView.objects.filter(change=change).delete()


def test_a_change_the_portal_cannot_review_is_shown_held_with_who_must_act(
    annex_a: Factory, change: ChangeRequest, provider: Client, caplog: pytest.LogCaptureFixture
) -> None:
    _kept_before_shares(annex_a, change, provider)
    with caplog.at_level(logging.WARNING, logger="factorysec.workspace.suppliers.portal"):
        page = provider.get(PORTAL)
    assert page.status_code == 200
    section = _section(page.text, change)
    assert f"Change #{change.pk} (case (ii)) {HELD_EN}" in section and 'id="held-' in section
    assert 'class="answer"' not in section, "no item to answer"
    for detail in ("scada", "traits", "listed twice", "does not pass"):
        assert detail not in page.text, f"a vendor sees nothing of the model's problems: {detail}"
    assert f"change #{change.pk} not shown to remote-maintenance-provider" in caplog.text
    assert "is listed twice" in caplog.text, "the team's log says what is wrong"
    japanese = provider.get(PORTAL, HTTP_ACCEPT_LANGUAGE="ja")
    assert japanese.status_code == 200 and HELD_JA in _section(japanese.text, change)
    assert HELD_EN not in html.unescape(japanese.text)


def test_an_answer_about_a_held_change_is_refused_with_the_same_words(
    annex_a: Factory, change: ChangeRequest, provider: Client
) -> None:
    _kept_before_shares(annex_a, change, provider)
    sent = provider.post(
        PORTAL, {"change": change.pk, "subject": "remote-maintenance-service", "item": "any", "answer": "yes"}
    )
    assert sent.status_code == 422 and HELD_EN in html.unescape(sent.text)
    assert not SupplierAnswer.objects.exists()


def test_a_change_whose_own_draft_does_not_pass_is_held_too(
    annex_a: Factory, change: ChangeRequest, provider: Client
) -> None:
    """The stored model passes, the draft does not (the live model moved under it): the change needs the team's fix."""
    assert provider.get(PORTAL).status_code == 200
    edit = DraftEdit.objects.filter(change=change, section="assets").order_by("pk").first()
    assert edit is not None and edit.payload is not None
    DraftEdit.objects.filter(pk=edit.pk).update(payload={**edit.payload, "zone": "no-such-zone"})
    StoredPartyView.objects.filter(change=change).delete()
    section = _section(provider.get(PORTAL).text, change)
    assert "its items cannot be shown yet: the change needs a fix by the factory's team first" in section
    assert "no-such-zone" not in section and 'class="answer"' not in section


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


def test_with_no_analysis_yet_the_portal_is_held_not_queued_again_until_the_model_is_corrected(
    annex_a: Factory, provider: Client
) -> None:
    """No analysis had finished and the stored model does not pass: each visit queued an analysis that was refused
    again, and the vendor read "being prepared" for ever. The refused job's element-set digest is kept; while the model
    is the one it was refused on, the portal says the factory's team must fix it and queues nothing."""
    from factorysec.workspace.factories.models import Element, Job
    from factorysec.workspace.factories.store import save_element

    _store_repeat(annex_a)
    first = provider.get(PORTAL)
    assert first.status_code == 200 and 'id="preparing"' in first.text  # the first visit queues the analysis

    def analyses() -> list[tuple[str, str]]:
        return list(Job.objects.filter(factory=annex_a, kind=Job.Kind.ANALYSIS).values_list("status", "stage"))

    assert analyses() == [(Job.Status.FAILED, "refused")]

    for _ in range(3):
        again = provider.get(PORTAL)
        assert again.status_code == 200
        assert "the factory's model needs a fix by the factory's team first" in html.unescape(again.text)
        assert "scada" not in again.text and "general-purpose" not in again.text, "nothing of what is wrong"
    assert len(analyses()) == 1, "nothing queued while the model is the one refused"
    provider.cookies["django_language"] = "ja"
    assert HELD_JA in provider.get(PORTAL).text
    provider.cookies["django_language"] = "en"

    api = provider.get(f"/api/factories/{SLUG}/supplier/checklists")
    assert api.status_code == 409 and "needs a fix by the factory's team" in api.json()["message"]
    refused = provider.post(
        f"/api/factories/{SLUG}/supplier/answers",
        {"subject": "x", "item": "y", "answer": "yes"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["field"] == "item"

    scada = Element.objects.get(factory=annex_a, section="assets", key="scada")
    save_element(annex_a, "assets", "scada", {**scada.payload, "traits": ["general-purpose"]})  # the team's fix
    fixed = provider.get(PORTAL)
    assert fixed.status_code == 200 and 'id="held"' not in fixed.text and 'id="preparing"' not in fixed.text
    assert sorted(analyses()) == [(Job.Status.DONE, "done"), (Job.Status.FAILED, "refused")]
