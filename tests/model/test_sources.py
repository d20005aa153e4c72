"""Folder assembly: list sections concatenated across files are located in the right file, without an origin per entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.model import FactoryModel, ModelInputError, load_model, sources
from factorysec.model.sources import Origin, assemble


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


FILES = {
    "a.yaml": "factory: {id: f, name: F}\nzones:\n  - {id: z1, name: Z1, kind: office}\nassets:\n  - {id: a1, name: A1, type: equipment, zone: z1}\n",
    "b.yaml": "assets: []\n",
    "c.yaml": "zones: []\nassets:\n  - {id: a2, name: A2, type: equipment, zone: z1}\n  - {id: a3, name: A3, type: equipment, zone: z1}\n",
    "d.yaml": "measures:\nassets:\n  - {id: a4, name: A4, type: equipment, zone: z1}\n",
}


def test_each_entry_is_traced_to_its_file_and_place(tmp_path: Path) -> None:
    _write(tmp_path, FILES)
    document = assemble(tmp_path)
    assert [a["id"] for a in document.data["assets"]] == ["a1", "a2", "a3", "a4"]
    sources = document.sources
    names = {Path(name).name: name for name in sources.files}
    expected = [("a.yaml", 0), ("c.yaml", 0), ("c.yaml", 1), ("d.yaml", 0)]
    for index, (file, in_file) in enumerate(expected):
        assert sources.item_origin(("assets", index)) == Origin(names[file], ("assets", in_file))
    assert sources.item_origin(("assets",)) == Origin(names["a.yaml"], ("assets",))
    assert sources.item_origin(("assets", 4)) is None
    assert sources.item_origin(("zones", 0)) == Origin(names["a.yaml"], ("zones", 0))
    assert sources.item_origin(("zones", 1)) is None
    assert sources.locate(("assets", 2, "zone")) == (names["c.yaml"], 4, 41)


def test_problems_in_later_files_point_into_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files = dict(FILES)
    files["c.yaml"] = (
        files["c.yaml"]
        .replace("zone: z1}\n  - {id: a3", "zone: z9}\n  - {id: a3")
        .replace("type: equipment, zone: z1}\n", "type: equipmnt, zone: z1}\n")
    )
    files["d.yaml"] = files["d.yaml"].replace("id: a4", "id: a1")
    _write(tmp_path, files)
    with pytest.raises(ModelInputError) as info:
        load_model(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        "c.yaml:3:41: assets[1].zone: unknown zone 'z9' (define it under zones)",
        "c.yaml:4:24: assets[2].type: 'equipmnt' is not allowed, expected one of: external-service, equipment, software, data (did you mean 'equipment'?)",
        "d.yaml:3:6: assets[3].id: duplicate id 'a1', already used in assets[0] (ids must be unique across the whole model)",
    ]


@pytest.mark.parametrize("chunk", [1, 2, 4096])
def test_entries_validated_as_files_are_read_give_the_same_model_and_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(sources, "VALIDATION_CHUNK", chunk)
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, FILES)
    document = assemble(tmp_path, validate_entries=True)
    assert [type(a).__name__ for a in document.data["assets"]] == ["Asset"] * 4
    assert load_model(tmp_path) == FactoryModel.model_validate(assemble(tmp_path).data)
    (tmp_path / "c.yaml").write_text(
        FILES["c.yaml"].replace("A3, type: equipment", "A3, type: equipmnt"), encoding="utf-8"
    )
    (tmp_path / "d.yaml").write_text(FILES["d.yaml"].replace("zone: z1", "zone: z7"), encoding="utf-8")
    mixed = assemble(tmp_path, validate_entries=True).data["assets"]
    assert (
        [type(a).__name__ for a in mixed] == ["Asset", "Asset", "dict", "Asset"]
        if chunk == 1
        else ["Asset", "dict", "dict", "Asset"]
    )
    with pytest.raises(ModelInputError) as info:
        load_model(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        "c.yaml:4:24: assets[2].type: 'equipmnt' is not allowed, expected one of: external-service, equipment, software, data (did you mean 'equipment'?)",
        "d.yaml:3:41: assets[3].zone: unknown zone 'z7' (define it under zones)",
    ]
