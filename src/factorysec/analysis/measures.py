"""Measures mapped to threats, and the gaps between what is required and what is in place (Step 2-2, Table 3-6).

Required measures for a finding are those its rule names; a rule that names
none falls back to every catalog measure answering the finding's threat type
(``catalog.measures_for_threat``). Measures in place for a subject are:

* a conduit: its ``controls`` and the model measures applied to it;
* an asset: model measures applied to it, to its zone or the zone's parents;
* a zone: model measures applied to it or its parents;
* anything: model measures with an empty ``applies_to`` (factory-wide).

Residual likelihood = likelihood − (implemented relevant measures) −
``partial_credit`` × (partial ones), never below 1; the residual level uses the
same impact and thresholds as :mod:`factorysec.analysis.risk`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.findings import Finding, Subject
from factorysec.analysis.risk import Risk, RiskLevel, level_for
from factorysec.catalog import Catalog
from factorysec.model.planfiles import ScoringConfig

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext

RULE = "MEASURE-GAP"
REFERENCE = "Appendix 3.2.2 Step 2-2, Table 3-6"


class Gap(BaseModel):
    """Required, in-place and missing measures for one finding, and the risk left after what is in place."""

    model_config = ConfigDict(frozen=True)
    rule: str = RULE
    reference: str = REFERENCE
    finding: str
    finding_rule: str
    subject: Subject
    required: tuple[str, ...]
    implemented: tuple[str, ...]
    partial: tuple[str, ...]
    planned: tuple[str, ...]
    missing: tuple[str, ...]
    from_catalog: bool
    level: RiskLevel | None = None
    residual_likelihood: float | None = None
    residual_score: float | None = None
    residual_level: RiskLevel | None = None


def required_measures(finding: Finding, catalog: Catalog) -> tuple[tuple[str, ...], bool]:
    """The finding's own measures, else the catalog's for its threat type; and whether the fallback was used."""
    if finding.measures:
        return finding.measures, False
    if finding.threat_type:
        return tuple(m.id for m in catalog.measures_for_threat(finding.threat_type)), True
    return (), False


def _targets(context: "AnalysisContext", subject: Subject) -> list[str]:
    """Element ids whose measures cover the subject, always ending with the factory-wide key ``""``."""
    targets = [subject.id]
    if subject.kind == "asset":
        asset = context.assets.get(subject.id)
        if asset and asset.zone:
            targets.extend(context.zone_and_ancestors(asset.zone))
    elif subject.kind == "zone":
        targets.extend(context.zone_and_ancestors(subject.id)[1:])
    targets.append("")
    return targets


def in_place(context: "AnalysisContext", subject: Subject) -> dict[str, str]:
    """Measure id -> best status (implemented > partial > planned) for a subject."""
    order = {"implemented": 3, "partial": 2, "planned": 1}
    found: dict[str, str] = {}
    if subject.kind == "conduit" and subject.id in context.conduits:
        found.update(dict.fromkeys(context.conduits[subject.id].controls, "implemented"))
    for target in _targets(context, subject):
        for measure in context.measures_on(target):
            if order[measure.status] > order.get(found.get(measure.measure, ""), 0):
                found[measure.measure] = measure.status
    return found


def measure_gaps(context: "AnalysisContext", findings: Iterable[Finding], risks: dict[str, Risk], config: ScoringConfig) -> list[Gap]:
    """A gap entry for every finding that requires measures, in finding order."""
    catalog = context.catalog
    gaps: list[Gap] = []
    cache: dict[tuple[str, str], dict[str, str]] = {}
    for finding in findings:
        required, fallback = required_measures(finding, catalog)
        if not required:
            continue
        key = (finding.subject.kind, finding.subject.id)
        if key not in cache:
            cache[key] = in_place(context, finding.subject)
        status = cache[key]
        implemented = tuple(m for m in required if status.get(m) == "implemented")
        partial = tuple(m for m in required if status.get(m) == "partial")
        planned = tuple(m for m in required if status.get(m) == "planned")
        missing = tuple(m for m in required if status.get(m) not in ("implemented", "partial"))
        risk = risks.get(finding.id)
        residual = residual_score = residual_level = None
        if risk is not None:
            residual = max(1.0, risk.likelihood - len(implemented) - config.partial_credit * len(partial))
            residual_score = round(residual * risk.impact, 2)
            residual_level = level_for(residual_score, config)
        gaps.append(
            Gap(
                finding=finding.id, finding_rule=finding.rule, subject=finding.subject, required=required, implemented=implemented,
                partial=partial, planned=planned, missing=missing, from_catalog=fallback, level=risk.level if risk else None,
                residual_likelihood=residual, residual_score=residual_score, residual_level=residual_level,
            )
        )
    return gaps
