"""The faster paths of importance, requirements, security levels and zone policies equal plain definitions of the same results.

The models here are built in code, where ids may repeat (the loader refuses
that, code does not): importance, which any caller may run on such a model,
resolves an asset id that repeats as the plain definition does (the last one
wins); the analysis refuses such a model (see ``tests/analysis/test_context.py``)
and runs here on the model with each id's last entry only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from factorysec.analysis import build_context, run_rules
from factorysec.analysis._build import assembler
from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.exposure import compute_exposure
from factorysec.analysis.findings import Subject
from factorysec.analysis.importance import (
    ALL_AXES,
    AXES,
    DATA_AXES,
    DISCLOSURE_CONFIDENTIALITY,
    ImportanceResult,
    all_ratings,
    axis_level,
    compute_importance,
)
from factorysec.analysis.measures import Gap, measure_gaps
from factorysec.analysis.plan import plan_fields
from factorysec.analysis.policy import TOP_MEASURES, TOP_THREATS, zone_policies, zone_requirements
from factorysec.analysis.requirements import derive_requirements
from factorysec.analysis.risk import LEVEL_RANK, Risk, rank_risks
from factorysec.analysis.security_levels import security_levels
from factorysec.catalog import load_catalog
from factorysec.catalog.models import Text
from factorysec.model.entities import Asset, AssetType, FactoryModel, Importance, Lifecycle, ZoneKind
from factorysec.model.planfiles import ScoringConfig
from tests.analysis.conduit_groups import conduits_from, conduits_to

CATALOG = load_catalog()
MEASURES = sorted(CATALOG.measures)[:12]


@st.composite
def repeating_models(draw: Any) -> FactoryModel:
    """Small models whose asset and conduit ids may repeat, with sub-zones, ratings, data, measures and security-level targets."""
    zone_ids = [f"z{i}" for i in range(draw(st.integers(1, 5)))]
    zones = [
        {
            "id": z,
            "name": f"Zone {z}",
            "kind": draw(st.sampled_from(list(ZoneKind))).value,
            "parent": draw(st.none() | st.sampled_from(zone_ids[:i])) if i else None,
            "operations": draw(st.lists(st.sampled_from(["op0", "op1", "op2", "gone"]), max_size=2, unique=True)),
            "target_security_level": draw(st.none() | st.integers(1, 4)),
        }
        for i, z in enumerate(zone_ids)
    ]
    operations = []
    for i in range(3):
        by_axis = draw(st.dictionaries(st.sampled_from(list(ALL_AXES)), st.sampled_from(list(Importance)), max_size=3))
        if by_axis and draw(st.booleans()):
            operations.append(
                {
                    "id": f"op{i}",
                    "name": f"Operation {i}",
                    "importance_by_axis": {a: level.value for a, level in by_axis.items()},
                }
            )
        else:
            operations.append(
                {"id": f"op{i}", "name": f"Operation {i}", "importance": draw(st.sampled_from(list(Importance))).value}
            )
    assets = []
    for _ in range(draw(st.integers(0, 8))):
        is_data = draw(st.booleans())
        ratings = draw(st.dictionaries(st.sampled_from(list(ALL_AXES)), st.sampled_from(list(Importance))))
        assets.append(
            {
                "id": draw(st.sampled_from(["a0", "a1", "a2", "a3", "a4"])),
                "name": draw(st.sampled_from(["A", "B", "C"])),
                "type": "data" if is_data else "equipment",
                "zone": draw(st.none() | st.sampled_from(zone_ids)),
                "operations": draw(st.lists(st.sampled_from(["op0", "op1", "op2", "gone"]), max_size=3, unique=True)),
                "status": draw(st.sampled_from(list(Lifecycle))).value,
                "importance": {axis: level.value for axis, level in ratings.items()} if draw(st.booleans()) else None,
                "data": {
                    "disclosure": draw(st.sampled_from(["public", "internal", "restricted", "secret"])),
                    "lifecycle": [
                        {"event": event, "zone": zone}
                        for event, zone in draw(
                            st.lists(
                                st.tuples(
                                    st.sampled_from(["storage", "transfer", "processing"]), st.sampled_from(zone_ids)
                                ),
                                max_size=2,
                            )
                        )
                    ],
                }
                if is_data
                else None,
            }
        )
    asset_ids = sorted({a["id"] for a in assets})
    conduits = [
        {
            "id": draw(st.sampled_from(["c0", "c1", "c2", "c3", "c4", "c5"])),
            "from": draw(st.sampled_from([*zone_ids, "nowhere"])),
            "to": draw(st.sampled_from(zone_ids)),
            "carries": draw(st.none() | st.sampled_from(["orders", "recipes"])),
            "data": draw(st.lists(st.sampled_from([*asset_ids, "gone"]), max_size=2, unique=True)),
            "from_assets": draw(st.lists(st.sampled_from([*asset_ids, "gone"]), max_size=2, unique=True)),
            "to_assets": draw(st.lists(st.sampled_from([*asset_ids, "gone"]), max_size=2, unique=True)),
            "carries_control_instructions": draw(st.booleans()),
            "status": draw(st.sampled_from(list(Lifecycle))).value,
            "controls": draw(st.lists(st.sampled_from(MEASURES), max_size=2, unique=True)),
        }
        for _ in range(draw(st.integers(0, 10)))
    ]
    targets = [*zone_ids, *asset_ids, *(c["id"] for c in conduits)]
    measures = [
        {
            "id": f"m{i}",
            "measure": draw(st.sampled_from(MEASURES)),
            "applies_to": draw(st.lists(st.sampled_from(targets), max_size=2, unique=True)) if targets else [],
            "status": draw(st.sampled_from(["implemented", "partial", "planned"])),
        }
        for i in range(draw(st.integers(0, 6)))
    ]
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "zones": zones,
            "operations": operations,
            "assets": assets,
            "conduits": conduits,
            "measures": measures,
        }
    )


def plain_importance(
    model: FactoryModel, result: ImportanceResult
) -> dict[str, tuple[Importance | None, str, str | None]]:
    """Each zone's importance, plainly: the first of the most important assets (as their id is rated) and operations, depth first."""
    operations = {op.id: op for op in model.operations}
    members: dict[str, list[Any]] = {}
    for asset in model.assets:
        if asset.zone:
            members.setdefault(asset.zone, []).append(asset)
    children: dict[str, list[str]] = {}
    for zone in model.zones:
        if zone.parent:
            children.setdefault(zone.parent, []).append(zone.id)
    zone_by_id = {zone.id: zone for zone in model.zones}

    def overall(zone_id: str) -> tuple[Importance | None, str, str | None]:
        best: tuple[Importance, str, str] | None = None
        seen: set[str] = set()
        order: list[str] = []

        def walk(current: str) -> None:
            if current in seen:
                return
            seen.add(current)
            order.append(current)
            for child in children.get(current, ()):
                walk(child)

        walk(zone_id)
        for current in order:
            for asset in members.get(current, ()):
                level = result.assets[asset.id].overall.level
                if level is not None and (best is None or level.rank > best[0].rank):
                    best = (level, "asset", asset.id)
            zone = zone_by_id.get(current)
            for op_id in zone.operations if zone else ():
                op = operations.get(op_id)
                if op is not None and (best is None or op.importance.rank > best[0].rank):
                    best = (op.importance, "operation", op.id)
        return (None, "none", None) if best is None else best

    return {zone.id: overall(zone.id) for zone in model.zones}


Rated = tuple[Importance | None, str, str | None]


def _plain_data(model: FactoryModel) -> dict[str, Asset]:
    last = {asset.id: asset for asset in model.assets}
    return {asset_id: asset for asset_id, asset in last.items() if asset.type is AssetType.DATA}


def _first_highest(candidates: list[Rated]) -> Rated | None:
    best: Rated | None = None
    for candidate in candidates:
        if candidate[0] is not None and (best is None or candidate[0].rank > best[0].rank):  # type: ignore[union-attr]
            best = candidate
    return best


def plain_asset_ratings(model: FactoryModel) -> dict[str, dict[str, Rated]]:
    """Each asset's ratings, plainly, per axis: declared, else the first of the highest among the operations it serves; on the data
    axes also the data's own (confidentiality from disclosure, integrity from its safety or quality) and the data it sends or receives."""
    operations = {op.id: op for op in model.operations}
    data = _plain_data(model)
    ratings: dict[str, dict[str, Rated]] = {}

    def rate(asset: Asset) -> dict[str, Rated]:
        served = [operations[o] for o in asset.operations if o in operations]
        rated: dict[str, Rated] = {}
        for axis in ALL_AXES:
            level = getattr(asset.importance, axis) if asset.importance else None
            if level is not None:
                rated[axis] = (level, "declared", asset.id)
                continue
            if all(op.importance_by_axis is None for op in served):
                best = (
                    max(served, key=lambda op: op.importance.rank) if served else None
                )  # max keeps the first of the highest
                candidates: list[Rated] = [(axis_level(best, axis), "operation", best.id)] if best else []
            else:
                candidates = [(axis_level(op, axis), "operation", op.id) for op in served]
            if axis in DATA_AXES and asset.type is AssetType.DATA:
                if axis == "confidentiality":
                    disclosure = asset.data.disclosure if asset.data else None
                    candidates.append((DISCLOSURE_CONFIDENTIALITY.get(disclosure or ""), "data", asset.id))
                else:
                    candidates.append(
                        (_first_highest([rated["safety"], rated["quality"]]) or (None, "", None))[0:1]
                        + ("data", asset.id)
                    )
            if axis in DATA_AXES and asset.type is not AssetType.DATA:
                for conduit in model.conduits:
                    if asset.id in (*conduit.from_assets, *conduit.to_assets):
                        for data_id in conduit.data:
                            if data_id in data:
                                candidates.append((rate(data[data_id]).get(axis, (None, "", None))[0], "data", data_id))
            chosen = _first_highest(candidates)
            if chosen is not None:
                rated[axis] = chosen
            elif axis in AXES:
                rated[axis] = (None, "none", None)
        return rated

    for asset in model.assets:
        ratings[asset.id] = rate(asset)
    return ratings


def plain_implemented(context: AnalysisContext, zone_id: str) -> set[str]:
    """The measures implemented on a zone, its parents, its assets, the conduits touching it, and factory-wide."""
    touching = [*conduits_from(context.model).get(zone_id, []), *conduits_to(context.model).get(zone_id, [])]
    targets = [
        *context.zone_and_ancestors(zone_id),
        *(a.id for a in context.assets_in.get(zone_id, [])),
        "",
        *(c.id for c in touching),
    ]
    ids = {m for c in touching for m in c.controls}
    ids.update(m.measure for t in targets for m in context.measures_by_target.get(t, []) if m.status == "implemented")
    return ids


def plain_policy_parts(
    risks: Sequence[Risk], gaps: Sequence[Gap], zone_id: str, costs: Mapping[str, str | None]
) -> dict[str, Any]:
    zone_risks = [r for r in risks if r.zone == zone_id]
    gap_of = {g.finding: g for g in gaps}
    answers: dict[str, list[str]] = {}
    for risk in zone_risks:
        gap = gap_of.get(risk.finding)
        for measure in gap.missing if gap else ():
            answers.setdefault(measure, []).append(risk.finding)
    order = {"low": 0, "medium": 1, "high": 2}
    ordered = sorted(answers, key=lambda m: (order.get(costs.get(m) or "", 3), -len(answers[m]), m))[:TOP_MEASURES]
    top = max(zone_risks, key=lambda r: LEVEL_RANK[r.level], default=None)
    return {
        "top_level": top.level if top else None,
        "interrupts_business": any(r.interrupts_business for r in zone_risks),
        "top_threats": tuple(r.finding for r in zone_risks[:TOP_THREATS]),
        "measures_first": [(m, costs.get(m), tuple(answers[m])) for m in ordered],
    }


def last_of_each_id(model: FactoryModel) -> FactoryModel:
    """The model with one entry per asset and conduit id: the last one, where the first one stood."""
    return model.model_copy(
        update={
            "assets": list({a.id: a for a in model.assets}.values()),
            "conduits": list({c.id: c for c in model.conduits}.values()),
        }
    )


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(repeating_models())
def test_fast_paths_equal_plain_definitions(model: FactoryModel) -> None:
    importance = compute_importance(model)
    overall = {
        zone_id: (z.overall.level, z.overall.source, z.overall.source_id) for zone_id, z in importance.zones.items()
    }
    assert overall == plain_importance(model, importance)
    ratings = {
        asset_id: {axis: (d.level, d.source, d.source_id) for axis, d in all_ratings(rated).items()}
        for asset_id, rated in importance.assets.items()
    }
    assert ratings == plain_asset_ratings(model)
    for rated in importance.assets.values():
        levels = [d.level for d in rated.ratings.values() if d.level is not None]
        assert rated.overall.level == max(levels, key=lambda level: level.rank, default=None)

    context = build_context(last_of_each_id(model), CATALOG)
    findings = run_rules(context)
    requirements = derive_requirements(context, findings)
    noted = {zone: list(ids) for zone, ids in requirements.by_zone.items() if ids}
    grouped = {zone: list(ids) for zone, ids in zone_requirements(requirements.items).items() if ids}
    assert noted == grouped

    for level in security_levels(context):
        implemented = plain_implemented(context, level.zone)
        for fr in level.per_fr:
            srs = {
                sr
                for m in implemented
                for sr in CATALOG.measures[m].iec62443_sr
                if sr.split()[1].split(".")[0] == fr.fr[2:]
            }
            assert set(fr.srs) == srs
            assert not set(fr.candidates) & implemented

    config = ScoringConfig()
    exposure = compute_exposure(context)
    risks = rank_risks(context, exposure, findings, config)
    gaps = measure_gaps(context, findings, {r.finding: r for r in risks}, config)
    costs = {m.id: m.cost for m in CATALOG.measures.values()}
    for policy in zone_policies(context, risks, gaps, requirements):
        plain = plain_policy_parts(risks, gaps, policy.zone, costs)
        assert plain["top_level"] == policy.top_level
        assert plain["interrupts_business"] == policy.interrupts_business
        assert plain["top_threats"] == policy.top_threats
        assert plain["measures_first"] == [(m.measure, m.cost, m.answers) for m in policy.measures_first]
    assert set(plan_fields(context, findings, requirements)) >= {"policies", "security_levels"}


def test_assembler_shares_one_fields_set_and_equals_validation() -> None:
    build = assembler(Subject)
    first, second = build({"kind": "zone", "id": "z1"}), build({"kind": "conduit", "id": "c1"})
    assert first == Subject(kind="zone", id="z1") and second == Subject(kind="conduit", id="c1")
    assert first.model_fields_set == {"kind", "id"} and first.model_fields_set is second.model_fields_set
    assert hash(first) == hash(Subject(kind="zone", id="z1"))
    assert first.model_copy(update={"id": "z2"}) == Subject(kind="zone", id="z2")
    assert second.model_fields_set == {"kind", "id"}
    assert assembler(Text)({"en": "a", "ja": "b"}).model_dump_json() == Text(en="a", ja="b").model_dump_json()


def test_assembler_refuses_models_that_are_not_frozen() -> None:
    class Loose(BaseModel):
        value: int

    with pytest.raises(TypeError, match="not frozen"):
        assembler(Loose)
