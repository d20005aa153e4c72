"""Comments on a finding: who may read and write them, the finding they may be on, checked (not empty, not over
:data:`COMMENT_MAX_LENGTH`), stored with an audit entry. The finding's page and the API (``.../findings/{finding}/
comments``) both go through these functions, so they refuse and record alike."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from factorysec.workspace.accounts.permissions import Action, UserLike, can
from factorysec.workspace.audit.log import record
from factorysec.workspace.audit.models import Decision as StoredDecision
from factorysec.workspace.factories.forms import newlines
from factorysec.workspace.factories.jobs import latest_analysis
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.results.models import DecisionComment, StoredFinding

COMMENT_MAX_LENGTH = 2000
"""The longest comment on a finding, in characters once surrounding blanks are removed: as long as the factory's
comment on a supplier's answer (:data:`factorysec.workspace.suppliers.portal.REVIEW_COMMENT_MAX_LENGTH`)."""


class CommentError(ValueError):
    """A comment refused: ``message`` to show beside the page's *Comment* field (led by its label), ``reason`` the same
    without the label (the API leads it with the body's field, ``text``); both in the reader's language."""

    field = "text"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.message = _("Comment: %(reason)s") % {"reason": reason}
        super().__init__(self.message)


def may_comment(user: UserLike, factory: Factory) -> bool:
    """Whether ``user`` reads and writes the comments on the factory's findings: whoever sees the results (a vendor or
    provider sees none, so neither reads nor writes comments)."""
    return can(user, factory, Action.RUN_ANALYSIS)


def finding_on_record(factory: Factory, finding: str) -> tuple[StoredFinding | None, StoredDecision | None]:
    """The finding as the latest analysis stored it and its decision; :class:`~django.http.Http404` when neither
    exists (a finding no analysis reported and nobody decided on is nothing to comment on)."""
    latest = latest_analysis(factory)
    stored = StoredFinding.objects.filter(job=latest, finding=finding).first() if latest is not None else None
    current = StoredDecision.objects.filter(factory=factory, finding=finding).first()
    if stored is None and current is None:
        raise Http404(f"no finding '{finding}' in the latest analysis of '{factory.slug}', nor a decision on it")
    return stored, current


def comments_on(factory: Factory, finding: str) -> QuerySet[DecisionComment]:
    """The comments on ``finding``, oldest first (newest last), with their authors."""
    return DecisionComment.objects.filter(factory=factory, finding=finding).select_related("author")


def comment_text(posted: str) -> str:
    """A comment as it is kept: line breaks as LF (a browser sends CR LF), surrounding blanks removed; refused
    (:class:`CommentError`) when nothing is left or it is longer than :data:`COMMENT_MAX_LENGTH`."""
    text = newlines(posted).strip()
    if not text:
        raise CommentError(_("write the comment first; an empty comment is not recorded."))
    if len(text) > COMMENT_MAX_LENGTH:
        raise CommentError(
            pgettext("comment", "at most %(limit)s characters (this one has %(count)s); shorten it and send it again.")
            % {"limit": f"{COMMENT_MAX_LENGTH:,}", "count": f"{len(text):,}"}
        )
    return text


@transaction.atomic
def add_comment(factory: Factory, finding: str, posted: str, user: UserLike) -> DecisionComment:
    """Store a comment on ``finding`` (who may comment, :func:`may_comment`, and whether the finding is on record,
    :func:`finding_on_record`, are checked by the caller) with its ``finding-commented`` audit entry, both or neither."""
    text = comment_text(posted)
    author: Any = user if user.is_authenticated else None  # a signed-in user is the project's User
    comment = DecisionComment.objects.create(factory=factory, finding=finding, author=author, text=text)
    record(
        "finding-commented",
        user=user,
        factory=factory,
        subject=finding,
        detail={"comment": text, "id": comment.pk},
    )
    return comment
