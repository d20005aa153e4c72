"""Account pages: API tokens (shown once) and, for security/IT, the members of a factory and their roles."""

from __future__ import annotations

from typing import Any

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


def _save_member(request: HttpRequest, factory: Factory) -> tuple[dict[str, str], dict[str, str]]:
    """Add or change one membership from the form; return the errors per field (empty when saved) and, when the form
    came from a member's Change and a colleague changed or removed the member meanwhile, what is stored now (the
    form's next save applies on top of it: the error ``conflict`` says what happened, and nothing is changed)."""
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
        return errors, _seen_again(request)
    party = party if role == Role.VENDOR else ""
    seen = _seen(request)
    with transaction.atomic():  # the membership and its audit entry are kept together or not at all
        created = user is None
        if user is not None and seen is not None and request.POST.get("seen_user", "").strip() == username:
            # the form came from this member's Change: is the member still as the form showed?
            before = Membership.objects.select_for_update().filter(user=user, factory=factory).first()
            conflict = _changed_meanwhile(username, seen, before, (role, party))
            if conflict:
                now = {"user": username, "role": before.role, "party": before.party} if before else {}
                return {"conflict": conflict}, now
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
    return {}, {}


def _seen_again(request: HttpRequest) -> dict[str, str]:
    """The Change form's record of the member as shown, kept when the form comes back with an error."""
    seen = _seen(request)
    if seen is None:
        return {}
    return {"user": request.POST.get("seen_user", ""), "role": seen[0], "party": seen[1]}


def _changed_meanwhile(username: str, seen: tuple[str, str], now: Membership | None, wanted: tuple[str, str]) -> str:
    """What a colleague did to the member since the Change form showed ``seen`` (empty when nothing, or when the
    member already has the ``wanted`` role and party)."""
    if now is None:
        return _(
            "%(user)s was removed from this factory by someone else after you opened the form; nothing was changed."
            " Save again to add %(user)s back with this role."
        ) % {"user": username}
    if (now.role, now.party) not in (seen, wanted):
        return _(
            "%(user)s's role was changed to %(role)s by someone else after you opened the form; nothing was changed."
            " Save again to replace it with this role."
        ) % {"user": username, "role": _role_text(now)}
    return ""


def _remove_question(factory: Factory, asked: Membership, request: HttpRequest, notice: str = "") -> HttpResponse:
    """The page that asks before removing ``asked``; it carries the role and party it names, so that the removal is
    refused when a colleague changed them meanwhile (``notice`` then says so, and the page asks again)."""
    who = {"user": asked.user.get_username(), "role": _role_text(asked)}
    return render(
        request,
        "confirm.html",
        {
            "factory": factory,
            "heading": _("Remove %(user)s?") % who,
            "notice": notice,
            "question": _(
                "%(user)s (%(role)s) no longer works on this factory once removed; the account stays. Remove %(user)s?"
            )
            % who,
            "hidden": [
                ("remove", asked.pk),
                ("seen_user", who["user"]),
                ("seen_role", asked.role),
                ("seen_party", asked.party),
            ],
            "button": _("Remove"),
            "action": request.path,
            "cancel": reverse("members", args=[factory.slug]),
        },
        status=409 if notice else 200,
    )


def _role_text(member: Membership) -> str:
    """A member's role in the page's language, with a vendor's party: ``Vendor or provider (line-vendor)``."""
    label = str(member.get_role_display())
    return f"{label} ({member.party})" if member.party else label


def _seen(request: HttpRequest) -> tuple[str, str] | None:
    """The role and party the confirm page or the Change form showed (None when the post did not come from one)."""
    if "seen_role" not in request.POST:
        return None
    return request.POST.get("seen_role", ""), request.POST.get("seen_party", "").strip()


def _gone_text(request: HttpRequest) -> str:
    name = request.POST.get("seen_user", "").strip()
    if name:
        return _("%(user)s was already removed from this factory by someone else; nothing was changed.") % {
            "user": name
        }
    return _("This member was already removed from this factory by someone else; nothing was changed.")


def _remove_member(request: HttpRequest, factory: Factory) -> HttpResponse:
    number = request.POST.get("remove", "")
    if not number.isascii() or not number.isdigit() or len(number) > 18:  # not a membership's id (a bigint)
        raise Http404(_("No such member."))
    if request.POST.get("confirm") != "yes":  # the list's button asks first; nobody is removed by one click
        asked = Membership.objects.filter(factory=factory, pk=int(number)).select_related("user").first()
        if asked is None:
            raise Http404(_("No such member."))
        return _remove_question(factory, asked, request)
    seen = _seen(request)
    with transaction.atomic():  # the removal and its audit entry are kept together or not at all
        member = (
            Membership.objects.select_for_update()
            .filter(factory=factory, pk=int(number))
            .select_related("user")
            .first()
        )
        removed = member is not None and (seen is None or seen == (member.role, member.party))
        if member is not None and removed:
            member.delete()
            name = member.user.get_username()
            detail = {"user": name, "role": member.role, "party": member.party}
            record("member-removed", user=request.user, factory=factory, subject=name, detail=detail)
    if member is None:  # a colleague removed the member after the question was asked
        messages.warning(request, _gone_text(request))
    elif not removed:  # a colleague changed the member's role after the question was asked: ask again
        notice = _(
            "%(user)s's role was changed to %(role)s by someone else after you were asked; nobody was removed."
        ) % {"user": member.user.get_username(), "role": _role_text(member)}
        return _remove_question(factory, member, request, notice)
    else:
        messages.success(request, _("%(user)s no longer works on this factory.") % {"user": member.user.get_username()})
    return redirect("members", slug=factory.slug)


@factory_view(Action.MANAGE_MEMBERS)
def members(request: HttpRequest, factory: Factory) -> HttpResponse:
    """List the factory's members; add one (an existing account, or a new local one), change a role, remove a member.

    A member's Change opens the form filled in with the member's role; the form then carries that role, and a save is
    refused (409, nothing changed) when a colleague removed the member or changed the role in between.
    """
    errors: dict[str, str] = {}
    values: Any = {}
    seen: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if "remove" in request.POST:
            return _remove_member(request, factory)
        errors, seen = _save_member(request, factory)
        if not errors:
            return redirect("members", slug=factory.slug)
        values = request.POST
        status = 409 if "conflict" in errors else 422
    elif "change" in request.GET:
        number = request.GET.get("change", "")
        chosen = (
            Membership.objects.filter(factory=factory, pk=int(number)).select_related("user").first()
            if number.isascii() and number.isdigit() and len(number) <= 18
            else None
        )
        if chosen is None:  # a link from a list shown before a colleague removed the member
            errors, status = {"conflict": _("No such member: removed since the list was shown?")}, 404
        else:
            name = chosen.user.get_username()
            values = {"username": name, "role": chosen.role, "party": chosen.party}
            seen = {"user": name, "role": chosen.role, "party": chosen.party}
    listing = Membership.objects.filter(factory=factory).select_related("user").order_by("user__username")
    return render(
        request,
        "accounts/members.html",
        {
            "factory": factory,
            "members": listing,
            "roles": Role.choices,
            "errors": errors,
            "values": values,
            "seen": seen,
        },
        status=status,
    )
