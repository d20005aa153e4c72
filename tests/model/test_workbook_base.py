"""A change file whose ``change.base`` is a model workbook: the workbook is the base, and problems are placed in whichever file holds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.catalog import Catalog
from factorysec.model import LoadedModel, load_model_with_sources
from factorysec.model.workbook import write_workbook
from tests.conftest import EXAMPLES
from tests.model.conftest import load_problems, run_check

CHANGE = "change: {base: plant.xlsx, title: Add a line}\n"


@pytest.fixture
def plant(tmp_path: Path, current_loaded: LoadedModel, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_workbook(current_loaded.model, tmp_path / "plant.xlsx", catalog)
    (tmp_path / "current").symlink_to(EXAMPLES / "current")
    return tmp_path


def test_a_workbook_base_gives_the_model_the_yaml_base_gives(plant: Path, current_loaded: LoadedModel) -> None:
    zone = current_loaded.model.zones[0].id
    body = f"modify:\n  zones:\n    - {{id: {zone}, name: Renamed}}\n"
    (plant / "on-book.yaml").write_text(CHANGE + body, encoding="utf-8")
    (plant / "on-yaml.yaml").write_text(CHANGE.replace("plant.xlsx", "current") + body, encoding="utf-8")
    on_book = load_model_with_sources(plant / "on-book.yaml")
    assert on_book.model == load_model_with_sources(plant / "on-yaml.yaml").model
    assert on_book.model.zones[0].name == "Renamed"
    assert on_book.change_title == "Add a line"
    assert on_book.base is not None and on_book.base.model == current_loaded.model
    result = run_check("on-book.yaml")
    assert result.exit_code == 0, result.problems


def test_problems_are_placed_in_the_workbook_and_in_the_change_file(plant: Path, current_loaded: LoadedModel) -> None:
    model = current_loaded.model
    zone = model.assets[0].zone
    assert zone is not None
    index = next(i for i, asset in enumerate(model.assets) if asset.zone == zone)
    (plant / "change.yaml").write_text(
        CHANGE
        + f"remove:\n  zones: [{zone}]\nadd:\n  assets:\n    - {{id: new-1, name: N, type: equipment, zone: gone}}\n",
        encoding="utf-8",
    )
    problems = load_problems(plant / "change.yaml")
    assert f"plant.xlsx: sheet 'assets' row {index + 2} column 'zone': unknown zone '{zone}'" in "\n".join(problems)
    assert any(
        p.startswith(f"change.yaml:6:45: assets[{len(model.assets)}].zone: unknown zone 'gone'") for p in problems
    )
    result = run_check("change.yaml")
    assert result.exit_code == 2, result.problems
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.problems) == len(problems)


def test_a_change_on_a_change_on_a_workbook(plant: Path, current_loaded: LoadedModel) -> None:
    asset = current_loaded.model.assets[1].id
    (plant / "first.yaml").write_text(CHANGE, encoding="utf-8")
    (plant / "second.yaml").write_text(
        f"change: {{base: first.yaml}}\nmodify:\n  assets:\n    - {{id: {asset}, zone: nowhere}}\n", encoding="utf-8"
    )
    assert load_problems(plant / "second.yaml") == [
        f"second.yaml:4:{14 + len(asset)}: assets[1].zone: unknown zone 'nowhere' (define it under zones)"
    ]


def test_an_unreadable_workbook_base_is_one_line_naming_it(plant: Path) -> None:
    (plant / "plant.xlsx").write_bytes(b"not a zip")
    (plant / "change.yaml").write_text(CHANGE, encoding="utf-8")
    result = run_check("change.yaml")
    assert result.exit_code == 2
    assert len(result.problems) == 1 and result.problems[0].startswith("plant.xlsx:1:1: not a readable .xlsx workbook")
