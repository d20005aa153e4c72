"""A proposal whose change file cannot be read is refused whole: a 422 with the file's problems, and no change request left behind."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.models import AuditEntry
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.changes.uploads import UploadError
from factorysec.workspace.factories.models import Factory
from tests.workspace.changes.test_change_requests import CASE_2_FIRST
from tests.workspace.conftest import client_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def dx(annex_a: Factory) -> User:
    return make_member(annex_a, Role.DX)


def _propose(client: Client, factory: Factory, name: str, content: bytes) -> tuple[int, str]:
    response = client.post(
        f"/f/{factory.slug}/changes/", {"title": "t", "change_file": SimpleUploadedFile(name, content)}
    )
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("c.yaml", b"change: {base: " + b"x" * 300 + b", title: t}\n", "c.yaml: change.base: "),
        ("c.yaml", b'change: {base: "a\\0b", title: t}\n', "c.yaml:1:16: change.base: text holds U+0000 (NUL)"),
        ("c.yaml", b"change: {base: " + b"/".join([b"d" * 200] * 30) + b", title: t}\n", "c.yaml: change.base: "),
        ("c.yaml", b"change: {base: c.yaml/model.yaml, title: t}\n", "c.yaml: change.base: "),
        ("\u00e9" * 200 + ".yaml", b"change: {base: current, title: t}\n", "the file name is longer than"),
    ],
    ids=["base-too-long", "base-with-nul", "base-path-too-long", "base-under-the-file-itself", "file-name-too-long"],
)
def test_a_change_file_that_cannot_be_written_is_refused_and_leaves_no_change(
    annex_a: Factory, dx: User, name: str, content: bytes, expected: str
) -> None:
    status, page = _propose(client_for(dx), annex_a, name, content)
    assert status == 422, page[:500]
    assert "The change file was not applied" in page and expected in page
    assert not ChangeRequest.objects.exists(), "no change request is left behind"
    assert not AuditEntry.objects.filter(action="change-proposed").exists(), "nor its log entry"
    assert client_for(dx).get(f"/api/factories/{annex_a.slug}/changes").json() == []


def test_a_change_file_the_cli_refuses_leaves_no_change_and_keeps_the_form(annex_a: Factory, dx: User) -> None:
    bad = CASE_2_FIRST.replace(b"zone: warehouse-zone, status: new", b"zone: no-such-zone, status: new")
    status, page = _propose(client_for(dx), annex_a, "case.yaml", bad)
    assert status == 422 and "The change file was not applied" in page and "no-such-zone" in page
    assert 'value="t"' in page, "the title is kept in the form"
    assert not ChangeRequest.objects.exists()


def test_a_readable_change_file_still_opens_the_change(annex_a: Factory, dx: User) -> None:
    status, _page = _propose(client_for(dx), annex_a, "case.yaml", CASE_2_FIRST)
    assert status == 302
    change = ChangeRequest.objects.get()
    assert change.edits.exists() and change.revision == 1


def test_uploading_onto_an_open_change_refuses_an_unwritable_base_as_a_problem(annex_a: Factory, dx: User) -> None:
    change = drafts.propose(annex_a, "open", "", dx)
    for content in (b"change: {base: " + b"x" * 300 + b"}\n", b'change: {base: "a\\0b"}\n'):
        with pytest.raises(UploadError) as caught:
            drafts.upload(change, "c.yaml", content, dx)
        assert [p.split(": change.base: ")[0].split(":")[0] for p in caught.value.problems] == ["c.yaml"], (
            caught.value.problems
        )
    response = client_for(dx).post(
        f"/f/{annex_a.slug}/changes/{change.pk}/upload/",
        {"change_file": SimpleUploadedFile("c.yaml", b"change: {base: " + b"x" * 300 + b"}\n")},
        follow=True,
    )
    assert response.status_code == 200 and "c.yaml: change.base: " in response.content.decode()
    assert not change.edits.exists()
