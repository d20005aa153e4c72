"""model_digest: what it covers (what the model states, but reviews), that it is stable across loads, layouts and
releases that add fields, and the earlier scheme (every field, defaults included) a recorded review may still name."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from pydantic import Field, ValidationError

from factorysec.model import (
    Asset,
    Factory,
    FactoryModel,
    Importance,
    dump_model,
    earlier_model_digest,
    load_model,
    loader,
    model_digest,
)
from factorysec.model.entities import DataAttributes
from tests.model.strategies import models

ROOT = Path(__file__).resolve().parents[2]
LIFECYCLE = ROOT / "tests" / "fixtures" / "lifecycle" / "factory.yaml"
CURRENT = ROOT / "examples" / "annex-a" / "current"
COMMANDS_DOC = ROOT / "docs" / "commands.md"


def _one_piece(model: FactoryModel) -> str:
    """The digest's definition, computed the plain way (the whole JSON at once)."""
    dumped = model.model_dump_json(by_alias=True, exclude_defaults=True, exclude={"reviews"})
    return hashlib.sha256(dumped.encode()).hexdigest()[:16]


def _one_piece_earlier(model: FactoryModel) -> str:
    """The earlier scheme's definition (every field, defaults and nulls included, but a field added since while no
    entry sets it), the plain way."""
    exclude: dict[str, Any] = {"reviews": True}
    for section, fields in loader.EARLIER_SCHEME_ABSENT.items():
        entries = getattr(model, section)
        unset = {
            name
            for name in fields
            if all(
                getattr(e, name) == type(e).model_fields[name].get_default(call_default_factory=True) for e in entries
            )
        }
        if unset:
            exclude[section] = {"__all__": unset}
    return hashlib.sha256(model.model_dump_json(by_alias=True, exclude=exclude).encode()).hexdigest()[:16]


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
    expected, earlier = _one_piece(model), _one_piece_earlier(model)
    assert expected != earlier
    assert (model_digest(model), earlier_model_digest(model)) == (expected, earlier)
    for chunk in (1, 2, 3):
        monkeypatch.setattr(loader, "_DIGEST_CHUNK", chunk)
        assert (model_digest(model), earlier_model_digest(model)) == (expected, earlier)


def test_the_earlier_scheme_is_the_digest_check_printed_before() -> None:
    """The figures the Annex A example and the lifecycle fixture had (check-en's and the JSON golden's before the change)."""
    assert earlier_model_digest(load_model(CURRENT)) == "ef60668034efc0f0"
    assert earlier_model_digest(load_model(LIFECYCLE)) == "d1713faaecd8255b"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_generated_models_digest_as_their_one_piece_json(model: FactoryModel) -> None:
    assert model_digest(model) == _one_piece(model)
    assert earlier_model_digest(model) == _one_piece_earlier(model)


class _LaterData(DataAttributes):
    """Data attributes as a later release might have them: new fields with each kind of default."""

    retention_days: int | None = None
    sources: list[str] = Field(default_factory=list)
    personal: bool = False
    handling: str = "standard"


class _LaterAsset(Asset):
    data: _LaterData | None = None
    owner_note: str | None = None
    tags: list[str] = Field(default_factory=list)
    exposure: Importance = Importance.LOW


class _LaterFactory(Factory):
    site_code: str | None = None
    shifts: int = 3


class _LaterModel(FactoryModel):
    """The model as a later release might read it: new optional fields at every level and a new section."""

    factory: _LaterFactory
    assets: list[_LaterAsset] = Field(default_factory=list)  # type: ignore[assignment]  # a later Asset
    audits: list[str] = Field(default_factory=list)
    owner: str | None = None


def test_a_field_a_later_release_adds_leaves_the_digest_alone() -> None:
    """A release that adds optional fields (None, an empty list, False, a fixed value) or a section keeps every digest.

    The digest hashed every field, nulls included, so data.derived_from (null when absent) changed the digest of
    every model with a data asset and every change review stopped counting after the upgrade.
    """
    model = load_model(CURRENT)
    later = _LaterModel.model_validate(model.model_dump(by_alias=True))
    assert model_digest(later) == model_digest(model)
    assert earlier_model_digest(later) != earlier_model_digest(model)  # the scheme before would have changed
    data_asset = next(index for index, asset in enumerate(model.assets) if asset.data)
    for update in ({"owner": "x"}, {"audits": ["a"]}):
        assert model_digest(later.model_copy(update=update)) != model_digest(model), update
    asset_updates: tuple[tuple[str, object], ...] = (
        ("owner_note", "x"),
        ("tags", ["t"]),
        ("exposure", Importance.HIGH),
    )
    for field, value in asset_updates:
        assets = list(later.assets)
        assets[0] = assets[0].model_copy(update={field: value})
        assert model_digest(later.model_copy(update={"assets": assets})) != model_digest(model), field
    data_updates: tuple[tuple[str, object], ...] = (
        ("retention_days", 30),
        ("sources", ["s"]),
        ("personal", True),
        ("handling", "strict"),
    )
    for field, value in data_updates:
        assets = list(later.assets)
        data = assets[data_asset].data
        assert data is not None
        assets[data_asset] = assets[data_asset].model_copy(update={"data": data.model_copy(update={field: value})})
        assert model_digest(later.model_copy(update={"assets": assets})) != model_digest(model), field


def test_lineage_absent_empty_and_listed_are_three_digests(tmp_path: Path) -> None:
    """derived_from absent (not known) and stated empty (made from nothing else) say different things."""
    text = (
        "factory: {id: f, name: F}\n"
        "zones: [{id: z, name: Z, kind: production}]\n"
        "assets:\n"
        "  - {id: orders, name: Orders, type: data, zone: z, data: {category: production}}\n"
        "  - {id: plan, name: Plan, type: data, zone: z, data: {category: production%s}}\n"
    )
    digests = set()
    for lineage in ("", ", derived_from: []", ", derived_from: [orders]"):
        path = tmp_path / "model.yaml"
        path.write_text(text % lineage, encoding="utf-8")
        digests.add(model_digest(load_model(path)))
    assert len(digests) == 3


def test_a_default_written_out_is_the_same_model(tmp_path: Path) -> None:
    """A value written equal to its default (status: existing, traits: [], location: factory) is the model without it."""
    plain = tmp_path / "plain.yaml"
    plain.write_text(
        "factory: {id: f, name: F}\n"
        "departments: [{id: d, name: D, kind: security}]\n"
        "zones: [{id: z, name: Z, kind: production}]\n"
        "assets: [{id: a, name: A, type: equipment, zone: z}]\n",
        encoding="utf-8",
    )
    spelt = tmp_path / "spelt.yaml"
    spelt.write_text(
        "factory: {id: f, name: F, review_interval_days: 365}\n"
        "departments: [{id: d, name: D, kind: security, location: factory}]\n"
        "zones: [{id: z, name: Z, kind: production, status: existing, operations: []}]\n"
        "assets: [{id: a, name: A, type: equipment, zone: z, traits: [], status: existing}]\n"
        "measures: []\n",
        encoding="utf-8",
    )
    assert load_model(spelt) == load_model(plain)
    assert model_digest(load_model(spelt)) == model_digest(load_model(plain))


def test_the_digest_docs_commands_shows_is_the_one_check_prints() -> None:
    shown = re.search(
        r"`examples/annex-a/current: valid — [^`]*\(digest ([0-9a-f]{16})\)`", COMMANDS_DOC.read_text(encoding="utf-8")
    )
    assert shown is not None
    assert shown.group(1) == model_digest(load_model(CURRENT))


@pytest.mark.parametrize(
    ("section", "changes"),
    [
        ("assets", {"procured": False, "supplier": "x"}),
        ("assets", {"data_separation": "encryption"}),
        ("conduits", {"instructions_from": "from"}),
    ],
)
def test_setting_a_field_the_earlier_scheme_lacked_is_a_change_to_it(section: str, changes: dict[str, Any]) -> None:
    # Left out of the earlier scheme's digest while no entry sets it (those builds had no such field); once set, the
    # earlier digest must differ, or a review recorded for the model before the change would still count after it.
    model = load_model(CURRENT)
    before = earlier_model_digest(model)
    entries = getattr(model, section)
    changed = model.model_copy(update={section: [entries[0].model_copy(update=changes), *entries[1:]]})
    assert earlier_model_digest(changed) != before
    assert earlier_model_digest(changed) == _one_piece_earlier(changed)
