"""Stored vulnerability findings: one row per open (asset, CVE) decision of the latest vulnerability job of a factory.

The job writes what ``factorysec analyze --advisories`` adds to the assessment
(:mod:`factorysec.vulnerability.findings`), with the parties that supply,
maintain or manage the asset so that a vendor account is shown its own only.
"""

from __future__ import annotations

from django.db import models

from factorysec.workspace.factories.models import Job


class StoredVulnerability(models.Model):
    """One vulnerability finding (``VULN-CVE-...@asset``) of one job, with its SSVC decision and level."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="vulnerabilities")
    position = models.IntegerField(help_text="Rank: most urgent first.")
    finding = models.CharField(max_length=400)
    rule = models.CharField(max_length=100)
    reference = models.CharField(max_length=300)
    asset = models.CharField(max_length=300)
    zone = models.CharField(max_length=300, blank=True)
    supplier = models.CharField(max_length=300, blank=True)
    maintainer = models.CharField(max_length=300, blank=True)
    managed_by = models.CharField(max_length=300, blank=True)
    cve = models.CharField(max_length=64)
    state = models.CharField(max_length=32)
    priority = models.CharField(max_length=32, help_text="SSVC deployer priority.")
    level = models.CharField(max_length=16, help_text="The level the SSVC priority is read as.")
    cvss = models.FloatField(null=True, blank=True)
    in_kev = models.BooleanField(default=False)
    advisories = models.CharField(max_length=1000, blank=True)
    title_en = models.TextField()
    title_ja = models.TextField()
    rationale_en = models.TextField()
    rationale_ja = models.TextField()

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(fields=["job", "position"]),
            models.Index(fields=["job", "supplier"]),
            models.Index(fields=["job", "maintainer"]),
            models.Index(fields=["job", "managed_by"]),
        ]

    def __str__(self) -> str:
        return self.finding

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en

    def rationale(self, lang: str) -> str:
        return self.rationale_ja if lang == "ja" else self.rationale_en
