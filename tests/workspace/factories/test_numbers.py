"""A number that is not finite (``inf``, ``1e309``, thousands of digits) is refused on every write path with 422 naming
the field, never stored: JSON has no infinity, so the database would refuse the row and the request end in a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.factories.models import Element, Factory, Job
from tests.workspace.test_views import _form_of

pytestmark = pytest.mark.django_db

F = "/f/annex-a-factory"
API = "/api/factories/annex-a-factory"
NOT_FINITE = ["inf", "Infinity", "1e309", "9" * 5000]
JSON_NOT_FINITE = ["1e999", "-1e999", "9" * 5000 + ".0"]


def _scada(factory: Factory) -> Element:
    return Element.objects.get(factory=factory, section="assets", key="scada")


def _put(client: Client, url: str, body: str) -> Any:
    return client.put(url, data=body, content_type="application/json")


@pytest.mark.parametrize("text", NOT_FINITE, ids=["inf", "Infinity", "1e309", "5000-digits"])
def test_the_element_form_refuses_a_number_that_is_not_finite(
    admin_client_: Client, annex_a: Factory, text: str
) -> None:
    url = f"{F}/s/assets/e/scada/"
    response = admin_client_.post(url, _form_of(admin_client_, url) | {"recovery_target_hours": text})
    assert response.status_code == 422
    assert '<div class="field has-error" id="field-recovery_target_hours">' in response.text
    assert "must be a finite number" in response.text
    assert _scada(annex_a).version == 1 and "recovery_target_hours" not in _scada(annex_a).payload


@pytest.mark.parametrize("number", JSON_NOT_FINITE, ids=["1e999", "-1e999", "5000-digits"])
def test_the_versioned_api_save_refuses_a_number_that_is_not_finite(
    admin_client_: Client, annex_a: Factory, number: str
) -> None:
    payload = json.dumps(_scada(annex_a).payload | {"recovery_target_hours": 0.5})
    body = '{"version": 1, "payload": ' + payload.replace("0.5", number) + "}"
    response = _put(admin_client_, f"{API}/elements/assets/scada", body)
    assert response.status_code == 422, response.content[:300]
    problems = response.json()["problems"]
    assert any(p["field"] == "recovery_target_hours" and "must be a finite number" in p["message"] for p in problems), (
        problems
    )
    assert _scada(annex_a).version == 1


@pytest.mark.parametrize("number", JSON_NOT_FINITE, ids=["1e999", "-1e999", "5000-digits"])
def test_the_draft_edit_refuses_a_number_that_is_not_finite(
    admin_client_: Client, annex_a: Factory, number: str
) -> None:
    change = admin_client_.post(
        "/api/factories/annex-a-factory/changes", data={"title": "recovery"}, content_type="application/json"
    ).json()
    payload = json.dumps(_scada(annex_a).payload | {"recovery_target_hours": 0.5})
    body = '{"version": 1, "payload": ' + payload.replace("0.5", number) + "}"
    response = _put(admin_client_, f"{API}/changes/{change['id']}/edits/assets/scada", body)
    assert response.status_code == 422, response.content[:300]
    problems = response.json()["problems"]
    assert any("recovery_target_hours" in p["field"] and "must be a finite number" in p["message"] for p in problems)
    assert not ChangeRequest.objects.get(pk=change["id"]).edits.exists()


def test_the_asset_put_refuses_a_number_that_is_not_finite(admin_client_: Client, annex_a: Factory) -> None:
    payload = json.dumps(_scada(annex_a).payload | {"recovery_target_hours": 0.5}).replace("0.5", "1e999")
    response = _put(admin_client_, f"{API}/assets/scada", payload)
    assert response.status_code == 422, response.content[:300]
    assert "recovery_target_hours" in response.text and "finite number" in response.text
    assert _scada(annex_a).version == 1


def test_an_import_with_a_number_that_is_not_finite_is_refused(admin_client_: Client, annex_a: Factory) -> None:
    model = yaml.safe_load(admin_client_.get(f"{F}/export.yaml").content)
    next(a for a in model["assets"] if a["id"] == "scada")["recovery_target_hours"] = float("inf")
    edited = yaml.safe_dump(model, allow_unicode=True)
    assert "recovery_target_hours: .inf" in edited
    response = admin_client_.post(
        f"{F}/import/", {"model": SimpleUploadedFile("plant.yaml", edited.encode())}, follow=True
    )
    assert response.status_code == 200
    job = Job.objects.get(factory=annex_a, kind=Job.Kind.IMPORT)
    assert job.status == Job.Status.FAILED and job.stage == "refused", job.stage
    assert any("recovery_target_hours: must be a finite number" in p for p in job.result["problems"]), job.result
