"""The analysis page: a button that runs the analysis in place (htmx) and the findings it returns."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from factorysec.workspace.accounts.permissions import Action, can
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.results.analysis import assess, category_counts, finding_rows, report_bundle

PAGE_SIZE = 200


def _lang() -> str:
    return "ja" if (get_language() or "en").startswith("ja") else "en"


@login_required
def analysis(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the page; POST (or ``?run=1``): run the analysis and return the findings (a fragment for htmx)."""
    factory = get_object_or_404(Factory, slug=slug)
    if not can(request.user, factory, Action.RUN_ANALYSIS):
        return HttpResponseForbidden(_("Your role in this factory does not allow this."))
    context: dict[str, object] = {"factory": factory}
    run = request.method == "POST" or request.GET.get("run") == "1"
    if run:
        assessment = assess(factory)
        category = request.GET.get("category") or request.POST.get("category") or ""
        rows = [r for r in finding_rows(assessment, _lang()) if not category or r.category == category]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            {
                "assessment": assessment,
                "page": page,
                "counts": category_counts(assessment),
                "category": category,
                "total": len(assessment.findings),
                "risks": len(assessment.risks),
                "requirements": len(assessment.requirements),
            }
        )
    template = "results/_findings.html" if run and request.headers.get("HX-Request") else "results/analysis.html"
    return render(request, template, context)


@login_required
def reports(request: HttpRequest, slug: str) -> HttpResponse:
    """A zip of what ``factorysec report`` writes (HTML, SVG, xlsx, Markdown, JSON, SARIF) for the stored model, beside the model file."""
    factory = get_object_or_404(Factory, slug=slug)
    if not (can(request.user, factory, Action.EXPORT) and can(request.user, factory, Action.RUN_ANALYSIS)):
        return HttpResponseForbidden(_("Your role in this factory does not allow this."))
    response = HttpResponse(report_bundle(factory, _lang()), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{factory.slug}-reports.zip"'
    return response
