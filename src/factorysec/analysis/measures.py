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


def _targets(context: AnalysisContext, subject: Subject) -> list[str]:
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


def in_place(context: AnalysisContext, subject: Subject) -> dict[str, str]:
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


_Split = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
"""Required measures split into implemented, partial, planned and missing ones."""
_Residual = tuple[float, float, RiskLevel]
"""Residual likelihood, score and level."""


class _InPlace:
    """What is in place for one subject (or conduits alike), and the splits of the required measures against it."""

    __slots__ = ("status", "splits")

    def __init__(self, status: dict[str, str]) -> None:
        self.status = status
        self.splits: dict[tuple[str, ...], _Split] = {}

    def split(self, required: tuple[str, ...]) -> _Split:
        known = self.splits.get(required)
        if known is None:
            status = self.status
            known = self.splits[required] = (
                tuple(m for m in required if status.get(m) == "implemented"),
                tuple(m for m in required if status.get(m) == "partial"),
                tuple(m for m in required if status.get(m) == "planned"),
                tuple(m for m in required if status.get(m) not in ("implemented", "partial")),
            )
        return known


def measure_gaps(
    context: AnalysisContext, findings: Iterable[Finding], risks: dict[str, Risk], config: ScoringConfig
) -> list[Gap]:
    """A gap entry for every finding that requires measures, in finding order.

    What is in place is worked out once per subject, and the split of the
    required measures once per (measures in place, required measures): a
    conduit no model measure names has only its own controls and the
    factory-wide measures, so conduits with the same controls share it. The
    residual risk follows from the risk's likelihood and impact and the
    number of implemented and partial measures, and is worked out once per
    combination of those.
    """
    catalog = context.catalog
    targeted = context.measures_by_target
    conduits = context.conduits
    gaps: list[Gap] = []
    fallback_required: dict[str, tuple[str, ...]] = {}
    in_place_for: dict[tuple[str, ...], _InPlace] = {}
    residuals: dict[tuple[int, float, int, int], _Residual] = {}
    fields_given = _GAP_FIELDS_GIVEN
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
            conduit = conduits.get(subject.id)
            if conduit is not None:
                key = ("conduit-controls", *conduit.controls)
        placed = in_place_for.get(key)
        if placed is None:
            placed = in_place_for[key] = _InPlace(in_place(context, subject))
        implemented, partial, planned, missing = placed.split(required)
        risk = risks.get(finding.id)
        residual = residual_score = residual_level = level = None
        if risk is not None:
            level = risk.level
            residual_key = (risk.likelihood, risk.impact, len(implemented), len(partial))
            known = residuals.get(residual_key)
            if known is None:
                likely = float(max(1.0, risk.likelihood - len(implemented) - config.partial_credit * len(partial)))
                score = float(round(likely * risk.impact, 2))
                known = residuals[residual_key] = (likely, score, level_for(score, config))
            residual, residual_score, residual_level = known
        values: dict[str, Any] = {
            "rule": RULE,
            "reference": REFERENCE,
            "finding": finding.id,
            "finding_rule": finding.rule,
            "subject": subject,
            "required": required,
            "implemented": implemented,
            "partial": partial,
            "planned": planned,
            "missing": missing,
            "from_catalog": fallback,
            "level": level,
            "residual_likelihood": residual,
            "residual_score": residual_score,
            "residual_level": residual_level,
        }
        if type(subject) is Subject and type(required) is tuple:
            gaps.append(assemble(Gap, values, fields_given))
        else:
            del values["rule"], values["reference"]
            gaps.append(Gap(**values))
    return gaps


_GAP_FIELDS_GIVEN = set(Gap.model_fields) - {"rule", "reference"}
"""The fields a gap is built with (``rule`` and ``reference`` keep their defaults); one set shared by every gap, as
:func:`~factorysec.analysis._build.assembler` shares one: a frozen model never changes its fields set in place."""
