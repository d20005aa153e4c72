"""A change request on a factory whose stored model this version's check refuses (a database an older, less strict
version wrote): every page and API call that reviews the draft answers as the pages needing the whole model do (the
409 page with the problems and the elements' links, the API's 409 JSON), not a refusal of the change itself."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import ChangeRequest, DraftEdit, State
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import StoredModelError, StoreError
from tests.workspace.changes.test_change_requests import CASE_2_FIRST, SPEAKERS
from tests.workspace.conftest import client_for
from tests.workspace.factories.test_stale import SCADA, SLUG, _store_repeat
from tests.workspace.test_views import _form_of

pytestmark = pytest.mark.django_db

ZONE = "zones/e/monitoring-zone/"
PROBLEM_ROW = f'<tr><td><a href="{SCADA}">assets/scada</a></td><td><code>traits[1]</code></td>'


@pytest.fixture
def change(annex_a: Factory, people: dict[str, User]) -> ChangeRequest:
    """A change opened while the stored model passed; then the stored model stops passing (an upgrade)."""
    opened = drafts.propose(annex_a, "rename the monitoring zone", "", people["dx"])
    _store_repeat(annex_a)
    return opened


@pytest.fixture
def dx(people: dict[str, User]) -> Client:
    return client_for(people["dx"])


def _is_the_409_page(response: object) -> None:
    assert response.status_code == 409, response.content[:800]  # type: ignore[attr-defined]
    assert response["Content-Type"].startswith("text/html")  # type: ignore[index]
    page = response.text  # type: ignore[attr-defined]
    assert "does not pass the check of this factorysec version" in page
    assert PROBLEM_ROW in page and "is listed twice" in page


def test_the_review_page_shows_the_409_page_not_a_plain_text_refusal(
    change: ChangeRequest, dx: Client, admin_client_: Client
) -> None:
    for client in (dx, admin_client_):
        _is_the_409_page(client.get(f"/f/{SLUG}/changes/{change.pk}/review.html"))


def test_the_review_page_in_japanese(change: ChangeRequest, dx: Client) -> None:
    response = dx.get(f"/f/{SLUG}/changes/{change.pk}/review.html", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 409
    assert "保存されているモデルがこの版のチェックを通りません" in response.text and PROBLEM_ROW in response.text


def test_the_change_page_still_opens_with_the_drafts_problems(change: ChangeRequest, dx: Client) -> None:
    page = dx.get(f"/f/{SLUG}/changes/{change.pk}/")
    assert page.status_code == 200 and "is listed twice" in page.text


def test_a_draft_edit_of_another_element_is_the_409_page_and_saves_nothing(change: ChangeRequest, dx: Client) -> None:
    url = f"/f/{SLUG}/changes/{change.pk}/s/{ZONE}"
    form = _form_of(dx, url)
    assert form["name"]
    _is_the_409_page(dx.post(url, form | {"name": "Monitoring (renamed)"}))
    assert not DraftEdit.objects.filter(change=change).exists()


def test_a_draft_edit_correcting_the_repeat_is_the_409_page_too(change: ChangeRequest, dx: Client) -> None:
    """The draft would pass, but its review reads the stored model: the element's own page is where it is corrected."""
    url = f"/f/{SLUG}/changes/{change.pk}/s/assets/e/scada/"
    form = _form_of(dx, url)
    assert form["traits"] == "general-purpose, general-purpose"
    _is_the_409_page(dx.post(url, form | {"traits": "general-purpose"}))
    assert not DraftEdit.objects.filter(change=change).exists()


def test_an_edit_refused_for_its_own_content_keeps_its_422_when_the_stored_model_passes(
    annex_a: Factory, people: dict[str, User], dx: Client
) -> None:
    change = drafts.propose(annex_a, "a bad edit", "", people["dx"])
    url = f"/f/{SLUG}/changes/{change.pk}/s/assets/e/scada/"
    refused = dx.post(url, _form_of(dx, url) | {"traits": "general-purpose, general-purpose"})
    assert refused.status_code == 422 and "is listed twice" in refused.text
    assert "does not pass the check of this factorysec version" not in refused.text


def test_a_change_file_upload_is_the_409_page(change: ChangeRequest, dx: Client) -> None:
    sent = dx.post(
        f"/f/{SLUG}/changes/{change.pk}/upload/",
        {"change_file": _upload("case-2.yaml", CASE_2_FIRST)},
    )
    _is_the_409_page(sent)
    assert not DraftEdit.objects.filter(change=change).exists()


def test_proposing_is_the_409_page_and_opens_no_change(annex_a: Factory, people: dict[str, User], dx: Client) -> None:
    _store_repeat(annex_a)
    _is_the_409_page(dx.post(f"/f/{SLUG}/changes/", {"title": "another change", "description": ""}))
    assert not ChangeRequest.objects.exists()
    _is_the_409_page(
        dx.post(
            f"/f/{SLUG}/changes/",
            {"title": "with a file", "description": "", "change_file": _upload("case-2.yaml", CASE_2_FIRST)},
        )
    )
    assert not ChangeRequest.objects.exists()


def test_merge_is_the_409_page_and_the_change_stays_open(
    change: ChangeRequest, people: dict[str, User], dx: Client
) -> None:
    _approve_all(change, people)
    _is_the_409_page(dx.post(f"/f/{SLUG}/changes/{change.pk}/merge/"))
    change.refresh_from_db()
    assert change.state == State.OPEN


def test_the_api_answers_409_with_the_problems(change: ChangeRequest, people: dict[str, User], dx: Client) -> None:
    api = f"/api/factories/{SLUG}/changes"
    answers = {
        "put": dx.put(
            f"{api}/{change.pk}/edits/zones/monitoring-zone",
            {"version": 1, "payload": {"id": "monitoring-zone", "name": "Monitoring (renamed)"}},
            content_type="application/json",
        ),
        "propose": dx.post(api, {"title": "another", "description": ""}, content_type="application/json"),
    }
    _approve_all(change, people)
    answers["merge"] = dx.post(f"{api}/{change.pk}/merge")
    for name, answer in answers.items():
        assert answer.status_code == 409, (name, answer.content[:500])
        body = answer.json()
        assert body["factory"] == SLUG and "does not pass this version's check" in body["detail"][0]["msg"], name
        assert [(p["section"], p["key"], p["field"]) for p in body["problems"]] == [("assets", "scada", "traits[1]")]
    assert ChangeRequest.objects.count() == 1 and not DraftEdit.objects.exists()


def test_drafts_raise_the_stored_models_error_naming_the_factory(
    change: ChangeRequest, people: dict[str, User]
) -> None:
    for attempt in (
        lambda: drafts.edit_draft(change, "zones", "monitoring-zone", _zone_renamed(change), 1, people["dx"]),
        lambda: drafts.edit_draft_many(
            change, [("zones", "monitoring-zone", _zone_renamed(change))], people["dx"], "test"
        ),
        lambda: drafts.upload(change, "case-2.yaml", CASE_2_FIRST, people["dx"]),
    ):
        with pytest.raises(StoredModelError) as caught:
            attempt()
        assert caught.value.factory == change.factory
        assert [str(p) for p in caught.value.problems] == [
            "assets/scada: traits[1]: 'general-purpose' is listed twice (list each value once: remove this one)"
        ]


def test_a_draft_refused_for_its_own_content_is_a_plain_store_error(annex_a: Factory, people: dict[str, User]) -> None:
    change = drafts.propose(annex_a, "a bad edit", "", people["dx"])
    with pytest.raises(StoreError) as caught:
        drafts.edit_draft(change, "zones", "monitoring-zone", {"id": "monitoring-zone", "name": ""}, 1, people["dx"])
    assert not isinstance(caught.value, StoredModelError) and caught.value.target == ("zones", "monitoring-zone")


def _zone_renamed(change: ChangeRequest) -> dict[str, object]:
    from factorysec.workspace.factories.models import Element

    row = Element.objects.get(factory=change.factory, section="zones", key="monitoring-zone")
    return {**row.payload, "name": "Monitoring (renamed)"}


def _approve_all(change: ChangeRequest, people: dict[str, User]) -> None:
    change.refresh_from_db()
    for approver in change.approvers:
        user = people["provider"] if approver["kind"] == "party" else people[SPEAKERS[approver["department_kind"]]]
        drafts.sign(change, approver["key"], "approved", "", user)


def _upload(name: str, content: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/yaml")


def test_a_vendor_on_the_change_page_is_told_how_many_problems_not_what_they_are(
    annex_a: Factory, people: dict[str, User], dx: Client
) -> None:
    """The change page lists the draft's problems to staff; a vendor it asks to sign off sees only how many there are
    (they name elements of the model a vendor does not see), in English and Japanese."""
    change = drafts.propose(annex_a, "case (ii)", "", people["dx"])
    drafts.upload(change, "case-2.yaml", CASE_2_FIRST, people["dx"])
    _store_repeat(annex_a)
    url = f"/f/{SLUG}/changes/{change.pk}/"
    assert "is listed twice" in dx.get(url).text
    provider = client_for(people["provider"])
    page = provider.get(url)
    assert page.status_code == 200 and 'data-approver="party:remote-maintenance-provider"' in page.text
    assert "is listed twice" not in page.text and "traits" not in page.text and "scada" not in page.text
    assert "1 problem is in elements your role does not see" in page.text
    japanese = provider.get(url, HTTP_ACCEPT_LANGUAGE="ja")
    assert "問題 1 件は、あなたの役割では見えない要素にあります" in japanese.text
