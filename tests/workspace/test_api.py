"""The JSON API: bearer tokens, the model in the CLI's schema, edits refused with the check's problems, vendor filtering."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

import pytest
from django.contrib.auth.models import User
from django.test import Client

from factorysec.analysis import analyze
from factorysec.analysis.findings import Finding
from factorysec.catalog import load_catalog
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.accounts.tokens import issue_token
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import factory_model, save_element
from tests.workspace.conftest import ANNEX_A, PASSWORD, client_for, make_member

pytestmark = pytest.mark.django_db
API = "/api/factories"


@pytest.fixture
def token(annex_a: Factory) -> str:
    return issue_token(User.objects.create_superuser("ci", "", PASSWORD), "CI")


class _BearerHeader(TypedDict):
    """The request header of a bearer token, as the test client's WSGI keyword."""

    HTTP_AUTHORIZATION: str


def _bearer(token: str) -> _BearerHeader:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_no_token_no_session_is_refused(annex_a: Factory) -> None:
    assert Client().get(f"{API}/").status_code == 401
    assert Client().get(f"{API}/", **_bearer("fsec_wrong")).status_code == 401


def test_the_model_comes_back_equal_in_the_clis_schema(token: str) -> None:
    response = Client().get(f"{API}/annex-a-factory/model", **_bearer(token))
    assert response.status_code == 200
    assert FactoryModel.model_validate(response.json()) == load_model(ANNEX_A)
    assert "from" in response.json()["conduits"][0]


def test_findings_are_those_the_last_analysis_job_stored(token: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Client().get(f"{API}/annex-a-factory/findings", **_bearer(token)).status_code == 404
    assert Client().post(f"{API}/annex-a-factory/analysis", **_bearer(token)).status_code == 202
    expected = analyze(load_model(ANNEX_A), load_catalog(), today=dt.date.today())

    def no_analysis_in_a_request(*args: object, **kwargs: object) -> None:
        raise AssertionError("the findings API analysed inside the request")

    monkeypatch.setattr("factorysec.workspace.results.analysis.analyze", no_analysis_in_a_request)
    response = Client().get(f"{API}/annex-a-factory/findings", **_bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert [Finding.model_validate(f) for f in body["findings"]] == list(expected.findings)
    assert body["total"] == len(expected.findings) and body["offset"] == 0
    assert 0 <= body["age_seconds"] < 60 and body["model_digest"] == expected.model_digest
    assert body["model_changed_since"] is False
    second = Client().get(f"{API}/annex-a-factory/findings?offset=3&limit=2", **_bearer(token)).json()
    assert [f["id"] for f in second["findings"]] == [f.id for f in expected.findings[3:5]]


def test_findings_say_when_the_model_changed_after_the_analysis(token: str, annex_a: Factory) -> None:
    Client().post(f"{API}/annex-a-factory/analysis", **_bearer(token))
    asset = load_model(ANNEX_A).assets[0]
    save_element(
        annex_a,
        "assets",
        asset.id,
        asset.model_dump(mode="json", by_alias=True, exclude_defaults=True) | {"description": "moved"},
    )
    body = Client().get(f"{API}/annex-a-factory/findings", **_bearer(token)).json()
    assert body["model_changed_since"] is True


def test_put_asset_with_a_wrong_zone_is_refused_with_the_problem(token: str, annex_a: Factory) -> None:
    asset = load_model(ANNEX_A).assets[0]
    body = asset.model_dump(mode="json", by_alias=True, exclude_defaults=True) | {"zone": "no-such-zone"}
    response = Client().put(
        f"{API}/annex-a-factory/assets/{asset.id}", body, content_type="application/json", **_bearer(token)
    )
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [(p["section"], p["key"], p["field"]) for p in problems] == [("assets", asset.id, "zone")]
    assert factory_model(annex_a).assets[0].zone == asset.zone


def test_put_asset_that_breaks_its_schema_is_refused_by_the_schema(token: str) -> None:
    asset = load_model(ANNEX_A).assets[0]
    body = asset.model_dump(mode="json", by_alias=True, exclude_defaults=True) | {"colour": "red"}
    response = Client().put(
        f"{API}/annex-a-factory/assets/{asset.id}", body, content_type="application/json", **_bearer(token)
    )
    assert response.status_code == 422


def test_put_asset_saves(token: str, annex_a: Factory) -> None:
    asset = load_model(ANNEX_A).assets[0]
    body = asset.model_dump(mode="json", by_alias=True, exclude_defaults=True) | {"description": "from CI"}
    response = Client().put(
        f"{API}/annex-a-factory/assets/{asset.id}", body, content_type="application/json", **_bearer(token)
    )
    assert response.status_code == 200, response.content
    assert factory_model(annex_a).assets[0].description == "from CI"


def test_put_conduit_keeps_from_and_to(token: str, annex_a: Factory) -> None:
    conduit = load_model(ANNEX_A).conduits[0]
    body = conduit.model_dump(mode="json", by_alias=True, exclude_defaults=True) | {"name": "renamed"}
    response = Client().put(
        f"{API}/annex-a-factory/conduits/{conduit.id}", body, content_type="application/json", **_bearer(token)
    )
    assert response.status_code == 200, response.content
    assert response.json()["from"] == conduit.from_zone
    saved = factory_model(annex_a).conduits[0]
    assert (saved.name, saved.from_zone, saved.to_zone) == ("renamed", conduit.from_zone, conduit.to_zone)


def test_an_auditor_may_read_but_not_write(annex_a: Factory) -> None:
    auditor = issue_token(make_member(annex_a, Role.AUDIT), "audit")
    asset = load_model(ANNEX_A).assets[0]
    assert Client().get(f"{API}/annex-a-factory/sections/assets", **_bearer(auditor)).status_code == 200
    body = asset.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    assert (
        Client()
        .put(f"{API}/annex-a-factory/assets/{asset.id}", body, content_type="application/json", **_bearer(auditor))
        .status_code
        == 403
    )


def test_a_vendor_lists_only_its_own_assets(annex_a: Factory) -> None:
    vendor = client_for(make_member(annex_a, Role.VENDOR, "agv-vendor"))
    listed = vendor.get(f"{API}/annex-a-factory/sections/assets").json()
    expected = [a.id for a in load_model(ANNEX_A).assets if "agv-vendor" in (a.supplier, a.maintainer, a.managed_by)]
    assert expected and [a["id"] for a in listed] == expected
    assert vendor.get(f"{API}/annex-a-factory/model").status_code == 403


def test_the_api_docs_page_loads_nothing_from_outside(admin_client_: Client) -> None:
    import re

    page = admin_client_.get("/api/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources), sources


def test_an_analysis_job_through_the_api(token: str) -> None:
    queued = Client().post(f"{API}/annex-a-factory/analysis", **_bearer(token))
    assert queued.status_code == 202
    state = Client().get(f"{API}/annex-a-factory/jobs/{queued.json()['id']}", **_bearer(token)).json()
    expected = analyze(load_model(ANNEX_A), load_catalog(), today=dt.date.today())
    assert (
        state["status"] == "done" and state["progress"] == 100 and state["result"]["findings"] == len(expected.findings)
    )


def test_a_section_comes_a_page_at_a_time_with_its_total_and_next_link(token: str) -> None:
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assets = [a.id for a in load_model(ANNEX_A).assets]
    assert len(assets) > 3
    first = api.get(f"{API}/annex-a-factory/sections/assets?limit=3")
    assert [a["id"] for a in first.json()] == assets[:3] and first["X-Total-Count"] == str(len(assets))
    assert first["Link"] == '</api/factories/annex-a-factory/sections/assets?offset=3&limit=3>; rel="next"'
    walked: list[str] = []
    url: str | None = f"{API}/annex-a-factory/sections/assets?limit=3"
    while url is not None:
        page = api.get(url)
        walked += [a["id"] for a in page.json()]
        url = page["Link"].split(">")[0].lstrip("<") if page.has_header("Link") else None
    assert walked == assets
    everything = api.get(f"{API}/annex-a-factory/sections/assets?limit=100000")
    assert [a["id"] for a in everything.json()] == assets and not everything.has_header("Link")
    assert [a["id"] for a in api.get(f"{API}/annex-a-factory/sections/assets?limit=0").json()] == []


@pytest.mark.parametrize("operation", ["sections/assets", "findings"])
@pytest.mark.parametrize("parameter", ["offset", "limit"])
def test_a_negative_offset_or_limit_is_refused_naming_it(token: str, operation: str, parameter: str) -> None:
    """A negative ``offset`` or ``limit`` was read as 0 (a page from the start, an empty page): a client's paging bug
    went unseen. It is a 422 naming the parameter."""
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.post(f"{API}/annex-a-factory/analysis").status_code == 202
    assert api.get(f"{API}/annex-a-factory/{operation}?{parameter}=0").status_code == 200
    response = api.get(f"{API}/annex-a-factory/{operation}?{parameter}=-5")
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", parameter] and error["msg"].startswith(f"{parameter}: "), error


def test_a_vendors_pages_and_total_count_only_its_own_assets(annex_a: Factory) -> None:
    vendor = client_for(make_member(annex_a, Role.VENDOR, "agv-vendor"))
    own = [a.id for a in load_model(ANNEX_A).assets if "agv-vendor" in (a.supplier, a.maintainer, a.managed_by)]
    first = vendor.get(f"{API}/annex-a-factory/sections/assets?limit=1")
    assert [a["id"] for a in first.json()] == own[:1] and first["X-Total-Count"] == str(len(own))


def test_put_asset_identity_saves_and_a_bad_source_is_refused(token: str, annex_a: Factory) -> None:
    """Issue #19 item 1: an asset's identity is edited in the workspace like any other field, and checked the same."""
    asset = load_model(ANNEX_A).assets[0]
    identity = {"vendor": "Siemens", "product": "SIMATIC S7-1500", "model": "6ES7 511-1AK02-0AB0", "version": "V2.9.4"}
    body = asset.model_dump(mode="json", by_alias=True, exclude_defaults=True) | {"identity": identity}
    url = f"{API}/annex-a-factory/assets/{asset.id}"
    response = Client().put(url, body, content_type="application/json", **_bearer(token))
    assert response.status_code == 200, response.content
    saved = factory_model(annex_a).assets[0].identity
    assert saved is not None
    assert (saved.vendor, saved.model, saved.version, saved.source) == (
        "Siemens",
        "6ES7 511-1AK02-0AB0",
        "V2.9.4",
        "declared",
    )
    refused = body | {"identity": identity | {"source": "guessed"}}
    assert Client().put(url, refused, content_type="application/json", **_bearer(token)).status_code == 422
    assert factory_model(annex_a).assets[0].identity == saved


def test_put_asset_with_a_trait_listed_twice_is_refused_by_the_schema(token: str, annex_a: Factory) -> None:
    asset = load_model(ANNEX_A).assets[0]
    body = asset.model_dump(mode="json", by_alias=True, exclude_defaults=True) | {
        "traits": ["remote-access", "oss", "remote-access"]
    }
    response = Client().put(
        f"{API}/annex-a-factory/assets/{asset.id}", body, content_type="application/json", **_bearer(token)
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"][-1], error["msg"]) == ("traits", "traits: 'remote-access' is listed twice")
    assert factory_model(annex_a).assets[0] == asset


def test_a_problem_in_another_element_names_it_and_points_at_no_field_of_the_body(token: str, annex_a: Factory) -> None:
    """Moving scada to another zone breaks the conduit that names it; the 422 gave that conduit's problem as
    loc ["body", "to_assets[0]"], a field the sent asset does not have. The other element is named in msg, its loc is
    the body as a whole, and the sent asset's own fields keep theirs."""
    scada = next(a for a in load_model(ANNEX_A).assets if a.id == "scada")
    body = scada.model_dump(mode="json", by_alias=True, exclude_defaults=True) | {"zone": "no-such-zone"}
    response = Client().put(
        f"{API}/annex-a-factory/assets/scada", body, content_type="application/json", **_bearer(token)
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [d["loc"] for d in detail if d["msg"].startswith("assets/scada: zone: ")] == [["body", "zone"]]
    others = [d for d in detail if d["msg"].startswith("conduits/production-to-monitoring: to_assets[0]: ")]
    assert others and all(d["loc"] == ["body"] for d in others), detail
    assert "another element than the one sent, assets/scada" in others[0]["msg"]
    assert all(d["loc"] in (["body"], ["body", "zone"]) for d in detail), detail
    problems = response.json()["problems"]
    assert ("conduits", "production-to-monitoring", "to_assets[0]") in [
        (p["section"], p["key"], p["field"]) for p in problems
    ]
