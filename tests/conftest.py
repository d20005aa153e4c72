"""Shared test helpers: paths to fixtures and examples; makes ``plan_support`` importable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from factorysec.catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples" / "annex-a"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()
