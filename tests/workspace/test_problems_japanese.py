"""The model's problems on the workspace's pages are in the page's language: the import job's refusal and the element
form's field errors say in Japanese what ``factorysec check --lang ja`` says."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factorysec.workspace.changes import drafts
from factorysec.workspace.factories.models import Element, Factory, Job
from tests.workspace.posting import element_fields

pytestmark = pytest.mark.django_db
FACTORY = "/f/annex-a-factory"
BAD = b"factory: {id: f, name: F}\nzones:\n  - {id: z, name: Z, kind: nowhere}\nassets:\n  - {id: a, name: A, type: equipment, zone: y}\n"


def _in(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize(
    ("language", "kind", "zone"),
    [
        (
            "ja",
            "'nowhere' は使えません。次のいずれかです: production,",
            "ゾーン 'y' がありません (zones に定義してください)",
        ),
        ("en", "'nowhere' is not allowed, expected one of: production,", "unknown zone 'y' (define it under zones)"),
    ],
)
def test_an_import_is_refused_in_the_pages_language(
    admin_client_: Client, annex_a: Factory, language: str, kind: str, zone: str
) -> None:
    client = _in(admin_client_, language)
    response = client.post(f"{FACTORY}/import/", {"model": SimpleUploadedFile("plant.yaml", BAD)}, follow=True)
    job = Job.objects.filter(kind=Job.Kind.IMPORT).latest("pk")
    assert job.status == Job.Status.FAILED, job.stage
    problems = job.result["problems"]
    assert any(p.startswith("plant.yaml:3:") and "zones[0].kind: " + kind in p for p in problems), problems
    assert any(p.startswith("plant.yaml:5:") and f"assets[0].zone: {zone}" in p for p in problems), problems
    page = response.content.decode()
    assert "zones[0].kind: " + kind.replace("'", "&#x27;") in page


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ja", "ゾーン &#x27;nowhere&#x27; がありません (zones に定義してください)"),
        ("en", "unknown zone &#x27;nowhere&#x27; (define it under zones)"),
    ],
)
def test_an_element_forms_field_error_is_in_the_pages_language(
    admin_client_: Client, annex_a: Factory, language: str, said: str
) -> None:
    client = _in(admin_client_, language)
    fields, version = element_fields("assets", "scada")
    refused = client.post(f"{FACTORY}/s/assets/e/scada/", fields | {"version": str(version), "zone": "nowhere"})
    page = refused.content.decode()
    assert said in page, page


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ja", "文字列に U+0007（ベル）があります"),
        ("en", "text holds U+0007 (bell), a control character"),
    ],
)
def test_a_control_character_in_a_form_field_is_refused_in_the_pages_language(
    admin_client_: Client, annex_a: Factory, language: str, said: str
) -> None:
    client = _in(admin_client_, language)
    fields, version = element_fields("assets", "scada")
    refused = client.post(f"{FACTORY}/s/assets/e/scada/", fields | {"version": str(version), "name": "SCADA\x07"})
    assert said in refused.content.decode()


def test_the_stored_models_problems_are_in_japanese_on_the_japanese_page(
    admin_client_: Client, annex_a: Factory
) -> None:
    """The page refusing a stored model that no longer passes (a trait an older version let through twice) lists the
    check's problem in the page's language, as ``check --lang ja`` says it."""
    row = Element.objects.get(factory=annex_a, section="assets", key="scada")
    Element.objects.filter(pk=row.pk).update(payload={**row.payload, "traits": ["general-purpose", "general-purpose"]})
    page = admin_client_.get(f"{FACTORY}/export.yaml", HTTP_ACCEPT_LANGUAGE="ja").text
    assert "<td>&#x27;general-purpose&#x27; が2回書かれています (各値は一度だけ書いてください。" in page, page
    assert "is listed twice" not in page


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ja", "case.yaml:4:49: assets[24].zone: ゾーン &#x27;nowhere&#x27; がありません (zones に定義してください)"),
        ("en", "case.yaml:4:49: assets[24].zone: unknown zone &#x27;nowhere&#x27; (define it under zones)"),
    ],
)
def test_a_change_files_problems_are_in_the_pages_language(
    admin_client_: Client, annex_a: Factory, language: str, said: str
) -> None:
    """A change file uploaded onto a change request is refused with the check's problems in the page's language."""
    change = drafts.propose(annex_a, "case", "", User.objects.get(username="root"))
    content = (
        b"change: {base: current}\nadd:\n  assets:\n    - {id: new-plc, name: PLC, type: equipment, zone: nowhere}\n"
    )
    response = _in(admin_client_, language).post(
        f"{FACTORY}/changes/{change.pk}/upload/",
        {"change_file": SimpleUploadedFile("case.yaml", content)},
        follow=True,
    )
    assert said in response.content.decode(), re.findall(r"<li[^>]*>[^<]*</li>", response.content.decode())


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ja", "&#x27;oa&#x27; は zones ですでに使われています (別の ID にしてください)"),
        ("en", "&#x27;oa&#x27; is already used in zones (choose another id)"),
    ],
)
def test_a_drafts_new_element_under_a_used_id_is_refused_in_the_pages_language(
    admin_client_: Client, annex_a: Factory, language: str, said: str
) -> None:
    """The workspace's own refusals stand beside the check's problems on the same pages, in the same language."""
    change = drafts.propose(annex_a, "case", "", User.objects.get(username="root"))
    fields, _version = element_fields("zones", "oa")
    response = _in(admin_client_, language).post(f"{FACTORY}/changes/{change.pk}/s/zones/new/", fields)
    id_field = response.content.decode().split('id="field-id"')[1].split('<div class="help">')[0]
    assert said in id_field, "on the id field, as the live form puts it"


@pytest.mark.parametrize(
    ("content", "file_name", "said"),
    [
        (b"add: {}\n", "case.yaml", "case.yaml:1:1: change: 変更ファイルではありません"),
        (b"change: [\n", "case.yaml", "case.yaml:2:1: YAML の構文エラー"),
        (
            b"change: {base: /etc/plant}\n",
            "case.yaml",
            "case.yaml: change.base: &#x27;/etc/plant&#x27; は変更ファイルからの相対パス",
        ),
        (b"\xff\xfe", "case.yaml", "case.yaml: 0 バイト目: UTF-8 のテキストではありません"),
        (b"change: {base: current}\n", "case.txt", "case.txt: .yaml または .yml の変更ファイルではありません"),
    ],
)
def test_a_change_files_own_refusals_are_said_in_japanese(
    admin_client_: Client, annex_a: Factory, content: bytes, file_name: str, said: str
) -> None:
    """Beside the check's problems (Japanese since 5b3927f), the workspace's own refusals of a change file (not a change
    file, unreadable YAML, a base it cannot place, not UTF-8, not .yaml) were English on a Japanese page."""
    response = _in(admin_client_, "ja").post(
        f"{FACTORY}/changes/", {"title": "case", "change_file": SimpleUploadedFile(file_name, content)}, follow=True
    )
    text = response.content.decode()
    assert said in text, re.findall(r"<li[^>]*>[^<]*</li>", text)
    english = _in(admin_client_, "en").post(
        f"{FACTORY}/changes/", {"title": "case", "change_file": SimpleUploadedFile(file_name, content)}, follow=True
    )
    assert "変更ファイル" not in english.content.decode() and "YAML の構文" not in english.content.decode()


def test_a_refused_sign_off_or_merge_is_said_in_the_pages_language(admin_client_: Client, annex_a: Factory) -> None:
    """A sign-off without its reason, a merge of a change not open, a draft edit of a merged change: the pages gave the
    change request's own refusals in English on a Japanese page."""
    from factorysec.workspace.accounts.models import Role
    from factorysec.workspace.changes.models import State
    from tests.workspace.conftest import ROOT, client_for, make_member

    dx = make_member(annex_a, Role.DX)
    change = drafts.propose(annex_a, "case (ii)", "", dx)
    security = _in(client_for(make_member(annex_a, Role.SECURITY_IT)), "ja")
    url = f"{FACTORY}/changes/{change.pk}"
    change_file = ROOT / "examples" / "annex-a" / "case-2-first-added.yaml"
    drafts.upload(change, change_file.name, change_file.read_bytes(), dx)
    rejected = security.post(
        f"{url}/sign/", {"approver": "department:it-security", "verdict": "rejected", "reason": ""}, follow=True
    )
    assert "reason: 却下や修正依頼のときは理由を書いてください" in rejected.content.decode()
    change.state = State.WITHDRAWN
    change.save(update_fields=["state"])
    merged = _in(client_for(dx), "ja").post(f"{url}/merge/", follow=True)
    assert f"変更 #{change.pk} は withdrawn の状態で、受け付けていません" in merged.content.decode()
    english = _in(client_for(dx), "en").post(f"{url}/merge/", follow=True)
    assert f"change #{change.pk} is withdrawn, not open" in english.content.decode()
