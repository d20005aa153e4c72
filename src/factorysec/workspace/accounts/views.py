"""Account pages: API tokens (shown once) and, for security/IT, the members of a factory and their roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from factorysec.workspace.accounts.models import ApiToken, Membership, Role
from factorysec.workspace.accounts.permissions import Action
from factorysec.workspace.accounts.tokens import issue_token, revoke_token
from factorysec.workspace.audit.log import record
from factorysec.workspace.changes.models import ChangeRequest, State
from factorysec.workspace.factories.access import factory_view
from factorysec.workspace.factories.models import Element, Factory


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The caller's API tokens (name, created, last used, revoked); issue one (shown once) or revoke one of them."""
    issued, error = None, ""
    if request.method == "POST" and "revoke" in request.POST:
        return _revoke(request)
    if request.method == "POST":
        name = request.POST.get("name", "").strip() or "token"
        limit = ApiToken._meta.get_field("name").max_length or 200
        if len(name) > limit:
            error = _("A token's name has at most %(limit)s characters.") % {"limit": limit}
        else:
            issued = issue_token(request.user, name)
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user__pk=request.user.pk or 0).order_by("-created_at", "-pk"),
            "issued": issued,
            "error": error,
        },
        status=422 if error else 200,
    )


def _revoke(request: HttpRequest) -> HttpResponse:
    """Revoke one of the caller's own tokens, asking first; another account's token (or none) is not found, as if
    there were none (the caller learns nothing of other accounts' tokens)."""
    number = request.POST.get("revoke", "")
    if not number.isascii() or not number.isdigit() or len(number) > 18:  # not a token's id (a bigint)
        raise Http404(_("No such token."))
    own = ApiToken.objects.filter(user__pk=request.user.pk or 0, pk=int(number)).first()
    if own is None:
        raise Http404(_("No such token."))
    if own.revoked_at is None and request.POST.get("confirm") != "yes":  # the list's button asks first
        return render(
            request,
            "confirm.html",
            {
                "heading": _("Revoke the token %(name)s?") % {"name": own.name},
                "question": _(
                    "The API refuses the token %(name)s as soon as it is revoked; a job that still sends it is refused"
                    " and needs a new token. A revoked token cannot be used again. Revoke %(name)s?"
                )
                % {"name": own.name},
                "hidden": [("revoke", own.pk)],
                "button": _("Revoke"),
                "action": request.path,
                "cancel": reverse("tokens"),
            },
        )
    if own.revoked_at is not None:
        messages.info(request, _("The token %(name)s was already revoked.") % {"name": own.name})
    elif revoke_token(request.user, own.pk) is not None:
        messages.success(request, _("The token %(name)s is revoked: the API refuses it.") % {"name": own.name})
    return redirect("tokens")


def _parties(factory: Factory) -> set[str]:
    """The parties a vendor account may speak for: the model's, and those an open change request asks to sign off (a
    party its draft adds, as Annex A case (ii)'s remote maintenance provider, signs before the merge makes it live)."""
    live = Element.objects.filter(factory=factory, section="parties", payload__isnull=False).values_list(
        "key", flat=True
    )
    asked = ChangeRequest.objects.filter(factory=factory, state__in=(State.OPEN, State.CHANGES_REQUESTED)).values_list(
        "approvers", flat=True
    )
    return {*live, *(a["id"] for approvers in asked for a in approvers if a.get("kind") == "party")}


def _save_member(request: HttpRequest, factory: Factory) -> dict[str, str]:
    """Add or change one membership from the form; return the errors per field (empty when saved)."""
    users = get_user_model()
    username = request.POST.get("username", "").strip()
    role = request.POST.get("role", "")
    party = request.POST.get("party", "").strip()
    password = request.POST.get("password", "")
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = _("Give the account's user name.")
    if role not in Role.values:
        errors["role"] = _("Choose a role.")
    parties = _parties(factory)
    if role == Role.VENDOR and party not in parties:
        errors["party"] = _("A vendor or provider account names its party: one of %(parties)s.") % {
            "parties": ", ".join(sorted(parties)) or "—"
        }
    user = users.objects.filter(username=username).first() if username else None
    name_field = users._meta.get_field(users.USERNAME_FIELD)
    if user is None and username and isinstance(name_field, Field):
        try:  # a new local account: the user model's own checks (length, characters), as Django's forms run them
            name_field.run_validators(users.normalize_username(username))
        except ValidationError as error:
            errors["username"] = " ".join(error.messages)
    if user is not None and password:
        errors["password"] = _(
            "%(user)s is an existing account: its password is not changed here. Leave the password empty to give it"
            " this role; its owner changes the password."
        ) % {"user": username}
    if user is None and username and not password:
        errors["password"] = _(
            "No account has this name yet: give a password to create a local account (LDAP and OpenID Connect accounts appear after their first log-in)."
        )
    if user is None and password and "password" not in errors:
        try:
            validate_password(password)
        except ValidationError as error:
            errors["password"] = " ".join(error.messages)
    if errors:
        return errors
    party = party if role == Role.VENDOR else ""
    with transaction.atomic():  # the membership and its audit entry are kept together or not at all
        created = user is None
        if user is None:
            user = users.objects.create_user(username=username, password=password)
        before = Membership.objects.select_for_update().filter(user=user, factory=factory).first()
        Membership.objects.update_or_create(user=user, factory=factory, defaults={"role": role, "party": party})
        detail: dict[str, str | bool] = {"user": username, "role": role, "party": party}
        if before is None:
            record(
                "member-added",
                user=request.user,
                factory=factory,
                subject=username,
                detail={**detail, "account_created": created},
            )
        elif (before.role, before.party) != (role, party):
            detail |= {"previous_role": before.role, "previous_party": before.party}
            record("member-role-changed", user=request.user, factory=factory, subject=username, detail=detail)
    messages.success(
        request, _("%(user)s works on this factory as %(role)s.") % {"user": username, "role": Role(role).label}
    )
    return {}


@factory_view(Action.MANAGE_MEMBERS)
def members(request: HttpRequest, factory: Factory) -> HttpResponse:
    """List the factory's members; add one (an existing account, or a new local one), change a role, remove a member."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        if "remove" in request.POST:
            number = request.POST.get("remove", "")
            if not number.isascii() or not number.isdigit() or len(number) > 18:  # not a membership's id (a bigint)
                raise Http404(_("No such member."))
            if request.POST.get("confirm") != "yes":  # the list's button asks first; nobody is removed by one click
                asked = Membership.objects.filter(factory=factory, pk=int(number)).select_related("user").first()
                if asked is None:
                    raise Http404(_("No such member."))
                who = {"user": asked.user.get_username(), "role": asked.get_role_display()}
                return render(
                    request,
                    "confirm.html",
                    {
                        "factory": factory,
                        "heading": _("Remove %(user)s?") % who,
                        "question": _(
                            "%(user)s (%(role)s) no longer works on this factory once removed; the account stays."
                            " Remove %(user)s?"
                        )
                        % who,
                        "hidden": [("remove", asked.pk)],
                        "button": _("Remove"),
                        "action": request.path,
                        "cancel": reverse("members", args=[factory.slug]),
                    },
                )
            with transaction.atomic():  # the removal and its audit entry are kept together or not at all
                removed = (
                    Membership.objects.select_for_update()
                    .filter(factory=factory, pk=int(number))
                    .select_related("user")
                    .first()
                )
                if removed is not None:
                    removed.delete()
                    name = removed.user.get_username()
                    detail = {"user": name, "role": removed.role, "party": removed.party}
                    record("member-removed", user=request.user, factory=factory, subject=name, detail=detail)
            if removed is not None:
                messages.success(
                    request, _("%(user)s no longer works on this factory.") % {"user": removed.user.get_username()}
                )
            return redirect("members", slug=factory.slug)
        errors = _save_member(request, factory)
        if not errors:
            return redirect("members", slug=factory.slug)
    listing = Membership.objects.filter(factory=factory).select_related("user").order_by("user__username")
    return render(
        request,
        "accounts/members.html",
        {
            "factory": factory,
            "members": listing,
            "roles": Role.choices,
            "errors": errors,
            "values": request.POST if errors else {},
        },
        status=422 if errors else 200,
    )
