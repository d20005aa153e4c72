"""Result pages: the analysis as a background job, findings by zone, department and action, decisions, the diagram."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from pytest_django import Settings

from factorysec.analysis import analyze
from factorysec.catalog import load_catalog
from factorysec.model import load_model
from factorysec.model.planfiles import read_decisions
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.models import AuditEntry
from factorysec.workspace.factories.models import Factory, Job
from factorysec.workspace.results.models import StoredFinding
from tests.workspace.conftest import ANNEX_A, client_for, make_member

pytestmark = pytest.mark.django_db
F = "/f/annex-a-factory"
EXPECTED = analyze(load_model(ANNEX_A), load_catalog(), today=dt.date.today())


def _analyse(client: Client) -> None:
    response = client.post(f"{F}/analysis/", HTTP_HX_REQUEST="true")
    assert 'data-status="done"' in response.text, response.text


def test_the_database_queue_and_its_worker_run_the_analysis(
    admin_client_: Client, annex_a: Factory, settings: Settings
) -> None:
    """With the real database backend a request only queues the job; the worker (db_worker, run here in-process) does it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    response = admin_client_.post(f"{F}/analysis/", HTTP_HX_REQUEST="true")
    job = Job.objects.get(factory=annex_a, kind=Job.Kind.ANALYSIS)
    assert (
        job.status == Job.Status.QUEUED
        and 'data-status="queued"' in response.text
        and 'hx-trigger="every 1s"' in response.text
    )
    assert not StoredFinding.objects.exists()
    # In its own process the worker closes stale connections between tasks; here it shares the test's connection (and
    # transaction), which it must keep open.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=False, interval=0.01, verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100, job.stage
    assert list(StoredFinding.objects.filter(job=job).values_list("finding", flat=True)) == [
        f.id for f in EXPECTED.findings
    ]
    polled = admin_client_.get(f"{F}/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert 'data-status="done"' in polled.text and "hx-trigger" not in polled.text


def test_findings_by_zone_department_and_action(admin_client_: Client) -> None:
    _analyse(admin_client_)
    model = load_model(ANNEX_A)
    asset_zone = {a.id: a.zone for a in model.assets}
    expected_zones: dict[str, int] = {}
    for f in EXPECTED.findings:
        zone = (
            f.subject.id
            if f.subject.kind == "zone"
            else asset_zone.get(f.subject.id, "")
            if f.subject.kind == "asset"
            else None
        )
        if zone is not None:
            expected_zones[zone or ""] = expected_zones.get(zone or "", 0) + 1
    page = admin_client_.get(f"{F}/results/by/zone/").text
    counts = {z: int(n) for z, n in re.findall(r'\?zone=([^"]*)">.*?<td class="count">(\d+)</td>', page)}
    for zone, n in expected_zones.items():
        if zone:
            assert counts.get(zone) == n, (zone, counts)
    zone, n = next((z, c) for z, c in counts.items() if z)
    listed = admin_client_.get(f"{F}/results/?zone={zone}").text
    assert f"{n} finding" in listed
    missing: dict[str, int] = {}
    for gap in EXPECTED.gaps:
        for measure in (*gap.missing, *gap.partial):
            missing[measure] = missing.get(measure, 0) + 1
    actions = admin_client_.get(f"{F}/results/by/action/").text
    shown = {m: int(c) for m, c in re.findall(r'\?action=([^"]*)">.*?<td class="count">(\d+)</td>', actions)}
    assert shown == missing and shown
    departments = admin_client_.get(f"{F}/results/by/department/").text
    assert sum(int(c) for c in re.findall(r'<td class="count">(\d+)</td>', departments)) == len(EXPECTED.findings)
    assert admin_client_.get(f"{F}/results/by/nothing/").status_code == 404


def test_a_decision_has_the_meaning_of_decisions_yaml(admin_client_: Client, annex_a: Factory, tmp_path: Path) -> None:
    _analyse(admin_client_)
    finding = EXPECTED.findings[0].id
    url = f"{F}/results/finding/{finding}/"
    refused = admin_client_.post(
        url, {"form": "decision", "status": "accepted", "owner": "it-security", "justification": ""}
    )
    assert refused.status_code == 422 and 'id="error-justification"' in refused.text
    refused = admin_client_.post(
        url, {"form": "decision", "status": "ignored", "owner": "it-security", "justification": "x"}
    )
    assert refused.status_code == 422 and 'id="error-status"' in refused.text
    saved = admin_client_.post(
        url,
        {
            "form": "decision",
            "status": "accepted",
            "owner": "it-security",
            "justification": "segmented VLAN",
            "review_by": "2099-01-31",
        },
    )
    assert saved.status_code == 302
    logged = AuditEntry.objects.filter(action="decision-created", subject=finding)
    assert logged.count() == 1 and logged[0].detail["justification"] == "segmented VLAN"
    assert finding in admin_client_.get(f"{F}/decisions/").text  # the audit app's decision page: one store
    admin_client_.post(url, {"form": "comment", "text": "checked on site"})
    page = admin_client_.get(url).text
    assert "checked on site" in page and "segmented VLAN" in page
    exported = admin_client_.get(f"{F}/decisions.yaml").content
    (tmp_path / "decisions.yaml").write_bytes(exported)
    decisions = read_decisions(tmp_path / "decisions.yaml")
    assert [(d.finding, d.status, d.owner, d.review_by) for d in decisions] == [
        (finding, "accepted", "it-security", dt.date(2099, 1, 31))
    ]
    _analyse(admin_client_)
    applied = Job.objects.filter(kind=Job.Kind.ANALYSIS).order_by("-pk").first()
    assert applied is not None and applied.result["decisions"] == 1
    assert StoredFinding.objects.filter(job__kind=Job.Kind.ANALYSIS).exclude(job=applied).count() == 0
    listing = admin_client_.get(f"{F}/results/").text
    assert "<td>accepted</td>" in listing


def test_one_decisions_file_url() -> None:
    assert reverse("audit:decisions-file", args=["x"]) == "/f/x/decisions.yaml"
    with pytest.raises(NoReverseMatch):
        reverse("results:decisions", args=["x"])


def test_who_may_decide(annex_a: Factory, admin_client_: Client) -> None:
    _analyse(admin_client_)
    url = f"{F}/results/finding/{EXPECTED.findings[0].id}/"
    form = {"form": "decision", "status": "accepted", "owner": "risk", "justification": "insured"}
    assert client_for(make_member(annex_a, Role.AUDIT)).post(url, form).status_code == 403
    assert client_for(make_member(annex_a, Role.RISK_MANAGEMENT)).post(url, form).status_code == 302
    assert client_for(make_member(annex_a, Role.VENDOR, "line-vendor")).get(url).status_code == 403


def test_zone_diagram_page_shows_the_analysis_svg(admin_client_: Client) -> None:
    assert "No analysis has finished yet" in admin_client_.get(f"{F}/diagram/").text
    _analyse(admin_client_)
    page = admin_client_.get(f"{F}/diagram/").text
    assert '<div class="diagram" id="diagram"><svg' in page
    from factorysec.report.diagram import zone_element_id

    assert all(f'id="{zone_element_id(z.id).replace("-", "&#45;")}"' in page for z in load_model(ANNEX_A).zones)


def test_decisions_file_downloads_as_yaml(admin_client_: Client) -> None:
    assert yaml.safe_load(admin_client_.get(f"{F}/decisions.yaml").content) == {"decisions": []}


def test_the_job_keeps_the_group_counts_and_the_pages_read_them_a_page_at_a_time(
    admin_client_: Client, annex_a: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.models import Count

    from factorysec.workspace.results import views
    from factorysec.workspace.results.models import FindingAction, FindingGroup

    _analyse(admin_client_)
    job = Job.objects.get(factory=annex_a, kind=Job.Kind.ANALYSIS)
    for dimension, column in (("zone", "zone"), ("department", "holder"), ("category", "category")):
        counted = dict(
            StoredFinding.objects.filter(job=job).values_list(column).annotate(n=Count("id")).values_list(column, "n")
        )
        kept = dict(FindingGroup.objects.filter(job=job, dimension=dimension).values_list("key", "count"))
        assert kept == counted and sum(kept.values()) == len(EXPECTED.findings), dimension
    counted = dict(
        FindingAction.objects.filter(job=job).values_list("measure").annotate(n=Count("id")).values_list("measure", "n")
    )
    assert dict(FindingGroup.objects.filter(job=job, dimension="action").values_list("key", "count")) == counted
    largest_first = sorted(
        FindingGroup.objects.filter(job=job, dimension="zone").values_list("key", "count"), key=lambda g: (-g[1], g[0])
    )
    assert len(largest_first) > 2
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for number in (1, 2):
        page = admin_client_.get(f"{F}/results/by/zone/?page={number}").text
        shown = [(z, int(n)) for z, n in re.findall(r'\?zone=([^"]*)">.*?<td class="count">(\d+)</td>', page)]
        assert shown == largest_first[2 * (number - 1) : 2 * number]
    assert f"1 / {(len(largest_first) + 1) // 2}" in admin_client_.get(f"{F}/results/by/zone/?page=1").text
    # a later analysis replaces the counts of the one before
    _analyse(admin_client_)
    assert not FindingGroup.objects.filter(job=job).exists()


def test_the_zone_diagram_is_drawn_in_the_readers_language_whoever_ran_the_analysis(admin_client_: Client) -> None:
    """The job drew the diagram in its starter's language only: an analysis run from an English page showed a Japanese
    reader English legends and labels ('dashed: over an external network'), on a page otherwise in Japanese."""
    admin_client_.cookies["django_language"] = "en"
    _analyse(admin_client_)
    english = admin_client_.get(f"{F}/diagram/").text
    assert "dashed: over an external network" in english and "破線" not in english
    admin_client_.cookies["django_language"] = "ja"
    japanese = admin_client_.get(f"{F}/diagram/").text
    assert "破線：外部ネットワーク経由" in japanese and "dashed: over an external network" not in japanese


def test_a_justification_typed_on_two_lines_is_recorded_and_exported(
    admin_client_: Client, annex_a: Factory, tmp_path: Path
) -> None:
    """The browser sends a text area's line breaks as CR LF, and the decision was refused on the justification ('text
    holds U+000D (carriage return)'), on the finding's page and on the Decisions page alike."""
    _analyse(admin_client_)
    finding = "THREAT-WIRELESS@transport-zone"
    typed = {"form": "decision", "status": "in-progress", "owner": "it-security"}
    page = admin_client_.post(
        f"{F}/results/finding/{finding}/", {**typed, "justification": "AGV vendor patches quarterly.\r\nNext: March."}
    )
    assert page.status_code == 302, re.findall(r'class="error"[^>]*>([^<]*)', page.text)
    other = "THREAT-BUILT-IN-COMPUTER@transport-zone"
    listed = admin_client_.post(
        f"{F}/decisions/",
        {"finding": other, "status": "accepted", "owner": "it-security", "justification": "Isolated.\r\nChecked."},
    )
    assert listed.status_code == 302, re.findall(r'class="errorlist"[^>]*>(.*?)</ul>', listed.text, re.S)
    exported = tmp_path / "decisions.yaml"
    exported.write_bytes(admin_client_.get(f"{F}/decisions.yaml").content)
    read = {d.finding: d.justification for d in read_decisions(exported)}
    assert read == {finding: "AGV vendor patches quarterly.\nNext: March.", other: "Isolated.\nChecked."}
    admin_client_.post(f"{F}/results/finding/{finding}/", {"form": "comment", "text": "First line\r\nsecond line"})
    from factorysec.workspace.results.models import DecisionComment

    assert DecisionComment.objects.get(finding=finding).text == "First line\nsecond line"


def test_the_analysis_page_shows_the_new_results_once_its_job_is_done(admin_client_: Client, annex_a: Factory) -> None:
    """The page polls the job in place; when it was done, the summary under it still gave the previous analysis (its
    counts, digest and time) until the page was reloaded. The last poll now brings the new summary along."""
    _analyse(admin_client_)
    first = Job.objects.filter(kind=Job.Kind.ANALYSIS).latest("pk")
    Job.objects.filter(pk=first.pk).update(result={**first.result, "model_digest": "0000000000000000"})
    assert "0000000000000000" in admin_client_.get(f"{F}/analysis/").text
    _analyse(admin_client_)
    second = Job.objects.filter(kind=Job.Kind.ANALYSIS).latest("pk")
    here = f"http://testserver{F}/analysis/"
    poll = admin_client_.get(f"{F}/jobs/{second.pk}/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=here).text
    summary = re.search(r'<section id="summary" hx-swap-oob="true">(.*?)</section>', poll, re.S)
    assert summary is not None and second.result["model_digest"] in summary.group(1)
    elsewhere = admin_client_.get(
        f"{F}/jobs/{second.pk}/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{F}/jobs/{second.pk}/"
    ).text
    assert 'id="summary"' not in elsewhere, "the job's own page has no summary to replace"


def test_a_report_jobs_page_is_for_those_who_may_download_its_zip(admin_client_: Client, annex_a: Factory) -> None:
    """Management may run the analysis but not export the model, which the report zip holds: the report job's page
    offered it 'Download the reports (zip)', and the link answered 403."""
    response = admin_client_.post(f"{F}/reports/")
    job = Job.objects.get(kind=Job.Kind.REPORTS)
    assert response.status_code == 302 and job.status == Job.Status.DONE
    management = client_for(make_member(annex_a, Role.MANAGEMENT))
    assert management.get(f"{F}/jobs/{job.pk}/").status_code == 403
    assert management.get(f"{F}/jobs/{job.pk}/reports.zip").status_code == 403
    audit = client_for(make_member(annex_a, Role.AUDIT))
    page = audit.get(f"{F}/jobs/{job.pk}/")
    assert page.status_code == 200 and f"{F}/jobs/{job.pk}/reports.zip" in page.text
    assert audit.get(f"{F}/jobs/{job.pk}/reports.zip").status_code == 200


def test_a_zones_finding_names_its_zone_once(admin_client_: Client) -> None:
    """The page said 'zone transport-zone · Zone transport-zone': the subject, then the same zone as its place."""
    _analyse(admin_client_)
    page = admin_client_.get(f"{F}/results/finding/THREAT-WIRELESS@transport-zone/").text
    assert page.count("<code>transport-zone</code>") == 1, page
    assert "Zone <code>transport-zone</code>" in page  # the subject's kind, as a label starts
    placed = StoredFinding.objects.exclude(zone="").exclude(subject_kind="zone").first()
    assert placed is not None
    elsewhere = admin_client_.get(f"{F}/results/finding/{placed.finding}/").text  # another subject's zone is said
    assert f"<code>{placed.subject_id}</code> · Zone <code>{placed.zone}</code>" in elsewhere, elsewhere
