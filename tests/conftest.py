"""Fixtures shared by model and report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import LoadedModel, load_model_with_sources

REPO = Path(__file__).resolve().parents[1]
ANNEX_A = REPO / "examples" / "annex-a"
ANNEX_A_MODELS = [ANNEX_A / "current", *sorted(ANNEX_A.glob("*.yaml"))]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the repository as working folder, so that file names display relative to it."""
    monkeypatch.chdir(REPO)
    return REPO


@pytest.fixture(scope="session")
def current_loaded() -> LoadedModel:
    return load_model_with_sources(ANNEX_A / "current")


@pytest.fixture(scope="session")
def case2_loaded() -> LoadedModel:
    return load_model_with_sources(ANNEX_A / "case-2-first-added.yaml")


@pytest.fixture(scope="session")
def case2_assessment(case2_loaded: LoadedModel, catalog: Catalog) -> Assessment:
    return analyze(case2_loaded.model, catalog)
