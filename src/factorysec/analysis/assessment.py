"""The one result object every renderer reads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

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
from factorysec.analysis.vulnerabilities import VulnerabilityEntry, open_vulnerabilities_at_or_above
from factorysec.model.planfiles import ScoringConfig

SCHEMA_VERSION = "2"


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
