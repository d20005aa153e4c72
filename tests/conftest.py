"""Shared test helpers: paths to fixtures and examples, and loaded Annex A models."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import LoadedModel, load_model_with_sources

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples" / "annex-a"
ANNEX_A_MODELS = [EXAMPLES / "current", *sorted(EXAMPLES.glob("*.yaml"))]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the repository as working folder, so that file names display relative to it."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture(scope="session")
def current_loaded() -> LoadedModel:
    return load_model_with_sources(EXAMPLES / "current")


@pytest.fixture(scope="session")
def case1_loaded() -> LoadedModel:
    return load_model_with_sources(EXAMPLES / "case-1-first-added.yaml")


@pytest.fixture(scope="session")
def case1_assessment(case1_loaded: LoadedModel, catalog: Catalog) -> Assessment:
    return analyze(case1_loaded.model, catalog)
