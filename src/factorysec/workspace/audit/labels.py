"""How the audit log page reads a stored entry in the reader's language, without changing what is stored.

An entry's ``action`` is a code (``element-saved``, ``signoff-approved``) and some subjects are written in English by
the code that records them (``change #3: uploaded case.yaml``, ``import``). The entries are hash-chained, so they are
never rewritten: the page shows each code's label (the code itself in English, a Japanese label on a Japanese page,
the code as the cell's tooltip) and reads the known English subjects in the page's language; the export and
``factorysec audit verify`` see the entries as stored.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

ACTION_LABELS: dict[str, Promise] = {
    "element-saved": pgettext_lazy("audit action", "element-saved"),
    "element-deleted": pgettext_lazy("audit action", "element-deleted"),
    "elements-imported": pgettext_lazy("audit action", "elements-imported"),
    "change-proposed": pgettext_lazy("audit action", "change-proposed"),
    "draft-edited": pgettext_lazy("audit action", "draft-edited"),
    "signoff-approved": pgettext_lazy("audit action", "signoff-approved"),
    "signoff-changes-requested": pgettext_lazy("audit action", "signoff-changes-requested"),
    "signoff-rejected": pgettext_lazy("audit action", "signoff-rejected"),
    "change-merged": pgettext_lazy("audit action", "change-merged"),
    "decision-created": pgettext_lazy("audit action", "decision-created"),
    "decision-changed": pgettext_lazy("audit action", "decision-changed"),
    "supplier-answered": pgettext_lazy("audit action", "supplier-answered"),
    "supplier-answer-accepted": pgettext_lazy("audit action", "supplier-answer-accepted"),
    "supplier-answer-questioned": pgettext_lazy("audit action", "supplier-answer-questioned"),
    "webhook-sent": pgettext_lazy("audit action", "webhook-sent"),
    "webhook-failed": pgettext_lazy("audit action", "webhook-failed"),
    "audit-exported": pgettext_lazy("audit action", "audit-exported"),
    "member-added": pgettext_lazy("audit action", "member-added"),
    "member-role-changed": pgettext_lazy("audit action", "member-role-changed"),
    "member-removed": pgettext_lazy("audit action", "member-removed"),
    "token-issued": pgettext_lazy("audit action", "token-issued"),
    "token-revoked": pgettext_lazy("audit action", "token-revoked"),
    "login": pgettext_lazy("audit action", "login"),
    "logout": pgettext_lazy("audit action", "logout"),
    "login-failed": pgettext_lazy("audit action", "login-failed"),
}
"""Every action code the workspace and the CLI record, with its label; in English the label is the code."""

_CHANGE = re.compile(r"change #(?P<number>\d+): (?P<rest>.*)", re.S)
_UPLOADED = re.compile(r"uploaded (?P<name>.+)", re.S)
_SUPPLIER_ACCEPTED = re.compile(r"supplier answer of (?P<party>.+) accepted", re.S)


def action_label(action: str) -> str:
    """The action's label in the reader's language; a code not known here (a later release's) as stored."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def subject_text(action: str, subject: str, detail: dict[str, Any]) -> str:
    """The entry's subject in the reader's language: the words the recording code wrote in English are read again
    (``change #3: uploaded case.yaml`` as 変更要求 #3：case.yaml をアップロード); names, titles and keys stay as stored."""
    if action == "elements-imported" and subject == "import":
        return pgettext("audit subject", "import")
    if action in MEMBER_ACTIONS:
        return _member_text(action, subject, detail)
    found = _CHANGE.fullmatch(subject)
    if found is None:
        return subject
    rest = found["rest"]
    if action == "draft-edited" and "elements" in detail:  # several elements at once: the rest says how they came
        if (uploaded := _UPLOADED.fullmatch(rest)) is not None:
            rest = pgettext("audit subject", "uploaded %(name)s") % {"name": uploaded["name"]}
        elif (accepted := _SUPPLIER_ACCEPTED.fullmatch(rest)) is not None:
            rest = pgettext("audit subject", "supplier answer of %(party)s accepted") % {"party": accepted["party"]}
    return pgettext("audit subject", "change #%(number)s: %(rest)s") % {"number": found["number"], "rest": rest}


MEMBER_ACTIONS = frozenset({"member-added", "member-role-changed", "member-removed"})


def _role_text(role: object, party: object) -> str:
    """A role's label in the reader's language (a code not known here as stored), with the vendor's party."""
    from factorysec.workspace.accounts.models import Role

    label = str(Role(role).label) if isinstance(role, str) and role in Role.values else str(role)
    return f"{label} ({party})" if party else label


def _member_text(action: str, subject: str, detail: dict[str, Any]) -> str:
    """Whom a membership entry is about and the role: ``hanako: Production → Vendor or provider (line-vendor)``."""
    role = _role_text(detail.get("role", ""), detail.get("party", ""))
    if action == "member-role-changed":
        previous = _role_text(detail.get("previous_role", ""), detail.get("previous_party", ""))
        return pgettext("audit subject", "%(user)s: %(before)s → %(after)s") % {
            "user": subject,
            "before": previous,
            "after": role,
        }
    return pgettext("audit subject", "%(user)s: %(role)s") % {"user": subject, "role": role}
