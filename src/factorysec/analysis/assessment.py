"""The one result object every renderer reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from factorysec import __version__
from factorysec.analysis.actions import Action
from factorysec.analysis.decisions import AppliedDecision, StaleDecision, open_at_or_above
from factorysec.analysis.exposure import AttackPath, EntryPoint, EntryRoute, ZoneExposure
from factorysec.analysis.findings import Finding
from factorysec.analysis.importance import ImportanceResult
from factorysec.analysis.lifecycle import LifecycleReport
from factorysec.analysis.measures import Gap
from factorysec.analysis.policy import ZonePolicy
from factorysec.analysis.purposes import PurposeFootprint
from factorysec.analysis.requirements import SecurityRequirement
from factorysec.analysis.risk import Risk
from factorysec.analysis.security_levels import ZoneSecurityLevel
from factorysec.analysis.vulnerabilities import (
    PendingVulnerabilities,
    VulnerabilityEntry,
    VulnerabilityEntryRef,
    count_open_vulnerabilities_at_or_above,
    open_vulnerabilities_at_or_above,
)
from factorysec.model.planfiles import ScoringConfig

SCHEMA_VERSION = "2"
_PENDING_FIELDS = ("findings", "vulnerabilities")
"""The fields an Assessment with :class:`PendingVulnerabilities` makes on first read."""


class Assessment(BaseModel):
    """Everything the analysis works out about one factory model, in a stable order."""

    model_config = ConfigDict(frozen=True)
    schema_version: str = SCHEMA_VERSION
    tool_version: str = __version__
    factory_id: str
    factory_name: str
    model_digest: str
    importance: ImportanceResult
    findings: tuple[Finding, ...] = Field(
        description="Step 1 findings (zoning, hygiene, threats), sorted by subject then rule."
    )
    requirements: tuple[SecurityRequirement, ...] = Field(
        description="Security requirements within and between zones (Table 3-4)."
    )
    lifecycle: LifecycleReport = Field(
        description="Step 3: checklists, responsibility division, OODA roles, maturity, PDCA and their gaps."
    )
    purposes: tuple[PurposeFootprint, ...] = Field(
        (),
        description="Per purpose of smartification: its operations, zones, data flows, findings and measures (Table 3-1).",
    )
    actions: tuple[Action, ...] = Field(
        (),
        description="At most ten actions, ranked: each missing measure with the findings, requirements and checklist items it resolves, its owning departments (Table 1-1) and the risks it lowers.",
    )
    # Step 2 (issue #4): computed by factorysec.analysis.plan.plan_fields.
    scoring: ScoringConfig | None = Field(None, description="The risk scoring scheme used (docs/scoring.md).")
    entry_points: tuple[EntryPoint, ...] = Field(
        (), description="Entry points of the factory (Step 2-1, 3.2.2 (1)(i))."
    )
    exposure: dict[str, ZoneExposure] = Field(
        default_factory=dict, description="Per zone: hops and controls from the nearest and weakest entry point."
    )
    paths: tuple[AttackPath, ...] = Field((), description="Shortest and weakest attack paths to high-importance zones.")
    risks: tuple[Risk, ...] = Field(
        (), description="Threat findings ranked: level first, business interruption first within a level (Step 2-1)."
    )
    gaps: tuple[Gap, ...] = Field(
        (), description="Required, in-place and missing measures per finding, with residual risk (Step 2-2, Table 3-6)."
    )
    security_levels: tuple[ZoneSecurityLevel, ...] = Field(
        (), description="IEC 62443 SL per foundational requirement, for zones with a target."
    )
    policies: tuple[ZonePolicy, ...] = Field((), description="Security policy per zone, in priority order (Step 2-1).")
    decisions: tuple[AppliedDecision, ...] = Field((), description="Decisions matching current findings.")
    stale_decisions: tuple[StaleDecision, ...] = Field((), description="Decisions whose finding no longer exists.")
    entry_routes: tuple[EntryRoute, ...] = Field(
        (),
        description="The routes into the factory the entry points open: per internal zone first reached, every entry point landing there (issue #23 item 6).",
    )
    vulnerabilities: tuple[VulnerabilityEntry, ...] = Field(
        (),
        description="With advisories given: per open vulnerability finding (VULN-CVE-...@asset), its SSVC decision and the level it is read as, most urgent first (Tables 3-11, 3-12; Table 3-5).",
    )

    def findings_for(self, subject_id: str) -> list[Finding]:
        return [f for f in self.findings if f.subject.id == subject_id]

    def open_risks_at_or_above(self, level: str) -> list[Risk]:
        """Risks not decided closed whose residual level is at or above ``level`` (for ``--fail-on``)."""
        residual = {g.finding: g.residual_level for g in self.gaps if g.residual_level is not None}
        return open_at_or_above(self.risks, residual, self.decisions, level)

    def open_vulnerabilities_at_or_above(self, level: str) -> list[VulnerabilityEntry]:
        """Vulnerability findings not decided closed whose SSVC level is at or above ``level`` (for ``--fail-on``)."""
        return open_vulnerabilities_at_or_above(self.vulnerabilities, self.decisions, level)

    _pending_vulnerabilities: PendingVulnerabilities | None = PrivateAttr(None)

    def with_pending_vulnerabilities(self, pending: PendingVulnerabilities, update: dict[str, Any]) -> Assessment:
        """A copy with ``update`` whose ``findings`` and ``vulnerabilities`` are made from ``pending`` on first read.

        ``findings`` then holds ``pending.base_findings`` followed by the
        vulnerability findings, as if they had been made at once; every output
        reads the same values. Pydantic's own dumps, copies and comparisons
        make them first (they read the fields' storage directly).
        """
        copy = self.model_copy(update=update)
        for name in _PENDING_FIELDS:
            copy.__dict__.pop(name, None)
        copy._set_pending(pending)
        return copy

    def _pending(self) -> PendingVulnerabilities | None:
        private = self.__pydantic_private__  # None when the model was assembled without its private attributes
        return private.get("_pending_vulnerabilities") if private else None

    def _set_pending(self, pending: PendingVulnerabilities | None) -> None:
        if self.__pydantic_private__ is None:
            object.__setattr__(self, "__pydantic_private__", {})
        assert self.__pydantic_private__ is not None
        self.__pydantic_private__["_pending_vulnerabilities"] = pending

    @property
    def vulnerabilities_pending(self) -> bool:
        """Whether the vulnerability findings are still held as rows (nothing has read them yet)."""
        return self._pending() is not None

    def expand_vulnerabilities(self) -> None:
        """Make the pending vulnerability findings and entries (once; a no-op when there are none pending)."""
        pending = self._pending()
        if pending is None:
            return
        findings, entries = pending.expand()
        made = {"findings": (*pending.base_findings, *findings), "vulnerabilities": tuple(entries)}
        values = self.__dict__
        ordered = {name: made[name] if name in made else values[name] for name in type(self).model_fields}
        # One swap of the whole field storage, in field order (as validation stores it): a reader in another thread
        # sees the old storage or the new one, never one emptied half-way.
        object.__setattr__(self, "__dict__", ordered)
        self._set_pending(None)

    def count_open_vulnerabilities_at_or_above(self, level: str) -> tuple[int, VulnerabilityEntryRef | None]:
        """How many vulnerability entries ``--fail-on level`` blocks on, and the first; from the rows when pending."""
        pending = self._pending()
        if pending is None:
            return count_open_vulnerabilities_at_or_above(self.vulnerabilities, self.decisions, level)
        return pending.open_at_or_above(level, {d.finding: d for d in self.decisions})

    def vulnerability_count(self) -> int:
        """How many vulnerability entries there are (``len(vulnerabilities)``), counted from the rows when pending."""
        pending = self._pending()
        return pending.count() if pending is not None else len(self.vulnerabilities)

    def finding_count(self) -> int:
        """``len(findings)``, the pending vulnerability findings counted from the rows."""
        pending = self._pending()
        return len(pending.base_findings) + pending.count() if pending is not None else len(self.findings)

    def findings_made(self) -> tuple[Finding, ...]:
        """The findings as they are now: all of them, or without the pending vulnerability findings (counted apart)."""
        pending = self._pending()
        return pending.base_findings if pending is not None else self.findings

    def first_findings_of(self, category: str, limit: int) -> tuple[list[Finding], int]:
        """The first ``limit`` findings of ``category`` (0: all) in ``findings`` order, and how many there are.

        For the pending vulnerability findings only those returned are made
        (a terminal printing the first 50 of 440k), unless ``limit`` is 0.
        """
        pending = self._pending()
        if pending is None or limit <= 0 or category != "vulnerability":
            found = [f for f in self.findings_made() if f.category == category]
            if pending is not None and category == "vulnerability":
                found.extend(f for f in self.findings[len(pending.base_findings) :])
            return (found[:limit] if limit > 0 else found), len(found)
        listed = [f for f in pending.base_findings if f.category == category]
        wanted = limit - len(listed)
        return (listed[:limit] if wanted <= 0 else [*listed, *pending.first(wanted)]), len(listed) + pending.count()

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            if name in _PENDING_FIELDS and self._pending() is not None:
                self.expand_vulnerabilities()
                return self.__dict__[name]
            return super().__getattr__(name)

        def model_dump(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
            self.expand_vulnerabilities()
            return super().model_dump(*args, **kwargs)

        def model_dump_json(self, *args: Any, **kwargs: Any) -> str:
            self.expand_vulnerabilities()
            return super().model_dump_json(*args, **kwargs)

        def __eq__(self, other: object) -> bool:
            self.expand_vulnerabilities()
            if isinstance(other, Assessment):
                other.expand_vulnerabilities()
            return super().__eq__(other)

        def __copy__(self) -> Assessment:
            self.expand_vulnerabilities()
            return super().__copy__()

        def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Assessment:
            self.expand_vulnerabilities()
            return super().__deepcopy__(memo)

        def __getstate__(self) -> dict[Any, Any]:
            self.expand_vulnerabilities()
            return super().__getstate__()

        def __iter__(self) -> Any:
            self.expand_vulnerabilities()
            return super().__iter__()

        def __repr_args__(self) -> Any:
            self.expand_vulnerabilities()
            return super().__repr_args__()
