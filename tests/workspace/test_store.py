"""The element store: lossless import/export, validation by the model's own check, history, snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.model import load_model, model_digest
from factorysec.model.loader import load_model_with_sources
from factorysec.workspace.factories.models import Element, ElementVersion, Factory
from factorysec.workspace.factories.store import (
    StoreError,
    create_snapshot,
    delete_element,
    export_yaml,
    factory_model,
    import_model,
    save_element,
    snapshot_model,
)
from tests.workspace.conftest import ANNEX_A, ROOT

EXAMPLES = [ANNEX_A, *sorted((ROOT / "examples" / "annex-a").glob("*.yaml"))]


@pytest.mark.django_db
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_round_trips_through_the_store_and_yaml(path: Path, tmp_path: Path) -> None:
    model = load_model(path)
    factory = Factory.objects.create(slug="f", name="f")
    import_model(factory, model)
    assert factory_model(factory) == model
    exported = tmp_path / "exported.yaml"
    exported.write_text(export_yaml(factory), encoding="utf-8")
    again = load_model(exported)
    assert again == model
    assert model_digest(again) == model_digest(model)


@pytest.mark.django_db
def test_importing_the_same_model_again_writes_no_version(annex_a: Factory) -> None:
    before = ElementVersion.objects.count()
    assert import_model(annex_a, load_model(ANNEX_A)) == 0
    assert ElementVersion.objects.count() == before


@pytest.mark.django_db
def test_import_of_another_model_versions_changed_and_deletes_missing(annex_a: Factory) -> None:
    model = load_model(ANNEX_A)
    smaller = model.model_copy(update={"conduits": model.conduits[1:]})
    gone = model.conduits[0].id
    changed = import_model(annex_a, smaller)
    row = Element.objects.get(factory=annex_a, section="conduits", key=gone)
    assert row.payload is None and row.version == 2
    assert changed >= 1
    assert factory_model(annex_a) == smaller


def _asset(factory: Factory, key: str) -> dict[str, object]:
    payload = Element.objects.get(factory=factory, section="assets", key=key).payload
    assert isinstance(payload, dict)
    return dict(payload)


@pytest.mark.django_db
def test_an_asset_in_an_unknown_zone_is_refused_with_the_checks_message_on_the_field(annex_a: Factory) -> None:
    key = factory_model(annex_a).assets[0].id
    payload = _asset(annex_a, key) | {"zone": "no-such-zone"}
    with pytest.raises(StoreError) as refused:
        save_element(annex_a, "assets", key, payload)
    on_target = refused.value.on_target()
    assert [(p.field, p.key) for p in on_target] == [("zone", key)]
    assert "no-such-zone" in on_target[0].message
    assert Element.objects.get(factory=annex_a, section="assets", key=key).version == 1


@pytest.mark.django_db
def test_same_message_as_factorysec_check(annex_a: Factory, tmp_path: Path) -> None:
    """The store's refusal and the CLI's check give the same message for the same mistake."""
    key = factory_model(annex_a).assets[0].id
    with pytest.raises(StoreError) as refused:
        save_element(annex_a, "assets", key, _asset(annex_a, key) | {"zone": "no-such-zone"})
    broken = factory_model(annex_a).model_dump(mode="json", by_alias=True, exclude_defaults=True)
    broken["assets"][0]["zone"] = "no-such-zone"
    import yaml

    (tmp_path / "m.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    from factorysec.model import ModelInputError

    with pytest.raises(ModelInputError) as cli:
        load_model_with_sources(tmp_path / "m.yaml")
    assert [p.message for p in cli.value.problems] == [p.message for p in refused.value.problems]


@pytest.mark.django_db
def test_a_wrong_type_is_refused_on_its_field(annex_a: Factory) -> None:
    key = factory_model(annex_a).assets[0].id
    with pytest.raises(StoreError) as refused:
        save_element(annex_a, "assets", key, _asset(annex_a, key) | {"type": "robot"})
    assert [p.field for p in refused.value.on_target()] == ["type"]
    assert "expected one of" in refused.value.on_target()[0].message


@pytest.mark.django_db
def test_an_edit_keeps_history_and_a_snapshot_keeps_the_old_model(annex_a: Factory) -> None:
    snapshot = create_snapshot(annex_a, "before")
    before = factory_model(annex_a)
    key = before.assets[0].id
    save_element(annex_a, "assets", key, _asset(annex_a, key) | {"description": "edited"}, comment="why")
    row = Element.objects.get(factory=annex_a, section="assets", key=key)
    assert row.version == 2
    assert [(v.version, v.comment) for v in row.versions.all()] == [(2, "why"), (1, "test load")]
    assert factory_model(annex_a).assets[0].description == "edited"
    assert snapshot_model(snapshot) == before
    assert snapshot.digest == model_digest(before)


@pytest.mark.django_db
def test_deleting_a_zone_that_assets_use_is_refused_and_an_unused_one_is_not(annex_a: Factory) -> None:
    model = factory_model(annex_a)
    used = model.assets[0].zone
    assert used is not None
    with pytest.raises(StoreError) as refused:
        delete_element(annex_a, "zones", used)
    assert any(p.section == "assets" and p.field == "zone" for p in refused.value.elsewhere())
    save_element(annex_a, "zones", None, {"id": "spare", "name": "Spare", "kind": "other"})
    delete_element(annex_a, "zones", "spare")
    assert "spare" not in {z.id for z in factory_model(annex_a).zones}
    save_element(annex_a, "zones", None, {"id": "spare", "name": "Spare again", "kind": "other"})
    assert [z.name for z in factory_model(annex_a).zones if z.id == "spare"] == ["Spare again"]


@pytest.mark.django_db
def test_a_duplicate_id_is_refused(annex_a: Factory) -> None:
    existing = factory_model(annex_a).zones[0]
    with pytest.raises(StoreError) as refused:
        save_element(annex_a, "zones", None, {"id": existing.id, "name": "Copy", "kind": "other"})
    assert refused.value.problems


@pytest.mark.django_db
def test_renaming_an_element_keeps_its_history(annex_a: Factory) -> None:
    save_element(annex_a, "operations", None, {"id": "spare-op", "name": "Spare", "importance": "low"})
    row = save_element(annex_a, "operations", "spare-op", {"id": "renamed-op", "name": "Spare", "importance": "low"})
    assert row.key == "renamed-op"
    assert [v.version for v in row.versions.all()] == [2, 1]
    assert "renamed-op" in {op.id for op in factory_model(annex_a).operations}
