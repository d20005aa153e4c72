"""A vendor account probing other parties' ids gets nothing, on every object endpoint of the workspace."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.decisions import save_decision
from factorysec.workspace.changes import drafts
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.suppliers.models import SupplierAnswer
from tests.workspace.conftest import PASSWORD, ROOT, client_for, make_member

pytestmark = pytest.mark.django_db
SLUG = "annex-a-factory"


@pytest.fixture
def setting(annex_a: Factory) -> dict[str, object]:
    admin = User.objects.create_superuser("root", "", PASSWORD)
    dx = make_member(annex_a, Role.DX)
    other_change = drafts.propose(annex_a, "not about the line vendor", "", dx)
    own_change = drafts.propose(annex_a, "case (ii)", "", dx)
    drafts.upload(own_change, "case.yaml", (ROOT / "examples" / "annex-a" / "case-2-first-added.yaml").read_bytes(), dx)
    other_answer = SupplierAnswer.objects.create(
        factory=annex_a,
        party="agv-vendor",
        subject="agv",
        item="x",
        answer="yes",
        attachment=b"%PDF-secret",
        attachment_name="a.pdf",
    )
    save_decision(annex_a, {"finding": "A@x", "status": "accepted", "justification": "j", "owner": "o"}, admin)
    return {"other_change": other_change.pk, "answer": other_answer.pk, "provider_change": own_change.pk}


def test_vendor_probing_other_parties_ids_gets_not_found_or_forbidden(
    annex_a: Factory, setting: dict[str, object]
) -> None:
    vendor = client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))
    change, answer, provider_change = setting["other_change"], setting["answer"], setting["provider_change"]
    refused_pages = [
        f"/f/{SLUG}/changes/{change}/",
        f"/f/{SLUG}/changes/{change}/review.html",
        f"/f/{SLUG}/changes/{provider_change}/",
        f"/f/{SLUG}/changes/{provider_change}/review.html",
        f"/f/{SLUG}/changes/{provider_change}/s/zones/e/warehouse-zone/",
        f"/f/{SLUG}/suppliers/answers/{answer}/",
        f"/f/{SLUG}/suppliers/answers/{answer}/attachment",
        f"/f/{SLUG}/s/assets/e/agv/",
        f"/f/{SLUG}/s/parties/e/agv-vendor/",
        f"/f/{SLUG}/s/zones/e/warehouse-zone/",
        f"/f/{SLUG}/audit/",
        f"/f/{SLUG}/decisions/",
        f"/f/{SLUG}/decisions.yaml",
        f"/f/{SLUG}/trackers/findings.csv",
        f"/f/{SLUG}/history/",
        f"/f/{SLUG}/export.yaml",
        "/audit/export.json",
    ]
    for url in refused_pages:
        response = vendor.get(url)
        assert response.status_code in (403, 404), f"{url}: {response.status_code}"
        assert b"agv-vendor" not in response.content and b"%PDF-secret" not in response.content, url
    refused_api = [
        ("get", f"/api/factories/{SLUG}/changes/{change}", None),
        ("get", f"/api/factories/{SLUG}/changes/{provider_change}", None),
        ("get", f"/api/factories/{SLUG}/supplier/answers/{answer}", None),
        ("post", f"/api/factories/{SLUG}/supplier/answers/{answer}/verdict", {"verdict": "accepted"}),
        (
            "post",
            f"/api/factories/{SLUG}/changes/{change}/signoffs",
            {"approver": "party:line-vendor", "verdict": "approved"},
        ),
        ("put", f"/api/factories/{SLUG}/changes/{change}/edits/zones/warehouse-zone", {"version": 1, "payload": {}}),
        ("post", f"/api/factories/{SLUG}/changes/{change}/merge", {}),
        (
            "put",
            f"/api/factories/{SLUG}/elements/checklist_answers/item-1",
            {"version": 1, "payload": {"subject": "agv", "item": "x", "answer": "yes"}},
        ),
        ("put", f"/api/factories/{SLUG}/elements/assets/agv", {"version": 1, "payload": {}}),
        ("get", f"/api/factories/{SLUG}/decisions", None),
        (
            "post",
            f"/api/factories/{SLUG}/decisions",
            {"finding": "B@x", "status": "accepted", "justification": "j", "owner": "o"},
        ),
        ("get", "/api/audit/verify", None),
        ("get", f"/api/factories/{SLUG}/sections/assets", None),
    ]
    for method, url, body in refused_api:
        kwargs = {"content_type": "application/json"} if body is not None else {}
        response = (
            getattr(vendor, method)(url, body or {}, **kwargs) if body is not None else getattr(vendor, method)(url)
        )
        if url.endswith("/sections/assets"):
            assert response.status_code == 200 and {a["id"] for a in response.json()} == {"parts-line", "product-line"}
            continue
        assert response.status_code in (403, 404), f"{method} {url}: {response.status_code} {response.content[:120]!r}"
    assert [c["id"] for c in vendor.get(f"/api/factories/{SLUG}/changes").json()] == []
    assert b"No change requests yet." in vendor.get(f"/f/{SLUG}/changes/").content


def test_the_provider_sees_only_its_own_approver_line(annex_a: Factory, setting: dict[str, object]) -> None:
    provider = client_for(make_member(annex_a, Role.VENDOR, "remote-maintenance-provider"))
    body = provider.get(f"/api/factories/{SLUG}/changes/{setting['provider_change']}").json()
    assert [a["key"] for a in body["approvers"]] == ["party:remote-maintenance-provider"] and body["conflicts"] == []
    assert provider.get(f"/api/factories/{SLUG}/changes/{setting['other_change']}").status_code == 404
    assert [c["id"] for c in provider.get(f"/api/factories/{SLUG}/changes").json()] == [setting["provider_change"]]
