"""Importance per axis (issue #17 item 5, Steps 1-3 and 1-5): operations and assets rated on S, Q, D, C and BC separately, a single
rating stated as such, data importance flowing to the places that hold the data, and risks explained by the axis that drives them."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.analysis import analyze
from factorysec.analysis.importance import ImportanceResult, compute_importance
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel, Importance, ImportanceRatings
from tests.plan_support import threat_rule

AXES_MODEL = Path(__file__).parents[1] / "fixtures" / "model" / "importance-axes.yaml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def model() -> FactoryModel:
    return load_model(AXES_MODEL)


@pytest.fixture(scope="module")
def importance(model: FactoryModel) -> ImportanceResult:
    return compute_importance(model)


def test_a_safety_system_is_high_on_safety_not_on_cost(importance: ImportanceResult) -> None:
    operation = importance.operations["safety-monitoring"]
    assert not operation.single
    assert operation.ratings["safety"].level is Importance.CRITICAL and operation.ratings["cost"].level is None
    plc = importance.assets["safety-plc"].ratings
    assert plc["safety"].level is Importance.CRITICAL and "safety (S) critical" in plc["safety"].reason.en
    assert plc["cost"].level is None and plc["quality"].level is None
    assert "leave this one empty" in plc["cost"].reason.en
    assert plc["business_continuity"].level is Importance.HIGH and plc["delivery"].level is Importance.MEDIUM
    assert importance.assets["safety-plc"].overall.level is Importance.CRITICAL
    assert importance.zones["line"].ratings["safety"].source_id == "safety-plc"


def test_a_single_rating_is_stated_as_given_for_all_axes(importance: ImportanceResult) -> None:
    operation = importance.operations["packing"]
    assert operation.single
    assert {axis: rating.level for axis, rating in operation.ratings.items()} == dict.fromkeys(
        ("safety", "quality", "delivery", "cost", "business_continuity"), Importance.MEDIUM
    )
    for rating in importance.assets["packer"].ratings.values():
        assert "single rating given for all axes" in rating.reason.en and "単一の評価を全軸に適用" in rating.reason.ja
    vision = importance.assets["vision"].ratings
    assert vision["quality"].source == "declared" and "single rating" not in vision["quality"].reason.en
    assert "single rating given for all axes" in vision["cost"].reason.en


def test_a_cloud_service_holding_secret_recipes_takes_their_confidentiality(importance: ImportanceResult) -> None:
    recipes = importance.assets["recipes"].data_ratings["confidentiality"]
    assert recipes.level is Importance.CRITICAL and "secret" in recipes.reason.en
    service = importance.assets["recipe-service"].data_ratings["confidentiality"]
    assert (service.level, service.source, service.source_id) == (Importance.CRITICAL, "data", "recipes")
    assert "Secret recipes" in service.reason.en
    receiver = importance.assets["line-plc"].data_ratings["confidentiality"]
    assert receiver.level is Importance.CRITICAL
    assert importance.zones["cloud"].data_ratings["confidentiality"].level is Importance.CRITICAL
    assert "confidentiality" not in importance.assets["packer"].data_ratings  # holds no data
    # the value axes (and so the overall importance) stay those of the operation served
    assert importance.assets["recipe-service"].overall.level is Importance.MEDIUM


def test_a_declared_data_confidentiality_is_what_its_holders_take(model: FactoryModel) -> None:
    declared = ImportanceRatings(confidentiality=Importance.HIGH)
    assets = [a.model_copy(update={"importance": declared}) if a.id == "recipes" else a for a in model.assets]
    rated = compute_importance(model.model_copy(update={"assets": assets}))
    assert rated.assets["recipes"].data_ratings["confidentiality"].source == "declared"
    assert rated.assets["recipe-service"].data_ratings["confidentiality"].level is Importance.HIGH


def test_a_risk_driven_by_quality_names_quality(model: FactoryModel, catalog: Catalog) -> None:
    rules = (
        threat_rule("T-FAIL", "system-failure", [("asset", "vision"), ("asset", "packer"), ("asset", "safety-plc")]),
    )
    risks = {r.subject.id: r for r in analyze(model, catalog, rules=rules).risks}
    assert "quality (Q) critical" in risks["vision"].reason.en and "品質 (Q) 最重要" in risks["vision"].reason.ja
    assert "business continuity" not in risks["vision"].reason.en
    assert "safety (S) critical" in risks["safety-plc"].reason.en
    # a single rating: every value axis has one level, and the reason says the weights chose the axis
    assert "every value axis rated medium" in risks["packer"].reason.en


def test_a_data_theft_threat_counts_the_confidentiality_of_the_data_held(model: FactoryModel, catalog: Catalog) -> None:
    rules = (
        threat_rule("T-LEAK", "data-theft-leakage", [("asset", "recipe-service")]),
        threat_rule("T-STOP", "system-failure", [("asset", "recipe-service")]),
    )
    risks = {r.finding_rule: r for r in analyze(model, catalog, rules=rules).risks}
    assert "confidentiality critical" in risks["T-LEAK"].reason.en and "機密性 最重要" in risks["T-LEAK"].reason.ja
    assert "confidentiality" not in risks["T-STOP"].reason.en
    assert risks["T-LEAK"].impact > risks["T-STOP"].impact


def test_an_operation_subject_is_scored_on_its_own_axes(model: FactoryModel, catalog: Catalog) -> None:
    rules = (threat_rule("T-OP", "system-failure", [("operation", "safety-monitoring")]),)
    (risk,) = analyze(model, catalog, rules=rules).risks
    assert "safety (S) critical" in risk.reason.en
