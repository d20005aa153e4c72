"""The context's conduit subsets (one pass over the conduits) hold exactly what each walk over every conduit would keep."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from factorysec.analysis import build_context
from factorysec.analysis.context import _FA_OA
from factorysec.catalog import load_catalog
from factorysec.model.entities import ExternalNetwork, FactoryModel, Trait
from tests.analysis.test_rules_shortcuts import mixed_models

CATALOG = load_catalog()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_models())
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
    assert context.control_links == [(c, s, t) for c, s, t in linked if c.carries_control_instructions]
    issuers = {a.id for a in model.assets if Trait.ISSUES_CONTROL_INSTRUCTIONS in a.traits}
    issuers.update(a for c in conduits if c.carries_control_instructions and c.from_zone != c.to_zone for a in c.from_assets)
    assert context.control_sources == issuers


def test_the_generated_models_hold_every_kind_of_conduit() -> None:
    seen: set[str] = set()

    @settings(max_examples=200, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(mixed_models())
    def collect(model: FactoryModel) -> None:
        context = build_context(model, CATALOG)
        for name in ("between_zones", "over_external_networks", "external_links", "fa_oa_links", "control_links"):
            if getattr(context, name):
                seen.add(name)
        if any(c.from_zone == c.to_zone for c in model.conduits):
            seen.add("inside a zone")
        if any(c.from_zone not in context.zones or c.to_zone not in context.zones for c in model.conduits):
            seen.add("dangling")

    collect()
    assert seen == {"between_zones", "over_external_networks", "external_links", "fa_oa_links", "control_links", "inside a zone", "dangling"}
