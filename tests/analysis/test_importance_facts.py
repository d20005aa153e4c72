"""The importance facts noted while rating assets equal those worked out plainly afterwards, and the rules and risks that read them agree."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorysec.analysis import build_context
from factorysec.analysis.exposure import compute_exposure
from factorysec.analysis.importance import (
    ImportanceFacts,
    all_ratings,
    assess_importance,
    held_axes,
    importance_facts,
    zone_holdings,
)
from factorysec.analysis.risk import RiskScorer
from factorysec.catalog import load_catalog
from factorysec.model.entities import FactoryModel
from factorysec.model.planfiles import ScoringConfig
from tests.analysis.test_rules_shortcuts import mixed_models

CATALOG = load_catalog()


def _plain_axes(model: FactoryModel, facts: ImportanceFacts) -> None:
    """Each zone's highest rank per axis, walking its assets (assets rated as their id's last asset) and the data it stores or processes."""
    importance = assess_importance(model)[0]
    expected: dict[str, dict[str, int]] = {}
    for asset in model.assets:
        if asset.zone:
            axes = expected.setdefault(asset.zone, {})
            for axis, rating in all_ratings(importance.assets[asset.id]).items():
                if rating.level is not None:
                    axes[axis] = max(axes.get(axis, 0), rating.level.rank)
    for zone, data_ids in zone_holdings(model).items():
        for data_id in data_ids:
            for axis, rating in importance.assets[data_id].data_ratings.items():
                if rating.level is not None:
                    axes = expected.setdefault(zone, {})
                    axes[axis] = max(axes.get(axis, 0), rating.level.rank)
    expected = {zone: axes for zone, axes in expected.items() if axes or any(a.zone == zone for a in model.assets)}
    assert {zone: found.axes for zone, found in facts.zones.items()} == expected


def _comparable(facts: ImportanceFacts) -> Any:
    return (
        {
            zone: (f.highest and (id(f.highest[0]), f.highest[1]), f.lowest and (id(f.lowest[0]), f.lowest[1]), f.axes)
            for zone, f in facts.zones.items()
        },
        [id(a) for a in facts.unrated],
        facts.served,
    )


@st.composite
def models_with_repeated_ids(draw: st.DrawFn) -> FactoryModel:
    model = draw(mixed_models(st.just("n")))
    if not model.assets:
        return model
    copies = [
        a.model_copy(update={"id": model.assets[draw(st.integers(0, len(model.assets) - 1))].id})
        for a in draw(st.lists(st.sampled_from(model.assets), max_size=3))
    ]
    return model.model_copy(update={"assets": [*model.assets, *copies]})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_models(st.just("n")) | models_with_repeated_ids())
def test_facts_noted_while_rating_equal_plain_facts(model: FactoryModel) -> None:
    importance, facts = assess_importance(model)
    assert _comparable(facts) == _comparable(
        importance_facts(model.assets, importance.assets, held_axes(zone_holdings(model), importance.assets))
    )
    _plain_axes(model, facts)
    assert [id(a) for a in facts.unrated] == [
        id(a) for a in model.assets if importance.assets[a.id].overall.level is None
    ]
    assert facts.served == {o for a in model.assets for o in a.operations}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_models(st.just("n")) | models_with_repeated_ids())
def test_zone_spread_follows_first_highest_and_lowest(model: FactoryModel) -> None:
    importance, facts = assess_importance(model)
    for zone, found in facts.zones.items():
        rated = [
            (a, importance.assets[a.id].overall.level)
            for a in model.assets
            if a.zone == zone and importance.assets[a.id].overall.level is not None
        ]
        if not rated:
            assert found.highest is None and found.lowest is None
            continue
        high = max(rated, key=lambda pair: pair[1].rank)  # type: ignore[union-attr]
        low = min(rated, key=lambda pair: pair[1].rank)  # type: ignore[union-attr]
        assert found.highest is not None and found.lowest is not None
        assert (found.highest[0] is high[0], found.highest[1]) == (True, high[1])
        assert (found.lowest[0] is low[0], found.lowest[1]) == (True, low[1])


def test_repeated_ids_are_generated() -> None:
    seen = set()

    @settings(
        max_examples=100, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(models_with_repeated_ids())
    def collect(model: FactoryModel) -> None:
        if len({a.id for a in model.assets}) < len(model.assets):
            seen.add("repeated")

    collect()
    assert seen == {"repeated"}


def test_risk_zone_axes_read_the_facts() -> None:
    model = FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "operations": [{"id": "op", "name": "Op", "importance": "medium"}],
            "zones": [{"id": "z", "name": "Z", "kind": "production"}],
            "assets": [
                {"id": "a", "name": "A", "type": "equipment", "zone": "z", "operations": ["op"]},
                {"id": "b", "name": "B", "type": "equipment", "zone": "z", "importance": {"safety": "critical"}},
            ],
        }
    )
    context = build_context(model, CATALOG)
    scorer = RiskScorer(context, compute_exposure(context), ScoringConfig())
    assert scorer.zone_axes["z"] == {"safety": 4, "quality": 2, "delivery": 2, "cost": 2, "business_continuity": 2}


def test_an_axis_taken_from_an_operation_says_the_rating_is_the_operations_single_one() -> None:
    """Issue #17 item 5: a single operation rating copied to the axes is stated as such, not silently copied."""
    from factorysec.analysis.importance import compute_importance
    from factorysec.model import load_model
    from tests.conftest import EXAMPLES

    ratings = compute_importance(load_model(EXAMPLES / "current")).assets["maintenance-terminal"].ratings
    assert ratings["cost"].source == "operation"
    assert "single rating given for all axes" in ratings["cost"].reason.en and "単一の評価" in ratings["cost"].reason.ja
