"""Result pages: start an analysis (a background job) and follow its progress; browse the stored findings by zone,
department, action and category; record decisions and comments on a finding; the zone diagram; downloads.

Nothing here analyses inside a request: the pages read what the latest
finished analysis job stored, with indexed and paginated queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from factorysec.model.loader import pydantic_said
from factorysec.model.planfiles import Decision
from factorysec.workspace.accounts.permissions import Action, can
from factorysec.workspace.audit.decisions import DecisionError, save_decision
from factorysec.workspace.audit.models import Decision as StoredDecision
from factorysec.workspace.audit.models import DecisionStatus
from factorysec.workspace.factories.access import factory_view, forbidden
from factorysec.workspace.factories.forms import newlines
from factorysec.workspace.factories.jobs import latest_analysis, running_job, start_job
from factorysec.workspace.factories.models import Element, Factory, Job
from factorysec.workspace.factories.paging import KnownCount
from factorysec.workspace.results.comments import (
    CommentError,
    add_comment,
    comments_on,
    finding_on_record,
    may_comment,
)
from factorysec.workspace.results.models import FindingAction, FindingGroup, StoredFinding

PAGE_SIZE = 100
DIMENSIONS = (gettext_noop("zone"), gettext_noop("department"), gettext_noop("action"), gettext_noop("category"))
DECISION_FIELDS = ("status", "owner", "justification", "date", "review_by")


def _lang() -> str:
    return "ja" if (get_language() or "en").startswith("ja") else "en"


@factory_view(Action.RUN_ANALYSIS)
def analysis(request: HttpRequest, factory: Factory) -> HttpResponse:
    """GET: the latest results and any job under way; POST: queue a new analysis job and show its progress."""
    from factorysec.workspace.results.tasks import analyse_factory

    if request.method == "POST":
        job = running_job(factory, Job.Kind.ANALYSIS) or start_job(
            analyse_factory, factory, Job.Kind.ANALYSIS, request.user, _lang()
        )
        if request.headers.get("HX-Request"):
            return _job_fragment(request, factory, job)
        return redirect("results:job", slug=factory.slug, pk=job.pk)
    return render(
        request,
        "results/analysis.html",
        {
            "factory": factory,
            "latest": latest_analysis(factory),
            "running": running_job(factory, Job.Kind.ANALYSIS),
            "dimensions": DIMENSIONS,
            **_rights(request, factory),
        },
    )


def _rights(request: HttpRequest, factory: Factory) -> dict[str, bool]:
    return {
        "can_export": can(request.user, factory, Action.EXPORT),
        "can_decide": can(request.user, factory, Action.DECIDE),
    }


def _job_fragment(request: HttpRequest, factory: Factory, job: Job) -> HttpResponse:
    """The job's progress, polled in place; once an analysis is done, with its results' summary to replace the analysis
    page's (htmx's out-of-band swap), which showed the previous analysis until the page was reloaded."""
    context: dict[str, Any] = {"factory": factory, "job": job}
    on_analysis_page = urlsplit(request.headers.get("HX-Current-URL", "")).path == reverse(
        "results:analysis", args=[factory.slug]
    )
    if job.kind == Job.Kind.ANALYSIS and job.status == Job.Status.DONE and on_analysis_page:
        context.update(latest=latest_analysis(factory), dimensions=DIMENSIONS, **_rights(request, factory))
    return render(request, "results/_job.html", context)


@factory_view(Action.VIEW_OVERVIEW)
def job(request: HttpRequest, factory: Factory, pk: int) -> HttpResponse:
    """A job's progress: a fragment that polls itself while the job runs (htmx), or the full page."""
    found = get_object_or_404(Job.objects.defer("output", "upload"), factory=factory, pk=pk)
    needed: dict[str, list[Action]] = {
        Job.Kind.IMPORT: [Action.IMPORT],
        Job.Kind.REPORTS: [Action.RUN_ANALYSIS, Action.EXPORT],  # its page offers the zip, which holds the model
    }
    needed_here = needed.get(str(found.kind), [Action.RUN_ANALYSIS])
    if not all(can(request.user, factory, action) for action in needed_here):
        return forbidden(request, factory)
    if request.headers.get("HX-Request"):
        return _job_fragment(request, factory, found)
    return render(request, "results/job.html", {"factory": factory, "job": found})


@factory_view(Action.RUN_ANALYSIS, Action.EXPORT)
def job_output(request: HttpRequest, factory: Factory, pk: int) -> HttpResponse:
    """The zip a finished report job wrote."""
    found = get_object_or_404(Job, factory=factory, pk=pk, kind=Job.Kind.REPORTS, status=Job.Status.DONE)
    response = HttpResponse(bytes(found.output or b""), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{factory.slug}-reports.zip"'
    return response


@factory_view(Action.RUN_ANALYSIS, Action.EXPORT)
@require_POST
def reports(request: HttpRequest, factory: Factory) -> HttpResponse:
    """Queue a job that writes what ``factorysec report`` writes (HTML, SVG, xlsx, Markdown, JSON, SARIF) beside the model and ``decisions.yaml``."""
    from factorysec.workspace.results.tasks import write_report_bundle

    found = running_job(factory, Job.Kind.REPORTS) or start_job(
        write_report_bundle, factory, Job.Kind.REPORTS, request.user, _lang()
    )
    return redirect("results:job", slug=factory.slug, pk=found.pk)


def _names(factory: Factory, keys: list[str]) -> dict[str, str]:
    """Display names of the zones, departments and parties among ``keys``, by id."""
    rows = Element.objects.filter(
        factory=factory, section__in=("zones", "departments", "parties"), key__in=keys, payload__isnull=False
    ).only("key", "payload")
    return {row.key: str(row.payload.get("name", row.key)) for row in rows}


def _measure_titles(lang: str) -> dict[str, str]:
    from factorysec.catalog import load_catalog

    return {measure_id: measure.title.get(lang) for measure_id, measure in load_catalog().measures.items()}


@factory_view(Action.RUN_ANALYSIS)
def groups(request: HttpRequest, factory: Factory, dimension: str) -> HttpResponse:
    """The latest findings counted by zone, department (or party), action (measure still missing) or category, largest
    first, a page of groups at a time: the counts were kept by the analysis job, so a page reads one page of them."""
    if dimension not in DIMENSIONS:
        raise Http404(dimension)
    latest = latest_analysis(factory)
    kept = (
        FindingGroup.objects.filter(job=latest, dimension=dimension).order_by("-count", "key")
        if latest is not None
        else FindingGroup.objects.none()
    )
    page = Paginator(kept.values_list("key", "count"), PAGE_SIZE).get_page(request.GET.get("page"))
    shown: list[tuple[str, int]] = list(page.object_list)
    if dimension == "action":
        titles = _measure_titles(_lang())
    elif dimension == "category":
        titles = {}
    else:
        titles = _names(factory, [key for key, _count in shown if key])
    counts = [(key, titles.get(key, ""), count) for key, count in shown]
    base = reverse("results:findings", kwargs={"slug": factory.slug}) + f"?{dimension}="
    return render(
        request,
        "results/groups.html",
        {
            "factory": factory,
            "latest": latest,
            "dimension": dimension,
            "page": page,
            "counts": counts,
            "base": base,
            "dimensions": DIMENSIONS,
        },
    )


def _filtered(latest: Job, request: HttpRequest) -> tuple[QuerySet[StoredFinding], dict[str, str]]:
    rows = StoredFinding.objects.filter(job=latest)
    chosen: dict[str, str] = {}
    for parameter, column in (("zone", "zone"), ("department", "holder"), ("category", "category"), ("rule", "rule")):
        if parameter in request.GET:
            chosen[parameter] = request.GET[parameter]
            rows = rows.filter(**{column: request.GET[parameter]})
    if "action" in request.GET:
        chosen["action"] = request.GET["action"]
        rows = rows.filter(
            pk__in=FindingAction.objects.filter(job=latest, measure=request.GET["action"]).values("finding_id")
        )
    return rows.order_by("position"), chosen


@factory_view(Action.RUN_ANALYSIS)
def findings(request: HttpRequest, factory: Factory) -> HttpResponse:
    """The latest findings, filtered by ``zone``, ``department``, ``action``, ``category`` or ``rule``, a page at a time."""
    latest = latest_analysis(factory)
    if latest is None:
        return redirect("results:analysis", slug=factory.slug)
    rows, chosen = _filtered(latest, request)
    total = latest.result.get("findings")
    listed_rows: Any = KnownCount(rows, total) if not chosen and isinstance(total, int) else rows
    page = Paginator(listed_rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    decided = {
        d.finding: d for d in StoredDecision.objects.filter(factory=factory, finding__in=[f.finding for f in shown])
    }
    lang = _lang()
    listed = [(f, f.title(lang), f.rationale(lang), decided.get(f.finding)) for f in shown]
    query = "&".join(f"{k}={v}" for k, v in chosen.items())
    context = {
        "factory": factory,
        "latest": latest,
        "page": page,
        "listed": listed,
        "chosen": chosen,
        "query": query,
        "dimensions": DIMENSIONS,
    }
    template = "results/_findings.html" if request.headers.get("HX-Request") else "results/findings.html"
    return render(request, template, context)


def _decision_form(
    request: HttpRequest, factory: Factory, finding: str, current: StoredDecision | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Read and check the decision form with the CLI's own ``Decision`` class; return the values and the errors per field,
    in the page's language as ``analyze --lang`` says a refused ``decisions.yaml`` entry (pydantic's English read by
    :func:`~factorysec.model.loader.pydantic_said`).

    A justification typed on several lines comes as a browser sends it (CR LF) and is read with LF line breaks, as
    ``decisions.yaml`` holds them (a CR is a control character the file's reader refuses)."""
    values = {name: newlines(request.POST.get(name, "")).strip() for name in DECISION_FIELDS}
    errors: dict[str, str] = {}
    lang = _lang()
    try:
        Decision.model_validate({"finding": finding, **{k: v for k, v in values.items() if v}})
    except ValidationError as error:
        for problem in error.errors(include_url=False):
            field = str(problem["loc"][0]) if problem["loc"] else "status"
            errors.setdefault(
                field if field in DECISION_FIELDS else "status", pydantic_said(problem, problem["msg"]).in_lang(lang)
            )
    return values, errors


@factory_view(Action.RUN_ANALYSIS)
def finding(request: HttpRequest, factory: Factory, finding_id: str) -> HttpResponse:
    """One finding of the latest analysis: what it says, its decision (as in ``decisions.yaml``) and its comments."""
    stored, current = finding_on_record(factory, finding_id)
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    comment = ""  # a refused comment's text, kept in its field
    status = 200
    if request.method == "POST" and request.POST.get("form") == "comment":
        if not may_comment(request.user, factory):
            return forbidden(request, factory)
        try:
            add_comment(factory, finding_id, request.POST.get("text", ""), request.user)
        except CommentError as error:
            errors["comment"], comment, status = error.message, request.POST.get("text", ""), 422
        else:
            messages.success(request, _("Comment recorded."))
            return redirect("results:finding", slug=factory.slug, finding_id=finding_id)
    elif request.method == "POST":
        if not can(request.user, factory, Action.DECIDE):
            return forbidden(request, factory)
        values, errors = _decision_form(request, factory, finding_id, current)
        if not errors:
            try:
                save_decision(  # the one decision store: its history is the audit log
                    factory,
                    {"finding": finding_id, **values, "date": values.get("date") or dt.date.today().isoformat()},
                    request.user,
                )
            except DecisionError as error:  # what the schema alone does not refuse: a text over its column, ...
                errors[error.field if error.field in DECISION_FIELDS else "status"] = error.said(_lang())
            else:
                messages.success(request, _("Decision recorded; the next analysis applies it."))
                return redirect("results:finding", slug=factory.slug, finding_id=finding_id)
        status = 422
    if current is not None and (request.method != "POST" or "comment" in errors):  # the decision form shows it
        values = {
            "status": current.status,
            "owner": current.owner,
            "justification": current.justification,
            "date": current.date.isoformat() if current.date else "",
            "review_by": current.review_by.isoformat() if current.review_by else "",
        }
    lang = _lang()
    actions = list(FindingAction.objects.filter(finding=stored)) if stored is not None else []
    titles = _measure_titles(lang) if actions else {}
    context: dict[str, Any] = {
        "factory": factory,
        "finding_id": finding_id,
        "stored": stored,
        "zone_is_subject": stored is not None and stored.subject_kind == "zone" and stored.zone == stored.subject_id,
        "title": stored.title(lang) if stored else "",
        "rationale": stored.rationale(lang) if stored else "",
        "actions": [(a.measure, titles.get(a.measure, ""), a.partial) for a in actions],
        "decision": current,
        "values": values,
        "errors": errors,
        "statuses": DecisionStatus.choices,
        "comment": comment,
        "comments": comments_on(factory, finding_id),
        **_rights(request, factory),
    }
    return render(request, "results/finding.html", context, status=status)


@factory_view(Action.RUN_ANALYSIS)
def diagram(request: HttpRequest, factory: Factory) -> HttpResponse:
    """The zone diagram (report/diagram.py's SVG) the latest analysis job drew."""
    from factorysec.report.diagram import inline_svg
    from factorysec.workspace.results.analysis import diagram_svg

    latest = latest_analysis(factory)
    svg = ""
    note = ""
    if latest is not None:
        output = Job.objects.filter(pk=latest.pk).values_list("output", flat=True).first()
        svg = inline_svg(diagram_svg(bytes(output), _lang())) if output else ""
        note = str(latest.result.get("diagram_note", ""))
    return render(request, "results/diagram.html", {"factory": factory, "latest": latest, "svg": svg, "note": note})
