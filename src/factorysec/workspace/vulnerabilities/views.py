"""The vulnerability page of a factory: start a vulnerability job (uploaded advisories or the configured folder) and
browse the open (asset, CVE) findings of the latest one, most urgent first.

Members who may run the analysis see every finding and start jobs; a vendor or
provider account sees only the findings on assets its party supplies,
maintains or manages, and starts nothing. Nothing is matched inside a request.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from factorysec.workspace.accounts.permissions import Action, can, vendor_party
from factorysec.workspace.audit.models import Decision
from factorysec.workspace.factories.access import forbidden
from factorysec.workspace.factories.jobs import latest_finished, running_job, start_job
from factorysec.workspace.factories.models import Factory, Job
from factorysec.workspace.vulnerabilities.models import StoredVulnerability

PAGE_SIZE = 100
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
"""Largest advisory upload (CISA's whole set zipped is well under this)."""


def _lang() -> str:
    return "ja" if (get_language() or "en").startswith("ja") else "en"


@login_required
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the latest vulnerability findings (a vendor's own only); POST: queue a vulnerability job."""
    from factorysec.workspace.vulnerabilities.tasks import assess_vulnerabilities_job

    factory = get_object_or_404(Factory, slug=slug)
    may_run = can(request.user, factory, Action.RUN_ANALYSIS)
    party = None if may_run else vendor_party(request.user, factory)
    if not may_run and party is None:
        return forbidden(request, factory)
    error = ""
    if request.method == "POST":
        if not may_run:
            return forbidden(request, factory)
        upload = request.FILES.get("advisories")
        name, data = "", None
        if upload is not None:
            name = Path(upload.name or "advisories.zip").name
            if (upload.size or 0) > MAX_UPLOAD_BYTES:
                error = _("%(name)s: larger than %(size)s MB") % {"name": name, "size": MAX_UPLOAD_BYTES // 2**20}
            else:
                data = b"".join(upload.chunks())
        elif not getattr(settings, "FACTORYSEC_ADVISORIES_PATH", ""):
            error = _("upload a CSAF .json file or a .zip of them (no advisories folder is configured)")
        if not error:
            job = running_job(factory, Job.Kind.VULNERABILITIES) or start_job(
                assess_vulnerabilities_job, factory, Job.Kind.VULNERABILITIES, request.user, _lang(), name, data
            )
            if request.headers.get("HX-Request"):
                return render(request, "results/_job.html", {"factory": factory, "job": job})
            return redirect("results:job", slug=factory.slug, pk=job.pk)
    latest = latest_finished(factory, Job.Kind.VULNERABILITIES)
    rows = StoredVulnerability.objects.none()
    if latest is not None:
        rows = StoredVulnerability.objects.filter(job=latest)
        if party is not None:
            rows = rows.filter(Q(supplier=party) | Q(maintainer=party) | Q(managed_by=party))
    page = Paginator(rows.order_by("position"), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    decided = {d.finding: d for d in Decision.objects.filter(factory=factory, finding__in=[r.finding for r in shown])}
    lang = _lang()
    context = {
        "factory": factory,
        "latest": latest,
        "running": running_job(factory, Job.Kind.VULNERABILITIES) if may_run else None,
        "may_run": may_run,
        "party": party,
        "configured": bool(getattr(settings, "FACTORYSEC_ADVISORIES_PATH", "")),
        "page": page,
        "listed": [(r, r.title(lang), r.rationale(lang), decided.get(r.finding)) for r in shown],
        "error": error,
    }
    return render(request, "vulnerabilities/index.html", context, status=422 if error else 200)
