"""What each role may do in a factory: one table, one function to ask it, one to filter what a vendor sees.

Following Table 1-1's division of work: security/IT edit everything; production
edits the operations and assets it knows and the zones they sit in; DX, risk
management and audit read everything (DX proposes changes through change
requests, a later issue); strategic management reads the overview and the
analysis; a vendor or provider sees only its own party, the assets it supplies,
maintains or runs, and the checklist answers and responsibilities about them,
and answers its own checklists. Decisions on findings (accept, mitigate ...)
are taken by security/IT and risk management; security/IT manage the members.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from factorysec.model.entities import COLLECTIONS, SINGLETONS
from factorysec.workspace.accounts.models import Membership, Role
from factorysec.workspace.factories.models import Factory

ALL_SECTIONS = frozenset((*SINGLETONS, *COLLECTIONS))


class Action(StrEnum):
    VIEW_OVERVIEW = "view-overview"
    VIEW_SECTION = "view-section"
    EDIT_SECTION = "edit-section"
    RUN_ANALYSIS = "run-analysis"
    EXPORT = "export"
    IMPORT = "import"
    DECIDE = "decide"
    MANAGE_MEMBERS = "manage-members"


VENDOR_SECTIONS = frozenset({"parties", "assets", "checklist_answers", "responsibilities"})
"""Sections a vendor sees, each filtered to its own party's elements."""

_READ_ALL = {
    Action.VIEW_OVERVIEW: ALL_SECTIONS,
    Action.VIEW_SECTION: ALL_SECTIONS,
    Action.RUN_ANALYSIS: ALL_SECTIONS,
    Action.EXPORT: ALL_SECTIONS,
}

RULES: dict[Role, dict[Action, frozenset[str]]] = {
    Role.SECURITY_IT: {
        **_READ_ALL,
        Action.EDIT_SECTION: ALL_SECTIONS,
        Action.IMPORT: ALL_SECTIONS,
        Action.DECIDE: ALL_SECTIONS,
        Action.MANAGE_MEMBERS: ALL_SECTIONS,
    },
    Role.PRODUCTION: {**_READ_ALL, Action.EDIT_SECTION: frozenset({"operations", "assets", "zones"})},
    Role.DX: dict(_READ_ALL),
    Role.RISK_MANAGEMENT: {**_READ_ALL, Action.DECIDE: ALL_SECTIONS},
    Role.AUDIT: dict(_READ_ALL),
    Role.MANAGEMENT: {Action.VIEW_OVERVIEW: ALL_SECTIONS, Action.RUN_ANALYSIS: ALL_SECTIONS},
    Role.VENDOR: {
        Action.VIEW_OVERVIEW: ALL_SECTIONS,
        Action.VIEW_SECTION: VENDOR_SECTIONS,
        Action.EDIT_SECTION: frozenset({"checklist_answers"}),
    },
}
"""Per role and action, the sections it applies to (actions on the whole factory use any section: they are allowed when the set is not empty)."""

UserLike = AbstractBaseUser | AnonymousUser


def membership(user: UserLike, factory: Factory) -> Membership | None:
    """The user's membership of ``factory``, read once per user object (that is, once per request: the permission
    checks of one request ask several times)."""
    if not user.is_authenticated:
        return None
    known: dict[int, Membership | None] = user.__dict__.setdefault("_factorysec_memberships", {})
    if factory.pk not in known:
        known[factory.pk] = Membership.objects.filter(user_id=user.pk, factory=factory).first()
    return known[factory.pk]


def factory_for(user: UserLike, slug: str) -> Factory:
    """The factory ``slug`` (:class:`django.http.Http404` when there is none), read with the user's membership of it in
    one statement written once (every API call about a factory asks it; two querysets were compiled per call); the
    membership is kept for the request's permission checks (:func:`membership`)."""
    found = next(iter(Factory.objects.raw(_factory_sql(), [user.pk if user.is_authenticated else None, slug])), None)
    if found is None:
        raise Http404(f"no factory '{slug}'")
    if user.is_authenticated:
        known: dict[int, Membership | None] = user.__dict__.setdefault("_factorysec_memberships", {})
        extra = found.__dict__  # the joined membership's columns, which raw() sets beside the model's
        known[found.pk] = (
            None
            if extra["membership_id"] is None
            else Membership(
                id=extra["membership_id"],
                user_id=user.pk,
                factory=found,
                role=extra["membership_role"],
                party=extra["membership_party"],
            )
        )
    return found


@functools.cache
def _factory_sql() -> str:
    factories, members = Factory._meta.db_table, Membership._meta.db_table
    return (
        f'SELECT f.*, m."id" AS membership_id, m."role" AS membership_role, m."party" AS membership_party '
        f'FROM "{factories}" f LEFT JOIN "{members}" m ON m."factory_id" = f."id" AND m."user_id" = %s '
        'WHERE f."slug" = %s'
    )


def role_of(user: UserLike, factory: Factory) -> Role | None:
    """The user's role in ``factory``; a superuser acts as security/IT everywhere."""
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Role.SECURITY_IT
    member = membership(user, factory)
    return Role(member.role) if member is not None else None


def role_allows(role: Role | None, action: Action, section: str | None = None) -> bool:
    """The rule table itself: may ``role`` do ``action`` (on ``section``, when the action is about one)?"""
    if role is None:
        return False
    sections = RULES[role].get(action, frozenset())
    return bool(sections) if section is None else section in sections


def can(user: UserLike, factory: Factory, action: Action, section: str | None = None) -> bool:
    return role_allows(role_of(user, factory), action, section)


def vendor_party(user: UserLike, factory: Factory) -> str | None:
    """The party id a vendor or provider account stands for, or None for other roles."""
    if getattr(user, "is_superuser", False):
        return None
    member = membership(user, factory)
    if member is None or member.role != Role.VENDOR:
        return None
    return member.party


def party_assets(party: str, assets: list[dict[str, Any]]) -> set[str]:
    """Ids of the assets a party supplies, maintains or manages."""
    return {str(a["id"]) for a in assets if party in (a.get("supplier"), a.get("maintainer"), a.get("managed_by"))}


def vendor_sees(party: str, own_assets: set[str], section: str, payload: dict[str, Any]) -> bool:
    """Whether the vendor of ``party`` may see (and, where it may edit the section, write) this element."""
    if section == "parties":
        return payload.get("id") == party
    if section == "assets":
        return str(payload.get("id")) in own_assets
    if section in ("checklist_answers", "responsibilities"):
        return payload.get("subject") == party or payload.get("subject") in own_assets
    return False
