"""The model package checks catalog ids against the catalog its caller passes in, and never loads one itself."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from factorysec.catalog import Catalog, load_catalog
from factorysec.model import ModelInputError, check_against_catalog, load_model, load_model_with_sources
from tests.conftest import ROOT

MODEL = """\
factory: {id: f, name: F}
parties:
  - {id: vendor, name: Vendor, kind: equipment-vendor}
zones:
  - {id: line, name: Line, kind: production}
  - {id: office, name: Office, kind: office}
conduits:
  - {id: orders, from: office, to: line, controls: [net-zone-boundary-filtering, net-encrypted-authenticated-conduit]}
"""
DROPPED = "net-zone-boundary-filtering"


def smaller_catalog() -> Catalog:
    """The guideline's catalog without one measure: a company's own catalog, or an older guideline's, that lacks it."""
    catalog = load_catalog()
    return dataclasses.replace(
        catalog, measures={key: value for key, value in catalog.measures.items() if key != DROPPED}
    )


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "factory.yaml"
    path.write_text(MODEL, encoding="utf-8")
    return path


def test_importing_the_model_package_does_not_import_the_catalog() -> None:
    code = "import sys, factorysec.model, factorysec.model.loader, factorysec.model.workbook; print(sorted(m for m in sys.modules if m.startswith('factorysec.catalog')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_the_catalog_does_not_import_the_model_package() -> None:
    code = "import sys, factorysec.catalog; print(sorted(m for m in sys.modules if m.startswith('factorysec.model')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_a_model_valid_against_the_guideline_catalog_is_refused_by_a_smaller_one_at_its_line(model_file: Path) -> None:
    assert [c.controls for c in load_model(model_file, load_catalog()).conduits] == [
        [DROPPED, "net-encrypted-authenticated-conduit"]
    ]
    with pytest.raises(ModelInputError) as caught:
        load_model(model_file, smaller_catalog())
    assert [str(p) for p in caught.value.problems] == [
        f"{model_file}:8:53: conduits[0].controls[0]: '{DROPPED}' is not a known measure id in the catalog (see 'factorysec catalog measures' for the ids)"
    ]


def test_checking_a_loaded_model_against_another_catalog_is_a_step_of_its_own(model_file: Path) -> None:
    loaded = load_model_with_sources(model_file)  # no catalog: its ids are not checked yet
    check_against_catalog(loaded, load_catalog())
    with pytest.raises(ModelInputError) as caught:
        check_against_catalog(loaded, smaller_catalog())
    assert [p.field for p in caught.value.problems] == ["conduits[0].controls[0]"]
    assert caught.value.problems[0].line == 8


def test_without_a_catalog_an_unknown_catalog_id_is_left_for_the_catalog_step(model_file: Path) -> None:
    model_file.write_text(MODEL.replace(DROPPED, "no-such-measure"), encoding="utf-8")
    loaded = load_model_with_sources(model_file)
    with pytest.raises(ModelInputError, match="'no-such-measure' is not a known measure id"):
        check_against_catalog(loaded, load_catalog())
