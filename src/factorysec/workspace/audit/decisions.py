"""Decisions on findings kept in the workspace: validated as ``decisions.yaml`` entries are, written to the audit log, due once ``review_by`` has passed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from django.db import models, transaction
from pydantic import ValidationError

from factorysec.model.loader import pydantic_said
from factorysec.model.planfiles import Decision as DecisionEntry
from factorysec.problems import Said, say
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.accounts.permissions import UserLike, role_of
from factorysec.workspace.audit.log import record
from factorysec.workspace.audit.models import Decision
from factorysec.workspace.factories.models import Factory
from factorysec.yamlio import uncarriable_text

DEPARTMENT_ROLES: dict[str, Role] = {
    "it": Role.SECURITY_IT,
    "security": Role.SECURITY_IT,
    "production-engineering": Role.PRODUCTION,
    "production-control": Role.PRODUCTION,
    "production-site": Role.PRODUCTION,
    "strategic-management": Role.MANAGEMENT,
    "factory-management": Role.MANAGEMENT,
    "audit": Role.AUDIT,
    "risk-management": Role.RISK_MANAGEMENT,
    "dx": Role.DX,
}
"""Which workspace role speaks for a department of each kind (catalog ``department_kinds``, Table 1-1)."""


def _column_length(name: str) -> int:
    field = Decision._meta.get_field(name)
    assert isinstance(field, models.Field) and isinstance(field.max_length, int)
    return field.max_length


LIMITS: dict[str, int] = {
    "finding": _column_length("finding"),
    "owner": _column_length("owner"),
    "justification": 5000,
}
"""The longest value of each text field a decision keeps: the columns' ``max_length`` (``finding``, ``owner``) and the
form's limit of the justification; ``decisions.yaml``'s schema has no upper bound of its own for the last two."""


class DecisionError(ValueError):
    """A decision the decisions-file schema refuses: ``field`` and ``message`` as the CLI would report them.

    ``message`` is the English text (the API's); :meth:`said` gives it in the page's language, as ``analyze --lang``
    says a refused ``decisions.yaml`` entry: the problem and its hint are :class:`~factorysec.problems.Said` codes
    (pydantic's error read by :func:`~factorysec.model.loader.pydantic_said`, the limits and the control characters
    by their own codes)."""

    def __init__(self, field: str, problem: str, hint: str = "") -> None:
        self.field, self.problem, self.hint = field, problem, hint
        self.message = self.said("en")
        super().__init__(f"{field}: {self.message}" if field else self.message)

    def said(self, lang: str) -> str:
        """The refusal in ``lang`` (``en``, ``ja``), without the field: the problem, then its hint in parentheses."""
        hint = f" ({say(self.hint, lang)})" if self.hint else ""
        return f"{say(self.problem, lang)}{hint}"


def department_kinds(factory: Factory) -> dict[str, str]:
    """Department id -> kind, from the stored model."""
    from factorysec.workspace.factories.models import Element

    return {
        str(p["id"]): str(p.get("kind", ""))
        for p in Element.objects.filter(factory=factory, section="departments", payload__isnull=False).values_list(
            "payload", flat=True
        )
    }


def speaks_for(user: UserLike, factory: Factory, owner: str, kinds: dict[str, str] | None = None) -> bool:
    """Whether ``owner`` (a user name, or a department id of the model) is ``user``."""
    if not user.is_authenticated:
        return False
    if owner == user.get_username():
        return True
    kind = (kinds if kinds is not None else department_kinds(factory)).get(owner)
    return (
        kind is not None and DEPARTMENT_ROLES.get(kind) is not None and role_of(user, factory) == DEPARTMENT_ROLES[kind]
    )


def is_due(decision: Decision, today: dt.date) -> bool:
    """Past its ``review_by`` date (a decision holds through its review day, as the CLI's expiry does)."""
    return decision.review_by is not None and decision.review_by < today


def due_for(user: UserLike, factory: Factory, today: dt.date | None = None) -> list[Decision]:
    """The decisions fallen due that ``user`` owns."""
    today = today or dt.date.today()
    kinds = department_kinds(factory)
    return [
        d
        for d in Decision.objects.filter(factory=factory, review_by__lt=today)
        if speaks_for(user, factory, d.owner, kinds)
    ]


@transaction.atomic
def save_decision(factory: Factory, data: dict[str, Any], user: UserLike) -> Decision:
    """Create or replace the decision on ``data['finding']`` after the decisions-file schema accepts it, within the
    columns' limits and holding no text the ``decisions.yaml`` reader refuses (so the export reads back); logged."""
    try:
        entry = DecisionEntry.model_validate({k: v for k, v in data.items() if v not in (None, "")})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        raise DecisionError(".".join(str(p) for p in first["loc"]), pydantic_said(first, first["msg"])) from None
    for field, limit in LIMITS.items():
        if len(getattr(entry, field)) > limit:
            raise DecisionError(field, Said("decision.too_long", limit=limit, count=len(getattr(entry, field))))
        refused = uncarriable_text(getattr(entry, field))  # decisions.yaml's reader refuses it: so would analyze
        if refused is not None:
            raise DecisionError(field, *refused)
    decision, created = Decision.objects.update_or_create(
        factory=factory,
        finding=entry.finding,
        defaults={
            "status": entry.status,
            "justification": entry.justification,
            "owner": entry.owner,
            "date": entry.date,
            "review_by": entry.review_by,
        },
    )
    record(
        "decision-created" if created else "decision-changed",
        user=user,
        factory=factory,
        subject=entry.finding,
        detail=entry.model_dump(mode="json"),
    )
    return decision


def decisions_yaml(factory: Factory) -> str:
    """The factory's decisions as the ``decisions.yaml`` that ``factorysec analyze --decisions`` reads."""
    entries = [
        DecisionEntry(
            finding=d.finding,
            status=d.status,
            justification=d.justification,
            owner=d.owner,
            date=d.date,
            review_by=d.review_by,
        ).model_dump(mode="json", exclude_none=True)
        for d in Decision.objects.filter(factory=factory).order_by("finding")
    ]
    return yaml.safe_dump({"decisions": entries}, allow_unicode=True, sort_keys=False)
