"""Stored analysis results (one row per finding, indexed by zone, holder and action) and decisions on findings.

An analysis job writes its findings here so that the result pages browse them
with indexed queries, paginated, however large the factory: nothing is
re-analysed inside a request. Decisions on findings are kept in one place,
:class:`factorysec.workspace.audit.models.Decision` (every change is in the
audit log); comments on findings are kept here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from factorysec.workspace.factories.models import Factory, Job


class StoredFinding(models.Model):
    """One finding of one analysis job, in both languages, with the zone, holder and level it is browsed by."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="findings")
    position = models.IntegerField()
    finding = models.CharField(max_length=400)
    rule = models.CharField(max_length=100)
    category = models.CharField(max_length=32)
    reference = models.CharField(max_length=300)
    subject_kind = models.CharField(max_length=32)
    subject_id = models.CharField(max_length=300)
    zone = models.CharField(
        max_length=300, blank=True, help_text="The zone the subject sits in; empty for the factory as a whole."
    )
    holder = models.CharField(
        max_length=300,
        blank=True,
        help_text="The department or party answerable for the subject; empty when the model names none.",
    )
    level = models.CharField(max_length=16, blank=True, help_text="Residual risk level, for threat findings.")
    title_en = models.TextField()
    title_ja = models.TextField()
    rationale_en = models.TextField()
    rationale_ja = models.TextField()
    data: models.JSONField[Any] = models.JSONField(
        default=dict, blank=True, help_text="The whole finding as assessment.json holds it (what the API returns)."
    )

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(fields=["job", "position"]),
            models.Index(fields=["job", "zone", "position"]),
            models.Index(fields=["job", "holder", "position"]),
            models.Index(fields=["job", "category", "position"]),
            models.Index(fields=["job", "finding"]),
        ]

    def __str__(self) -> str:
        return self.finding

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en

    def rationale(self, lang: str) -> str:
        return self.rationale_ja if lang == "ja" else self.rationale_en


class FindingAction(models.Model):
    """A measure still missing (or only partly in place) for a finding: the action list is these rows grouped by measure."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="actions")
    finding = models.ForeignKey(StoredFinding, on_delete=models.CASCADE, related_name="actions")
    measure = models.CharField(max_length=200)
    partial = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["job", "measure"])]

    def __str__(self) -> str:
        return f"{self.measure} for {self.finding_id}"


class DecisionComment(models.Model):
    """A comment on a finding of a factory (kept even while no decision is recorded)."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="finding_comments")
    finding = models.CharField(max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["factory", "finding"])]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.finding}: {self.text[:40]}"


class FindingGroup(models.Model):
    """How many findings of one analysis job fall in one zone, department, action or category, counted when the job stored them.

    The result pages list these groups a page at a time, largest first, instead
    of counting every finding of a 100,000-asset factory on each request.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="finding_groups")
    dimension = models.CharField(max_length=16, help_text="zone, department, action or category.")
    key = models.CharField(max_length=300, blank=True, help_text="The zone, holder, measure or category id.")
    count = models.IntegerField()

    class Meta:
        ordering = ["-count", "key"]
        indexes = [models.Index(fields=["job", "dimension", "-count", "key"], name="finding_group_page")]

    def __str__(self) -> str:
        return f"{self.dimension} {self.key}: {self.count}"
