"""The cached paths of risk ranking and measure gaps equal plain, uncached definitions of the same results.

The models are built in code: conduits may name zones the model lacks, run both ways or over an
external network, zones may share exposure, and findings may name subjects
that do not exist. Names are partly non-ASCII.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factorysec.analysis import build_context
from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.exposure import compute_exposure
from factorysec.analysis.findings import Finding, Subject, text
from factorysec.analysis.importance import AXES, AXIS_LABELS
from factorysec.analysis.measures import Gap, in_place, measure_gaps, required_measures
from factorysec.analysis.risk import _RANK_NAME, _UNKNOWN, LEVEL_RANK, Risk, RiskScorer, level_for, rank_risks
from factorysec.catalog import load_catalog
from factorysec.catalog.vocabulary import words
from factorysec.model.entities import ExternalNetwork, FactoryModel, Importance, ZoneKind
from factorysec.model.planfiles import AxisWeights, ScoringConfig

CATALOG = load_catalog()
MEASURES = sorted(CATALOG.measures)[:10]
THREATS = [
    *sorted({t for m in CATALOG.measures.values() for t in m.threat_types})[:2],
    ScoringConfig().business_interruption_threats[0],
]
ZONE_IDS = ["z0", "z1", "z2", "z3", "z4", "z5"]


@st.composite
def models(draw: Any) -> FactoryModel:
    zone_ids = ZONE_IDS[: draw(st.integers(1, len(ZONE_IDS)))]
    zones = [
        {
            "id": z,
            "name": draw(st.sampled_from(["Zone", "ゾーン", "Zöne"])) + f" {z}",
            "kind": draw(st.sampled_from([ZoneKind.EXTERNAL, ZoneKind.PRODUCTION, ZoneKind.PRODUCTION_CONTROL])).value,
            "parent": draw(st.none() | st.sampled_from(zone_ids[:i])) if i else None,
        }
        for i, z in enumerate(zone_ids)
    ]
    ratings = st.dictionaries(st.sampled_from(list(AXES)), st.sampled_from(list(Importance)))
    assets = [
        {
            "id": f"a{number}",
            "name": draw(st.sampled_from(["A", "機器", "B"])),
            "type": "equipment",
            "zone": draw(st.none() | st.sampled_from([*zone_ids, "gone"])),
            "traits": draw(st.lists(st.sampled_from(["wireless", "oss", "general-purpose"]), max_size=2, unique=True)),
            "importance": {axis: level.value for axis, level in draw(ratings).items()} or None,
            "managed_by": draw(st.none() | st.sampled_from(["p0", "p1"])),
            "maintainer": draw(st.none() | st.sampled_from(["p0", "gone"])),
        }
        for number in range(draw(st.integers(0, 8)))
    ]
    conduits = [
        {
            "id": f"c{number}",
            "from": draw(st.sampled_from([*zone_ids, "nowhere"])),
            "to": draw(st.sampled_from([*zone_ids, "nowhere"])),
            "direction": draw(st.sampled_from(["one-way", "two-way"])),
            "external_network": draw(
                st.sampled_from([ExternalNetwork.NONE, ExternalNetwork.NONE, ExternalNetwork.VPN])
            ).value,
            "controls": draw(st.lists(st.sampled_from(MEASURES), max_size=3, unique=True)),
        }
        for number in range(draw(st.integers(0, 14)))
    ]
    targets = [*zone_ids, *(a["id"] for a in assets), *(c["id"] for c in conduits)]
    measures = [
        {
            "id": f"m{i}",
            "measure": draw(st.sampled_from(MEASURES)),
            "applies_to": draw(st.lists(st.sampled_from(targets), max_size=2, unique=True)) if targets else [],
            "status": draw(st.sampled_from(["implemented", "partial", "planned"])),
        }
        for i in range(draw(st.integers(0, 6)))
    ]
    parties = [{"id": "p0", "name": "P", "kind": "supplier"}, {"id": "p1", "name": "協力会社", "kind": "supplier"}]
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "zones": zones,
            "assets": assets,
            "conduits": conduits,
            "measures": measures,
            "parties": parties,
        }
    )


@st.composite
def findings_on(draw: Any, model: FactoryModel) -> list[Finding]:
    ids = {
        "conduit": [*(c.id for c in model.conduits), "c-gone"],
        "zone": [*(z.id for z in model.zones), "z-gone"],
        "asset": [*(a.id for a in model.assets), "a-gone"],
        "party": ["p0", "p1", "p-gone"],
        "factory": ["f"],
    }
    found = []
    for number in range(draw(st.integers(0, 30))):
        kind = draw(st.sampled_from(sorted(ids)))
        subject = Subject(kind=kind, id=draw(st.sampled_from(ids[kind])))
        category = draw(st.sampled_from(["threat", "threat", "threat", "hygiene"]))
        found.append(
            Finding(
                id=f"R{number % 7}@{subject.id}",
                rule=f"R{number % 7}",
                category=category,
                reference="test",
                title=text("t", "t"),
                rationale=text("r", "r"),
                subject=subject,
                threat_type=draw(st.none() | st.sampled_from(THREATS)),
                measures=tuple(draw(st.lists(st.sampled_from(MEASURES), max_size=3))),
            )
        )
    return found


def plain_impact(scorer: RiskScorer, subject: Subject, threat_type: str | None = None) -> tuple[float, tuple[str, str]]:
    """The first of the largest weighted ranks over the value axes and the data axis the threat type harms; the reason says when every
    value axis has the same rank and a value axis gives the impact."""
    axes = scorer._axes(subject)
    weights = scorer.config.weights
    data_axis = {"data-theft-leakage": "confidentiality", "data-falsification-destruction": "integrity"}.get(
        threat_type or ""
    )
    best: tuple[float, str, int] | None = None
    for axis in (*AXES, *([data_axis] if data_axis else [])):
        rank = axes.get(axis)
        if rank is not None and (best is None or getattr(weights, axis) * rank > best[0]):
            best = (getattr(weights, axis) * rank, axis, rank)
    if best is None:
        return _UNKNOWN, ("importance not rated", "重要度が未評価")
    value, axis, rank = best
    weight = getattr(weights, axis)
    level = _RANK_NAME[rank]
    level_ja = words("level", level).ja
    en, ja = f"{AXIS_LABELS[axis].en} {level} ×{weight:g}", f"{AXIS_LABELS[axis].ja} {level_ja} ×{weight:g}"
    if axis in AXES and all(axes.get(a) == rank for a in AXES):
        en, ja = (
            en + f"; every value axis rated {level}, so the weights chose the axis",
            ja + f"、全ての価値軸が{level_ja}のため重みで軸を選択",
        )
    return value, (en, ja)


def plain_risks(context: AnalysisContext, findings: list[Finding], config: ScoringConfig) -> list[tuple[Any, ...]]:
    """Every threat finding scored on its own, with no cache, in rank order."""
    scorer = RiskScorer(context, compute_exposure(context), config)
    rows = []
    for finding in findings:
        if finding.category != "threat":
            continue
        likelihood, why_l = scorer.likelihood(finding)
        impact, why_i = plain_impact(scorer, finding.subject, finding.threat_type)
        interrupts = finding.threat_type in config.business_interruption_threats
        score = round(likelihood * impact, 2)
        level = level_for(score, config)
        first = ("can interrupt the business; ", "事業中断につながりうる。") if interrupts else ("", "")
        reason = (
            f"{first[0]}likelihood {likelihood}/4 ({why_l[0]}); impact {impact:g} ({why_i[0]}); score {score:g} → {level}",
            f"{first[1]}発生可能性 {likelihood}/4（{why_l[1]}）、影響 {impact:g}（{why_i[1]}）、スコア {score:g} → {words('level', level).ja}",
        )
        rows.append(
            (
                finding.id,
                finding.subject,
                scorer.zone_at_risk(finding.subject),
                likelihood,
                float(impact),
                float(score),
                level,
                interrupts,
                reason,
            )
        )
    first_interrupting = config.business_interruption_first
    rows.sort(key=lambda r: (-LEVEL_RANK[r[6]], first_interrupting and not r[7], -r[5], r[0]))
    return rows


def plain_gaps(
    context: AnalysisContext, findings: list[Finding], risks: dict[str, Risk], config: ScoringConfig
) -> list[dict[str, Any]]:
    gaps = []
    for finding in findings:
        required, fallback = required_measures(finding, context.catalog)
        if not required:
            continue
        status = in_place(context, finding.subject)
        risk = risks.get(finding.id)
        implemented = tuple(m for m in required if status.get(m) == "implemented")
        partial = tuple(m for m in required if status.get(m) == "partial")
        residual = residual_score = residual_level = None
        if risk is not None:
            residual = float(max(1.0, risk.likelihood - len(implemented) - config.partial_credit * len(partial)))
            residual_score = float(round(residual * risk.impact, 2))
            residual_level = level_for(residual_score, config)
        gaps.append(
            {
                "finding": finding.id,
                "finding_rule": finding.rule,
                "subject": finding.subject,
                "required": required,
                "implemented": implemented,
                "partial": partial,
                "planned": tuple(m for m in required if status.get(m) == "planned"),
                "missing": tuple(m for m in required if status.get(m) not in ("implemented", "partial")),
                "from_catalog": fallback,
                "level": risk.level if risk else None,
                "residual_likelihood": residual,
                "residual_score": residual_score,
                "residual_level": residual_level,
            }
        )
    return gaps


CONFIGS = [
    ScoringConfig(),
    ScoringConfig(
        weights=AxisWeights(safety=0.0, quality=0.0, delivery=0.0, cost=0.0, business_continuity=0.0),
        business_interruption_first=False,
    ),
    ScoringConfig(
        weights=AxisWeights(safety=1.0, quality=1.0, delivery=1.0, cost=1.0, business_continuity=1.0),
        partial_credit=1.0,
    ),
]


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_risks_and_gaps_equal_plain_definitions(data: Any) -> None:
    model = data.draw(models())
    findings = data.draw(findings_on(model))
    config = data.draw(st.sampled_from(CONFIGS))
    context = build_context(model, CATALOG)
    risks = rank_risks(context, compute_exposure(context), findings, config)
    fields = [
        (
            r.finding,
            r.subject,
            r.zone,
            r.likelihood,
            r.impact,
            r.score,
            r.level,
            r.interrupts_business,
            (r.reason.en, r.reason.ja),
        )
        for r in risks
    ]
    assert fields == plain_risks(context, findings, config)
    assert [r.rank for r in risks] == list(range(1, len(risks) + 1))
    for risk in risks:
        assert risk == Risk(**risk.model_dump(exclude={"rule", "reference"}))
        assert risk.model_fields_set == set(Risk.model_fields) - {"rule", "reference"}

    by_finding = {r.finding: r for r in risks}
    gaps = measure_gaps(context, findings, by_finding, config)
    assert [g.model_dump(exclude={"rule", "reference"}) for g in gaps] == [
        {**plain, "subject": plain["subject"].model_dump()}
        for plain in plain_gaps(context, findings, by_finding, config)
    ]
    for gap in gaps:
        assert gap == Gap(**gap.model_dump(exclude={"rule", "reference"}))
        assert gap.model_fields_set == set(Gap.model_fields) - {"rule", "reference"}


RATINGS = st.dictionaries(st.sampled_from([*AXES, "confidentiality", "integrity"]), st.integers(1, 4))


@settings(max_examples=300, deadline=None)
@given(
    RATINGS,
    RATINGS,
    st.booleans(),
    st.sampled_from(CONFIGS),
    st.booleans(),
    st.sampled_from([None, "data-theft-leakage", "data-falsification-destruction"]),
)
@example(
    {"safety": 1}, {"safety": 2}, False, CONFIGS[1], False, None
)  # every weight 0: the merged rank is the higher one
@example({"quality": 4}, {"safety": 4}, False, CONFIGS[2], False, None)  # a tie: the earlier axis
@example(
    {"safety": 3, "quality": 3, "delivery": 3, "cost": 3},
    {"business_continuity": 3},
    False,
    CONFIGS[0],
    False,
    None,
)  # merged: one level on every axis
@example(
    {"business_continuity": 2}, {"confidentiality": 4}, False, CONFIGS[0], False, "data-theft-leakage"
)  # the data axis gives the impact
def test_conduit_impact_equals_the_impact_of_merged_ratings(
    receiving: dict[str, int],
    sending: dict[str, int],
    one_way: bool,
    config: ScoringConfig,
    same_zone: bool,
    threat: str | None,
) -> None:
    """A conduit's impact, worked out from each end's strongest axis, equals the impact of both ends' ratings merged (zero weights too); of the receiving end alone when it enforces one direction."""
    model = FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "zones": [{"id": "a", "name": "A", "kind": "production"}, {"id": "b", "name": "B", "kind": "production"}],
            "conduits": [{"id": "c", "from": "a" if same_zone else "b", "to": "a", "one_way": one_way}],
        }
    )
    context = build_context(model, CATALOG)
    scorer = RiskScorer(context, compute_exposure(context), config)
    scorer.zone_axes = {"a": receiving, "b": sending} if not same_zone else {"a": receiving}
    conduit = context.conduits["c"]
    merged: dict[str, int] = {}
    for zone_id in ["a"] + (["a" if same_zone else "b"] if not one_way else []):
        for axis, rank in scorer.zone_axes.get(zone_id, {}).items():
            merged[axis] = max(merged.get(axis, 0), rank)
    plain_scorer = RiskScorer(context, compute_exposure(context), config)
    plain_scorer.zone_axes = {"m": merged}
    data_axis = {"data-theft-leakage": "confidentiality", "data-falsification-destruction": "integrity"}.get(
        threat or ""
    )
    assert scorer._conduit_impact(conduit, data_axis) == plain_impact(
        plain_scorer, Subject(kind="zone", id="m"), threat
    )
