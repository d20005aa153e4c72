"""Shared fixtures for catalog tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from factorysec.catalog import Catalog, default_data_dir, load_catalog

DATA_FILES = sorted(p.name for p in default_data_dir().iterdir() if p.name.endswith(".yaml"))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged data directory."""
    target = tmp_path / "data"
    target.mkdir()
    for name in DATA_FILES:
        shutil.copyfile(str(default_data_dir() / name), target / name)
    return target


@pytest.fixture
def edit(data_copy: Path) -> Callable[[str, Callable[[dict[str, Any]], None]], None]:
    """Edit one YAML file of the copy in place through a callback on its parsed content."""

    def _edit(name: str, change: Callable[[dict[str, Any]], None]) -> None:
        path = data_copy / name
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(doc)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    return _edit
