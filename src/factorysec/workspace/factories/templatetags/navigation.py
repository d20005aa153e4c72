"""The header's links to a factory's pages: only those the reader's role opens."""

from __future__ import annotations

from typing import Any

from django import template

from factorysec.workspace.accounts.permissions import Action, can, role_of, vendor_party
from factorysec.workspace.factories.models import Factory

register = template.Library()


@register.simple_tag(takes_context=True)
def factory_links(context: dict[str, Any], factory: Factory) -> dict[str, bool]:
    """Which of the header's pages (changes, suppliers, decisions, audit) the user may open in ``factory``: a vendor was
    offered Decisions and Audit, management Suppliers, and each led to a bare 'your role does not allow this'."""
    from factorysec.workspace.audit.views import LOG_READERS

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "changes": can(user, factory, Action.VIEW_OVERVIEW),
        "suppliers": vendor_party(user, factory) is not None
        or can(user, factory, Action.VIEW_SECTION, "checklist_answers"),
        "decisions": can(user, factory, Action.RUN_ANALYSIS),
        "audit": role_of(user, factory) in LOG_READERS,
    }
