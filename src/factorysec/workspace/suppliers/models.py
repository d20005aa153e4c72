"""A supplier's answer to one checklist item, its evidence and attachment, and the factory's verdict on it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from factorysec.workspace.factories.models import Factory


class AnswerState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("supplier answer", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("supplier answer", "Accepted")
    QUESTIONED = "questioned", pgettext_lazy("supplier answer", "Questioned")


STATE_WORDS = (
    pgettext_lazy("supplier answer", "submitted"),
    pgettext_lazy("supplier answer", "accepted"),
    pgettext_lazy("supplier answer", "questioned"),
)
"""Marks the states for makemessages: the pages show the values, translated there (``{% translate ... context "supplier answer" %}``)."""


class SupplierAnswer(models.Model):
    """What ``party`` answered for ``item`` about ``subject`` (an asset or the party itself); written into the model (or the change's draft) once accepted."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="supplier_answers")
    change = models.ForeignKey(
        "changes.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supplier_answers",
        help_text="Set when the answer is about what a change request brings; accepted, it enters that change's draft.",
    )
    party = models.CharField(max_length=128)
    subject = models.CharField(max_length=128)
    item = models.CharField(max_length=128)
    answer = models.CharField(max_length=20)
    evidence = models.CharField(max_length=2000, blank=True)
    note = models.CharField(max_length=2000, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=AnswerState.choices, default=AnswerState.SUBMITTED)
    review_comment = models.CharField(max_length=2000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["factory", "party", "subject", "item"],
                condition=models.Q(change__isnull=True),
                name="supplier_answer_unique",
            ),
            models.UniqueConstraint(
                fields=["change", "party", "subject", "item"],
                condition=models.Q(change__isnull=False),
                name="supplier_answer_unique_in_change",
            ),
        ]
        ordering = ["party", "subject", "item"]

    def __str__(self) -> str:
        return f"{self.party} {self.subject}/{self.item}: {self.answer}"


class StoredPartyView(models.Model):
    """One party's share of an analysis (its checklists, open items and responsibility matrices), kept so that the
    supplier portal reads it instead of analysing the model inside the request.

    ``job`` is set for the live model's share, written by the analysis job; ``change`` and ``revision`` for the share
    of what a change request's draft brings, written when the draft's review is refreshed after an edit.
    """

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="party_views")
    job = models.ForeignKey("factories.Job", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    change = models.ForeignKey(
        "changes.ChangeRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="party_views"
    )
    revision = models.IntegerField(default=0)
    party = models.CharField(max_length=128)
    data: models.JSONField[Any] = models.JSONField()

    class Meta:
        indexes = [
            models.Index(fields=["job", "party"], name="party_view_of_job"),
            models.Index(fields=["change", "party", "revision"], name="party_view_of_change"),
        ]

    def __str__(self) -> str:
        return f"{self.party} ({'job ' + str(self.job_id) if self.job_id else 'change ' + str(self.change_id)})"
