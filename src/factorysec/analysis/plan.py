"""Step 2 in one call: exposure, risk ranking, measure gaps, security levels, zone policies and decisions.

Kept apart from :func:`factorysec.analysis.analyze` so that the Step 2 fields of
the :class:`~factorysec.analysis.assessment.Assessment` are computed in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from factorysec.analysis.decisions import apply_decisions
from factorysec.analysis.exposure import compute_exposure
from factorysec.analysis.findings import Finding
from factorysec.analysis.measures import measure_gaps
from factorysec.analysis.policy import zone_policies
from factorysec.analysis.requirements import Requirements
from factorysec.analysis.risk import rank_risks
from factorysec.analysis.security_levels import security_levels
from factorysec.model.planfiles import Decision, ScoringConfig

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext


def plan_fields(
    context: AnalysisContext,
    findings: Sequence[Finding],
    requirements: Requirements,
    scoring: ScoringConfig | None = None,
    decisions: Sequence[Decision] = (),
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The Step 2 fields of an assessment, as keyword arguments for its constructor."""
    config = scoring or ScoringConfig()
    exposure = compute_exposure(context)
    risks = rank_risks(context, exposure, findings, config)
    gaps = measure_gaps(context, findings, {r.finding: r for r in risks}, config)
    applied, stale = apply_decisions(findings, decisions, today)
    return {
        "scoring": config,
        "entry_points": exposure.entry_points,
        "exposure": exposure.zones,
        "paths": exposure.paths,
        "risks": tuple(risks),
        "gaps": tuple(gaps),
        "security_levels": tuple(security_levels(context)),
        "policies": tuple(zone_policies(context, risks, gaps, requirements)),
        "decisions": tuple(applied),
        "stale_decisions": tuple(stale),
        "entry_routes": exposure.routes,
    }
