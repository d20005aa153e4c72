"""What a drift report holds (pydantic models, no analysis): findings, the host and flow mappings, coverage.

Kept apart from `drift` (the analysis) so that `discover` without `--model`
can name the report's type without importing the factory model's entities
(a third of a second of start-up).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITY_RANK: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Evidence(_Frozen):
    """Where a finding was seen: capture files, time span and packet count."""

    sources: tuple[str, ...]
    first_seen: float | None = None
    last_seen: float | None = None
    packets: int = 0


class DriftFinding(_Frozen):
    rule: str
    severity: Severity
    title: str
    message: str
    guideline: tuple[str, ...]
    subject: str
    from_zone: str | None = None
    to_zone: str | None = None
    conduit: str | None = None
    protocol: str | None = None
    evidence: Evidence | None = None


class HostMapping(_Frozen):
    ip: str
    zone: str | None
    asset: str | None


class FlowMapping(_Frozen):
    client: str
    server: str
    label: str
    from_zone: str | None
    to_zone: str | None
    conduit: str | None


class SubnetCoverage(_Frozen):
    subnet: str
    hosts_seen: int
    first_seen: float | None = None
    last_seen: float | None = None


class ZoneCoverage(_Frozen):
    """What the captures saw of one declared zone: hosts, flows and the time span."""

    zone: str
    hosts_seen: int
    flows: int
    first_seen: float | None = None
    last_seen: float | None = None
    subnets: tuple[SubnetCoverage, ...] = ()

    @property
    def blind(self) -> bool:
        return self.flows == 0


class DriftReport(_Frozen):
    findings: tuple[DriftFinding, ...]
    hosts: tuple[HostMapping, ...]
    flows: tuple[FlowMapping, ...]
    coverage: tuple[ZoneCoverage, ...] = ()

    def count(self, rule: str) -> int:
        return sum(1 for f in self.findings if f.rule == rule)
