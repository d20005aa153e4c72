"""OWASP-style checks over the whole workspace: CSRF on every state-changing form and API call, HTML/JS injection in every page showing user text, oversized and malformed uploads."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.decisions import save_decision
from factorysec.workspace.audit.log import record
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.suppliers.models import SupplierAnswer
from tests.workspace.conftest import PASSWORD, ROOT, client_for, make_member

pytestmark = pytest.mark.django_db
SLUG = "annex-a-factory"
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'

STATE_CHANGING_PAGES = {
    "logout": "/logout/",
    "set_language": "/i18n/setlang/",
    "tokens": "/account/tokens/",
    "factories:new": f"/f/{SLUG}/s/zones/new/",
    "factories:element": f"/f/{SLUG}/s/zones/e/warehouse-zone/",
    "factories:delete": f"/f/{SLUG}/s/zones/e/warehouse-zone/delete/",
    "factories:import": f"/f/{SLUG}/import/",
    "results:analysis": f"/f/{SLUG}/analysis/",
    "audit:decisions": f"/f/{SLUG}/decisions/",
    "changes:index": f"/f/{SLUG}/changes/",
    "changes:upload": f"/f/{SLUG}/changes/{{change}}/upload/",
    "changes:sign": f"/f/{SLUG}/changes/{{change}}/sign/",
    "changes:merge": f"/f/{SLUG}/changes/{{change}}/merge/",
    "changes:new": f"/f/{SLUG}/changes/{{change}}/s/zones/new/",
    "changes:edit": f"/f/{SLUG}/changes/{{change}}/s/zones/e/warehouse-zone/",
    "suppliers:portal": f"/f/{SLUG}/suppliers/",
    "suppliers:verdict": f"/f/{SLUG}/suppliers/answers/{{answer}}/verdict/",
    "members": f"/f/{SLUG}/members/",
    "results:finding": f"/f/{SLUG}/results/finding/THREAT-WIRELESS@transport-zone/",
    "vulnerabilities:index": f"/f/{SLUG}/vulnerabilities/",
}
"""Every page that accepts a POST, by URL name."""

READ_ONLY_PAGES = {
    "health",
    "login",
    "factories:index",
    "factories:overview",
    "factories:export",
    "factories:export-workbook",
    "factories:history",
    "factories:section",
    "results:reports",
    "audit:export",
    "audit:log",
    "audit:decisions-file",
    "audit:tracker-export",
    "changes:detail",
    "changes:review",
    "suppliers:answer",
    "suppliers:attachment",
    "results:findings",
    "results:groups",
    "results:job",
    "results:job-output",
    "results:diagram",
}

STATE_CHANGING_API = [
    ("put", f"/api/factories/{SLUG}/assets/mes-server"),
    ("put", f"/api/factories/{SLUG}/zones/warehouse-zone"),
    ("put", f"/api/factories/{SLUG}/conduits/x"),
    ("post", f"/api/factories/{SLUG}/decisions"),
    ("post", f"/api/factories/{SLUG}/changes"),
    ("put", f"/api/factories/{SLUG}/changes/{{change}}/edits/zones/warehouse-zone"),
    ("post", f"/api/factories/{SLUG}/changes/{{change}}/signoffs"),
    ("post", f"/api/factories/{SLUG}/changes/{{change}}/merge"),
    ("put", f"/api/factories/{SLUG}/elements/zones/warehouse-zone"),
    ("post", f"/api/factories/{SLUG}/supplier/answers"),
    ("post", f"/api/factories/{SLUG}/supplier/answers/{{answer}}/verdict"),
]


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "api" or str(pattern.pattern).startswith("api/"):
                continue
            names |= _names(pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


@pytest.fixture
def objects(annex_a: Factory) -> dict[str, Any]:
    admin = User.objects.create_superuser("root", "", PASSWORD)
    change = drafts.propose(annex_a, "c", "", admin)
    answer = SupplierAnswer.objects.create(
        factory=annex_a, party="line-vendor", subject="parts-line", item="x", answer="yes"
    )
    return {"admin": admin, "change": change.pk, "answer": answer.pk}


def test_every_page_url_is_classified(objects: dict[str, Any]) -> None:
    """A new page must be added to one of the lists, so the CSRF check below covers it."""
    assert _names(get_resolver()) == set(STATE_CHANGING_PAGES) | READ_ONLY_PAGES


def test_every_form_refuses_a_post_without_the_csrf_token(objects: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(objects["admin"])
    for name, url in STATE_CHANGING_PAGES.items():
        response = client.post(url.format(**objects), {"title": "x"})
        assert response.status_code == 403 and b"CSRF" in response.content, f"{name}: {response.status_code}"


def test_every_state_changing_api_call_needs_the_csrf_token_with_a_session(objects: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(objects["admin"])
    for method, url in STATE_CHANGING_API:
        response = getattr(client, method)(url.format(**objects), {}, content_type="application/json")
        assert response.status_code == 403 and b"CSRF" in response.content, (
            f"{method} {url}: {response.status_code} {response.content[:100]!r}"
        )
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    with_token = client.post(
        f"/api/factories/{SLUG}/changes", {"title": "ok"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert with_token.status_code == 201, (
        "the same call with the token goes through: the refusal above was the CSRF check"
    )


def _pages_with_user_text(factory: Factory, objects: dict[str, Any]) -> list[str]:
    return [
        f"/f/{SLUG}/changes/",
        f"/f/{SLUG}/changes/{objects['change']}/",
        f"/f/{SLUG}/changes/{objects['change']}/review.html",
        f"/f/{SLUG}/changes/{objects['change']}/s/zones/e/warehouse-zone/",
        f"/f/{SLUG}/decisions/",
        f"/f/{SLUG}/audit/",
        f"/f/{SLUG}/suppliers/",
        f"/f/{SLUG}/suppliers/answers/{objects['answer']}/",
    ]


def test_user_text_is_escaped_on_every_page_that_shows_it(annex_a: Factory, objects: dict[str, Any]) -> None:
    admin = objects["admin"]
    change = ChangeRequest.objects.get(pk=objects["change"])
    change.title, change.description = SCRIPT, SCRIPT
    change.save()
    zone = Element.objects.get(factory=annex_a, section="zones", key="warehouse-zone")
    drafts.edit_draft(
        change, "zones", "warehouse-zone", zone.payload | {"name": SCRIPT, "description": SCRIPT}, zone.version, admin
    )
    security = make_member(annex_a, Role.SECURITY_IT)
    change.refresh_from_db()
    for approver in change.approvers:
        if approver["department_kind"] in ("security", "it"):
            drafts.sign(change, approver["key"], "changes-requested", SCRIPT, security)
    save_decision(annex_a, {"finding": SCRIPT, "status": "accepted", "justification": SCRIPT, "owner": SCRIPT}, admin)
    record("test", actor=SCRIPT, factory=annex_a, subject=SCRIPT)
    SupplierAnswer.objects.filter(pk=objects["answer"]).update(
        evidence=SCRIPT, note=SCRIPT, review_comment=SCRIPT, attachment_name=SCRIPT
    )
    client = client_for(admin)
    for url in _pages_with_user_text(annex_a, objects):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", ""), url
        assert "&lt;script&gt;alert" in page or "\\u003cscript" in page, f"{url} does not show the text at all"
    vendor = client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))
    for url in (f"/f/{SLUG}/suppliers/", f"/f/{SLUG}/suppliers/answers/{objects['answer']}/"):
        page = vendor.get(url).content.decode()
        assert "<script>alert" not in page, url


def test_uploads_too_big_or_malformed_are_refused_with_a_clear_line(annex_a: Factory, objects: dict[str, Any]) -> None:
    dx = client_for(make_member(annex_a, Role.DX))
    url = f"/f/{SLUG}/changes/{objects['change']}/upload/"
    huge = SimpleUploadedFile("case.yaml", b"# " + b"x" * (3 * 1024 * 1024))
    page = dx.post(url, {"change_file": huge}, follow=True).content.decode()
    assert "case.yaml: larger than the 2097152 bytes a change file may have" in page
    binary = SimpleUploadedFile("case.yaml", b"\x00\xff\xfe garbage")
    assert "case.yaml: byte 1: not UTF-8 text" in dx.post(url, {"change_file": binary}, follow=True).content.decode()
    wrong = SimpleUploadedFile("case.exe", b"MZ")
    assert (
        "case.exe: not a .yaml or .yml change file"
        in dx.post(url, {"change_file": wrong}, follow=True).content.decode()
    )
    content = (
        (ROOT / "examples" / "annex-a" / "case-2-first-added.yaml")
        .read_bytes()
        .replace(
            b"status: new, operations: [warehouse-remote-maintenance]",
            b"status: brand-new, operations: [warehouse-remote-maintenance]",
            1,
        )
    )
    page = dx.post(url, {"change_file": SimpleUploadedFile("case.yaml", content)}, follow=True).content.decode()
    assert re.search(r"case\.yaml:\d+:\d+: assets\[\d+\]\.status", page), "file, line and field of the bad value"
    assert not ChangeRequest.objects.get(pk=objects["change"]).edits.exists()
