"""Vulnerability findings as the Assessment holds them: one ranked entry per open (asset, CVE) decision.

The vulnerability intake (:mod:`factorysec.vulnerability.intake`) decides each
(asset, CVE) and ranks it by CERT/CC's SSVC deployer tree. When ``analyze`` or
``report`` are given advisories, the affected and undecided ones join the
Assessment's findings (category ``vulnerability``) and each gets one
:class:`VulnerabilityEntry` here, with its SSVC decision and the level that
decision is read as (:data:`LEVEL_OF_PRIORITY`), so that ``--fail-on``,
SARIF levels and every renderer treat it like a ranked risk.

The level mapping (also in ``docs/scoring.md``'s reader's terms, the SSVC
priority is the deployer's "how soon"):

=============  ========  ===================================================
SSVC priority  level     meaning for the factory
=============  ========  ===================================================
immediate      critical  act now, outside every maintenance window
out-of-cycle   high      act before the next planned window
scheduled      medium    fix in the next planned maintenance window
defer          low       record it; look again when the facts change
=============  ========  ===================================================

An undecided match (the tool cannot tell whether the version is affected) is
ranked as if it were affected: it may be, and the SSVC inputs (exploitation,
exposure, automatability, importance) are the same.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.decisions import AppliedDecision, is_open
from factorysec.analysis.findings import Finding, Subject
from factorysec.analysis.risk import LEVEL_RANK, RiskLevel

SsvcPriority = Literal["defer", "scheduled", "out-of-cycle", "immediate"]
LEVEL_OF_PRIORITY: dict[str, RiskLevel] = {
    "immediate": "critical",
    "out-of-cycle": "high",
    "scheduled": "medium",
    "defer": "low",
}
"""The level each SSVC deployer priority is read as (see the module docstring)."""
SSVC_REFERENCE = "CERT/CC SSVC deployer tree; Appendix 3.2.1 Step 2-1 (exposure); Step 1-5 (importance)"


class VulnerabilityEntry(BaseModel):
    """The SSVC decision and level of one vulnerability finding (``VULN-CVE-...@asset``), with what a fix would change."""

    model_config = ConfigDict(frozen=True)
    finding: str
    finding_rule: str
    reference: str = SSVC_REFERENCE
    subject: Subject
    zone: str | None
    cve: str
    state: str
    confidence: str
    priority: SsvcPriority
    level: RiskLevel
    exploitation: str
    exposure: str
    automatable: bool
    human_impact: str
    cvss_score: float | None
    in_kev: bool
    advisories: tuple[str, ...]
    conduits: tuple[str, ...]
    measures: tuple[str, ...]


def open_vulnerabilities_at_or_above(
    entries: Iterable[VulnerabilityEntry], decisions: Iterable[AppliedDecision], level: str
) -> list[VulnerabilityEntry]:
    """Entries not closed by a decision whose level is at or above ``level`` (for ``--fail-on``)."""
    threshold = LEVEL_RANK[level]
    decided: dict[str, AppliedDecision] = {d.finding: d for d in decisions}
    return [e for e in entries if LEVEL_RANK[e.level] >= threshold and is_open(e.finding, decided)]


class PendingVulnerabilities(ABC):
    """The open (asset, CVE) decisions an Assessment holds as shared rows with the assets each applies to.

    A 100k-asset plant has some 440k open (asset, CVE) decisions but a few tens
    of thousands of distinct rows; the Assessment keeps this object instead of a
    :class:`~factorysec.analysis.findings.Finding` and a
    :class:`VulnerabilityEntry` per decision, and makes them (:meth:`expand`)
    only when an output reads ``findings`` or ``vulnerabilities``. What needs
    counts only (``--fail-on``) is answered from the rows.
    """

    base_findings: tuple[Finding, ...]
    """The Assessment's findings before the vulnerability findings were added (they come first)."""

    @abstractmethod
    def expand(self) -> tuple[list[Finding], list[VulnerabilityEntry]]:
        """A finding and an entry per open (asset, CVE) decision, most urgent first."""

    @abstractmethod
    def open_at_or_above(
        self, level: str, decided: dict[str, AppliedDecision]
    ) -> tuple[int, VulnerabilityEntryRef | None]:
        """How many entries not closed by ``decided`` are at or above ``level``, and the first of them (its finding id and level)."""

    @abstractmethod
    def count(self) -> int:
        """How many findings (and entries) :meth:`expand` makes, counted from the rows."""

    @abstractmethod
    def first(self, limit: int) -> list[Finding]:
        """The first ``limit`` findings :meth:`expand` makes, in its order, made without the others (a terminal's list)."""


VulnerabilityEntryRef = tuple[str, RiskLevel]
"""A vulnerability entry named without making it: its finding id and level."""


def count_open_vulnerabilities_at_or_above(
    entries: Iterable[VulnerabilityEntry], decisions: Iterable[AppliedDecision], level: str
) -> tuple[int, VulnerabilityEntryRef | None]:
    """:func:`open_vulnerabilities_at_or_above` as a count and its first entry (for made entries)."""
    found = open_vulnerabilities_at_or_above(entries, decisions, level)
    return len(found), ((found[0].finding, found[0].level) if found else None)
