"""A security policy per zone (Step 2-1): priority, top threats, measures to take first, requirements between zones.

Zones are ordered by priority: the highest open risk level in the zone first
(a zone with a business-interrupting risk before one without), then zone
importance, then id. The measures to take first are the missing measures of the
zone's risks, cheapest effective first: ordered by catalog ``cost`` (low,
medium, high, unknown), then by how many of the zone's risks they answer (more
first), then id. "Effective" means the measure answers at least one risk in
the zone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from factorysec.analysis._build import assemble, assembler
from factorysec.analysis.findings import text
from factorysec.analysis.measures import Gap
from factorysec.analysis.requirements import Requirements, SecurityRequirement
from factorysec.analysis.risk import LEVEL_RANK, Risk, RiskLevel
from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import words

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext

RULE = "ZONE-POLICY"
REFERENCE = "Appendix 3.2.1 Step 2-1"
TOP_THREATS = 5
TOP_MEASURES = 5
_COST_RANK = {"low": 0, "medium": 1, "high": 2, None: 3}


class PolicyMeasure(BaseModel):
    model_config = ConfigDict(frozen=True)
    measure: str
    cost: str | None
    answers: tuple[str, ...]


class ZonePolicy(BaseModel):
    """One zone's section of the security policy."""

    model_config = ConfigDict(frozen=True)
    rule: str = RULE
    reference: str = REFERENCE
    priority: int
    zone: str
    importance: str | None
    top_level: RiskLevel | None
    interrupts_business: bool
    statement: Text
    top_threats: tuple[str, ...]
    measures_first: tuple[PolicyMeasure, ...]
    requirements: tuple[str, ...]


_build_measure = assembler(PolicyMeasure)
_POLICY_FIELDS_GIVEN = frozenset(ZonePolicy.model_fields) - {"rule", "reference"}
"""The fields a policy is built with; ``rule`` and ``reference`` keep their defaults, unset."""


def zone_requirements(requirements: Sequence[SecurityRequirement]) -> Mapping[str, Sequence[str]]:
    """Requirement ids per zone: the zone's own, and those of every zone pair it sends or receives on, each once.

    :func:`~factorysec.analysis.requirements.derive_requirements` notes them
    while deriving (:attr:`Requirements.by_zone`); any other sequence takes one
    pass: a requirement belongs to its subject zone and, between zones, to the
    zone it names as ``to_zone``.
    """
    by_zone: dict[str, dict[str, None]] = defaultdict(dict)
    for requirement in requirements:
        subject = requirement.subject
        if subject.kind != "zone":
            continue
        by_zone[subject.id][requirement.id] = None
        if requirement.to_zone is not None and requirement.to_zone != subject.id:
            by_zone[requirement.to_zone][requirement.id] = None
    return {zone_id: list(ids) for zone_id, ids in by_zone.items()}


class _ZoneRisks:
    """One zone's risks, summed up in one pass over all risks (in rank order) rather than gathered per zone and walked again."""

    __slots__ = ("count", "top_level", "top_rank", "interrupts", "top_threats", "answers")

    def __init__(self) -> None:
        self.count = 0
        self.top_level: RiskLevel | None = None
        self.top_rank = 0
        self.interrupts = False
        self.top_threats: list[str] = []
        self.answers: dict[str, list[str]] = {}
        """The zone's risks (finding ids) each missing measure answers."""


def _zone_risks(risks: Sequence[Risk], gaps: Sequence[Gap]) -> dict[str, _ZoneRisks]:
    missing_by_finding = {g.finding: g.missing for g in gaps}  # read in the gaps' own order, then looked up by risk
    by_zone: dict[str, _ZoneRisks] = {}
    level_rank = LEVEL_RANK
    for risk in risks:
        zone = risk.zone
        if zone is None:
            continue
        summary = by_zone.get(zone)
        if summary is None:
            summary = by_zone[zone] = _ZoneRisks()
        finding = risk.finding
        rank = level_rank[risk.level]
        if rank > summary.top_rank:  # the first of the highest, as max() picks
            summary.top_level, summary.top_rank = risk.level, rank
        if risk.interrupts_business:
            summary.interrupts = True
        if summary.count < TOP_THREATS:
            summary.top_threats.append(finding)
        summary.count += 1
        missing = missing_by_finding.get(finding)
        if missing:
            answers = summary.answers
            for measure in missing:
                answered = answers.get(measure)
                if answered is None:
                    answers[measure] = [finding]
                else:
                    answered.append(finding)
    return by_zone


def _measures_first(answers: dict[str, list[str]], costs: Mapping[str, str | None]) -> tuple[PolicyMeasure, ...]:
    if not answers:
        return ()
    ordered = sorted(answers, key=lambda m: (_COST_RANK.get(costs.get(m), 3), -len(answers[m]), m))
    return tuple(
        _build_measure({"measure": m, "cost": costs.get(m), "answers": tuple(answers[m])})
        for m in ordered[:TOP_MEASURES]
    )


def _statement(name: str, importance: str | None, level: RiskLevel | None, interrupts: bool, count: int) -> Text:
    rated = words("level", importance) if importance else Text(en="-", ja="-")
    if level is None:
        return text(
            f"'{name}' (importance {rated.en}): no threat found yet; keep the requirements below",
            f"「{name}」（重要度 {rated.ja}）：脅威の指摘なし。下記の要件を維持する",
        )
    first_en = " Business-interrupting threats first." if interrupts else ""
    first_ja = "事業中断につながる脅威を優先する。" if interrupts else ""
    highest = words("level", level)
    return text(
        f"'{name}' (importance {rated.en}): {count} threat(s), highest {highest.en}.{first_en} Take the cheapest effective measures first",
        f"「{name}」（重要度 {rated.ja}）：脅威 {count} 件、最高 {highest.ja}。{first_ja}費用対効果の高い対策から着手する",
    )


def zone_policies(
    context: AnalysisContext, risks: Sequence[Risk], gaps: Sequence[Gap], requirements: Requirements
) -> list[ZonePolicy]:
    """One policy section per zone, in priority order; each lists the requirement ids :attr:`Requirements.by_zone` notes for it."""
    risks_by_zone = _zone_risks(risks, gaps)
    no_risks = _ZoneRisks()
    costs = {m.id: m.cost for m in context.catalog.measures.values()}
    requirements_by_zone = requirements.by_zone
    drafts: list[tuple[tuple[int, bool, int, str], dict[str, Any]]] = []
    for zone in context.model.zones:
        summary = risks_by_zone.get(zone.id, no_risks)
        level = context.importance.zone_level(zone.id)
        top_level, interrupts = summary.top_level, summary.interrupts
        key = (-summary.top_rank, not interrupts, -(level.rank if level else 0), zone.id)
        fields = {
            "rule": RULE,
            "reference": REFERENCE,
            "priority": 0,
            "zone": zone.id,
            "importance": level.value if level else None,
            "top_level": top_level,
            "interrupts_business": interrupts,
            "statement": _statement(zone.name, level.value if level else None, top_level, interrupts, summary.count),
            "top_threats": tuple(summary.top_threats),
            "measures_first": _measures_first(summary.answers, costs),
            "requirements": tuple(requirements_by_zone.get(zone.id, ())),
        }
        drafts.append((key, fields))
    drafts.sort(key=lambda d: d[0])
    # Every value is already what validation would make of it (ids, catalog costs, levels and texts from validated objects).
    policies: list[ZonePolicy] = []
    for priority, (_, fields) in enumerate(drafts, start=1):
        fields["priority"] = priority
        policies.append(assemble(ZonePolicy, fields, set(_POLICY_FIELDS_GIVEN)))
    return policies
