"""model_digest: what it covers (everything but reviews), and that it is stable across loads and layouts."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError

from factorysec.model import FactoryModel, dump_model, load_model, loader, model_digest
from tests.model.strategies import models

ROOT = Path(__file__).resolve().parents[2]
LIFECYCLE = ROOT / "tests" / "fixtures" / "lifecycle" / "factory.yaml"
CURRENT = ROOT / "examples" / "annex-a" / "current"


def _one_piece(model: FactoryModel) -> str:
    """The digest's definition, computed the plain way (the whole JSON at once)."""
    return hashlib.sha256(model.model_dump_json(by_alias=True, exclude={"reviews"}).encode()).hexdigest()[:16]


def _leaves(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _replaced(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], value)  # type: ignore[index]
    return copy


def _variant(data: dict[str, Any], leaf: tuple[str | int, ...], value: Any) -> FactoryModel | None:
    """The model with the value at ``leaf`` replaced by another one the schema accepts, if one is found.

    Text gets a suffix or becomes a date or an address, unless the field takes
    a fixed set of values (an enum or literal): then another of those; numbers
    move by one, booleans flip, an empty field gets a value of some type (ratings
    per axis at every level, as an operation's must top at its importance; an empty list where absent differs).
    """
    candidates: list[Any] = (
        [not value]
        if isinstance(value, bool)
        else [value + 1, value - 1]
        if isinstance(value, int)
        else [f"{value}x", "2026-01-02", "10.9.9.9", "10.9.0.0/16", None]
    )
    if value is None:
        candidates = [
            "x",
            1,
            True,
            "2026-01-02",
            "JP",
            {"exists": True},
            {"safety": "high"},
            *({"safety": level} for level in ("low", "medium", "critical")),
            {"category": "x"},
            {"site": "x"},
            {"vendor": "x"},
            [],
        ]
    for candidate in candidates:
        try:
            return FactoryModel.model_validate(_replaced(data, leaf, candidate))
        except ValidationError as exc:
            options = [
                part.strip(" '")
                for error in exc.errors()
                if error["type"] in {"enum", "literal_error"}
                for part in str(error.get("ctx", {}).get("expected", "")).replace(" or ", ",").split(",")
            ]
            for option in options:
                if option and option != value:
                    try:
                        return FactoryModel.model_validate(_replaced(data, leaf, option))
                    except ValidationError:
                        continue
    return None


@pytest.mark.parametrize("path", [LIFECYCLE, CURRENT], ids=["lifecycle", "annex-a-current"])
def test_every_field_outside_reviews_changes_the_digest(path: Path) -> None:
    model = load_model(path)
    before = model_digest(model)
    data = model.model_dump(mode="json", by_alias=True)
    leaves = list(_leaves(data))
    assert len(leaves) > 200
    for leaf, value in leaves:
        variant = _variant(data, leaf, value)
        assert variant is not None and variant != model, f"no other valid value found for {leaf}"
        if leaf[0] == "reviews":
            assert model_digest(variant) == before, leaf
        else:
            assert model_digest(variant) != before, leaf


def test_adding_or_removing_an_entry_changes_the_digest() -> None:
    model = load_model(LIFECYCLE)
    fewer = model.model_copy(update={"assets": model.assets[1:]})
    more = model.model_copy(update={"assets": [*model.assets, model.assets[0].model_copy(update={"id": "another"})]})
    assert len({model_digest(model), model_digest(fewer), model_digest(more)}) == 3


def test_reviews_do_not_change_the_digest() -> None:
    model = load_model(LIFECYCLE)
    assert model.reviews
    assert model_digest(model.model_copy(update={"reviews": []})) == model_digest(model)


def test_same_digest_across_loads_and_for_a_folder_and_one_file(tmp_path: Path) -> None:
    first, second = load_model(CURRENT), load_model(CURRENT)
    assert model_digest(first) == model_digest(second)
    single = tmp_path / "model.yaml"
    merged: dict[str, Any] = {}
    for file in sorted(CURRENT.glob("*.yaml")):
        for key, value in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).items():
            merged[key] = [*merged.get(key, []), *value] if isinstance(value, list) else value
    single.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert model_digest(load_model(single)) == model_digest(first)


def test_a_saved_and_reloaded_model_keeps_its_digest(tmp_path: Path) -> None:
    model = load_model(LIFECYCLE)
    saved = tmp_path / "saved.yaml"
    saved.write_text(dump_model(model), encoding="utf-8")
    assert model_digest(load_model(saved)) == model_digest(model)


def test_chunked_hashing_equals_the_one_piece_json(monkeypatch: pytest.MonkeyPatch) -> None:
    model = load_model(CURRENT)
    expected = _one_piece(model)
    assert model_digest(model) == expected
    for chunk in (1, 2, 3):
        monkeypatch.setattr(loader, "_DIGEST_CHUNK", chunk)
        assert model_digest(model) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_generated_models_digest_as_their_one_piece_json(model: FactoryModel) -> None:
    assert model_digest(model) == _one_piece(model)
