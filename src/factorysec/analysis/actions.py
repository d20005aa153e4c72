"""A short list of actions for the plant manager: what to do first, and what each does to the risk list (issue #23).

Findings, measure gaps, requirements and Step 3 checklist items say the same
thing many times over: the same missing measure answers findings on many
zones. An action is one missing catalog measure with everything it resolves
merged under it:

* the findings whose gap lists the measure as missing (Step 2-2, Table 3-6);
* the security requirements those findings call for (Table 3-4);
* the open Step 3 checklist items of the measure's kind on the assets the
  findings concern (cloud measures: Table 3-10; hardware: Table 3-11;
  software: Table 3-12);
* the departments of Table 1-1 that own measures of its category;
* what it removes from the risk list: each risk whose residual level falls
  when the measure is put in place (one more implemented measure lowers the
  residual likelihood one step, as in :mod:`factorysec.analysis.measures`).

Actions are ranked by the highest level of the risks they answer, then by how
much risk they answer (the sum of the level ranks, a finding without a risk
counting one), then the catalog's cost (cheaper first) and the measure id.
At most :data:`LIMIT` are kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from factorysec.analysis.findings import Finding, text
from factorysec.analysis.lifecycle.checklists import ChecklistReport
from factorysec.analysis.measures import Gap
from factorysec.analysis.requirements import SecurityRequirement
from factorysec.analysis.risk import LEVEL_RANK, Risk, RiskLevel, level_for
from factorysec.catalog import Catalog
from factorysec.catalog.models import Text
from factorysec.model.planfiles import ScoringConfig
from factorysec.plurals import counted

REFERENCE = "Appendix 3.2.1 Step 2-1 (priorities), 3.2.2 Step 2-2 (measures), Table 1-1 (departments)"
LIMIT = 10

DEPARTMENTS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "network": ("security", "it", "production-engineering"),
    "hardware": ("production-engineering", "security"),
    "software": ("it", "security"),
    "cloud": ("it", "dx", "security"),
    "data": ("dx", "production-control", "it"),
    "physical": ("factory-management", "production-site"),
    "operation": ("security", "strategic-management"),
}
"""Table 1-1 department kinds that own the measures of each catalog category (the first leads)."""

CHECKLIST_KIND_BY_CATEGORY = {"cloud": "cloud-service", "hardware": "general-purpose-product", "software": "software"}
_COST = {"low": 0, "medium": 1, "high": 2, None: 1}


class RiskRemoved(BaseModel):
    """A risk whose residual level falls once the action is done."""

    model_config = ConfigDict(frozen=True)
    finding: str
    before: RiskLevel
    after: RiskLevel


class Action(BaseModel):
    """One thing to do, with everything it resolves."""

    model_config = ConfigDict(frozen=True)
    reference: str = REFERENCE
    rank: int
    id: str = Field(description="'ACTION-<measure id>', stable across runs.")
    measure: str = Field(description="The catalog measure to put in place.")
    title: Text
    level: RiskLevel | None = Field(
        description="The highest level among the risks it answers; none when it answers findings without a risk."
    )
    weight: float = Field(
        description="How much risk it answers: the sum of the level ranks (low 1 ... critical 4) of its risks, 1 per other finding."
    )
    zones: tuple[str, ...] = Field(description="Zones the findings concern, in finding order.")
    findings: tuple[str, ...] = Field(description="Findings it resolves (their gap lists the measure as missing).")
    requirements: tuple[str, ...] = Field(description="Security requirements (Table 3-4) those findings call for.")
    checklist_items: tuple[str, ...] = Field(
        description="Open Step 3 checklist items of the measure's kind on the assets concerned, as 'asset:item'."
    )
    departments: tuple[str, ...] = Field(
        description="Department kinds of Table 1-1 that own it (the first leads); the model's departments of those kinds when it names them."
    )
    removes: tuple[RiskRemoved, ...] = Field(description="Risks whose residual level falls once it is done.")
    summary: Text


def build_actions(
    catalog: Catalog,
    findings: Sequence[Finding],
    risks: Sequence[Risk],
    gaps: Sequence[Gap],
    requirements: Sequence[SecurityRequirement],
    checklists: ChecklistReport,
    departments: dict[str, list[str]],
    zone_of: dict[str, str],
    config: ScoringConfig,
    limit: int = LIMIT,
) -> tuple[Action, ...]:
    """The ranked actions; ``departments``: the model's department ids by kind; ``zone_of``: each asset's zone."""
    by_finding = {f.id: f for f in findings}
    risk_of = {r.finding: r for r in risks}
    per_measure: dict[str, list[Gap]] = {}
    for gap in gaps:
        for missing in gap.missing:
            if missing in catalog.measures:
                per_measure.setdefault(missing, []).append(gap)
    because: dict[str, list[str]] = {}
    for requirement in requirements:
        for finding_id in requirement.because:
            because.setdefault(finding_id, []).append(requirement.id)
    open_items: dict[tuple[str, str], list[str]] = {}  # (kind, asset) -> items
    for item in checklists.open_items:
        open_items.setdefault((item.kind, item.asset), []).append(item.item)
    asset_zones = frozenset(zone_of.values())  # looked up per related element: a set, not a scan of the values
    candidates = []
    for measure_id, measure_gaps in per_measure.items():
        measure = catalog.measures[measure_id]
        found = [by_finding[g.finding] for g in measure_gaps if g.finding in by_finding]
        levels: list[RiskLevel] = [risk_of[g.finding].level for g in measure_gaps if g.finding in risk_of]
        weight = float(
            sum(LEVEL_RANK[level] for level in levels) + sum(1 for g in measure_gaps if g.finding not in risk_of)
        )
        top: RiskLevel | None = None
        for level in levels:
            if top is None or LEVEL_RANK[level] > LEVEL_RANK[top]:
                top = level
        zones = _zones(found, zone_of, asset_zones)
        assets = [e for f in found for e in (f.subject.id, *f.related) if e in zone_of]
        kind = CHECKLIST_KIND_BY_CATEGORY.get(measure.category)
        items = (
            list(
                dict.fromkeys(
                    f"{asset}:{item}" for asset in dict.fromkeys(assets) for item in open_items.get((kind, asset), ())
                )
            )
            if kind
            else []
        )
        owners = DEPARTMENTS_BY_CATEGORY.get(measure.category, ("security",))
        named = [d for kind_id in owners for d in departments.get(kind_id, [])]
        removes = _removes(measure_gaps, risk_of, config)
        candidates.append(
            (measure_id, measure.title, top, weight, zones, found, items, tuple(named or owners), removes, measure.cost)
        )
    candidates.sort(key=lambda c: (-(LEVEL_RANK[c[2]] if c[2] else 0), -c[3], _COST.get(c[9], 1), c[0]))
    actions = []
    for rank, (measure_id, title, top, weight, zones, found, items, owners, removes, _) in enumerate(
        candidates[:limit], start=1
    ):
        finding_ids = tuple(f.id for f in found)
        reqs = tuple(dict.fromkeys(r for f in finding_ids for r in because.get(f, ())))
        actions.append(
            Action(
                rank=rank,
                id=f"ACTION-{measure_id}",
                measure=measure_id,
                title=title,
                level=top,
                weight=weight,
                zones=zones,
                findings=finding_ids,
                requirements=reqs,
                checklist_items=tuple(items),
                departments=owners,
                removes=removes,
                summary=_summary(len(finding_ids), len(reqs), len(items), zones, removes),
            )
        )
    return tuple(actions)


def _zones(found: list[Finding], zone_of: dict[str, str], asset_zones: frozenset[str]) -> tuple[str, ...]:
    """The zones a measure's findings lie in, in the findings' order; ``asset_zones``: the values of ``zone_of``."""
    zones: dict[str, None] = {}
    for finding in found:
        if finding.subject.kind == "zone":
            zones[finding.subject.id] = None
        elif finding.subject.kind == "asset" and finding.subject.id in zone_of:
            zones[zone_of[finding.subject.id]] = None
        elif finding.impact is not None:
            for related in finding.related:
                if related in asset_zones:
                    zones[related] = None
    return tuple(zones)


def _removes(gaps: list[Gap], risk_of: dict[str, Risk], config: ScoringConfig) -> tuple[RiskRemoved, ...]:
    removed = []
    for gap in gaps:
        risk = risk_of.get(gap.finding)
        if risk is None or gap.residual_likelihood is None or gap.residual_level is None:
            continue
        after = level_for(round(max(1.0, gap.residual_likelihood - 1) * risk.impact, 2), config)
        if LEVEL_RANK[after] < LEVEL_RANK[gap.residual_level]:
            removed.append(RiskRemoved(finding=gap.finding, before=gap.residual_level, after=after))
    return tuple(removed)


def _summary(
    findings: int, requirements: int, items: int, zones: tuple[str, ...], removes: tuple[RiskRemoved, ...]
) -> Text:
    """What the action resolves and lowers, naming only the counts that are not zero ('0 checklist items' said nothing)."""
    where_en = f" in {counted(len(zones), 'zone')}" if zones else ""
    where_ja = f"（{len(zones):,} ゾーン）" if zones else ""
    resolves_en = [
        part
        for count, part in (
            (findings, f"{counted(findings, 'finding')}{where_en}"),
            (requirements, counted(requirements, "requirement")),
            (items, counted(items, "checklist item")),
        )
        if count
    ]
    resolves_ja = [
        part
        for count, part in (
            (findings, f"指摘 {findings:,} 件{where_ja}"),
            (requirements, f"要件 {requirements:,} 件"),
            (items, f"チェック項目 {items:,} 件"),
        )
        if count
    ]
    lowers_en = f"lowers {counted(len(removes), 'risk')}" if removes else ""
    lowers_ja = f"リスク {len(removes):,} 件を下げる" if removes else ""
    if not resolves_en:
        return text(lowers_en, lowers_ja)
    resolved_en, resolved_ja = f"resolves {', '.join(resolves_en)}", "、".join(resolves_ja)
    if not removes:
        return text(resolved_en, f"{resolved_ja}を解消する")
    return text(f"{resolved_en}; {lowers_en}", f"{resolved_ja}を解消し、{lowers_ja}")
