"""The audit log (append-only, hash-chained), decisions on findings, and what the webhook already announced."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import pgettext_lazy

from factorysec.workspace.factories.models import ElementVersion, Factory


class AppendOnlyError(Exception):
    """An audit entry was about to be changed or deleted through the application."""


class AuditHead(models.Model):
    """The single row that holds the chain's last number and hash; locked while an entry is appended, so entries never fork."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)


class AuditEntry(models.Model):
    """One event: who did what to which subject, the model digest after it, and the hash that chains it to the entry before."""

    seq = models.BigIntegerField(unique=True)
    created_at = models.CharField(max_length=40, help_text="UTC time, ISO 8601, as hashed.")
    actor = models.CharField(max_length=150, help_text="User name as it was at the time (kept if the account goes).")
    factory = models.CharField(
        max_length=128, blank=True, help_text="Factory slug; empty for events outside a factory (logins)."
    )
    action = models.CharField(max_length=64)
    subject = models.CharField(max_length=400, blank=True)
    detail: models.JSONField[Any] = models.JSONField(default=dict)
    model_digest = models.CharField(max_length=64, blank=True)
    previous = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["factory", "seq"]), models.Index(fields=["action", "actor", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError(f"audit entry {self.seq} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"audit entry {self.seq} cannot be deleted")

    def as_record(self) -> dict[str, Any]:
        """The entry as the chain hashes it, plus its hash."""
        return {
            "seq": self.seq,
            "created_at": self.created_at,
            "actor": self.actor,
            "factory": self.factory,
            "action": self.action,
            "subject": self.subject,
            "detail": self.detail,
            "model_digest": self.model_digest,
            "previous": self.previous,
            "hash": self.hash,
        }


class DecisionStatus(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("decision status", "Accepted")
    MITIGATED = "mitigated", pgettext_lazy("decision status", "Mitigated")
    FALSE_POSITIVE = "false-positive", pgettext_lazy("decision status", "False Positive")
    IN_PROGRESS = "in-progress", pgettext_lazy("decision status", "In Progress")


class Decision(models.Model):
    """A decision on one finding, as ``decisions.yaml`` holds it; ``owner`` is a user name or a department id of the model."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="decisions")
    finding = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=DecisionStatus.choices)
    justification = models.TextField()
    owner = models.CharField(max_length=150)
    date = models.DateField(null=True, blank=True)
    review_by = models.DateField(null=True, blank=True)
    notified_due = models.DateField(
        null=True, blank=True, help_text="The review_by date the webhook already announced as due."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["factory", "finding"], name="decision_unique_finding")]
        ordering = ["review_by", "finding"]

    def __str__(self) -> str:
        return f"{self.finding}: {self.status}"


class AnnouncedRisk(models.Model):
    """A high or critical risk the webhook has announced, so it is announced once."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="+")
    finding = models.CharField(max_length=300)
    level = models.CharField(max_length=16)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["factory", "finding"], name="announced_risk_unique")]


class PendingVersion(models.Model):
    """An element version saved but not yet in the audit log (left by an earlier release).

    Earlier releases marked each saved version here and left its entry, with the
    model digest, to the task worker. A save now writes its entry itself, in its
    own transaction, with the element-set digest
    (:mod:`factorysec.workspace.factories.digests`); rows an upgraded database
    still holds are logged by :func:`factorysec.workspace.audit.signals.write_pending`
    when the workspace is prepared.
    """

    version = models.OneToOneField(ElementVersion, on_delete=models.CASCADE, related_name="+")
    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="+")
    actor = models.CharField(max_length=150)

    def __str__(self) -> str:
        return f"pending audit entry for version {self.version_id}"
