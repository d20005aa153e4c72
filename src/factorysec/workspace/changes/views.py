"""Pages of change requests: the list and a proposal, a change with its review, sign-offs and conflicts, draft element edits, merge."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from factorysec.model.entities import SINGLETONS
from factorysec.workspace.accounts.permissions import Action, can, role_of, vendor_party
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.forms import ProposeForm, SignOffForm, UploadForm
from factorysec.workspace.changes.models import ChangeRequest, State
from factorysec.workspace.changes.reviewing import build_review_view, render_review_html
from factorysec.workspace.changes.signoffs import reason_texts
from factorysec.workspace.changes.uploads import MAX_CHANGE_FILE_BYTES, UploadError
from factorysec.workspace.factories.access import forbidden
from factorysec.workspace.factories.forms import element_form, read_form
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.sections import reader_language, section_title
from factorysec.workspace.factories.stale import readable_problems
from factorysec.workspace.factories.store import SECTIONS, StoreError, item_class


def _factory(request: HttpRequest, slug: str) -> Factory:
    factory = get_object_or_404(Factory, slug=slug)
    if not can(request.user, factory, Action.VIEW_OVERVIEW):
        raise PermissionError
    return factory


def _is_proposer(request: HttpRequest, factory: Factory) -> bool:
    return role_of(request.user, factory) in drafts.PROPOSERS


def _visible(request: HttpRequest, factory: Factory, change: ChangeRequest) -> bool:
    """Staff who read the model see every change, others those they are asked to sign off; a vendor only those that ask its party."""
    party = vendor_party(request.user, factory)
    if party is None:
        return can(request.user, factory, Action.VIEW_SECTION, "zones") or any(
            drafts.may_speak_for(request.user, factory, a) for a in change.approvers
        )
    return any(a["kind"] == "party" and a["id"] == party for a in change.approvers)


def _change(request: HttpRequest, slug: str, number: int) -> tuple[Factory, ChangeRequest]:
    factory = _factory(request, slug)
    change = get_object_or_404(ChangeRequest, factory=factory, pk=number)
    if not _visible(request, factory, change):
        raise Http404(str(number))
    return factory, change


@login_required
def index(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        factory = _factory(request, slug)
    except PermissionError:
        return forbidden(request, slug)
    form = ProposeForm()
    status = 200
    if request.method == "POST":
        if not _is_proposer(request, factory):
            return forbidden(request, slug)
        form = ProposeForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("change_file")
            try:
                with transaction.atomic():  # a change file refused leaves no change request (nor its log entry) behind
                    change = drafts.propose(
                        factory, form.cleaned_data["title"], form.cleaned_data["description"], request.user
                    )
                    if upload is not None:
                        drafts.upload(
                            change, upload.name or "change.yaml", upload.read(MAX_CHANGE_FILE_BYTES + 1), request.user
                        )
            except (UploadError, StoreError) as error:
                problems = error.problems if isinstance(error, UploadError) else [str(p) for p in error.problems]
                messages.error(request, _("The change file was not applied; no change request was opened."))
                for problem in problems:
                    messages.error(request, problem)
            else:
                return redirect("changes:detail", slug=slug, number=change.pk)
        status = 422
    changes = [c for c in ChangeRequest.objects.filter(factory=factory) if _visible(request, factory, c)]
    return render(
        request,
        "changes/index.html",
        {"factory": factory, "changes": changes, "form": form, "may_propose": _is_proposer(request, factory)},
        status=status,
    )


def _addable(factory: Factory, change: ChangeRequest) -> list[tuple[str, str]]:
    """The sections a draft's edit can add to, each with the key of its one element when it is a singleton the model or
    the draft already holds (the factory, the BCP): that element is edited, as a new one would be refused ('factory'
    is already used)."""
    held = set(
        Element.objects.filter(factory=factory, section__in=SINGLETONS, payload__isnull=False).values_list(
            "section", flat=True
        )
    )
    for edit in change.edits.filter(section__in=SINGLETONS):
        (held.add if edit.payload is not None else held.discard)(edit.section)
    return [(s, s if s in held else "") for s in SECTIONS if s != "reviews"]


@login_required
def detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    try:
        factory, change = _change(request, slug, number)
    except PermissionError:
        return forbidden(request, slug)
    party = vendor_party(request.user, factory)
    given = drafts.verdicts(change)
    approvers = [
        {
            **a,
            "reasons": reason_texts(a, "ja" if (get_language() or "en").startswith("ja") else "en"),
            "signoff": given.get(a["key"]),
            "mine": drafts.may_speak_for(request.user, factory, a),
        }
        for a in change.approvers
        if party is None or (a["kind"] == "party" and a["id"] == party)
    ]
    problems: list[str] = []
    hidden = 0
    if change.state in (State.OPEN, State.CHANGES_REQUESTED):
        try:
            drafts.draft_model(change)
        except StoreError as error:  # those in sections the user does not see are only counted (all, for a vendor)
            shown, hidden = readable_problems(request.user, factory, error.problems)
            problems = [s.problem.render(reader_language()) for s in shown]
    context: dict[str, Any] = {
        "factory": factory,
        "change": change,
        "approvers": approvers,
        "staff": party is None,
        "conflicts": drafts.conflicts(change) if change.state != State.MERGED else [],
        "missing": drafts.missing_approvals(change),
        "edits": change.edits.all() if party is None else [],
        "history": change.signoffs.select_related("user").all()
        if party is None
        else change.signoffs.filter(approver=f"party:{party}"),
        "may_edit": _is_proposer(request, factory) and change.state in (State.OPEN, State.CHANGES_REQUESTED),
        "may_merge": _is_proposer(request, factory) and change.state == State.OPEN,
        "sections": _addable(factory, change),
        "upload_form": UploadForm(),
        "sign_form": SignOffForm(),
        "problems": problems,
        "hidden_problems": hidden,
    }
    return render(request, "changes/detail.html", context)


@login_required
@xframe_options_sameorigin
def review_page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The review as ``factorysec review --format html`` writes it (both zone diagrams), for staff only: it shows the whole model."""
    try:
        factory, change = _change(request, slug, number)
    except PermissionError:
        return forbidden(request, slug)
    if vendor_party(request.user, factory) is not None:
        return forbidden(request, slug)
    lang = "ja" if (request.LANGUAGE_CODE or "en").startswith("ja") else "en"
    if change.state == State.MERGED:
        return render(request, "changes/merged_review.html", {"factory": factory, "change": change})
    try:
        page = render_review_html(build_review_view(drafts.reviewed(change), lang))
    except StoreError as error:
        return HttpResponse(
            "\n".join(str(p) for p in error.problems), status=422, content_type="text/plain; charset=utf-8"
        )
    except Exception as error:  # Graphviz missing or failing: the review is still shown, without diagrams
        from factorysec.report.diagram import DiagramError

        if not isinstance(error, DiagramError):
            raise
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(page, content_type="text/html; charset=utf-8")


@login_required
def upload_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    try:
        factory, change = _change(request, slug, number)
    except PermissionError:
        return forbidden(request, slug)
    if request.method != "POST":
        return redirect("changes:detail", slug=slug, number=number)
    if not _is_proposer(request, factory):
        return forbidden(request, slug)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a change file."))
        return redirect("changes:detail", slug=slug, number=number)
    upload = form.cleaned_data["change_file"]
    try:
        count = drafts.upload(
            change, upload.name or "change.yaml", upload.read(MAX_CHANGE_FILE_BYTES + 1), request.user
        )
    except (UploadError, StoreError, drafts.ChangeError) as error:
        problems = error.problems if isinstance(error, (UploadError, StoreError)) else [str(error)]
        for problem in problems:
            messages.error(request, str(problem))
        return redirect("changes:detail", slug=slug, number=number)
    messages.success(request, _("%(count)s elements changed in the draft.") % {"count": count})
    return redirect("changes:detail", slug=slug, number=number)


@login_required
@require_POST
def sign_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    try:
        factory, change = _change(request, slug, number)
    except PermissionError:
        return forbidden(request, slug)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
        return redirect("changes:detail", slug=slug, number=number)
    try:
        drafts.sign(
            change,
            form.cleaned_data["approver"],
            form.cleaned_data["verdict"],
            form.cleaned_data["reason"],
            request.user,
        )
    except drafts.ChangeError as error:
        messages.error(request, f"{error.field}: {error}" if error.field else str(error))
        return redirect("changes:detail", slug=slug, number=number)
    messages.success(request, _("Sign-off recorded."))
    return redirect("changes:detail", slug=slug, number=number)


@login_required
@require_POST
def merge_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    try:
        factory, change = _change(request, slug, number)
    except PermissionError:
        return forbidden(request, slug)
    if not _is_proposer(request, factory):
        return forbidden(request, slug)
    try:
        digest = drafts.merge(change, request.user)
    except StoreError as error:  # the merged model would fail the check: each problem in the page's language
        for problem in error.problems:
            messages.error(request, problem.render(reader_language()))
        return redirect("changes:detail", slug=slug, number=number)
    except drafts.ChangeError as error:
        messages.error(request, str(error))
        return redirect("changes:detail", slug=slug, number=number)
    messages.success(request, _("Merged; the model's digest is now %(digest)s.") % {"digest": digest})
    return redirect("changes:detail", slug=slug, number=number)


@login_required
def edit(request: HttpRequest, slug: str, number: int, section: str, key: str | None = None) -> HttpResponse:
    """Edit one element of the draft; the form carries the version it was read at, and a save over a newer one is refused with what changed."""
    if section not in SECTIONS:
        raise Http404(section)
    try:
        factory, change = _change(request, slug, number)
    except PermissionError:
        return forbidden(request, slug)
    if not _is_proposer(request, factory):
        return forbidden(request, slug)
    draft_edit = change.edits.filter(section=section, key=key).first() if key is not None else None
    live = (
        Element.objects.filter(factory=factory, section=section, key=key, payload__isnull=False).first()
        if key is not None
        else None
    )
    if key is not None and draft_edit is None and live is None:
        raise Http404(key)
    current = draft_edit.payload if draft_edit is not None else (live.payload if live is not None else None)
    version = draft_edit.version if draft_edit is not None else (live.version if live is not None else 0)
    item = item_class(section)
    fields = element_form(item, current, section=section)
    status, elsewhere, conflict = 200, [], None
    if request.method == "POST":
        status = 422
        payload, readable = read_form(item, request.POST, fields)
        delete = request.POST.get("delete") == "1"
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = -1
        if readable or delete:
            try:
                saved = drafts.edit_draft(change, section, key, None if delete else payload, expected, request.user)
            except drafts.EditConflict as error:
                conflict, status, version = error, 409, error.current_version
            except StoreError as error:  # on the fields of the element edited, as the live form puts them
                by_field = {f.name: f for f in fields}
                for problem in error.on_target():
                    target = by_field.get(problem.top_field)
                    text = problem.said(reader_language())
                    if target is not None:
                        target.errors.append(text if problem.field == problem.top_field else f"{problem.field}: {text}")
                    else:
                        elsewhere.append(problem.render(reader_language()))
                elsewhere.extend(problem.render(reader_language()) for problem in error.elsewhere())
            except drafts.ChangeError as error:
                elsewhere = [str(error)]
            else:
                messages.success(
                    request,
                    _("Saved %(section)s / %(key)s in the draft.")
                    % {"section": section_title(section), "key": saved.key},
                )
                return redirect("changes:detail", slug=slug, number=number)
    return render(
        request,
        "changes/edit.html",
        {
            "factory": factory,
            "change": change,
            "section": section,
            "key": key,
            "fields": fields,
            "version": version,
            "elsewhere": elsewhere,
            "conflict": conflict,
        },
        status=status,
    )
