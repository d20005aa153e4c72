"""An accepted answer takes no second verdict: it cannot be questioned (the model holds it) nor accepted twice; a
questioned one may be questioned again or accepted; a verdict form's errors name the field that is wrong."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.models import AuditEntry
from factorysec.workspace.factories.models import Factory, Job
from factorysec.workspace.factories.store import factory_model
from factorysec.workspace.suppliers.models import SupplierAnswer
from tests.workspace.conftest import client_for, make_member

pytestmark = pytest.mark.django_db
SLUG = "annex-a-factory"
API = f"/api/factories/{SLUG}/supplier"
PAGE = f"/f/{SLUG}/suppliers"


@pytest.fixture
def vendor(annex_a: Factory) -> Client:
    return client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))


@pytest.fixture
def security(annex_a: Factory) -> Client:
    return client_for(make_member(annex_a, Role.SECURITY_IT))


def _answered(vendor: Client) -> SupplierAnswer:
    """The vendor answers its first parts-line item through the portal page."""
    checklist = next(c for c in vendor.get(f"{API}/checklists").json()["checklists"] if c["asset"] == "parts-line")
    item = checklist["entries"][0]["item"]
    response = vendor.post(f"{PAGE}/", {"subject": "parts-line", "item": item, "answer": "yes", "evidence": "§4"})
    assert response.status_code == 302
    return SupplierAnswer.objects.get()


def _in_model(annex_a: Factory, answer: SupplierAnswer) -> list[str]:
    return [
        a.answer
        for a in factory_model(annex_a).checklist_answers
        if (a.subject, a.item) == (answer.subject, answer.item)
    ]


def test_an_accepted_answer_cannot_be_accepted_again_nor_questioned(
    annex_a: Factory, vendor: Client, security: Client
) -> None:
    answer = _answered(vendor)
    verdict = f"{PAGE}/answers/{answer.pk}/verdict/"
    assert security.post(verdict, {"verdict": "accepted"}).status_code == 302
    assert _in_model(annex_a, answer) == ["yes"]
    jobs, entries = Job.objects.count(), AuditEntry.objects.count()
    again = security.post(verdict, {"verdict": "accepted"})
    assert again.status_code == 409 and "was accepted already" in again.text
    questioned = security.post(verdict, {"verdict": "questioned", "comment": "which clause?"})
    assert questioned.status_code == 409 and "was accepted already" in questioned.text
    answer.refresh_from_db()
    assert (answer.state, answer.review_comment) == ("accepted", "")
    assert _in_model(annex_a, answer) == ["yes"], "the model and the portal agree: accepted"
    assert Job.objects.count() == jobs, "no second analysis queued"
    assert AuditEntry.objects.count() == entries, "no verdict logged"
    api = security.post(
        f"{API}/answers/{answer.pk}/verdict",
        {"verdict": "questioned", "comment": "which clause?"},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["field"] == "verdict"
    assert SupplierAnswer.objects.get().state == "accepted"


def test_a_questioned_answer_may_be_questioned_again_then_accepted(
    annex_a: Factory, vendor: Client, security: Client
) -> None:
    answer = _answered(vendor)
    verdict = f"{API}/answers/{answer.pk}/verdict"
    first = security.post(verdict, {"verdict": "questioned", "comment": "which clause?"}, "application/json")
    assert first.status_code == 200 and first.json()["state"] == "questioned"
    second = security.post(verdict, {"verdict": "questioned", "comment": "and which year?"}, "application/json")
    assert second.status_code == 200 and second.json()["state"] == "questioned"
    answer.refresh_from_db()
    assert answer.review_comment == "and which year?" and not _in_model(annex_a, answer)
    accepted = security.post(verdict, {"verdict": "accepted"}, "application/json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert _in_model(annex_a, answer) == ["yes"]
    refused = security.post(verdict, {"verdict": "questioned", "comment": "too late"}, "application/json")
    assert refused.status_code == 409 and _in_model(annex_a, answer) == ["yes"]


def test_a_comment_too_long_is_named_on_the_comment_field(annex_a: Factory, vendor: Client, security: Client) -> None:
    answer = _answered(vendor)
    response = security.post(f"{PAGE}/answers/{answer.pk}/verdict/", {"verdict": "questioned", "comment": "c" * 3000})
    assert response.status_code == 422
    assert "Choose accept or question" not in response.text
    comment_field = response.text.split('name="comment"')[0].rsplit("<div", 1)[1]
    assert "at most 2000 characters" in comment_field, "the error stands with the comment field"
    api = security.post(
        f"{API}/answers/{answer.pk}/verdict", {"verdict": "questioned", "comment": "c" * 3000}, "application/json"
    )
    assert api.status_code == 422 and api.json()["field"] == "comment"
    answer.refresh_from_db()
    assert (answer.state, answer.review_comment) == ("submitted", "")


@pytest.mark.parametrize("field", ["evidence", "note"])
def test_an_answer_holding_a_control_character_is_refused_to_the_vendor_on_its_field(
    annex_a: Factory, vendor: Client, field: str
) -> None:
    """Before: the vendor's answer was stored, and only the factory's reviewer was refused (422) when accepting it,
    since the model may not hold such text; the vendor never learnt why."""
    checklist = next(c for c in vendor.get(f"{API}/checklists").json()["checklists"] if c["asset"] == "parts-line")
    item = checklist["entries"][0]["item"]
    body = {"subject": "parts-line", "item": item, "answer": "yes", field: "see \x1b[31mred"}
    page = vendor.post(f"{PAGE}/", body)
    assert page.status_code == 422
    assert f"{field}: text holds U+001B (escape)" in html.unescape(page.text), "the message names the field"
    api = vendor.post(f"{API}/answers", body, "application/json")
    assert api.status_code == 422 and api.json()["field"] == field and "U+001B" in api.json()["message"]
    assert not SupplierAnswer.objects.exists()
