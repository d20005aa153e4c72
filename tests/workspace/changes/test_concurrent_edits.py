"""Concurrent editing loses nothing: the second save of an element saved meanwhile is refused with what changed; saves of different elements both land."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.changes import drafts
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.store import factory_model
from tests.workspace.conftest import client_for, make_member

pytestmark = pytest.mark.django_db
API = "/api/factories/annex-a-factory"


def _live(factory: Factory, section: str, key: str) -> tuple[int, dict[str, Any]]:
    row = Element.objects.get(factory=factory, section=section, key=key)
    return row.version, dict(row.payload)


@pytest.fixture
def two(annex_a: Factory) -> tuple[Client, Client]:
    return client_for(make_member(annex_a, Role.SECURITY_IT)), client_for(make_member(annex_a, Role.PRODUCTION))


def test_api_second_save_of_the_same_element_is_refused_with_what_changed(
    annex_a: Factory, two: tuple[Client, Client]
) -> None:
    alice, bob = two
    version, payload = _live(annex_a, "assets", "mes-server")
    first = alice.put(
        f"{API}/elements/assets/mes-server",
        {"version": version, "payload": payload | {"description": "alice"}},
        content_type="application/json",
    )
    assert first.status_code == 200 and first.json()["version"] == version + 1
    second = bob.put(
        f"{API}/elements/assets/mes-server",
        {"version": version, "payload": payload | {"description": "bob"}},
        content_type="application/json",
    )
    assert second.status_code == 409
    body = second.json()
    assert body["current_version"] == version + 1 and body["saved_by"] == "security-it-staff"
    assert body["changed"] == [{"field": "description", "stored": "alice", "yours": "bob"}]
    assert (
        factory_model(annex_a).assets[[a.id for a in factory_model(annex_a).assets].index("mes-server")].description
        == "alice"
    )
    again = bob.put(
        f"{API}/elements/assets/mes-server",
        {"version": body["current_version"], "payload": body["current"] | {"name": "MES (bob)"}},
        content_type="application/json",
    )
    assert again.status_code == 200, "re-applied on top of the stored version, it lands"
    stored = _live(annex_a, "assets", "mes-server")[1]
    assert (stored["description"], stored["name"]) == ("alice", "MES (bob)")


def test_api_saves_of_different_elements_both_land(annex_a: Factory, two: tuple[Client, Client]) -> None:
    alice, bob = two
    v1, asset = _live(annex_a, "assets", "mes-server")
    v2, zone = _live(annex_a, "zones", "warehouse-zone")
    assert (
        alice.put(
            f"{API}/elements/assets/mes-server",
            {"version": v1, "payload": asset | {"description": "a"}},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert (
        bob.put(
            f"{API}/elements/zones/warehouse-zone",
            {"version": v2, "payload": zone | {"description": "b"}},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert (
        _live(annex_a, "assets", "mes-server")[1]["description"] == "a"
        and _live(annex_a, "zones", "warehouse-zone")[1]["description"] == "b"
    )


def test_two_browser_sessions_editing_one_draft_element(annex_a: Factory) -> None:
    dx, security = make_member(annex_a, Role.DX), make_member(annex_a, Role.SECURITY_IT)
    change = drafts.propose(annex_a, "describe zones", "", dx)
    first, second = client_for(dx), client_for(security)
    url = f"/f/annex-a-factory/changes/{change.pk}/s/zones/e/warehouse-zone/"
    form_a, form_b = first.get(url), second.get(url)
    version = form_a.context["version"]
    assert form_b.context["version"] == version
    fields = {f.name: f.value for f in form_a.context["fields"] if f.widget != "checkbox"}
    assert first.post(url, {**fields, "description": "from the DX engineer", "version": version}).status_code == 302
    refused = second.post(url, {**fields, "description": "from security", "version": version})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "from the DX engineer" in page and "from security" in page, (
        "both what is stored and what was typed are shown"
    )
    retry_version = refused.context["version"]
    assert second.post(url, {**fields, "description": "from security", "version": retry_version}).status_code == 302
    assert change.edits.get(key="warehouse-zone").payload["description"] == "from security"
    other = f"/f/annex-a-factory/changes/{change.pk}/s/zones/e/production-control/"
    other_fields = {f.name: f.value for f in second.get(other).context["fields"] if f.widget != "checkbox"}
    assert (
        first.post(
            other, {**other_fields, "description": "parallel", "version": second.get(other).context["version"]}
        ).status_code
        == 302
    )
    assert {e.key for e in change.edits.all()} == {"warehouse-zone", "production-control"}


def test_api_draft_edit_conflict_and_new_elements(annex_a: Factory) -> None:
    dx = make_member(annex_a, Role.DX)
    client = client_for(dx)
    number = client.post(f"{API}/changes", {"title": "new zone"}, content_type="application/json").json()["id"]
    new_zone = {"id": "external-services", "name": "External services", "kind": "external", "status": "new"}
    created = client.put(
        f"{API}/changes/{number}/edits/zones/external-services",
        {"version": 0, "payload": new_zone},
        content_type="application/json",
    )
    assert created.status_code == 200 and created.json()["version"] == 1
    again = client.put(
        f"{API}/changes/{number}/edits/zones/external-services",
        {"version": 0, "payload": new_zone | {"name": "x"}},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["changed"] == [
        {"field": "name", "stored": "External services", "yours": "x"}
    ]
    broken = client.put(
        f"{API}/changes/{number}/edits/zones/external-services",
        {"version": 1, "payload": new_zone | {"parent": "nowhere"}},
        content_type="application/json",
    )
    assert broken.status_code == 422 and "nowhere" in broken.content.decode()


def _first_form(page: str) -> dict[str, str]:
    """What a browser posts for the page's first form as it stands: its inputs (a checkbox when ticked), its text areas
    (without the line break that opens one, which HTML drops) and each select's selected option."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.values: dict[str, str] = {}
            self.inside, self.done, self.area, self.select = False, False, "", ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k: v or "" for k, v in attrs}
            if tag == "form" and not self.done:
                self.inside = True
            if not self.inside or not (a.get("name") or tag == "option"):
                return
            if tag == "input" and (a.get("type") != "checkbox" or "checked" in a):
                self.values[a["name"]] = a.get("value", "on")
            elif tag == "textarea":
                self.area, self.values[a["name"]] = a["name"], ""
            elif tag == "select":
                self.select, self.values[a["name"]] = a["name"], ""
            elif tag == "option" and "selected" in a:
                self.values[self.select] = a.get("value", "")

        def handle_endtag(self, tag: str) -> None:
            if tag == "form" and self.inside:
                self.inside, self.done = False, True
            elif tag == "textarea" and self.area:
                self.values[self.area] = self.values[self.area].removeprefix("\n")
                self.area = ""

        def handle_data(self, data: str) -> None:
            if self.area:
                self.values[self.area] += data

    parser = Form()
    parser.feed(page.split("<main>")[1])
    return parser.values


def test_the_form_kept_after_a_conflict_keeps_the_colleagues_edit_of_fields_left_alone(
    annex_a: Factory, two: tuple[Client, Client]
) -> None:
    """Alice renamed the AGV; Bob, with the form open since before, added a description and saved: refused (409), and
    the form kept for him held his whole old form, Alice's name undone. Saving it again, as the page invites, reverted
    her rename without either of them changing it. The kept form now holds Bob's changes on top of the stored version."""
    from tests.workspace.posting import element_fields

    alice, bob = two
    opened, version = element_fields("assets", "agv")
    renamed = alice.post("/f/annex-a-factory/s/assets/e/agv/", {**opened, "name": "AGV fleet", "version": str(version)})
    assert renamed.status_code == 302
    refused = bob.post(
        "/f/annex-a-factory/s/assets/e/agv/", {**opened, "description": "Charging in bay 4", "version": str(version)}
    )
    assert refused.status_code == 409
    conflict = refused.text.split('id="conflict"')[1].split("</table>")[0]
    assert "Charging in bay 4" in conflict and "AGV fleet" not in conflict, "only what Bob changed differs"
    kept = dict(re.findall(r'<input type="(?:text|hidden)" id="id_(\w+)" name="\w+" value="([^"]*)"', refused.text))
    assert kept["name"] == "AGV fleet"
    assert re.search(r'<textarea id="id_description" name="description">\s*Charging in bay 4</textarea>', refused.text)
    version_now = re.search(r'name="version" value="(\d+)"', refused.text)
    assert version_now is not None and version_now.group(1) == str(version + 1)
    resaved = bob.post("/f/annex-a-factory/s/assets/e/agv/", _first_form(refused.text))
    assert resaved.status_code == 302
    stored = _live(annex_a, "assets", "agv")[1]
    assert (stored["name"], stored["description"]) == ("AGV fleet", "Charging in bay 4")
