"""assessment.json written a column at a time, shared objects once: byte for byte what ``model_dump_json(indent=2)`` gives.

The writer composes per-asset importance and checklists from pieces that
pydantic-core dumps per column and per distinct shared object, and dumps every
other piece nested at its depth (factorysec.report.json_out). These tests
compare it with pydantic's own text on every Annex A state, on generated
company models, on awkward strings and on shared, unshared and odd objects.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field

from factorysec.analysis import Assessment, analyze
from factorysec.analysis._build import assemble
from factorysec.analysis.importance import AXES, AssetImportance, Derived, ImportanceResult
from factorysec.catalog import Catalog, Text
from factorysec.model import FactoryModel, LoadedModel, load_model
from factorysec.model.entities import Importance
from factorysec.model.planfiles import Decision
from factorysec.report import json_out
from tests.plan_support import SMALL, threat_rule
from tests.report.conftest import EXAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_analysis  # noqa: E402

AWKWARD = (
    'quote " and \\ backslash',
    "controls \x01\x07\x08\t\n\x0b\x0c\r\x1b\x1f\x7f end",
    "emoji \U0001f3ed\U0001f600 outside the BMP",
    "line\u2028and\u2029paragraph separators",
    "工場のセキュリティ「対策」",
    "slash / and </script> and \\u0041",
    "percent %s %b %% and braces {}[]",
    "\u00e9\u0301 combining, \ufeff BOM, \ufffd replacement",
)
"""Strings that take every escaping path of JSON text, and ``%`` that a ``%``-template must not read."""


def _pydantic(assessment: Assessment) -> str:
    return assessment.model_dump_json(indent=2) + "\n"


def _check(assessment: Assessment) -> None:
    assert json_out.assessment_json(assessment) == _pydantic(assessment)


@pytest.fixture
def composed_chunks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The model names of the chunks that the composer wrote itself (rather than leaving them to pydantic-core)."""
    written: list[str] = []
    chunk = json_out._Composer.chunk

    def spy(self: json_out._Composer, items: Any, keys: Any, item_newline: bytes) -> bytes | None:
        body = chunk(self, items, keys, item_newline)
        if body is not None:
            written.append(self.model.__name__)
        return body

    monkeypatch.setattr(json_out._Composer, "chunk", spy)
    yield written


ANNEX_STATES = sorted(path.name for path in EXAMPLES.iterdir() if path.is_dir() or path.suffix == ".yaml")


@pytest.mark.parametrize("name", ANNEX_STATES)
def test_every_annex_a_state_is_pydantics_text(
    annex: Callable[[str], tuple[LoadedModel, Assessment]], name: str
) -> None:
    _check(annex(name)[1])


@pytest.mark.parametrize("chunk_items", [1, 3])
def test_annex_a_current_in_small_chunks_is_pydantics_text(
    annex: Callable[[str], tuple[LoadedModel, Assessment]],
    monkeypatch: pytest.MonkeyPatch,
    composed_chunks: list[str],
    chunk_items: int,
) -> None:
    monkeypatch.setattr(json_out, "CHUNK_ITEMS", chunk_items)
    _check(annex("current")[1])
    assert "AssetImportance" in composed_chunks


def test_plan_state_with_decisions_and_stale_decisions_is_pydantics_text(catalog: Catalog) -> None:
    rules = (threat_rule("T-STOP", "abnormal-control-shutdown", [("asset", "robot")]),)
    decisions = (
        Decision(finding="T-STOP@robot", status="in-progress", justification="fixing", owner="ot"),
        Decision(finding="OLD@x", status="accepted", justification="j", owner="o"),
    )
    assessment = analyze(load_model(SMALL), catalog, today=dt.date(2026, 1, 2), rules=rules, decisions=decisions)
    assert assessment.decisions and assessment.stale_decisions
    _check(assessment)


@pytest.mark.parametrize("topology", bench_analysis.TOPOLOGIES)
@pytest.mark.parametrize("assets", [300, 2000])
def test_generated_company_models_are_pydantics_text(
    tmp_path: Path,
    catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
    composed_chunks: list[str],
    topology: str,
    assets: int,
) -> None:
    bench_analysis.generate(tmp_path / "model", assets, topology=topology)
    assessment = analyze(load_model(tmp_path / "model"), catalog)
    _check(assessment)
    assert {"AssetImportance", "Checklist"} <= set(composed_chunks)
    monkeypatch.setattr(json_out, "CHUNK_ITEMS", 97)  # several chunks per list, the last one short
    _check(assessment)


def _awkward_model() -> FactoryModel:
    """Assets named, and answered about, with awkward strings; each gets a software and a cloud checklist."""
    assets = [
        {
            "id": f"a{i}",
            "name": name,
            "type": "software",
            "zone": "z",
            "traits": ["cloud"],
            "operations": [f"op{i % 3}"] if i % 4 else [],
        }
        for i, name in enumerate(AWKWARD)
    ]
    operations = [
        {"id": f"op{i}", "name": AWKWARD[-1 - i], "importance": level}
        for i, level in enumerate(("low", "high", "critical"))
    ]
    answers = [
        {
            "subject": f"a{i}",
            "item": "cloud.procurement.provider-reliability",
            "answer": ("yes", "no", "unknown")[i % 3],
            "note": name,
            "evidence": name[::-1],
        }
        for i, name in enumerate(AWKWARD)
        if i % 2
    ]
    return FactoryModel.model_validate(
        {
            "factory": {"id": "awkward", "name": AWKWARD[0]},
            "operations": operations,
            "zones": [{"id": "z", "name": AWKWARD[1], "kind": "office"}],
            "assets": assets,
            "checklist_answers": answers,
        }
    )


@pytest.mark.parametrize("chunk_items", [2, 2000])
def test_awkward_strings_in_names_and_notes_are_pydantics_text(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, composed_chunks: list[str], chunk_items: int
) -> None:
    monkeypatch.setattr(json_out, "CHUNK_ITEMS", chunk_items)
    assessment = analyze(_awkward_model(), catalog)
    text = json_out.assessment_json(assessment)
    assert text == _pydantic(assessment)
    assert "\\u0001" in text and "\U0001f3ed" in text and "\u2028" in text and "工場" in text
    assert {"AssetImportance", "Checklist"} <= set(composed_chunks)


class _SubDerived(Derived):
    """A rating of a subclass with a field of its own: pydantic-core writes only :class:`Derived`'s fields."""

    extra_note: str = "not written"


class _SubAssetImportance(AssetImportance):
    """An item of a subclass: the composer leaves its chunk to pydantic-core."""

    extra_note: str = "written by pydantic-core as it sees fit"


def _derived(level: Importance | None, reason: str, source_id: str | None = None) -> Derived:
    return Derived(
        level=level, source="operation" if source_id else "none", source_id=source_id, reason=Text(en=reason, ja=reason)
    )


def _odd_importance() -> ImportanceResult:
    """Per-asset importance mixing shared objects, equal but distinct ones, awkward strings, and items the composer must decline."""
    high = _derived(Importance.HIGH, AWKWARD[0], "op1")
    shared_ratings = dict.fromkeys(AXES, high)
    assets: dict[str, AssetImportance] = {}
    for i in range(12):
        key = f"{AWKWARD[i % len(AWKWARD)]} #{i}"
        if i % 3 == 0:
            assets[key] = AssetImportance(asset=key, ratings=shared_ratings, overall=high)
        elif i % 3 == 1:
            twin = _derived(Importance.HIGH, AWKWARD[0], "op1")
            assets[key] = AssetImportance(asset=key, ratings=dict.fromkeys(AXES, twin), overall=twin)
        else:
            own = {
                axis: _derived(level, f"{axis}: {AWKWARD[j]}", f"x{j}")
                for j, (axis, level) in enumerate(zip(AXES, (*Importance, None)))
            }
            assets[key] = AssetImportance(asset=key, ratings=own, overall=own["safety"])
    assets["subclass rating"] = AssetImportance(
        asset="s", ratings={}, overall=_SubDerived(level=None, source="none", reason=Text(en="e", ja="j"))
    )
    assets["subclass item"] = _SubAssetImportance(asset="t", ratings=shared_ratings, overall=high)
    assets["fields out of order"] = assemble(
        AssetImportance, {"overall": high, "asset": "u", "ratings": shared_ratings}
    )
    assets["shared again"] = AssetImportance(asset="v", ratings=shared_ratings, overall=high)
    return ImportanceResult(operations={}, assets=assets, zones={})


@pytest.mark.parametrize("chunk_items", [1, 4, 2000])
def test_shared_unshared_and_odd_items_are_pydantics_text(
    annex: Callable[[str], tuple[LoadedModel, Assessment]],
    monkeypatch: pytest.MonkeyPatch,
    composed_chunks: list[str],
    chunk_items: int,
) -> None:
    monkeypatch.setattr(json_out, "CHUNK_ITEMS", chunk_items)
    assessment = annex("current")[1].model_copy(update={"importance": _odd_importance()})
    _check(assessment)
    if chunk_items == 1:  # the chunks holding only a plain item are composed; the others are left to pydantic-core
        assert composed_chunks.count("AssetImportance") == len(assessment.importance.assets) - 2


def test_a_cache_keyed_on_less_than_identity_is_caught(
    annex: Callable[[str], tuple[LoadedModel, Assessment]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared-object cases above are fit to catch a wrong cache: with every object taken for the same one, the text differs.

    (In chunks of four, as a chunk holding an item the composer declines goes to pydantic-core whole.)
    """
    assessment = annex("current")[1].model_copy(update={"importance": _odd_importance()})
    monkeypatch.setattr(json_out, "CHUNK_ITEMS", 4)
    _check(assessment)
    monkeypatch.setattr(json_out, "id", lambda value: 0, raising=False)
    assert json_out.assessment_json(assessment) != _pydantic(assessment)


class _Aliased(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str = Field(serialization_alias="Name")


class _Configured(BaseModel):
    model_config = ConfigDict(frozen=True, ser_json_timedelta="float")
    name: str


@pytest.mark.parametrize("model", [_Aliased, _Configured])
def test_models_that_serialise_otherwise_are_not_composed(model: type[BaseModel]) -> None:
    with pytest.raises(TypeError):
        json_out._composer_for(model, frozenset(), None)
