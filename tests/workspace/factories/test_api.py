"""The API's paginated lists: an ``offset`` past what a database integer holds is refused with 422, not a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.paging import MAX_OFFSET
from tests.workspace.conftest import client_for, make_member

pytestmark = pytest.mark.django_db

API = "/api/factories/annex-a-factory"
TOO_LARGE = ["9223372036854775808", "99999999999999999999", "9" * 400]


def _analysed(client: Client) -> Client:
    assert client.post(f"{API}/analysis").status_code == 202  # the job runs at once in tests
    assert client.get(f"{API}/findings").status_code == 200
    return client


@pytest.mark.parametrize("path", ["sections/assets", "sections/zones", "findings"])
@pytest.mark.parametrize("offset", TOO_LARGE, ids=["2**63", "20-digits", "400-digits"])
def test_an_offset_a_database_cannot_hold_is_refused_with_422(admin_client_: Client, path: str, offset: str) -> None:
    response = _analysed(admin_client_).get(f"{API}/{path}?offset={offset}")
    assert response.status_code == 422, response.content[:300]
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["query", "offset"] and str(MAX_OFFSET) in detail[0]["msg"], detail


@pytest.mark.parametrize("path", ["sections/assets", "sections/zones"])
def test_the_largest_offset_is_an_empty_page(admin_client_: Client, path: str) -> None:
    response = admin_client_.get(f"{API}/{path}?offset={MAX_OFFSET}&limit=1000")
    assert response.status_code == 200 and response.json() == []
    assert int(response["X-Total-Count"]) > 0 and not response.has_header("Link")


def test_the_largest_offset_of_the_findings_is_an_empty_page(admin_client_: Client) -> None:
    response = _analysed(admin_client_).get(f"{API}/findings?offset={MAX_OFFSET}&limit=1000")
    assert response.status_code == 200
    body = response.json()
    assert body["findings"] == [] and body["offset"] == MAX_OFFSET and body["total"] > 0


def test_a_vendors_page_at_the_largest_offset_is_empty(annex_a: Factory) -> None:
    vendor = client_for(make_member(annex_a, Role.VENDOR, "agv-vendor"))
    response = vendor.get(f"{API}/sections/assets?offset={MAX_OFFSET}")
    assert response.status_code == 200 and response.json() == []
    assert vendor.get(f"{API}/sections/assets?offset={MAX_OFFSET + 1}").status_code == 422


def test_the_openapi_schema_states_the_offset_bound(admin_client_: Client) -> None:
    schema = admin_client_.get("/api/openapi.json").json()
    for path in ("/api/factories/{slug}/sections/{section}", "/api/factories/{slug}/findings"):
        (offset,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "offset"]
        assert offset["schema"]["maximum"] == MAX_OFFSET, offset
