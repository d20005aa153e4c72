"""The supplier portal: a vendor sees its own party's checklists (and its declared subcontractors', no further), answers, and the factory accepts or questions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import Settings

from factorysec.analysis import analyze
from factorysec.catalog import load_catalog
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.store import factory_model, save_element
from factorysec.workspace.suppliers.models import SupplierAnswer
from tests.workspace.conftest import client_for, make_member

pytestmark = pytest.mark.django_db
API = "/api/factories/annex-a-factory/supplier"


def _declare_subcontractors(factory: Factory) -> None:
    """agv-vendor works for line-vendor; warehouse-vendor works for agv-vendor (a subcontractor's subcontractor)."""
    for party, of in (("agv-vendor", "line-vendor"), ("warehouse-vendor", "agv-vendor")):
        row = Element.objects.get(factory=factory, section="parties", key=party)
        save_element(factory, "parties", party, row.payload | {"subcontractor_of": of})


@pytest.fixture
def line_vendor(annex_a: Factory) -> Client:
    _declare_subcontractors(annex_a)
    return client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))


def test_vendor_sees_its_own_and_its_subcontractors_checklists_and_no_further(line_vendor: Client) -> None:
    body = line_vendor.get(f"{API}/checklists").json()
    assert body["party"] == "line-vendor" and body["subcontractors"] == ["agv-vendor"]
    assert sorted({c["asset"] for c in body["checklists"]}) == ["agv", "agv-control-pc", "parts-line", "product-line"]
    page = line_vendor.get("/f/annex-a-factory/suppliers/").content.decode()
    assert "Automated warehouse" not in page and "mes-server" not in page
    assert page.count('class="answer"') == 2 * 13, "only its own two assets' 13 items can be answered"


def test_open_items_are_ranked_as_the_cli_ranks_them(annex_a: Factory, line_vendor: Client) -> None:
    cli = analyze(factory_model(annex_a), load_catalog(), today=dt.date.today()).lifecycle.checklists.open_items
    expected = [(i.asset, i.item) for i in cli if i.asset in {"agv", "agv-control-pc", "parts-line", "product-line"}]
    got = [(i["asset"], i["item"]) for i in line_vendor.get(f"{API}/checklists").json()["open_items"]]
    assert got == expected and got[0][0] in ("parts-line", "product-line"), (
        "high-importance line assets come before the medium AGV ones"
    )


def _first_item(client: Client, asset: str) -> str:
    item: str = next(c for c in client.get(f"{API}/checklists").json()["checklists"] if c["asset"] == asset)["entries"][
        0
    ]["item"]
    return item


def test_answer_accepted_enters_the_model_questioned_does_not(annex_a: Factory, line_vendor: Client) -> None:
    item = _first_item(line_vendor, "parts-line")
    response = line_vendor.post(
        f"{API}/answers",
        {"subject": "parts-line", "item": item, "answer": "yes", "evidence": "contract §4"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    number = response.json()["id"]
    security = client_for(make_member(annex_a, Role.SECURITY_IT))
    questioned = security.post(
        f"{API}/answers/{number}/verdict", {"verdict": "questioned", "comment": ""}, content_type="application/json"
    )
    assert questioned.status_code == 422 and questioned.json()["field"] == "comment"
    assert (
        security.post(
            f"{API}/answers/{number}/verdict",
            {"verdict": "questioned", "comment": "which clause?"},
            content_type="application/json",
        ).json()["state"]
        == "questioned"
    )
    assert not [a for a in factory_model(annex_a).checklist_answers if a.subject == "parts-line" and a.item == item]
    assert (
        security.post(
            f"{API}/answers/{number}/verdict", {"verdict": "accepted"}, content_type="application/json"
        ).json()["state"]
        == "accepted"
    )
    stored = [a for a in factory_model(annex_a).checklist_answers if a.subject == "parts-line" and a.item == item]
    assert [(a.answer, a.evidence) for a in stored] == [("yes", "contract §4")]
    assert item not in [
        i["item"] for i in line_vendor.get(f"{API}/checklists").json()["open_items"] if i["asset"] == "parts-line"
    ]


def test_vendor_cannot_answer_for_a_subcontractor_or_another_party(line_vendor: Client) -> None:
    for asset in ("agv", "mes-server"):
        response = line_vendor.post(
            f"{API}/answers", {"subject": asset, "item": "anything", "answer": "yes"}, content_type="application/json"
        )
        assert response.status_code == 422 and response.json()["field"] == "item"
    item = _first_item(line_vendor, "parts-line")
    assert (
        line_vendor.post(
            f"{API}/answers",
            {"subject": "parts-line", "item": item, "answer": "maybe"},
            content_type="application/json",
        ).json()["field"]
        == "answer"
    )
    assert not SupplierAnswer.objects.exists()


def test_attachment_too_big_or_not_what_it_says_is_refused(
    annex_a: Factory, line_vendor: Client, settings: Settings
) -> None:
    settings.FACTORYSEC_ATTACHMENT_MAX_BYTES = 1000
    item = _first_item(line_vendor, "parts-line")
    form = {"subject": "parts-line", "item": item, "answer": "yes"}
    for upload, expected in (
        (SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2000), b"larger than the 1000 bytes allowed"),
        (SimpleUploadedFile("fake.pdf", b"<script>alert(1)</script>"), b"not a .pdf file"),
        (SimpleUploadedFile("run.html", b"<html>"), b"files are not accepted"),
    ):
        response = line_vendor.post("/f/annex-a-factory/suppliers/", {**form, "attachment": upload})
        assert response.status_code == 422 and expected in response.content, response.content[:300]
    assert not SupplierAnswer.objects.exists()
    ok = line_vendor.post(
        "/f/annex-a-factory/suppliers/", {**form, "attachment": SimpleUploadedFile("evidence.pdf", b"%PDF-1.7 small")}
    )
    assert ok.status_code == 302
    answer = SupplierAnswer.objects.get()
    download = line_vendor.get(f"/f/annex-a-factory/suppliers/answers/{answer.pk}/attachment")
    assert download.content == b"%PDF-1.7 small" and download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_provider_answers_the_checklist_a_change_brings_and_the_accepted_answer_enters_the_draft(
    annex_a: Factory,
) -> None:
    from factorysec.workspace.changes import drafts
    from factorysec.workspace.changes.models import ChangeRequest
    from tests.workspace.conftest import ROOT

    dx = make_member(annex_a, Role.DX)
    change = drafts.propose(annex_a, "case (ii)", "", dx)
    drafts.upload(change, "case.yaml", (ROOT / "examples" / "annex-a" / "case-2-first-added.yaml").read_bytes(), dx)
    provider = client_for(make_member(annex_a, Role.VENDOR, "remote-maintenance-provider"))
    page = provider.get("/f/annex-a-factory/suppliers/").content.decode()
    section = page.split(f'id="change-{change.pk}"')[1].split("<h2>")[0]
    assert "External remote maintenance service" in section and "cloud" in section.lower()
    item = section.split('name="item" value="')[1].split('"')[0]
    response = provider.post(
        "/f/annex-a-factory/suppliers/",
        {
            "change": change.pk,
            "subject": "remote-maintenance-service",
            "item": item,
            "answer": "yes",
            "evidence": "SOC 2 report",
        },
    )
    assert response.status_code == 302
    answer = SupplierAnswer.objects.get()
    assert answer.change_id == change.pk
    refused = client_for(make_member(annex_a, Role.VENDOR, "line-vendor")).post(
        "/f/annex-a-factory/suppliers/",
        {"change": change.pk, "subject": "remote-maintenance-service", "item": item, "answer": "no"},
    )
    assert refused.status_code == 422 and SupplierAnswer.objects.count() == 1
    revision = ChangeRequest.objects.get(pk=change.pk).revision
    security = client_for(make_member(annex_a, Role.SECURITY_IT))
    assert (
        security.post(f"/f/annex-a-factory/suppliers/answers/{answer.pk}/verdict/", {"verdict": "accepted"}).status_code
        == 302
    )
    change.refresh_from_db()
    assert change.revision == revision + 1
    assert [
        (a.subject, a.item, a.answer, a.evidence)
        for a in drafts.draft_model(change).checklist_answers
        if a.subject == "remote-maintenance-service"
    ] == [("remote-maintenance-service", item, "yes", "SOC 2 report")]
    assert not [a for a in factory_model(annex_a).checklist_answers if a.subject == "remote-maintenance-service"], (
        "the live model waits for the merge"
    )


def test_the_portal_reads_the_stored_share_and_analyses_nothing_in_the_request(
    annex_a: Factory, line_vendor: Client
) -> None:
    from unittest import mock

    from factorysec.workspace.suppliers.models import StoredPartyView
    from factorysec.workspace.suppliers.portal import party_view, view_from_data

    first = line_vendor.get(f"{API}/checklists").json()  # no analysis yet: the queue (immediate in tests) runs one
    model = factory_model(annex_a)
    expected = party_view(model, analyze(model, load_catalog(), today=dt.date.today()), "line-vendor")
    stored = StoredPartyView.objects.get(job=first["job"], party="line-vendor")
    assert view_from_data(stored.data) == expected
    assert set(StoredPartyView.objects.filter(job=first["job"]).values_list("party", flat=True)) == {
        p.id for p in model.parties
    }
    with (
        mock.patch("factorysec.workspace.results.analysis.analyze", side_effect=AssertionError("analysed")),
        mock.patch("factorysec.workspace.suppliers.portal.party_view", side_effect=AssertionError("analysed")),
    ):
        again = line_vendor.get(f"{API}/checklists").json()
        page = line_vendor.get("/f/annex-a-factory/suppliers/").content.decode()
    assert again == first and f"(job #{first['job']})" in page and page.count('class="answer"') == 2 * 13


def test_with_the_real_queue_the_portal_waits_for_the_worker(
    annex_a: Factory, line_vendor: Client, settings: Settings
) -> None:
    from unittest import mock

    from django.core.management import call_command

    from factorysec.workspace.factories.models import Job

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    waiting = line_vendor.get(f"{API}/checklists")
    job = Job.objects.get(factory=annex_a, kind=Job.Kind.ANALYSIS)
    assert waiting.status_code == 503 and waiting.json()["job"] == job.pk and waiting["Retry-After"]
    page = line_vendor.get("/f/annex-a-factory/suppliers/")
    assert page.status_code == 200 and b'id="preparing"' in page.content and b'class="answer"' not in page.content
    assert Job.objects.filter(factory=annex_a, kind=Job.Kind.ANALYSIS).count() == 1, "queued once, not per request"
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=False, interval=0.01, verbosity=0)
    ready = line_vendor.get(f"{API}/checklists")
    assert ready.status_code == 200 and ready.json()["job"] == job.pk and ready.json()["checklists"]


def test_the_portal_takes_a_note_with_an_answer(annex_a: Factory, line_vendor: Client) -> None:
    """The docs and the API take an answer's note, the answer page shows it, but the portal's form had no input for it:
    a vendor on the page could not give one."""
    page = line_vendor.get("/f/annex-a-factory/suppliers/").content.decode()
    forms = re.findall(r'<form method="post" enctype="multipart/form-data" class="answer">.*?</form>', page, re.S)
    assert forms and all('name="note"' in form for form in forms)
    item = _first_item(line_vendor, "parts-line")
    body = {"subject": "parts-line", "item": item, "answer": "yes", "evidence": "policy.pdf", "note": "since v2"}
    assert line_vendor.post("/f/annex-a-factory/suppliers/", body).status_code == 302
    answer = SupplierAnswer.objects.get(subject="parts-line", item=item)
    assert answer.note == "since v2"
    assert "since v2" in line_vendor.get(f"/f/annex-a-factory/suppliers/answers/{answer.pk}/").content.decode()
    japanese = client_for(make_member(annex_a, Role.VENDOR, "agv-vendor"))
    japanese.cookies["django_language"] = "ja"
    assert 'name="note" placeholder="備考"' in japanese.get("/f/annex-a-factory/suppliers/").content.decode()


def test_a_refused_answer_or_verdict_is_said_in_the_pages_language(annex_a: Factory, line_vendor: Client) -> None:
    """The portal's own refusals were English on a Japanese page ('attachment: the file is not a .pdf file (its first
    bytes do not match)'), for the vendor and for the reviewer alike; the API (no language asked for) stays English."""
    item = _first_item(line_vendor, "parts-line")
    form = {"subject": "parts-line", "item": item, "answer": "yes"}
    line_vendor.cookies["django_language"] = "ja"
    for upload, expected in (
        (
            SimpleUploadedFile("fake.pdf", b"MZ binary"),
            "attachment: .pdf のファイルではありません（先頭のバイトが合いません）",
        ),
        (SimpleUploadedFile("run.html", b"<html>"), "attachment: &#x27;.html&#x27; のファイルは受け付けません"),
    ):
        page = line_vendor.post("/f/annex-a-factory/suppliers/", {**form, "attachment": upload})
        assert page.status_code == 422 and expected in page.content.decode(), page.content.decode()[-2000:]
    line_vendor.cookies["django_language"] = "en"
    assert line_vendor.post("/f/annex-a-factory/suppliers/", form).status_code == 302
    answer = SupplierAnswer.objects.get()
    security = client_for(make_member(annex_a, Role.SECURITY_IT))
    security.cookies["django_language"] = "ja"
    refused = security.post(f"/f/annex-a-factory/suppliers/answers/{answer.pk}/verdict/", {"verdict": "questioned"})
    assert refused.status_code == 422 and "問い合わせるときは、何が不明かを書いてください" in refused.content.decode()
    api = client_for(make_member(annex_a, Role.RISK_MANAGEMENT)).post(
        f"{API}/answers/{answer.pk}/verdict", {"verdict": "questioned"}, "application/json"
    )
    assert api.status_code == 422 and api.json()["message"] == "say what is unclear when questioning an answer"
