"""Importing through the web: the uploaded file's name is never a path on the server, and every failure names the file."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factorysec.model import load_model
from factorysec.workspace.factories.models import Factory, Job
from factorysec.workspace.factories.store import factory_model
from tests.workspace.conftest import ANNEX_A

pytestmark = pytest.mark.django_db

URL = "/f/annex-a-factory/import/"
GOOD = b"factory: {id: f, name: F}\nzones:\n  - {id: z, name: Z, kind: office}\n"
BAD = b"factory: {id: f, name: F}\nzones:\n  - {id: z, name: Z, kind: nowhere}\n"
LONG = "é" * 200  # 400 bytes in UTF-8: longer than a file name may be on Linux (255 bytes)


def _import(client: Client, name: str, content: bytes) -> tuple[str, Job]:
    response = client.post(URL, {"model": SimpleUploadedFile(name, content)}, follow=True)
    assert response.status_code == 200
    return response.text, Job.objects.filter(kind=Job.Kind.IMPORT).latest("pk")


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".YAML"])
def test_a_good_file_with_a_very_long_name_is_imported(admin_client_: Client, annex_a: Factory, suffix: str) -> None:
    page, job = _import(admin_client_, LONG + suffix, GOOD)
    assert job.status == Job.Status.DONE, job.stage
    assert job.result["name"] == LONG + suffix and 'data-status="done"' in page
    assert [z.id for z in factory_model(annex_a).zones] == ["z"]


def test_a_bad_file_with_a_very_long_name_is_refused_naming_the_file(admin_client_: Client, annex_a: Factory) -> None:
    page, job = _import(admin_client_, LONG + ".yaml", BAD)
    assert job.status == Job.Status.FAILED and job.stage == "refused", job.stage
    (problem,) = [p for p in job.result["problems"] if "zones[0].kind" in p]
    assert problem.startswith(f"{LONG}.yaml:3:"), problem
    assert "/tmp" not in page and "factorysec-import-" not in page and "Errno" not in page
    assert factory_model(annex_a) == load_model(ANNEX_A)


def test_a_workbook_that_cannot_be_read_names_the_file_not_a_server_path(
    admin_client_: Client, annex_a: Factory
) -> None:
    page, job = _import(admin_client_, LONG + ".xlsx", b"not a workbook")
    assert job.status == Job.Status.FAILED and job.stage == "refused", job.stage
    (problem,) = job.result["problems"]
    assert problem.startswith(f"{LONG}.xlsx:1:1: not a readable .xlsx workbook"), problem
    assert "/tmp" not in page and "factorysec-import-" not in page
    assert factory_model(annex_a) == load_model(ANNEX_A)


def test_a_name_with_path_parts_and_odd_characters_is_only_a_name(admin_client_: Client, annex_a: Factory) -> None:
    name = "../../etc/\x00plant; rm -rf $HOME .yaml"
    page, job = _import(admin_client_, name, GOOD)
    assert job.status == Job.Status.DONE, job.stage
    assert "/" not in job.result["name"] and job.result["name"].endswith(".yaml")


def test_a_workbook_with_a_very_long_name_is_imported(admin_client_: Client, annex_a: Factory) -> None:
    from factorysec.catalog import load_catalog
    from factorysec.model.workbook import model_workbook

    buffer = io.BytesIO()
    model_workbook(load_model(ANNEX_A), load_catalog()).save(buffer)
    page, job = _import(admin_client_, LONG + ".XLSX", buffer.getvalue())
    assert job.status == Job.Status.DONE, job.stage
    assert factory_model(annex_a) == load_model(ANNEX_A)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_workbook_an_older_factorysec_wrote_is_imported_with_its_note_on_the_page(
    admin_client_: Client, annex_a: Factory, lang: str
) -> None:
    """A workbook whose record says it predates a column is read with the field's default, and the job's page says so
    (as `workbook import` does on stderr), in the page's language, naming the upload, never the server's path."""
    from factorysec.catalog import load_catalog
    from factorysec.model.workbook import model_workbook
    from tests.model.test_workbook_version import _forget

    book = model_workbook(load_model(ANNEX_A), load_catalog())
    _forget(book, "assets", "supplier")
    buffer = io.BytesIO()
    book.save(buffer)
    admin_client_.cookies["django_language"] = lang
    page, job = _import(admin_client_, "plant.xlsx", buffer.getvalue())
    assert job.status == Job.Status.DONE, job.stage
    (note,) = job.result["notes"]
    assert note.startswith("note: plant.xlsx" if lang == "en" else "注: plant.xlsx"), note
    assert "'supplier'" in note and "/tmp" not in note
    assert f"<li>{note.replace(chr(39), '&#x27;')}</li>" in page
    assert all(a.supplier is None for a in factory_model(annex_a).assets)


def test_a_file_the_server_cannot_write_is_refused_naming_the_upload_not_the_path(
    admin_client_: Client, annex_a: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    page, job = _import(admin_client_, "plant.yaml", GOOD)
    assert job.status == Job.Status.FAILED and job.stage == "refused", job.stage
    assert job.result["problems"] == ["plant.yaml: could not be read (No space left on device)"]
    assert "factorysec-import-" not in page and "/tmp" not in page
    assert factory_model(annex_a) == load_model(ANNEX_A)
