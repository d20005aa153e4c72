"""A UTF-8 byte order mark opening a YAML file (as Windows Notepad saves it) is allowed, and positions stay those an editor shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factorysec.catalog import default_data_dir, load_catalog
from factorysec.model import load_model
from factorysec.model.planfiles import read_decisions
from factorysec.model.problems import ModelInputError
from factorysec.yamlio import parse_yaml_text
from tests.model.conftest import EXAMPLES, run_check

BOM = "\ufeff".encode()
FOOD_BATCH = EXAMPLES.parent / "food-batch" / "factory.yaml"


def _with_bom(path: Path, text: str) -> Path:
    path.write_bytes(BOM + text.encode("utf-8"))
    return path


def test_a_model_file_with_a_bom_is_the_same_model(tmp_path: Path) -> None:
    source = FOOD_BATCH
    marked = _with_bom(tmp_path / "marked.yaml", source.read_text(encoding="utf-8"))
    assert load_model(marked) == load_model(source)


def test_a_one_line_file_with_a_bom_reads_its_first_key(tmp_path: Path) -> None:
    marked = _with_bom(tmp_path / "one.yaml", "factory: {id: f, name: F}\n")
    assert load_model(marked).factory.id == "f"


def test_problems_after_a_bom_keep_their_line_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _with_bom(tmp_path / "bad.yaml", "factory: {id: f, name: F, bogus: 1}\nzones:\n  - id: z\n    nme: x\n")
    result = run_check("bad.yaml")
    assert result.exit_code == 2
    assert any(p.startswith("bad.yaml:1:27: factory.bogus: unknown field 'bogus'") for p in result.problems), result
    assert any(p.startswith("bad.yaml:4:5: zones[0].nme: unknown field 'nme'") for p in result.problems), result
    assert not any("\\ufeff" in p or "\ufeff" in p for p in result.problems)


def test_a_change_file_with_a_bom(tmp_path: Path) -> None:
    base = _with_bom(tmp_path / "base.yaml", "factory: {id: f, name: F}\n")
    change = _with_bom(tmp_path / "change.yaml", "change: {base: base.yaml, title: t}\nmodify:\n  factory: {name: G}\n")
    assert load_model(change).factory.name == "G"
    assert load_model(base).factory.name == "F"


def test_a_decisions_file_with_a_bom_keeps_its_lines(tmp_path: Path) -> None:
    path = _with_bom(
        tmp_path / "decisions.yaml",
        "decisions:\n  - finding: A@b\n    status: accepted\n    justification: ok\n    owner: me\n    approver: x\n",
    )
    with pytest.raises(ModelInputError) as caught:
        read_decisions(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.field) == (6, 5, "decisions[0].approver")


def test_the_mark_takes_no_column() -> None:
    read = parse_yaml_text("\ufeffa: 1\nb: 2\n", "x.yaml", record_locations=True)
    assert read.data == {"a": 1, "b": 2}
    assert read.locations is not None and (read.locations[("a",)], read.locations[("b",)]) == ((1, 1), (2, 1))


def test_a_catalog_file_with_a_bom(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(str(default_data_dir()), folder)
    measures = folder / "measures.yaml"
    measures.write_bytes(BOM + measures.read_bytes())
    assert load_catalog(folder).measures == load_catalog().measures
