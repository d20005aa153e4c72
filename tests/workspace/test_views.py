"""The pages as a user uses them, through Django's test client."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from django.http import StreamingHttpResponse
from django.test import Client

from factorysec.analysis import analyze
from factorysec.catalog import load_catalog
from factorysec.model import load_model
from factorysec.model.entities import SINGLETONS
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.sections import list_columns
from factorysec.workspace.factories.store import SECTIONS, factory_model, item_class, save_element
from tests.workspace.conftest import ANNEX_A, PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(annex_a: Factory) -> None:
    response = Client().get("/f/annex-a-factory/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_login_with_the_password_then_overview(annex_a: Factory) -> None:
    from django.contrib.auth.models import User

    User.objects.create_superuser("boss", "", PASSWORD)
    client = Client()
    page = client.get("/login/")
    assert b"csrfmiddlewaretoken" in page.content
    response = client.post("/login/", {"username": "boss", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/f/annex-a-factory/"
    assert "Annex A example factory" in response.text
    model = load_model(ANNEX_A)
    assert f">{len(model.assets)}<" in response.text
    assert "htmx-2.min.js" in response.text


@pytest.mark.parametrize("section", ["zones", "assets", "conduits", "operations", "departments", "parties"])
def test_section_lists_show_every_element(admin_client_: Client, section: str) -> None:
    response = admin_client_.get(f"/f/annex-a-factory/s/{section}/")
    assert response.status_code == 200
    for element in getattr(load_model(ANNEX_A), section):
        assert f">{element.id}</a>" in response.text


def test_list_filter_answers_htmx_with_rows_only(admin_client_: Client) -> None:
    asset = load_model(ANNEX_A).assets[0]
    response = admin_client_.get("/f/annex-a-factory/s/assets/", {"q": asset.id}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f">{asset.id}</a>" in response.text
    others = [a.id for a in load_model(ANNEX_A).assets if asset.id not in a.id and asset.id not in a.name]
    assert all(f">{other}</a>" not in response.text for other in others)


def _form_of(client: Client, url: str) -> dict[str, str]:
    """The form's current values, as a browser would post them back."""
    return _form_of_page(client.get(url).text)


def _form_of_page(html: str) -> dict[str, str]:
    """The values of the element form ``html`` shows, as a browser would post them back (a text area's text without
    the line break that opens it, which HTML drops)."""
    data: dict[str, str] = {}
    for name, value in re.findall(
        r'<input type="(?:text|number|date)" id="id_[^"]+" name="([^"]+)" value="([^"]*)"', html
    ):
        data[name] = (
            value.replace("&amp;", "&")
            .replace("&#x27;", "'")
            .replace("&quot;", '"')
            .replace("&lt;", "<")
            .replace("&gt;", ">")
        )
    for name, body in re.findall(r'<select id="id_[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = selected.group(1) if selected else ""
    for name, body in re.findall(r'<textarea id="id_[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = (
            body.removeprefix("\n")
            .replace("&amp;", "&")
            .replace("&#x27;", "'")
            .replace("&quot;", '"')
            .replace("&lt;", "<")
            .replace("&gt;", ">")
        )
    for name in re.findall(r'<input type="checkbox" id="id_[^"]+" name="([^"]+)" checked', html):
        data[name] = "on"
    for value in re.findall(r'<input type="hidden" name="version" value="(\d+)">', html):
        data["version"] = value
    return data


@pytest.mark.parametrize(
    ("field_name", "value", "message"),
    [
        ("zone", "no-such-zone", "no-such-zone"),
        ("traits", "oss, remote-access, oss", "&#x27;oss&#x27; is listed twice"),
    ],
)
def test_a_refused_edit_shows_the_check_message_on_its_field(
    admin_client_: Client, annex_a: Factory, field_name: str, value: str, message: str
) -> None:
    asset = load_model(ANNEX_A).assets[0]
    url = f"/f/annex-a-factory/s/assets/e/{asset.id}/"
    data = _form_of(admin_client_, url) | {field_name: value}
    response = admin_client_.post(url, data)
    assert response.status_code == 422
    field = re.search(
        rf'<div class="field has-error" id="field-{field_name}">(.*?)</div>\s*</div>', response.text, re.S
    )
    assert field is not None, f"the {field_name} field is not marked as wrong"
    assert message in field.group(1)
    assert Element.objects.get(factory=annex_a, section="assets", key=asset.id).version == 1


def test_saving_the_form_unchanged_keeps_the_model_equal(admin_client_: Client, annex_a: Factory) -> None:
    """The form reads back exactly what it shows: posting every asset's form unchanged leaves the model as it was."""
    before = factory_model(annex_a)
    for asset in before.assets:
        url = f"/f/annex-a-factory/s/assets/e/{asset.id}/"
        response = admin_client_.post(url, _form_of(admin_client_, url))
        assert response.status_code == 302, response.text[:2000]
    assert factory_model(annex_a) == before


def test_a_good_edit_is_saved_with_a_new_version_and_shown_in_history(admin_client_: Client, annex_a: Factory) -> None:
    asset = load_model(ANNEX_A).assets[0]
    url = f"/f/annex-a-factory/s/assets/e/{asset.id}/"
    data = _form_of(admin_client_, url) | {"description": "checked on site", "comment": "site walk"}
    response = admin_client_.post(url, data, follow=True)
    assert response.status_code == 200
    assert factory_model(annex_a).assets[0].description == "checked on site"
    assert "site walk" in response.text and "root" in response.text


def test_nested_yaml_that_cannot_be_read_is_reported_on_its_field(admin_client_: Client) -> None:
    asset = load_model(ANNEX_A).assets[0]
    url = f"/f/annex-a-factory/s/assets/e/{asset.id}/"
    response = admin_client_.post(url, _form_of(admin_client_, url) | {"importance": "safety: [high"})
    assert response.status_code == 422
    assert re.search(r'id="field-importance">.*?not readable as YAML', response.text, re.S)


def test_a_new_zone_from_the_form(admin_client_: Client, annex_a: Factory) -> None:
    response = admin_client_.post(
        "/f/annex-a-factory/s/zones/new/", {"id": "spare", "name": "Spare zone", "kind": "other"}
    )
    assert response.status_code == 302
    assert "spare" in {z.id for z in factory_model(annex_a).zones}


def test_a_new_zone_without_its_required_name_is_refused_on_the_field(admin_client_: Client) -> None:
    response = admin_client_.post("/f/annex-a-factory/s/zones/new/", {"id": "spare", "kind": "other"})
    assert response.status_code == 422
    assert re.search(r'has-error" id="field-name">.*?missing required field', response.text, re.S)


def test_deleting_a_used_zone_is_refused_with_the_reason(admin_client_: Client, annex_a: Factory) -> None:
    zone = load_model(ANNEX_A).assets[0].zone
    response = admin_client_.post(f"/f/annex-a-factory/s/zones/e/{zone}/delete/", {"confirm": "yes"}, follow=True)
    assert zone in {z.id for z in factory_model(annex_a).zones}
    assert "assets/" in response.text


def test_deleting_an_element_someone_saved_since_the_page_was_opened_deletes_nothing(
    admin_client_: Client, annex_a: Factory
) -> None:
    """The delete button sent no version: whoever opened an element, then clicked Delete after a colleague had saved a
    newer version, deleted that version unseen. The form names the version it shows; a newer one is not deleted."""
    from django.contrib.auth.models import User

    from factorysec.workspace.factories.store import save_element

    admin_client_.post("/f/annex-a-factory/s/zones/new/", {"id": "spare", "name": "Spare", "kind": "other"})
    page = admin_client_.get("/f/annex-a-factory/s/zones/e/spare/").text
    delete_form = re.search(
        r'<form method="post" action="/f/annex-a-factory/s/zones/e/spare/delete/">(.*?)</form>', page, re.S
    )
    assert delete_form is not None
    shown = re.search(r'name="version" value="(\d+)"', delete_form.group(1))
    assert shown is not None, "the delete form names the version it shows"
    colleague = User.objects.create_user("colleague", password="a long test password 42")
    save_element(
        annex_a, "zones", "spare", {"id": "spare", "name": "Spare (kept for line 3)", "kind": "other"}, colleague
    )
    response = admin_client_.post(
        "/f/annex-a-factory/s/zones/e/spare/delete/", {"version": shown.group(1), "confirm": "yes"}, follow=True
    )
    assert "Not deleted: colleague saved this element (version 2) after you opened version 1." in response.text
    assert {z.id: z.name for z in factory_model(annex_a).zones}["spare"] == "Spare (kept for line 3)"
    current = re.search(r'name="version" value="(\d+)"', response.text.split("/delete/")[1])
    assert current is not None and current.group(1) == "2"
    deleted = admin_client_.post(
        "/f/annex-a-factory/s/zones/e/spare/delete/", {"version": "2", "confirm": "yes"}, follow=True
    )
    assert "Deleted Zones / spare." in deleted.text and "spare" not in {z.id for z in factory_model(annex_a).zones}


def test_analysis_shows_the_same_findings_as_the_cli(admin_client_: Client) -> None:
    expected = analyze(load_model(ANNEX_A), load_catalog(), today=dt.date.today())
    page = admin_client_.get("/f/annex-a-factory/analysis/")
    assert page.status_code == 200 and 'hx-post="/f/annex-a-factory/analysis/"' in page.text
    response = admin_client_.post("/f/annex-a-factory/analysis/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text and 'data-status="done"' in response.text
    response = admin_client_.get("/f/annex-a-factory/results/")
    shown = re.findall(r'<td class="rule">([^<]+)</td><td>([^<]+)</td><td>(\w+) <code>([^<]+)</code>', response.text)
    assert shown == [
        (f.rule, f.reference.replace("&", "&amp;"), f.subject.kind, f.subject.id) for f in expected.findings
    ]
    assert f"{len(expected.findings)} findings" in response.text


def test_analysis_in_japanese_after_switching_language(admin_client_: Client) -> None:
    expected = analyze(load_model(ANNEX_A), load_catalog(), today=dt.date.today())
    response = admin_client_.post(
        "/i18n/setlang/", {"language": "ja", "next": "/f/annex-a-factory/analysis/"}, follow=True
    )
    assert response.status_code == 200
    assert "分析を実行" in response.text and "Run the analysis" not in response.text
    admin_client_.post("/f/annex-a-factory/analysis/", HTTP_HX_REQUEST="true")
    response = admin_client_.get("/f/annex-a-factory/results/")
    assert expected.findings[0].title.ja in response.text
    assert expected.findings[0].title.en not in response.text
    assert "指摘: ゾーン別" in admin_client_.get("/f/annex-a-factory/results/by/zone/").text


def test_export_is_the_model_as_yaml(admin_client_: Client) -> None:
    response = admin_client_.get("/f/annex-a-factory/export.yaml")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="annex-a-factory.yaml"'
    from factorysec.model.entities import FactoryModel

    assert FactoryModel.model_validate(yaml.safe_load(response.content)) == load_model(ANNEX_A)


def test_import_of_a_bad_file_names_file_line_and_field(admin_client_: Client, annex_a: Factory) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = b"factory: {id: f, name: F}\nzones:\n  - {id: z, name: Z, kind: nowhere}\n"
    response = admin_client_.post(
        "/f/annex-a-factory/import/", {"model": SimpleUploadedFile("plant.yaml", bad)}, follow=True
    )
    assert response.status_code == 200 and 'data-status="failed"' in response.text
    assert "plant.yaml:3:" in response.text and "zones[0].kind" in response.text
    assert factory_model(annex_a) == load_model(ANNEX_A)


def test_import_of_a_good_file_replaces_the_model(admin_client_: Client, annex_a: Factory) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = b"factory: {id: f, name: F}\nzones:\n  - {id: z, name: Z, kind: office}\n"
    response = admin_client_.post(
        "/f/annex-a-factory/import/", {"model": SimpleUploadedFile("plant.yaml", good)}, follow=True
    )
    assert 'data-status="done"' in response.text and "Imported plant.yaml" in response.text
    model = factory_model(annex_a)
    assert [z.id for z in model.zones] == ["z"] and model.assets == []


def test_health(client: Client, db: None) -> None:
    assert client.get("/health/").json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("url", "content"),
    [("/static/django_htmx/htmx-2.min.js", b"htmx"), ("/static/factorysec/workspace.css", b".has-error")],
)
def test_static_files_are_served_by_the_app(client: Client, db: None, url: str, content: bytes) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert content in response.getvalue()


@pytest.mark.parametrize(
    "path", [p for p in __import__("tests.workspace.test_store", fromlist=["EXAMPLES"]).EXAMPLES], ids=lambda p: p.name
)
def test_workbook_export_reads_back_as_the_same_model(
    admin_client_: Client, annex_a: Factory, path: object, tmp_path: object
) -> None:
    """Workbook round trip on every example: load into the store, download the workbook, read it as the CLI does."""
    from pathlib import Path

    from factorysec.workspace.factories.store import import_model

    assert isinstance(path, Path) and isinstance(tmp_path, Path)
    model = load_model(path)
    import_model(annex_a, model)
    response = admin_client_.get("/f/annex-a-factory/export.xlsx")
    assert response.status_code == 200
    (tmp_path / "plant.xlsx").write_bytes(response.content)
    assert load_model(tmp_path / "plant.xlsx") == model


def test_reports_zip_holds_what_factorysec_report_writes(admin_client_: Client) -> None:
    import io
    import json
    import zipfile

    queued = admin_client_.post("/f/annex-a-factory/reports/", follow=True)
    link = re.search(r'href="(/f/annex-a-factory/jobs/\d+/reports.zip)"', queued.text)
    assert link is not None, queued.text
    response = admin_client_.get(link.group(1))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {
        "annex-a-factory.yaml",
        "reports/report.html",
        "reports/report.xlsx",
        "reports/report.md",
        "reports/assessment.json",
        "reports/findings.sarif",
    } <= names
    expected = analyze(load_model(ANNEX_A), load_catalog(), today=dt.date.today())
    written = json.loads(archive.read("reports/assessment.json"))
    assert [f["id"] for f in written["findings"]] == [f.id for f in expected.findings]


def test_every_list_column_is_a_field_of_its_section(annex_a: Factory, admin_client_: Client) -> None:
    """A section without a name (requirements, measures, reviews) lists what names it: its list showed an empty
    ``name`` column, a field its elements do not have."""
    for section in SECTIONS:
        if section in SINGLETONS:
            continue
        fields = {info.alias or name for name, info in item_class(section).model_fields.items()}
        assert [column for column, _title in list_columns(section) if column not in fields] == [], section
    save_element(annex_a, "requirements", None, {"id": "cra", "title": "Meet the EU CRA", "kind": "law-regulation"})
    save_element(
        annex_a, "measures", None, {"id": "m1", "measure": "net-zone-boundary-filtering", "applies_to": ["oa"]}
    )
    save_element(annex_a, "reviews", None, {"id": "r1", "date": "2026-01-15", "trigger": "scheduled"})
    for section, cells in {
        "requirements": "<td>Meet the EU CRA</td><td>law-regulation</td><td></td>",
        "measures": "<td>net-zone-boundary-filtering</td><td>oa</td><td>implemented</td>",
        "reviews": "<td>2026-01-15</td><td>scheduled</td>",
    }.items():
        assert cells in admin_client_.get(f"/f/annex-a-factory/s/{section}/").text, section


def test_delete_asks_first_and_deletes_only_what_the_reader_confirms(admin_client_: Client, annex_a: Factory) -> None:
    """Delete on an element's page deleted it at once, without a question: one stray click took an element out of the
    model. The button now opens a plain page that asks (no script needed), naming the version; its button deletes."""
    admin_client_.post("/f/annex-a-factory/s/zones/new/", {"id": "spare", "name": "Spare", "kind": "other"})
    url = "/f/annex-a-factory/s/zones/e/spare/delete/"
    asked = admin_client_.post(url, {"version": "1"})
    assert asked.status_code == 200
    assert "spare" in {z.id for z in factory_model(annex_a).zones}, "one click deletes nothing"
    assert "<h1>Delete Zones / spare?</h1>" in asked.text and "Zones / spare (version 1)" in asked.text
    confirm = re.search(r'<form method="post" action="([^"]+)" id="confirm-form">(.*?)</form>', asked.text, re.S)
    assert confirm is not None and confirm.group(1) == url
    hidden = dict(re.findall(r'<input type="hidden" name="(version|confirm)" value="([^"]*)">', confirm.group(2)))
    assert hidden == {"version": "1", "confirm": "yes"}
    assert '<a href="/f/annex-a-factory/s/zones/e/spare/" id="cancel">Cancel</a>' in confirm.group(2)
    admin_client_.cookies["django_language"] = "ja"
    assert "<h1>ゾーン / spare を削除しますか？</h1>" in admin_client_.post(url, {"version": "1"}).text
    admin_client_.cookies["django_language"] = "en"
    deleted = admin_client_.post(url, hidden, follow=True)
    assert "Deleted Zones / spare." in deleted.text and "spare" not in {z.id for z in factory_model(annex_a).zones}
