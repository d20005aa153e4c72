"""The supplier portal's pages: a vendor's checklists, open items and responsibilities, its answers; the factory's review of answers."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.accounts.permissions import Action, can, role_of, vendor_party
from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.factories.access import forbidden
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.suppliers.forms import AnswerForm, VerdictForm
from factorysec.workspace.suppliers.models import AnswerState, SupplierAnswer
from factorysec.workspace.suppliers.portal import (
    ANSWERS,
    HELD_STORED_MODEL,
    AnswerError,
    AnswerStateError,
    ChangeShare,
    LiveShare,
    PartyView,
    change_views,
    live_share,
    review_answer,
    submit_answer,
)

REVIEWERS = frozenset({Role.SECURITY_IT, Role.RISK_MANAGEMENT})


def _lang() -> str:
    return "ja" if (get_language() or "en").startswith("ja") else "en"


def held_message(share: ChangeShare) -> str:
    """What a vendor is told of a change whose items cannot be shown now: who must act, and nothing of what is wrong
    (the problems name elements of the model a vendor does not see)."""
    if share.held == HELD_STORED_MODEL:
        text = _(
            "Change #%(number)s (%(title)s) asks your party to sign off, but its items cannot be shown yet: the"
            " factory's model needs a fix by the factory's team first. Nothing is needed from you until then."
        )
    else:
        text = _(
            "Change #%(number)s (%(title)s) asks your party to sign off, but its items cannot be shown yet: the"
            " change needs a fix by the factory's team first. Nothing is needed from you until then."
        )
    return text % {"number": share.change.pk, "title": share.change.title}


def view_for(request: HttpRequest, factory: Factory, party: str) -> LiveShare:
    """The party's share of the latest analysis, as that job stored it (one is queued when none has finished)."""
    return live_share(factory, party, request.user, _lang())


def answer_for(request: HttpRequest, factory: Factory, number: int) -> SupplierAnswer:
    """An answer the user may see: a vendor only its own party's (any other id is 'not found', as if it did not exist)."""
    answer = get_object_or_404(SupplierAnswer, factory=factory, pk=number)
    party = vendor_party(request.user, factory)
    if party is not None and answer.party != party:
        raise Http404(str(number))
    if party is None and not can(request.user, factory, Action.VIEW_SECTION, "checklist_answers"):
        raise Http404(str(number))
    return answer


@login_required
def portal(request: HttpRequest, slug: str) -> HttpResponse:
    """A vendor: its party's checklists to answer. Factory staff: the answers waiting for a verdict."""
    factory = get_object_or_404(Factory, slug=slug)
    party = vendor_party(request.user, factory)
    if party is None:
        if not can(request.user, factory, Action.VIEW_SECTION, "checklist_answers"):
            return forbidden(request, factory)
        answers = SupplierAnswer.objects.filter(factory=factory).order_by("state", "party", "subject", "item")
        return render(
            request,
            "suppliers/review.html",
            {"factory": factory, "answers": answers, "may_review": role_of(request.user, factory) in REVIEWERS},
        )
    share = view_for(request, factory, party)
    if share.view is None:
        return render(
            request,
            "suppliers/preparing.html",
            {"factory": factory, "party": party, "job": share.pending, "held": share.held},
        )
    view = share.view
    in_changes = change_views(factory, party)
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES)
        about = request.POST.get("change", "")
        target = next((share for share in in_changes if str(share.change.pk) == about), None) if about else None
        if about and target is None:
            messages.error(request, _("That change request does not ask your party for anything."))
            status = 422
        elif target is not None and target.view is None:
            messages.error(request, held_message(target))
            status = 422
        elif form.is_valid():
            upload = form.cleaned_data.get("attachment")
            attachment = None
            if upload is not None:
                from factorysec.workspace.suppliers.portal import attachment_limit

                attachment = (upload.name or "attachment", upload.read(attachment_limit() + 1))
            try:
                if target is not None and target.view is not None:
                    submit_answer(factory, target.view, form.cleaned_data, attachment, request.user, target.change)
                else:
                    submit_answer(factory, view, form.cleaned_data, attachment, request.user)
            except AnswerError as error:
                messages.error(request, str(error))
                status = 422
            else:
                messages.success(request, _("Answer recorded; the factory will accept or question it."))
                return redirect("suppliers:portal", slug=slug)
        else:
            for field, errors in form.errors.items():
                messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
            status = 422
    lang = _lang()

    def arranged(shown: PartyView, change: ChangeRequest | None) -> list[dict[str, object]]:
        mine = {
            (a.subject, a.item): a for a in SupplierAnswer.objects.filter(factory=factory, party=party, change=change)
        }
        return [
            {
                "checklist": c,
                "title": c.kind_title.get(lang),
                "own": c.asset in shown.own_assets or c.party == party,
                "entries": [
                    {"entry": e, "title": e.title.get(lang), "mine": mine.get((c.asset, e.item))} for e in c.entries
                ],
            }
            for c in shown.checklists
        ]

    return render(
        request,
        "suppliers/portal.html",
        {
            "factory": factory,
            "party": party,
            "view": view,
            "checklists": arranged(view, None),
            "answers": ANSWERS,
            "open_items": [(i, i.title.get(lang)) for i in view.open_items],
            "analysed": share.analysed,
            "changes": [
                {"change": share.change, "checklists": arranged(share.view, share.change)}
                if share.view is not None
                else {"change": share.change, "held": held_message(share)}
                for share in in_changes
            ],
        },
        status=status,
    )


@login_required
def answer_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    factory = get_object_or_404(Factory, slug=slug)
    answer = answer_for(request, factory, number)
    may_review = vendor_party(request.user, factory) is None and role_of(request.user, factory) in REVIEWERS
    return render(
        request,
        "suppliers/answer.html",
        {"factory": factory, "answer": answer, "may_review": may_review, "form": VerdictForm()},
    )


@login_required
def attachment(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The attachment as a download (never shown inline, so an uploaded file cannot run as a page of the workspace)."""
    factory = get_object_or_404(Factory, slug=slug)
    answer = answer_for(request, factory, number)
    if answer.attachment is None:
        raise Http404("no attachment")
    response = HttpResponse(bytes(answer.attachment), content_type=answer.attachment_type or "application/octet-stream")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(answer.attachment_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_POST
def verdict(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    factory = get_object_or_404(Factory, slug=slug)
    answer = answer_for(request, factory, number)
    if vendor_party(request.user, factory) is not None or role_of(request.user, factory) not in REVIEWERS:
        return forbidden(request, factory)
    form = VerdictForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            answer = review_answer(answer, form.cleaned_data["verdict"], form.cleaned_data["comment"], request.user)
        except AnswerStateError as error:
            form.add_error(None, error.message)
            status = 409
        except AnswerError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("Answer accepted.") if answer.state == AnswerState.ACCEPTED else _("Answer questioned.")
            )
            return redirect("suppliers:portal", slug=slug)
    answer.refresh_from_db()
    return render(
        request,
        "suppliers/answer.html",
        {"factory": factory, "answer": answer, "may_review": True, "form": form},
        status=status,
    )


__all__ = ["AnswerState", "answer_detail", "attachment", "portal", "verdict"]
