"""A supplier's answer to one checklist item, its evidence and attachment, and the factory's verdict on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from factorysec.workspace.factories.models import Factory


class AnswerState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    QUESTIONED = "questioned", "Questioned"


class SupplierAnswer(models.Model):
    """What ``party`` answered for ``item`` about ``subject`` (an asset or the party itself); written into the model once accepted."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="supplier_answers")
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
        constraints = [models.UniqueConstraint(fields=["factory", "party", "subject", "item"], name="supplier_answer_unique")]
        ordering = ["party", "subject", "item"]

    def __str__(self) -> str:
        return f"{self.party} {self.subject}/{self.item}: {self.answer}"
