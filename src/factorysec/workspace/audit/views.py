"""Pages: the factory's audit log with the chain's verification, the auditor's export, decisions (due ones first), findings and actions for trackers."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from factorysec.analysis.assessment import Assessment
from factorysec.workspace.accounts.models import Membership, Role
from factorysec.workspace.accounts.permissions import Action, UserLike, can, role_of
from factorysec.workspace.audit import exports
from factorysec.workspace.audit.decisions import DecisionError, decisions_yaml, due_for, is_due, save_decision
from factorysec.workspace.audit.forms import DecisionForm
from factorysec.workspace.audit.labels import action_label, subject_text
from factorysec.workspace.audit.log import export_csv, export_json, verify_stored
from factorysec.workspace.audit.models import AuditEntry, Decision
from factorysec.workspace.factories.access import forbidden
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.sections import reader_language
from factorysec.workspace.factories.store import text_refused

LOG_READERS = frozenset({Role.AUDIT, Role.SECURITY_IT, Role.RISK_MANAGEMENT, Role.MANAGEMENT})
DECISION_WRITERS = frozenset({Role.SECURITY_IT, Role.RISK_MANAGEMENT})
PAGE_SIZE = 100


def _lang() -> str:
    return "ja" if (get_language() or "en").startswith("ja") else "en"


def reads_whole_log(user: UserLike) -> bool:
    """Superusers and auditors (in any factory) read and export the whole chain: its verification needs every entry."""
    return bool(getattr(user, "is_superuser", False)) or (
        user.pk is not None and Membership.objects.filter(user_id=user.pk, role=Role.AUDIT).exists()
    )


@login_required
def log(request: HttpRequest, slug: str) -> HttpResponse:
    factory = get_object_or_404(Factory, slug=slug)
    if role_of(request.user, factory) not in LOG_READERS:
        return forbidden(request, factory)
    entries = AuditEntry.objects.filter(factory=factory.slug).order_by("-seq")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (entry, action_label(entry.action), subject_text(entry.action, entry.subject, entry.detail))
        for entry in page.object_list
    ]
    return render(
        request,
        "audit/log.html",
        {
            "factory": factory,
            "page": page,
            "rows": rows,
            "verified": verify_stored(),
            "whole": reads_whole_log(request.user),
        },
    )


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The whole chain for an auditor, as JSON (``factorysec audit verify --file`` checks it) or CSV."""
    if fmt not in ("json", "csv"):
        raise Http404(fmt)
    if not reads_whole_log(request.user):
        return forbidden(request)
    from factorysec.workspace.audit.log import record

    record("audit-exported", user=request.user, detail={"format": fmt})
    if fmt == "json":
        response = HttpResponse(export_json(), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(export_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="factorysec-audit.{fmt}"'
    return response


@login_required
def decisions(request: HttpRequest, slug: str) -> HttpResponse:
    """Every decision, those fallen due marked, the user's own due ones first; a form for security/IT and risk management."""
    factory = get_object_or_404(Factory, slug=slug)
    role = role_of(request.user, factory)
    if not can(request.user, factory, Action.RUN_ANALYSIS):
        return forbidden(request, factory)
    may_write = role in DECISION_WRITERS
    form = DecisionForm(initial={"finding": request.GET.get("finding", "")})
    status = 200
    if request.method == "POST":
        if not may_write:
            return forbidden(request, factory)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decision = save_decision(factory, form.cleaned_data, request.user)
            except DecisionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.said(reader_language()))
            else:
                messages.success(request, _("Decision on %(finding)s saved.") % {"finding": decision.finding})
                return redirect("audit:decisions", slug=slug)
        status = 422
    today = dt.date.today()
    rows = [(d, is_due(d, today)) for d in Decision.objects.filter(factory=factory).order_by("review_by", "finding")]
    return render(
        request,
        "audit/decisions.html",
        {
            "factory": factory,
            "rows": rows,
            "mine": due_for(request.user, factory, today),
            "form": form,
            "may_write": may_write,
        },
        status=status,
    )


@login_required
def decisions_file(request: HttpRequest, slug: str) -> HttpResponse:
    factory = get_object_or_404(Factory, slug=slug)
    if not can(request.user, factory, Action.EXPORT):
        return forbidden(request, factory)
    response = HttpResponse(decisions_yaml(factory), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="decisions.yaml"'
    return response


@login_required
def tracker_export(request: HttpRequest, slug: str, what: str, fmt: str) -> HttpResponse:
    """Findings or actions for a tracker, as CSV or xlsx, from the same analysis as ``factorysec analyze`` (with the workspace's decisions)."""
    if what not in ("findings", "actions") or fmt not in ("csv", "xlsx"):
        raise Http404(f"{what}.{fmt}")
    factory = get_object_or_404(Factory, slug=slug)
    if not (can(request.user, factory, Action.RUN_ANALYSIS) and can(request.user, factory, Action.EXPORT)):
        return forbidden(request, factory)
    assessment = assessment_with_decisions(factory)
    columns: tuple[str, ...]
    if what == "findings":
        columns, rows = exports.FINDING_COLUMNS, exports.finding_rows(assessment, _lang())
    else:
        from factorysec.catalog import load_catalog

        titles = {k: m.title.get(_lang()) for k, m in load_catalog().measures.items()}
        columns, rows = exports.ACTION_COLUMNS, exports.action_rows(assessment, titles)
    name = f"{factory.slug}-{what}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl.utils.exceptions import IllegalCharacterError

        try:
            book = exports.as_xlsx(what, columns, rows)
        except IllegalCharacterError as error:  # text an earlier version stored: the 409 page names where it is
            raise text_refused(factory, str(error)) from None
        response = HttpResponse(book, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def assessment_with_decisions(factory: Factory, today: dt.date | None = None) -> Assessment:
    """The CLI's analysis of the stored model with the workspace's decisions applied."""
    from factorysec.analysis import analyze
    from factorysec.catalog import load_catalog
    from factorysec.model.planfiles import Decision as DecisionEntry
    from factorysec.workspace.factories.store import factory_model

    entries = [
        DecisionEntry(
            finding=d.finding,
            status=d.status,
            justification=d.justification,
            owner=d.owner,
            date=d.date,
            review_by=d.review_by,
        )
        for d in Decision.objects.filter(factory=factory)
    ]
    return analyze(factory_model(factory), load_catalog(), today=today or dt.date.today(), decisions=entries)
