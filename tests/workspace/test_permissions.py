"""Every role against every action, through the pages (allowed and refused), and what a vendor sees."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from factorysec.model import load_model
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.accounts.permissions import Action, role_allows
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import factory_model
from tests.workspace.conftest import ANNEX_A, PASSWORD, client_for, make_member
from tests.workspace.test_views import _form_of

pytestmark = pytest.mark.django_db

MODEL = load_model(ANNEX_A)
ASSET = next(a for a in MODEL.assets if a.supplier == "line-vendor")
OTHER_ASSET = next(a for a in MODEL.assets if a.supplier not in (None, "line-vendor"))
CONDUIT = MODEL.conduits[0]
F = "/f/annex-a-factory"

ACTIONS = ("overview", "list-assets", "list-conduits", "edit-asset", "edit-conduit", "analysis", "export", "import")
ALLOWED: dict[Role | None, set[str]] = {
    Role.SECURITY_IT: set(ACTIONS),
    Role.PRODUCTION: {"overview", "list-assets", "list-conduits", "edit-asset", "analysis", "export"},
    Role.DX: {"overview", "list-assets", "list-conduits", "analysis", "export"},
    Role.RISK_MANAGEMENT: {"overview", "list-assets", "list-conduits", "analysis", "export"},
    Role.AUDIT: {"overview", "list-assets", "list-conduits", "analysis", "export"},
    Role.MANAGEMENT: {"overview", "analysis"},
    Role.VENDOR: {"overview", "list-assets"},
    None: set(),
}
"""Written out by hand from Table 1-1's division of work (see accounts/permissions.py), not computed from the rule table."""


def _do(client: Client, action: str, admin: Client) -> int:
    if action == "overview":
        return client.get(f"{F}/").status_code
    if action == "list-assets":
        return client.get(f"{F}/s/assets/").status_code
    if action == "list-conduits":
        return client.get(f"{F}/s/conduits/").status_code
    if action == "edit-asset":
        url = f"{F}/s/assets/e/{ASSET.id}/"
        return client.post(url, _form_of(admin, url) | {"description": "edited"}).status_code
    if action == "edit-conduit":
        url = f"{F}/s/conduits/e/{CONDUIT.id}/"
        return client.post(url, _form_of(admin, url) | {"name": "edited"}).status_code
    if action == "analysis":
        return client.post(f"{F}/analysis/", HTTP_HX_REQUEST="true").status_code
    if action == "export":
        return client.get(f"{F}/export.yaml").status_code
    return client.get(f"{F}/import/").status_code


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [*Role, None], ids=lambda r: r.value if r else "no-membership")
def test_each_role_each_action(annex_a: Factory, role: Role | None, action: str) -> None:
    admin = client_for(User.objects.create_superuser("root", "", PASSWORD))
    if role is None:
        user = User.objects.create_user("outsider", password=PASSWORD)
    else:
        user = make_member(annex_a, role, "line-vendor" if role == Role.VENDOR else "")
    status = _do(client_for(user), action, admin)
    if action in ALLOWED[role]:
        assert status in (200, 302), f"{role} should be allowed to {action}, got {status}"
    else:
        assert status == 403, f"{role} should be refused {action}, got {status}"
    edited = factory_model(annex_a)
    if action == "edit-asset":
        assert (next(a for a in edited.assets if a.id == ASSET.id).description == "edited") == (action in ALLOWED[role])
    if action == "edit-conduit":
        assert (next(c for c in edited.conduits if c.id == CONDUIT.id).name == "edited") == (action in ALLOWED[role])


def test_the_rule_table_agrees_on_section_edits() -> None:
    assert role_allows(Role.PRODUCTION, Action.EDIT_SECTION, "operations")
    assert not role_allows(Role.PRODUCTION, Action.EDIT_SECTION, "measures")
    assert role_allows(Role.VENDOR, Action.EDIT_SECTION, "checklist_answers")
    assert not role_allows(Role.VENDOR, Action.EDIT_SECTION, "assets")
    assert not role_allows(None, Action.VIEW_OVERVIEW)


def test_a_vendor_sees_only_its_own_assets_and_party(annex_a: Factory) -> None:
    vendor = client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))
    listing = vendor.get(f"{F}/s/assets/").text
    own = {a.id for a in MODEL.assets if "line-vendor" in (a.supplier, a.maintainer, a.managed_by)}
    assert own and all(f">{a}</a>" in listing for a in own)
    assert all(f">{a.id}</a>" not in listing for a in MODEL.assets if a.id not in own)
    assert vendor.get(f"{F}/s/assets/e/{OTHER_ASSET.id}/").status_code == 404
    assert vendor.get(f"{F}/s/assets/e/{ASSET.id}/").status_code == 200
    parties = vendor.get(f"{F}/s/parties/").text
    assert ">line-vendor</a>" in parties and ">agv-vendor</a>" not in parties
    assert vendor.get(f"{F}/s/zones/").status_code == 403


def test_a_vendor_answers_checklists_for_its_own_assets_only(annex_a: Factory) -> None:
    vendor = client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))
    from factorysec.analysis.lifecycle.checklists import checklist_kinds
    from factorysec.catalog import load_catalog

    kinds = {kind for kind, _ in checklist_kinds(ASSET)} & {kind for kind, _ in checklist_kinds(OTHER_ASSET)}
    catalog = load_catalog()
    item = sorted(i for i in catalog.section_ids("checklist_items") if catalog.checklist_items[i].kind in kinds)[
        0
    ]  # one that applies to both assets
    own = vendor.post(f"{F}/s/checklist_answers/new/", {"subject": ASSET.id, "item": item, "answer": "yes"})
    assert own.status_code == 302
    other = vendor.post(f"{F}/s/checklist_answers/new/", {"subject": OTHER_ASSET.id, "item": item, "answer": "yes"})
    assert other.status_code == 403 and "only answer for your own party" in other.text
    answers = factory_model(annex_a).checklist_answers
    assert [(a.subject, a.answer) for a in answers] == [(ASSET.id, "yes")]


@pytest.mark.parametrize("role", [*Role, None], ids=lambda r: r.value if r else "no-membership")
def test_who_decides_on_findings_and_manages_members(role: Role | None) -> None:
    """Written out from Table 1-1: security/IT and risk management decide on risks; security/IT run the accounts."""
    assert role_allows(role, Action.DECIDE) == (role in (Role.SECURITY_IT, Role.RISK_MANAGEMENT))
    assert role_allows(role, Action.MANAGE_MEMBERS) == (role == Role.SECURITY_IT)


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.SECURITY_IT, ["changes", "suppliers", "decisions", "audit"]),
        (Role.DX, ["changes", "suppliers", "decisions"]),
        (Role.AUDIT, ["changes", "suppliers", "decisions", "audit"]),
        (Role.MANAGEMENT, ["changes", "decisions", "audit"]),
        (Role.VENDOR, ["changes", "suppliers"]),
    ],
)
def test_the_header_links_only_the_pages_a_role_opens(annex_a: Factory, role: Role, links: list[str]) -> None:
    """The header offered every member Changes, Suppliers, Decisions and Audit; a vendor following Decisions or Audit,
    or management following Suppliers, got a bare 'Your role in this factory does not allow this.'"""
    client = client_for(make_member(annex_a, role, "line-vendor" if role == Role.VENDOR else ""))
    header = client.get(f"{F}/").text.split("<header>")[1].split("</header>")[0]
    pages = {"changes": "/changes/", "suppliers": "/suppliers/", "decisions": "/decisions/", "audit": "/audit/"}
    shown = [name for name, path in pages.items() if f'href="{F}{path}"' in header]
    assert shown == links
    for name in shown:
        assert client.get(f"{F}{pages[name]}").status_code == 200, name
    for name in set(pages) - set(shown):
        assert client.get(f"{F}{pages[name]}").status_code == 403, name


def test_the_not_allowed_page_has_the_sites_header_and_a_way_back(annex_a: Factory) -> None:
    """The 403 page was the bare sentence 'Your role in this factory does not allow this.', no header, no link."""
    vendor = client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))
    refused = vendor.get(f"{F}/audit/", HTTP_REFERER=f"http://testserver{F}/suppliers/")
    assert refused.status_code == 403
    header = refused.text.split("<header>")[1].split("</header>")[0]
    assert f'href="{F}/changes/"' in header and f'href="{F}/suppliers/"' in header
    assert f'href="{F}/audit/"' not in header and f'href="{F}/decisions/"' not in header
    assert "Your role in this factory does not allow this." in refused.text
    assert f'<a href="http://testserver{F}/suppliers/" id="back">Back</a>' in refused.text
    elsewhere = vendor.get(f"{F}/audit/", HTTP_REFERER="https://elsewhere.example/")  # not back to another site
    assert f'<a href="{F}/" id="back">Back</a>' in elsewhere.text
    vendor.cookies["django_language"] = "ja"
    japanese = vendor.get(f"{F}/decisions/")
    assert japanese.status_code == 403 and "この工場でのあなたの役割では、この操作はできません。" in japanese.text
    assert f'<a href="{F}/" id="back">戻る</a>' in japanese.text and "許可されていません" in japanese.text
    stranger = client_for(User.objects.create_user("stranger", password="x"))
    outside = stranger.get(f"{F}/")  # not a member: no link into the factory, back to the list of factories
    assert outside.status_code == 403 and f'href="{F}/' not in outside.text
    assert '<a href="/" id="back">Back</a>' in outside.text


def _unmasked(page: str) -> str:
    """The page without its CSRF tokens (masked afresh on every page)."""
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", page)


def test_the_not_found_page_has_the_sites_header_and_a_way_back_and_tells_nothing(annex_a: Factory) -> None:
    """An address with nothing under it (or an element a vendor may not see) answered Django's bare English page 'Not
    Found': no header, no link back, English on a Japanese page."""
    vendor = client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))
    hidden = vendor.get(f"{F}/s/assets/e/{OTHER_ASSET.id}/")
    missing = vendor.get(f"{F}/s/assets/e/no-such-asset/")
    assert hidden.status_code == missing.status_code == 404
    assert _unmasked(hidden.text) == _unmasked(missing.text.replace("no-such-asset", OTHER_ASSET.id)), "read the same"
    assert OTHER_ASSET.id not in hidden.text, "the page repeats nothing of the address (the language switch goes back)"
    header = hidden.text.split("<header>")[1].split("</header>")[0]
    assert f'href="{F}/suppliers/"' in header and f'href="{F}/audit/"' not in header
    assert "Nothing is stored under this address." in hidden.text
    assert f'<a href="{F}/" id="back">Back</a>' in hidden.text
    vendor.cookies["django_language"] = "ja"
    japanese = vendor.get(f"{F}/s/assets/e/{OTHER_ASSET.id}/")
    assert japanese.status_code == 404 and "このアドレスには何もありません。" in japanese.text
    assert "Not Found" not in japanese.text and f'<a href="{F}/" id="back">戻る</a>' in japanese.text
    stranger = client_for(User.objects.create_user("stranger", password="x"))
    elsewhere = stranger.get(f"{F}/s/assets/e/{ASSET.id}/")
    assert elsewhere.status_code in (403, 404)
    outside = stranger.get("/no/such/page/")
    assert outside.status_code == 404 and '<a href="/" id="back">Back</a>' in outside.text
    assert f'href="{F}/' not in outside.text.split("<header>")[1].split("</header>")[0]
    assert Client().get("/api/no-such-operation").json()["detail"][0]["type"] == "not_found", "the API's stays JSON"
