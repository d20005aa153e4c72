"""The vulnerability page: advisories matched to the stored model as a background job, vendors seeing their own assets only."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factorysec.model import load_model
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.models import Decision
from factorysec.workspace.factories.models import Factory, Job
from factorysec.workspace.factories.store import import_model
from factorysec.workspace.vulnerabilities.models import StoredVulnerability
from tests.vulnerability.conftest import CHOSEN, CSAF_DIR, KEV_FILE, PLANT
from tests.workspace.conftest import PASSWORD, client_for, make_member

pytestmark = pytest.mark.django_db
PAGE = "/f/plant/vulnerabilities/"
STRATIX = "VULN-CVE-2023-20198@production-router"
WAREHOUSE = "VULN-CVE-2020-16850@automated-warehouse"
PARTS_LINE = "VULN-CVE-2021-40365@parts-line"


@pytest.fixture
def plant(db: None) -> Factory:
    factory = Factory.objects.create(slug="plant", name="Annex A plant with identities")
    import_model(factory, load_model(PLANT), None, "test load")
    return factory


@pytest.fixture
def advisories(tmp_path: Path, settings: Any) -> Path:
    folder = tmp_path / "advisories"
    folder.mkdir()
    for name in CHOSEN.values():
        shutil.copyfile(CSAF_DIR / name, folder / Path(name).name)
    settings.FACTORYSEC_ADVISORIES_PATH = str(folder)
    settings.FACTORYSEC_KEV_PATH = str(KEV_FILE)
    return folder


@pytest.fixture
def admin(plant: Factory) -> Client:
    return client_for(User.objects.create_superuser("root", "", PASSWORD))


def _rows(response: Any) -> list[tuple[str, str]]:
    import re

    return re.findall(r'<tr data-finding="([^"]+)" data-level="([^"]+)">', response.text)


def test_the_configured_folder_is_matched_as_a_job_and_listed_most_urgent_first(
    admin: Client, plant: Factory, advisories: Path
) -> None:
    response = admin.post(PAGE, HTTP_HX_REQUEST="true")
    assert 'data-status="done"' in response.text and 'id="see-vulnerabilities"' in response.text, response.text
    job = Job.objects.get(factory=plant, kind=Job.Kind.VULNERABILITIES)
    assert job.result["advisories_read"] == len(CHOSEN) and job.result["kev"] == "2025.08.25"
    page = admin.get(PAGE)
    rows = _rows(page)
    assert len(rows) == 14 == job.result["findings"]
    levels = dict(rows)
    assert levels[STRATIX] == "high" and levels[PARTS_LINE] == "medium"
    ranks = {"critical": 4, "high": 3, "medium": 2, "low": 1}
    assert [ranks[level] for _, level in rows] == sorted((ranks[level] for _, level in rows), reverse=True)
    assert "VULN-AFFECTED · Tables 3-11, 3-12" in page.text and "KEV" in page.text


def test_an_uploaded_zip_is_read_instead_and_a_broken_member_is_one_line(admin: Client, plant: Factory) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(CSAF_DIR / CHOSEN["kev-stratix"], "csaf/icsa-23-297-01.json")
        archive.writestr("../broken.json", '{"document": 1}')
        archive.writestr("readme.txt", "not an advisory")
    upload = SimpleUploadedFile("advisories.zip", buffer.getvalue(), content_type="application/zip")
    response = admin.post(PAGE, {"advisories": upload}, follow=True)
    assert response.status_code == 200
    job = Job.objects.get(factory=plant, kind=Job.Kind.VULNERABILITIES)
    assert job.status == Job.Status.DONE and job.result["advisories_read"] == 1 and job.result["advisory_files"] == 2
    assert job.result["problems"] == [
        'advisories.zip: 1-broken.json: document: does not follow the CSAF 2.0 schema: 1 is not of type "object"'
    ]
    assert {finding for finding, _ in _rows(admin.get(PAGE))} == {
        STRATIX,
        "VULN-CVE-2023-20273@production-router",
    }


def test_an_upload_that_is_no_advisory_fails_the_job_with_one_line(admin: Client, plant: Factory) -> None:
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    admin.post(PAGE, {"advisories": upload})
    job = Job.objects.get(factory=plant, kind=Job.Kind.VULNERABILITIES)
    assert job.status == Job.Status.FAILED and job.result["problems"] == [
        "notes.txt: expected a CSAF .json file or a .zip of them"
    ]


def test_without_upload_or_configured_folder_the_form_says_what_to_do(admin: Client, plant: Factory) -> None:
    response = admin.post(PAGE)
    assert response.status_code == 422 and "upload a CSAF .json file or a .zip of them" in response.text
    assert not Job.objects.filter(kind=Job.Kind.VULNERABILITIES).exists()


def test_a_decision_recorded_in_the_workspace_is_shown(admin: Client, plant: Factory, advisories: Path) -> None:
    Decision.objects.create(
        factory=plant, finding=STRATIX, status="accepted", owner="plant-it", justification="web UI off"
    )
    admin.post(PAGE)
    row = next(line for line in admin.get(PAGE).text.split("<tr ") if STRATIX in line)
    assert "accepted (plant-it)" in row


def test_vendors_see_only_their_partys_assets_and_start_nothing(plant: Factory, advisories: Path) -> None:
    security = client_for(make_member(plant, Role.SECURITY_IT))
    security.post(PAGE)
    assert StoredVulnerability.objects.count() == 14
    warehouse = client_for(make_member(plant, Role.VENDOR, "warehouse-vendor"))
    seen = {finding for finding, _ in _rows(warehouse.get(PAGE))}
    assert seen and all(f.endswith("@automated-warehouse") for f in seen) and WAREHOUSE in seen
    line = client_for(make_member(plant, Role.VENDOR, "line-vendor"))
    assert {f.split("@")[1] for f, _ in _rows(line.get(PAGE))} == {"parts-line", "product-line"}
    assert warehouse.post(PAGE).status_code == 403
    assert Job.objects.filter(kind=Job.Kind.VULNERABILITIES).count() == 1
    management = client_for(make_member(plant, Role.MANAGEMENT))
    assert len(_rows(management.get(PAGE))) == 14
    stranger = client_for(User.objects.create_user("stranger", password=PASSWORD))
    assert stranger.get(PAGE).status_code == 403


def _zip_of_one_advisory() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(CSAF_DIR / CHOSEN["kev-stratix"], "icsa-23-297-01.json")
    return buffer.getvalue()


def _claiming_an_unknown_zip_version(data: bytes) -> bytes:
    """The archive with its central directory saying the member needs zip version 14.2 (zipfile: NotImplementedError)."""
    damaged = bytearray(data)
    at = damaged.rindex(b"PK\x01\x02")
    damaged[at + 6] = 142
    return bytes(damaged)


def _with_a_damaged_stream(data: bytes) -> bytes:
    """The archive with bytes of its member's deflated stream altered (zipfile: zlib.error or a bad CRC)."""
    damaged = bytearray(data)
    start = damaged.index(b"PK\x03\x04") + 30 + len("icsa-23-297-01.json")
    for index in range(start + 10, start + 60):
        damaged[index] ^= 0x5A
    return bytes(damaged)


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (_claiming_an_unknown_zip_version, "advisories.zip: not a readable zip file (NotImplementedError)"),
        (_with_a_damaged_stream, "advisories.zip: icsa-23-297-01.json: damaged in the zip ("),
    ],
)
def test_a_damaged_zip_fails_the_job_with_one_line(admin: Client, plant: Factory, damage: Any, said: str) -> None:
    # zipfile says damage in many ways (an unknown version field, a stream zlib cannot inflate, a bad CRC): each is the
    # upload's one-line refusal, not a job that dies with a traceback.
    upload = SimpleUploadedFile("advisories.zip", damage(_zip_of_one_advisory()), content_type="application/zip")
    admin.post(PAGE, {"advisories": upload})
    job = Job.objects.get(factory=plant, kind=Job.Kind.VULNERABILITIES)
    assert job.status == Job.Status.FAILED
    assert len(job.result["problems"]) == 1 and job.result["problems"][0].startswith(said), job.result
