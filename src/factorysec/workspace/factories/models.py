"""The element store: one row per model element, every version of it kept, snapshots as sets of versions.

A factory's model is its live elements, ordered by section (schema order) and
position; :mod:`factorysec.workspace.factories.store` turns them into a
:class:`~factorysec.model.FactoryModel` and back. The payload is the element
exactly as the model serialises it (JSON mode, by alias, defaults left out), so
the same pydantic classes validate it and nothing here knows its fields.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Factory(models.Model):
    """One factory space: its own model, members and history."""

    slug = models.SlugField(max_length=128, unique=True)
    name = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "slug"]
        verbose_name_plural = "factories"

    def __str__(self) -> str:
        return self.name


class Element(models.Model):
    """The current version of one model element (``section`` + ``key``); a deleted one keeps its row and history."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="elements")
    section = models.CharField(max_length=64)
    key = models.CharField(
        max_length=300, help_text="The element's id, or a stored key for sections whose entries have none."
    )
    position = models.IntegerField(help_text="Order inside the section, kept so that an export equals the import.")
    version = models.IntegerField(default=1)
    payload: models.JSONField[Any] = models.JSONField(
        null=True, help_text="The element as the model writes it; null once deleted."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["factory", "section", "key"], name="element_unique_key")]
        indexes = [
            models.Index(fields=["factory", "section", "position"]),
            models.Index(
                fields=["factory", "section", "position"],
                condition=models.Q(payload__isnull=False),
                name="element_live",
            ),
        ]
        ordering = ["section", "position"]

    def __str__(self) -> str:
        return f"{self.section}/{self.key}"

    @property
    def deleted(self) -> bool:
        return self.payload is None


class ElementVersion(models.Model):
    """One saved state of an element: who, when, what (the whole payload; null records a deletion)."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="versions")
    version = models.IntegerField()
    position = models.IntegerField()
    payload: models.JSONField[Any] = models.JSONField(null=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["element", "version"], name="element_version_unique")]
        ordering = ["element", "-version"]

    def __str__(self) -> str:
        return f"{self.element} v{self.version}"


class Snapshot(models.Model):
    """A named state of a factory's model: the set of element versions live at that moment, and the model's digest."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="snapshots")
    label = models.CharField(max_length=300)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    versions = models.ManyToManyField(ElementVersion, related_name="snapshots")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.factory.slug}: {self.label}"


class Job(models.Model):
    """A piece of background work on a factory (an analysis, an import, a report bundle), run by the task worker, never inside a request.

    The task updates ``stage`` and ``progress`` as it goes so that a page can
    show how far it is; ``result`` holds what a page needs afterwards (counts,
    messages), ``upload`` the file an import reads, ``output`` a file it made.
    """

    class Kind(models.TextChoices):
        ANALYSIS = "analysis", "analysis"
        IMPORT = "import", "import"
        REPORTS = "reports", "reports"
        VULNERABILITIES = "vulnerabilities", "vulnerabilities"

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0 to 100.")
    lang = models.CharField(max_length=8, default="en")
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    upload_name = models.CharField(max_length=300, blank=True)
    upload = models.BinaryField(null=True, blank=True)
    output = models.BinaryField(null=True, blank=True)
    result: models.JSONField[Any] = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["factory", "kind", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.factory.slug}: {self.kind} #{self.pk} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
