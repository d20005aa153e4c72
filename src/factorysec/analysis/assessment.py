"""The one result object every renderer reads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from factorysec import __version__
from factorysec.analysis.findings import Finding
from factorysec.analysis.importance import ImportanceResult
from factorysec.analysis.lifecycle import LifecycleReport
from factorysec.analysis.requirements import SecurityRequirement

SCHEMA_VERSION = "1"


class Assessment(BaseModel):
    """Everything the analysis works out about one factory model, in a stable order."""

    model_config = ConfigDict(frozen=True)
    schema_version: str = SCHEMA_VERSION
    tool_version: str = __version__
    factory_id: str
    factory_name: str
    model_digest: str
    importance: ImportanceResult
    findings: tuple[Finding, ...] = Field(description="Step 1 findings (zoning, hygiene, threats), sorted by subject then rule.")
    requirements: tuple[SecurityRequirement, ...] = Field(description="Security requirements within and between zones (Table 3-4).")
    lifecycle: LifecycleReport = Field(description="Step 3: checklists, responsibility division, OODA roles, maturity, PDCA and their gaps.")

    def findings_for(self, subject_id: str) -> list[Finding]:
        return [f for f in self.findings if f.subject.id == subject_id]
