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
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.findings import Finding, Subject, assemble
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
    """A gap entry for every finding that requires measures, in finding order.

    What is in place is worked out once per subject, and the split of the
    required measures once per (measures in place, required measures): a
    conduit no model measure names has only its own controls and the
    factory-wide measures, so conduits with the same controls share it.
    """
    catalog = context.catalog
    targeted = context.measures_by_target
    gaps: list[Gap] = []
    fallback_required: dict[str, tuple[str, ...]] = {}
    statuses: dict[tuple[str, ...], dict[str, str]] = {}
    splits: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
    for finding in findings:
        fallback = False
        required = finding.measures
        if not required and finding.threat_type:
            threat = finding.threat_type
            if threat not in fallback_required:
                fallback_required[threat] = required_measures(finding, catalog)[0]
            required, fallback = fallback_required[threat], True
        if not required:
            continue
        subject = finding.subject
        key: tuple[str, ...] = (subject.kind, subject.id)
        if subject.kind == "conduit" and subject.id not in targeted:
            conduit = context.conduits.get(subject.id)
            if conduit is not None:
                key = ("conduit-controls", *conduit.controls)
        status = statuses.get(key)
        if status is None:
            status = statuses[key] = in_place(context, subject)
        split_key = (key, required)
        split = splits.get(split_key)
        if split is None:
            split = splits[split_key] = (
                tuple(m for m in required if status.get(m) == "implemented"),
                tuple(m for m in required if status.get(m) == "partial"),
                tuple(m for m in required if status.get(m) == "planned"),
                tuple(m for m in required if status.get(m) not in ("implemented", "partial")),
            )
        implemented, partial, planned, missing = split
        risk = risks.get(finding.id)
        residual = residual_score = residual_level = level = None
        if risk is not None:
            level = risk.level
            residual = float(max(1.0, risk.likelihood - len(implemented) - config.partial_credit * len(partial)))
            residual_score = float(round(residual * risk.impact, 2))
            residual_level = level_for(residual_score, config)
        values: dict[str, Any] = {
            "rule": RULE, "reference": REFERENCE, "finding": finding.id, "finding_rule": finding.rule, "subject": subject, "required": required,
            "implemented": implemented, "partial": partial, "planned": planned, "missing": missing, "from_catalog": fallback, "level": level,
            "residual_likelihood": residual, "residual_score": residual_score, "residual_level": residual_level,
        }
        if type(subject) is Subject and type(required) is tuple:
            gaps.append(assemble(Gap, values, set(_GAP_FIELDS_GIVEN)))
        else:
            del values["rule"], values["reference"]
            gaps.append(Gap(**values))
    return gaps


_GAP_FIELDS_GIVEN = frozenset(Gap.model_fields) - {"rule", "reference"}
