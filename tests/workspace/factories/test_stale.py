"""A stored model this version's check refuses (a database an older, less strict version wrote): the pages and the API
that need the whole model answer 409 with the check's problems, the element's own page still fixes it, and
``factorysec serve`` warns about it at start."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client, RequestFactory
from django.utils import translation

from factorysec.model import ModelInputError, dump_model, load_model
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.factories.models import Element, Factory, Job
from factorysec.workspace.factories.store import factory_model
from tests.workspace.conftest import ANNEX_A, client_for, make_member
from tests.workspace.test_views import _form_of

pytestmark = pytest.mark.django_db

SLUG = "annex-a-factory"
SCADA = f"/f/{SLUG}/s/assets/e/scada/"
API = f"/api/factories/{SLUG}"
WHOLE_MODEL_PAGES = [
    f"/f/{SLUG}/export.yaml",
    f"/f/{SLUG}/export.xlsx",
    f"/f/{SLUG}/trackers/findings.csv",
    f"/f/{SLUG}/trackers/actions.xlsx",
]


def _store_repeat(factory: Factory) -> None:
    """What an older version stored and this one refuses: a trait listed twice, written straight into the row."""
    row = Element.objects.get(factory=factory, section="assets", key="scada")
    assert row.payload["traits"] == ["general-purpose"]
    Element.objects.filter(pk=row.pk).update(payload={**row.payload, "traits": ["general-purpose", "general-purpose"]})


def _check_says(tmp_path: Path) -> tuple[str, str, str]:
    """The field, message and hint ``factorysec check`` gives for the same repeat in a model file (its own loader)."""
    document = yaml.safe_load(dump_model(load_model(ANNEX_A)))
    scada = next(asset for asset in document["assets"] if asset["id"] == "scada")
    scada["traits"] = ["general-purpose", "general-purpose"]
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(ModelInputError) as refused:
        load_model(path)
    (problem,) = refused.value.problems
    field = problem.field.split(".", 1)[1]  # assets[<index>].traits[1]: the element's own field
    return field, problem.message, problem.hint


@pytest.mark.parametrize("url", WHOLE_MODEL_PAGES)
def test_a_page_needing_the_whole_model_answers_409_naming_the_factory_element_field_and_message(
    admin_client_: Client, annex_a: Factory, url: str, tmp_path: Path
) -> None:
    _store_repeat(annex_a)
    field, message, hint = _check_says(tmp_path)
    assert field == "traits[1]" and message == "'general-purpose' is listed twice" and hint

    response = admin_client_.get(url)

    assert response.status_code == 409, response.content[:500]
    assert response["Content-Type"].startswith("text/html")
    page = response.text
    assert "Annex A example factory" in page and SLUG in page
    assert "does not pass the check of this factorysec version" in page
    rows = re.findall(r"<tr><td>(.*?)</td><td><code>(.*?)</code></td><td>(.*?)</td></tr>", page)
    assert rows == [(f'<a href="{SCADA}">assets/scada</a>', field, f"{message} ({hint})".replace("'", "&#x27;"))]
    assert "1 problem, as factorysec check reports it" in page


def test_the_page_is_in_japanese_for_a_japanese_browser(admin_client_: Client, annex_a: Factory) -> None:
    _store_repeat(annex_a)
    response = admin_client_.get(WHOLE_MODEL_PAGES[0], HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 409
    page = response.text
    for japanese in (
        "<title>保存モデルがチェックを通りません",
        "保存されているモデルがこの版のチェックを通りません",
        "工場 Annex A example factory（annex-a-factory）の保存されているモデルは",
        "問題 1 件（factorysec check の表示のとおり）",
        "<th>要素</th><th>フィールド</th><th>問題</th>",
        ">概要</a>",
    ):
        assert japanese in page, japanese
    assert f'<a href="{SCADA}">assets/scada</a>' in page


def test_a_vendor_gets_the_page_without_the_problems_in_both_languages(annex_a: Factory) -> None:
    _store_repeat(annex_a)
    vendor = make_member(annex_a, Role.VENDOR, "line-vendor")
    from factorysec.workspace.factories.stale import stored_model_page
    from factorysec.workspace.factories.store import StoredModelError

    with pytest.raises(StoredModelError) as caught:
        factory_model(annex_a)
    request = RequestFactory().get(f"/f/{SLUG}/")
    request.user = vendor
    with translation.override("en"):
        page = stored_model_page(request, caught.value)
    assert page.status_code == 409
    text = page.content.decode()
    assert 'id="problems"' not in text and "scada" not in text
    assert "1 problem is in elements your role does not see" in text
    with translation.override("ja"):
        text = stored_model_page(request, caught.value).content.decode()
    assert "問題 1 件は、あなたの役割では見えない要素にあります" in text


def test_pages_that_do_not_need_the_whole_model_still_open(admin_client_: Client, annex_a: Factory) -> None:
    """The overview, the lists and the element pages read rows, not the whole model: they open as usual."""
    _store_repeat(annex_a)
    assert admin_client_.get(WHOLE_MODEL_PAGES[0]).status_code == 409
    for url in (f"/f/{SLUG}/", f"/f/{SLUG}/s/assets/", SCADA):
        assert admin_client_.get(url).status_code == 200, url


def test_the_api_answers_409_with_the_problems_as_json(admin_client_: Client, annex_a: Factory) -> None:
    _store_repeat(annex_a)
    response = admin_client_.get(f"{API}/model")
    assert response.status_code == 409, response.content[:500]
    body = response.json()
    assert body["factory"] == SLUG and "does not pass this version's check" in body["detail"][0]["msg"]
    assert body["problems"] == [
        {
            "section": "assets",
            "key": "scada",
            "field": "traits[1]",
            "message": "'general-purpose' is listed twice",
            "hint": "list each value once: remove this one",
        }
    ]
    assert body["hidden_problems"] == 0


def test_an_analysis_job_fails_with_the_problems_not_a_traceback(admin_client_: Client, annex_a: Factory) -> None:
    _store_repeat(annex_a)
    response = admin_client_.post(f"{API}/analysis")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == Job.Status.FAILED and job.stage == "refused"
    problems = job.result["problems"]
    assert f"the stored model of factory '{SLUG}' does not pass" in problems[0]
    assert problems[1:] == [
        "assets/scada: traits[1]: 'general-purpose' is listed twice (list each value once: remove this one)"
    ]


def test_the_elements_page_opens_and_a_corrected_save_makes_the_model_whole_again(
    admin_client_: Client, annex_a: Factory
) -> None:
    """From the 409 page's link to the element's form: the form opens (200) with the repeat, a corrected save is
    stored, and the pages and the API that need the whole model answer again."""
    _store_repeat(annex_a)
    refused = admin_client_.get(WHOLE_MODEL_PAGES[0])
    assert refused.status_code == 409 and f'<a href="{SCADA}">assets/scada</a>' in refused.text
    form = _form_of(admin_client_, SCADA)
    assert admin_client_.get(SCADA).status_code == 200
    assert form["traits"] == "general-purpose, general-purpose"

    saved = admin_client_.post(SCADA, form | {"traits": "general-purpose"})

    assert saved.status_code == 302, saved.text[:2000]
    assert Element.objects.get(factory=annex_a, section="assets", key="scada").payload["traits"] == ["general-purpose"]
    assert admin_client_.get(WHOLE_MODEL_PAGES[0]).status_code == 200
    assert admin_client_.get(f"{API}/model").status_code == 200
    assert factory_model(annex_a).assets


def test_saving_the_element_with_the_repeat_still_is_refused_on_its_field(
    admin_client_: Client, annex_a: Factory
) -> None:
    """An edit refused for its own content keeps its answer (422, the message on the field), not the 409 page."""
    _store_repeat(annex_a)
    refused = admin_client_.post(SCADA, _form_of(admin_client_, SCADA) | {"name": "SCADA 2"})
    assert refused.status_code == 422
    assert "is listed twice" in refused.text and 'id="stale"' not in refused.text
    assert admin_client_.get(WHOLE_MODEL_PAGES[0]).status_code == 409  # nothing stored: still the same problem


def test_another_element_saves_while_the_model_does_not_pass(admin_client_: Client, annex_a: Factory) -> None:
    _store_repeat(annex_a)
    url = f"/f/{SLUG}/s/zones/e/monitoring-zone/"
    saved = admin_client_.post(url, _form_of(admin_client_, url) | {"name": "Monitoring (renamed)"})
    assert saved.status_code == 302, saved.text[:2000]
    still = admin_client_.get(f"{API}/model")  # the zone is saved; the asset's repeat is still to correct
    assert still.status_code == 409 and [p["key"] for p in still.json()["problems"]] == ["scada"]


def test_a_vendor_is_told_how_many_problems_not_what_they_are(annex_a: Factory) -> None:
    _store_repeat(annex_a)
    vendor = make_member(annex_a, Role.VENDOR, "line-vendor")
    management = make_member(annex_a, Role.MANAGEMENT)
    auditor = make_member(annex_a, Role.AUDIT)
    from factorysec.workspace.factories.stale import visible_problems
    from factorysec.workspace.factories.store import StoredModelError

    with pytest.raises(StoredModelError) as caught:
        factory_model(annex_a)
    assert visible_problems(vendor, annex_a, caught.value)[0] == []
    assert visible_problems(vendor, annex_a, caught.value)[1] == 1
    assert visible_problems(management, annex_a, caught.value)[1] == 1
    shown, hidden = visible_problems(auditor, annex_a, caught.value)
    assert hidden == 0 and [(s.element, s.url) for s in shown] == [("assets/scada", SCADA)]
    page = client_for(auditor).get(WHOLE_MODEL_PAGES[0])
    assert page.status_code == 409 and 'id="hidden-problems"' not in page.text


def test_serve_warns_one_line_per_factory_with_the_count_and_the_first_problem(annex_a: Factory) -> None:
    other = Factory.objects.create(slug="other", name="Other")
    Element.objects.create(factory=other, section="factory", key="factory", position=0, payload=_factory_head())
    from factorysec.workspace.factories.stale import stale_factories, stale_warning

    _store_repeat(annex_a)
    found = stale_factories()
    assert [error.factory.slug for error in found] == [SLUG]
    assert stale_warning(found[0]) == (
        f"warning: factory '{SLUG}': its stored model does not pass this version's check (1 problem; first: "
        "assets/scada: traits[1]: 'general-purpose' is listed twice (list each value once: remove this one)); pages that need the whole model answer 409 "
        "until the elements are corrected in the workspace"
    )


def _factory_head() -> dict[str, Any]:
    head: dict[str, Any] = load_model(ANNEX_A).factory.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return head


@pytest.mark.parametrize("kind", [Job.Kind.REPORTS, Job.Kind.VULNERABILITIES])
def test_the_report_bundle_and_vulnerability_jobs_fail_with_the_problems_not_a_traceback(
    admin_client_: Client, annex_a: Factory, kind: Job.Kind, tmp_path: Path, settings: Any
) -> None:
    """The other jobs that read the whole stored model outside a request end as the analysis job does: refused, with
    the check's problems on the job row (no traceback in the worker, nothing written)."""
    from tests.vulnerability.conftest import CHOSEN, CSAF_DIR

    folder = tmp_path / "advisories"
    folder.mkdir()
    name = next(iter(CHOSEN.values()))
    (folder / Path(name).name).write_bytes((CSAF_DIR / name).read_bytes())
    settings.FACTORYSEC_ADVISORIES_PATH = str(folder)
    _store_repeat(annex_a)

    admin_client_.post(f"/f/{SLUG}/{'reports' if kind == Job.Kind.REPORTS else 'vulnerabilities'}/")

    job = Job.objects.get(factory=annex_a, kind=kind)
    assert job.status == Job.Status.FAILED and job.stage == "refused" and not job.output
    assert job.result["problems"][1:] == [
        "assets/scada: traits[1]: 'general-purpose' is listed twice (list each value once: remove this one)"
    ]


def test_a_refused_stored_model_is_not_a_refused_change() -> None:
    """The factory's state, not a request's content: a handler of refused changes (``except StoreError``) never takes
    it for one, so each page, call and job answers it as the stored model's problem (the 409 page or JSON, a refused
    job) or holds what needs it (the supplier portal)."""
    from factorysec.workspace.factories.store import StoredModelError, StoreError

    assert not issubclass(StoredModelError, StoreError)


def test_the_element_api_saves_and_refuses_as_usual_while_the_model_does_not_pass(
    admin_client_: Client, annex_a: Factory
) -> None:
    """Both element APIs (the typed PUT and the versioned one) check an edit on the element and the entries its checks
    read, never the whole stored model: another element saves (200), the repeat itself is refused on its field (422)."""
    _store_repeat(annex_a)
    zone = Element.objects.get(factory=annex_a, section="zones", key="monitoring-zone")
    renamed = {**zone.payload, "name": "Monitoring (renamed)"}
    typed = admin_client_.put(f"{API}/zones/monitoring-zone", renamed, content_type="application/json")
    assert typed.status_code == 200, typed.content[:500]
    versioned = admin_client_.put(
        f"/api/factories/{SLUG}/elements/zones/monitoring-zone",
        {"version": zone.version + 1, "payload": {**renamed, "name": "Monitoring (again)"}},
        content_type="application/json",
    )
    assert versioned.status_code == 200, versioned.content[:500]
    assert Element.objects.get(pk=zone.pk).payload["name"] == "Monitoring (again)"
    scada = Element.objects.get(factory=annex_a, section="assets", key="scada")
    typed = admin_client_.put(  # the typed PUT's class refuses the repeat itself: a zone the model does not hold
        f"{API}/assets/scada",
        {**scada.payload, "traits": ["general-purpose"], "zone": "no-such-zone"},
        content_type="application/json",
    )
    versioned = admin_client_.put(
        f"/api/factories/{SLUG}/elements/assets/scada",
        {"version": scada.version, "payload": {**scada.payload, "name": "SCADA 2"}},
        content_type="application/json",
    )
    for refused, field in ((typed, "zone"), (versioned, "traits[1]")):
        assert refused.status_code == 422, refused.content[:500]
        assert ("scada", field) in [(p["key"], p["field"]) for p in refused.json()["problems"]]
        assert "does not pass this version's check" not in refused.text
    assert Element.objects.get(pk=scada.pk).version == scada.version, "nothing stored"


def test_deleting_an_element_answers_as_usual_while_the_model_does_not_pass(
    admin_client_: Client, annex_a: Factory
) -> None:
    """A delete is checked on what refers to the element: an unused zone goes, a used one is refused with the reason
    (the element's page and a message), neither is the 409 page."""
    assert (
        admin_client_.post(f"/f/{SLUG}/s/zones/new/", {"id": "spare", "name": "Spare", "kind": "other"}).status_code
        == 302
    )
    _store_repeat(annex_a)
    deleted = admin_client_.post(f"/f/{SLUG}/s/zones/e/spare/delete/", {"confirm": "yes"})
    assert deleted.status_code == 302 and deleted["Location"] == f"/f/{SLUG}/s/zones/"
    assert Element.objects.get(factory=annex_a, section="zones", key="spare").payload is None
    refused = admin_client_.post(f"/f/{SLUG}/s/zones/e/monitoring-zone/delete/", {"confirm": "yes"}, follow=True)
    assert refused.status_code == 200 and 'id="stale"' not in refused.text
    assert "assets/scada" in refused.text and "monitoring-zone" in refused.text
    assert Element.objects.get(factory=annex_a, section="zones", key="monitoring-zone").payload is not None


@pytest.mark.parametrize(
    "url", [f"/f/{SLUG}/export.xlsx", f"/f/{SLUG}/trackers/findings.xlsx", f"/f/{SLUG}/export.yaml"]
)
def test_an_export_of_text_an_earlier_version_stored_is_the_409_page_naming_it(
    admin_client_: Client, annex_a: Factory, url: str
) -> None:
    """A control character stored before the workspace refused it (a form accepted it until this version): the
    workbook export and the trackers' xlsx answered 500, and the YAML export wrote it escaped, a file ``check`` then
    refused. The check of a model built in memory does not look at text, so the failed write (or, for YAML, the escape
    written) is what finds it; the page names the element and field, as for any stored model that does not pass."""
    row = Element.objects.get(factory=annex_a, section="assets", key="scada")
    Element.objects.filter(pk=row.pk).update(payload={**row.payload, "name": "SCADA\x1b[31m"})

    response = admin_client_.get(url)

    assert response.status_code == 409, response.content[:300]
    rows = re.findall(r"<tr><td>(.*?)</td><td><code>(.*?)</code></td><td>(.*?)</td></tr>", response.text)
    assert [(element, field) for element, field, _ in rows] == [(f'<a href="{SCADA}">assets/scada</a>', "name")]
    assert "U+001B (escape)" in rows[0][2]


def test_the_yaml_export_keeps_a_backslash_that_only_looks_like_an_escape(
    admin_client_: Client, annex_a: Factory, tmp_path: Path
) -> None:
    """``C:\\folder`` holds what may be an escape of a control character, written as it is: the export looks at the
    stored texts, finds none refused, and writes the model."""
    row = Element.objects.get(factory=annex_a, section="assets", key="scada")
    Element.objects.filter(pk=row.pk).update(payload={**row.payload, "name": "SCADA C:\\folder \\e \\x1b"})

    response = admin_client_.get(f"/f/{SLUG}/export.yaml")

    assert response.status_code == 200, response.content[:300]
    names = {asset["id"]: asset["name"] for asset in yaml.safe_load(response.content)["assets"]}
    assert names["scada"] == "SCADA C:\\folder \\e \\x1b"
    exported = tmp_path / "model.yaml"
    exported.write_bytes(response.content)
    assert next(a.name for a in load_model(exported).assets if a.id == "scada") == names["scada"]


def test_a_report_job_on_text_an_earlier_version_stored_is_refused_naming_the_element(
    admin_client_: Client, annex_a: Factory
) -> None:
    """The report bundle exports the stored model to a file and reads it back as the CLI does; a control character
    stored before the workspace refused it made the job fail with the reader's error, naming the server's temporary
    file (and a traceback in the worker's log)."""
    from factorysec.workspace.factories.models import Job

    row = Element.objects.get(factory=annex_a, section="assets", key="scada")
    Element.objects.filter(pk=row.pk).update(payload={**row.payload, "name": "SCADA\x1b[31m"})
    assert admin_client_.post(f"/f/{SLUG}/reports/").status_code == 302  # the test queue runs the job at once

    job = Job.objects.get(kind=Job.Kind.REPORTS)
    assert (job.status, job.stage) == (Job.Status.FAILED, "refused")
    problems = job.result["problems"]
    assert "does not pass this version's check" in problems[0]
    assert problems[1].startswith("assets/scada: name: text holds U+001B (escape)"), problems
    assert not any("/tmp/" in problem or "factorysec-reports-" in problem for problem in problems)
