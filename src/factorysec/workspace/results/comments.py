"""Comments on a finding: checked (not empty, not over :data:`COMMENT_MAX_LENGTH`), stored with an audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from factorysec.workspace.accounts.permissions import UserLike
from factorysec.workspace.audit.log import record
from factorysec.workspace.factories.forms import newlines
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.results.models import DecisionComment

COMMENT_MAX_LENGTH = 2000
"""The longest comment on a finding, in characters once surrounding blanks are removed: as long as the factory's
comment on a supplier's answer (:data:`factorysec.workspace.suppliers.portal.REVIEW_COMMENT_MAX_LENGTH`)."""


class CommentError(ValueError):
    """A comment refused, with the message to show beside the comment field (in the reader's language)."""

    field = "text"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def comment_text(posted: str) -> str:
    """A comment as it is kept: line breaks as LF (a browser sends CR LF), surrounding blanks removed; refused
    (:class:`CommentError`) when nothing is left or it is longer than :data:`COMMENT_MAX_LENGTH`."""
    text = newlines(posted).strip()
    if not text:
        raise CommentError(_("Comment: write the comment first; an empty comment is not recorded."))
    if len(text) > COMMENT_MAX_LENGTH:
        raise CommentError(
            _("Comment: at most %(limit)s characters (this one has %(count)s); shorten it and send it again.")
            % {"limit": f"{COMMENT_MAX_LENGTH:,}", "count": f"{len(text):,}"}
        )
    return text


@transaction.atomic
def add_comment(factory: Factory, finding: str, posted: str, user: UserLike) -> DecisionComment:
    """Store a comment on ``finding`` (who may comment is checked by the caller) with its ``finding-commented`` audit
    entry, both or neither."""
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
