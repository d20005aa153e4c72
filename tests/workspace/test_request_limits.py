"""A request over one of Django's limits on what it reads is refused naming the limit (it got Django's bare 400 page)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.accounts.tokens import issue_token
from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.factories.models import Element, Factory
from tests.workspace.conftest import PASSWORD, client_for, make_member
from tests.workspace.posting import BOUNDARY, multipart

pytestmark = pytest.mark.django_db
F = "/f/annex-a-factory"
API = "/api/factories/annex-a-factory"
BIG = "x" * 2_700_000
"""More than Django's 2.5 MB (``DATA_UPLOAD_MAX_MEMORY_SIZE``, the workspace's setting)."""
MANY_FIELDS = {f"field{i}": "1" for i in range(1001)}
"""More than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (1000)."""


@pytest.fixture
def security(annex_a: Factory) -> Client:
    return client_for(make_member(annex_a, Role.SECURITY_IT))


def _refusal(response: Any) -> str:
    """The one line of a refusal page: where (body, form, query) and why."""
    assert response.status_code == 413, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    found = re.search(r'<p id="too-large">(.*?)</p>', response.content.decode())
    assert found is not None, response.content[:300]
    return found.group(1).replace("&#x27;", "'")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": BIG}, "body: the request is too large: its form fields or body hold more than 2.5 MB"),
        (MANY_FIELDS, "form: the request holds more than 1000 fields"),
    ],
    ids=["too-large", "too-many-fields"],
)
def test_a_form_over_a_limit_is_a_page_naming_the_limit(
    security: Client, fields: dict[str, str], expected: str
) -> None:
    line = _refusal(security.post(f"{F}/changes/", fields))
    assert line.startswith(expected), line
    setting = "DATA_UPLOAD_MAX_MEMORY_SIZE" if "MB" in expected else "DATA_UPLOAD_MAX_NUMBER_FIELDS"
    assert f"({setting} in its settings" in line
    assert not ChangeRequest.objects.exists()


def test_too_many_query_parameters_or_files_are_named_as_such(security: Client) -> None:
    line = _refusal(security.get(f"{F}/s/assets/", MANY_FIELDS))
    assert line.startswith("query: the request holds more than 1000 fields"), line
    files = {f"file{i}": (f"part{i}.yaml", b"x") for i in range(101)}
    body = multipart({"title": "t"}, files)
    response = security.post(f"{F}/changes/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    line = _refusal(response)
    assert line.startswith(
        "form: the form holds more than 100 files, the workspace's limit (DATA_UPLOAD_MAX_NUMBER_FILES"
    )
    assert not ChangeRequest.objects.exists()


def test_the_limit_named_is_the_one_set(security: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
    line = _refusal(security.post(f"{F}/changes/", {"title": "x" * 1_100_000}))
    assert "more than 1 MB, the workspace's limit" in line, line


def test_the_page_is_in_the_readers_language(security: Client) -> None:
    security.cookies["django_language"] = "ja"
    response = security.post(f"{F}/changes/", {"title": BIG})
    line = _refusal(response)
    assert '<html lang="ja">' in response.content.decode()
    assert "2.5 MB" in line and "DATA_UPLOAD_MAX_MEMORY_SIZE" in line and "request is too large" not in line, line


def test_an_api_call_over_a_limit_is_json_naming_the_limit(annex_a: Factory) -> None:
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(User.objects.create_superuser('ci', '', PASSWORD), 'CI')}")
    scada = Element.objects.get(factory=annex_a, section="assets", key="scada")

    response = api.put(f"{API}/assets/scada", {**scada.payload, "description": BIG}, content_type="application/json")

    assert response.status_code == 413, response.content[:300]
    [detail] = response.json()["detail"]
    assert (detail["type"], detail["loc"]) == ("too_large", ["body"])
    assert detail["msg"].startswith("body: the request is too large: its form fields or body hold more than 2.5 MB")
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in detail["msg"]
    assert Element.objects.get(pk=scada.pk).version == scada.version
    fields = api.post(f"{API}/changes", MANY_FIELDS)
    assert fields.status_code == 413 and fields.json()["detail"][0]["loc"] == ["form"], fields.content[:300]


def test_another_bad_request_keeps_djangos_page(security: Client) -> None:
    """Only the limits on what a request holds get the page; a host the workspace does not serve is Django's 400."""
    response = security.get(f"{F}/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400 and b"Bad Request (400)" in response.content
