"""Fixtures for the Step 3 tests: the lifecycle test factories, loaded through the real loader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from factorysec.analysis.importance import compute_importance
from factorysec.analysis.lifecycle import LifecycleReport, assess_lifecycle
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import FactoryModel, load_model

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lifecycle"
ANNEX_A = Path(__file__).resolve().parents[3] / "examples" / "annex-a"
TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


Assess = Callable[..., LifecycleReport]
Ids = Callable[[LifecycleReport, str], list[str]]
Load = Callable[[str], FactoryModel]
WriteVariant = Callable[[str, dict[str, object]], FactoryModel]


@pytest.fixture
def assess(catalog: Catalog) -> Assess:
    """Run Step 3 on a model, on TODAY unless told otherwise."""

    def run(model: FactoryModel, today: dt.date | None = TODAY) -> LifecycleReport:
        return assess_lifecycle(model, catalog, compute_importance(model), today)

    return run


@pytest.fixture
def load() -> Callable[[str], FactoryModel]:
    return lambda name: load_model(FIXTURES / name)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def factory_model() -> FactoryModel:
    return load_model(FIXTURES / "factory.yaml")


@pytest.fixture
def bare_model() -> FactoryModel:
    return load_model(FIXTURES / "bare.yaml")


@pytest.fixture
def write_variant(tmp_path: Path) -> Callable[[str, dict[str, object]], FactoryModel]:
    """Load a fixture, add or replace top-level sections, and load the result from a temporary YAML file."""

    def variant(name: str, sections: dict[str, object]) -> FactoryModel:
        document = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
        document.update(sections)
        target = tmp_path / name
        target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return load_model(target)

    return variant


@pytest.fixture
def ids() -> Callable[[LifecycleReport, str], list[str]]:
    """Ids of one rule's findings in a report."""
    return lambda report, rule: [f.id for f in report.findings if f.rule == rule]
