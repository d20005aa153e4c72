"""A change request, the element edits of its draft, and the sign-offs it collects."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from factorysec.workspace.factories.models import Factory

TITLE_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 10000
"""The limits of a proposal's title (its column) and description, the same in the form and the API."""
SIGNOFF_REASON_MAX_LENGTH = 5000
"""The longest reason a sign-off keeps, the same in the form and the API (a longer one is refused, never cut)."""


class State(models.TextChoices):
    OPEN = "open", _("Open for review")
    CHANGES_REQUESTED = "changes-requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeRequest(models.Model):
    """A proposed change of the factory's model: a draft (its edits), the review of it, and its state.

    ``revision`` counts the draft's edits; a sign-off counts only for the
    revision it was given on, so an approval never covers a draft edited after it.
    """

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="change_requests")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    description = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    revision = models.IntegerField(default=0)
    approvers: models.JSONField[Any] = models.JSONField(
        default=list, help_text="Who must sign off, as the review of the current revision names them."
    )
    review_digest = models.CharField(
        max_length=64, blank=True, help_text="Digest of the draft's model when it was last reviewed."
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_digest = models.CharField(max_length=64, blank=True)
    merged_review: models.JSONField[Any] = models.JSONField(
        null=True,
        blank=True,
        help_text="The review as it was when merged (the live model equals the draft afterwards).",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class DraftEdit(models.Model):
    """One element as the draft has it (null payload: deleted), and the version of the live element it was based on (0: new)."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="edits")
    section = models.CharField(max_length=64)
    key = models.CharField(max_length=300)
    base_version = models.IntegerField()
    payload: models.JSONField[Any] = models.JSONField(null=True)
    version = models.IntegerField(
        default=1,
        help_text="The draft element's version, continuing the live element's numbering (base + 1 at the first edit), for the optimistic check of two people editing it.",
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["change", "section", "key"], name="draft_edit_unique")]
        ordering = ["section", "key"]


class Verdict(models.TextChoices):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes-requested"
    REJECTED = "rejected"


VERDICT_WORDS = (
    pgettext_lazy("verdict", "approved"),
    pgettext_lazy("verdict", "changes-requested"),
    pgettext_lazy("verdict", "rejected"),
)
"""Marks the verdicts for makemessages: the change page shows the values, translated there (``{% translate ... context "verdict" %}``)."""


class SignOff(models.Model):
    """A department's or party's verdict on one revision of a change, given by a person who speaks for it."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="signoffs")
    approver = models.CharField(max_length=200, help_text="department:ID or party:ID")
    revision = models.IntegerField()
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    reason = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
