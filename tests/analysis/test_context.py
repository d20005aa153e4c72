"""The context's conduit subsets (one pass over the conduits) hold exactly what each walk over every conduit would keep."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorysec.analysis import build_context
from factorysec.analysis.context import _FA_OA
from factorysec.catalog import load_catalog
from factorysec.analysis.rules._common import zone_operations
from factorysec.model.entities import Asset, AssetType, ExternalNetwork, FactoryModel, Trait
from tests.analysis.test_rules_shortcuts import mixed_models

CATALOG = load_catalog()


@st.composite
def models_with_repeated_conduits(draw: Any) -> FactoryModel:
    """Mixed models with a conduit id given twice (code can build that; the last conduit of an id is the one looked up)."""
    model: FactoryModel = draw(mixed_models())
    if model.conduits:
        copy = model.conduits[draw(st.integers(0, len(model.conduits) - 1))].model_copy(update={"carries_control_instructions": draw(st.booleans())})
        model = model.model_copy(update={"conduits": [*model.conduits, copy]})
    return model


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_models() | models_with_repeated_conduits())
def test_conduit_subsets_equal_plain_filters(model: FactoryModel) -> None:
    context = build_context(model, CATALOG)
    conduits = model.conduits
    none = ExternalNetwork.NONE
    assert context.between_zones == [c for c in conduits if c.from_zone != c.to_zone]
    assert context.over_external_networks == [c for c in conduits if c.external_network is not none]
    sides = {z.id: z.kind.side for z in model.zones}
    linked = [(c, sides[c.from_zone], sides[c.to_zone]) for c in conduits if c.from_zone in sides and c.to_zone in sides]
    assert context.linked_sides == linked
    assert context.external_links == [(c, s, t) for c, s, t in linked if c.external_network is not none or "external" in (s, t)]
    assert context.fa_oa_links == [(c, s, t) for c, s, t in linked if (s, t) in _FA_OA]
    assert context.fa_oa_data_links == [(c, s, t) for c, s, t in linked if (s, t) in _FA_OA and c.data]
    assert context.control_links == [(c, s, t) for c, s, t in linked if c.carries_control_instructions]
    assert context.control_between_zones == [c for c in conduits if c.carries_control_instructions and c.from_zone != c.to_zone]
    assert context.conduits == {c.id: c for c in conduits}
    unclassified = replace(context, conduit_classes=None, memo={})
    for name in ("between_zones", "control_between_zones", "over_external_networks", "external_links", "fa_oa_links", "fa_oa_data_links", "control_links"):
        assert getattr(unclassified, name) == getattr(context, name)
    issuers = {a.id for a in model.assets if Trait.ISSUES_CONTROL_INSTRUCTIONS in a.traits}
    issuers.update(a for c in conduits if c.carries_control_instructions and c.from_zone != c.to_zone for a in c.from_assets)
    assert context.control_sources == issuers


def test_the_generated_models_hold_every_kind_of_conduit() -> None:
    seen: set[str] = set()

    @settings(max_examples=200, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(mixed_models())
    def collect(model: FactoryModel) -> None:
        context = build_context(model, CATALOG)
        for name in ("between_zones", "over_external_networks", "external_links", "fa_oa_links", "fa_oa_data_links", "control_links"):
            if getattr(context, name):
                seen.add(name)
        if any(c.from_zone == c.to_zone for c in model.conduits):
            seen.add("inside a zone")
        if any(c.from_zone not in context.zones or c.to_zone not in context.zones for c in model.conduits):
            seen.add("dangling")

    collect()
    assert seen == {"between_zones", "over_external_networks", "external_links", "fa_oa_links", "fa_oa_data_links", "control_links", "inside a zone", "dangling"}


@st.composite
def models_with_repeated_zones(draw: Any) -> FactoryModel:
    """Mixed models, some with a zone id given twice (code can build that; the last zone of an id is the one looked up)."""
    model: FactoryModel = draw(mixed_models())
    if model.zones and draw(st.booleans()):
        copy = model.zones[draw(st.integers(0, len(model.zones) - 1))].model_copy(update={"operations": draw(st.lists(st.sampled_from(["op0", "op1", "op9"]), max_size=2))})
        model = model.model_copy(update={"zones": [*model.zones, copy]})
    return model


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models_with_repeated_zones(), st.lists(st.frozensets(st.sampled_from(list(Trait)), max_size=3), max_size=4))
def test_zone_groups_equal_plain_filters(model: FactoryModel, trait_sets: list[frozenset[Trait]]) -> None:
    context = build_context(model, CATALOG)
    data, service = AssetType.DATA, AssetType.EXTERNAL_SERVICE
    in_zone: dict[str, list[Asset]] = {}
    for asset in model.assets:
        if asset.zone:
            in_zone.setdefault(asset.zone, []).append(asset)
    devices = {z: [a for a in assets if a.type is not data] for z, assets in in_zone.items()}
    devices = {z: found for z, found in devices.items() if found}
    assert list(context.devices.items()) == list(devices.items())
    traited = {z: [a for a in found if a.traits] for z, found in devices.items()}
    assert list(context._devices_with_any_trait.items()) == [(z, found) for z, found in traited.items() if found]
    for traits in [*trait_sets, *(frozenset({t}) for t in Trait), frozenset()]:
        with_traits = {z: [a for a in found if not traits.isdisjoint(a.traits)] for z, found in devices.items()}
        assert list(context.devices_with_traits(traits).items()) == [(z, found) for z, found in with_traits.items() if found]
    external = {z: [a for a in found if a.managed_by is not None or a.type is service] for z, found in devices.items()}
    assert list(context.external_devices.items()) == [(z, found) for z, found in external.items() if found]
    zones = {zone.id: zone for zone in model.zones}
    expected = {z: list(dict.fromkeys([*zone.operations, *(o for a in in_zone.get(z, []) for o in a.operations)])) for z, zone in zones.items()}
    assert {z: list(ids) for z, ids in context.zone_operation_ids.items()} == expected
    operations = {op.id: op.name for op in model.operations}
    for zone_id in [*zones, *in_zone, "nowhere"]:
        own = zones[zone_id].operations if zone_id in zones else []
        ids = dict.fromkeys([*own, *(o for a in in_zone.get(zone_id, []) for o in a.operations)])
        assert zone_operations(context, zone_id) == [operations[o] for o in ids if o in operations]
