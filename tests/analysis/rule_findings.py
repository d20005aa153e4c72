"""What the rule tests of the blind trials read of an analysis, and how they vary a fixture's model."""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel
from tests.conftest import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"


def rule_ids(model: FactoryModel, catalog: Catalog, rule: str) -> list[str]:
    """The ids of ``rule``'s findings on ``model``, sorted."""
    return sorted(f.id for f in analyze(model, catalog).findings if f.rule == rule)


def fixture_rule_ids(fixture: str, catalog: Catalog, rule: str) -> list[str]:
    """:func:`rule_ids` on a fixture under tests/fixtures/rules/ (``RULE-ID/name.yaml``)."""
    return rule_ids(load_model(RULE_FIXTURES / fixture), catalog, rule)


def with_asset(model: FactoryModel, asset_id: str, **changes: object) -> FactoryModel:
    """The model with the fields of one asset changed (unvalidated, as a fixture variant)."""
    assets = [a.model_copy(update=changes) if a.id == asset_id else a for a in model.assets]
    return model.model_copy(update={"assets": assets})
