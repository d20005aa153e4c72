"""Shared test helpers: paths to fixtures and examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples" / "annex-a"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()
