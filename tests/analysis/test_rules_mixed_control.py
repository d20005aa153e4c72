"""ZONE-MIXED-CONTROL finds what it found walking every asset for issuers (the analysis refuses repeated asset ids before any rule runs)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings

from factorysec.analysis import build_context
from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding
from factorysec.analysis.rules import zoning_mixed_control
from factorysec.analysis.rules._common import zone_impact, zone_subject
from factorysec.analysis.rules.zoning_office_equipment import office_equipment
from factorysec.catalog import load_catalog
from factorysec.model.entities import FactoryModel, Trait
from tests.analysis.conduit_groups import conduits_from
from tests.analysis.test_rules_shortcuts import mixed_models

CATALOG = load_catalog()


def walking_every_asset(context: AnalysisContext) -> Iterator[Finding]:
    """The rule as it was: issuers are ``control_sources``, zones are those the issuers' ids look up to, targets from the conduits out of each zone."""
    issuers = context.control_sources
    assets = context.assets
    holding = {assets[i].zone for i in issuers if i in assets}
    controlled = zoning_mixed_control._controlled_in_zone(context)
    out_of = conduits_from(context.model)
    for zone in context.model.zones:
        targets = sorted(
            {
                context.zone_name(c.to_zone)
                for c in out_of.get(zone.id, [])
                if c.carries_control_instructions and c.to_zone != zone.id
            }
        )
        if zone.id not in holding or not targets:
            continue  # a controller whose instructions stay in its zone is one system with its devices (#23 item 3)
        devices = [
            a
            for a in context.devices_in(zone.id)
            if Trait.BOUNDARY_DEVICE not in a.traits and Trait.HARD_WIRED not in a.traits
        ]
        office = office_equipment(context) if zone.kind.side == "fa" else {}
        senders = [a for a in devices if a.id in issuers]
        others = [a for a in devices if a.id not in issuers and a.id not in controlled and a.id not in office]
        if not senders or not others:
            continue
        yield zoning_mixed_control.RULE.finding(
            zone_subject(zone),
            zoning_mixed_control.message(zone, senders, others, targets),
            related=[a.id for a in senders],
            impact=zone_impact(context, zone.id),
        )


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_models())
def test_mixed_control_equals_walking_every_asset(model: FactoryModel) -> None:
    context = build_context(model, CATALOG)
    found = [f.model_dump_json() for f in zoning_mixed_control.check(context)]
    assert found == [f.model_dump_json() for f in walking_every_asset(context)]


def _model(assets: list[dict[str, object]]) -> FactoryModel:
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "zones": [
                {"id": "z0", "name": "Cell", "kind": "production"},
                {"id": "z1", "name": "Line", "kind": "production"},
            ],
            "assets": assets,
            "conduits": [
                {"id": "c0", "from": "z0", "to": "z1", "carries_control_instructions": True, "from_assets": ["a2"]}
            ],
        }
    )


ISSUER: dict[str, object] = {
    "id": "a0",
    "name": "CAD",
    "type": "software",
    "zone": "z0",
    "traits": ["issues-control-instructions"],
}
OTHER: dict[str, object] = {"id": "a1", "name": "PC", "type": "equipment", "zone": "z0"}
SENDER: dict[str, object] = {"id": "a2", "name": "Server", "type": "equipment", "zone": "z0"}


@pytest.mark.parametrize(
    ("assets", "fires"),
    [
        ([ISSUER, OTHER], True),
        ([SENDER, OTHER], True),
        ([ISSUER, SENDER], False),
    ],
)
def test_issuers_by_trait_or_by_sending(assets: list[dict[str, object]], fires: bool) -> None:
    context = build_context(_model(assets), CATALOG)
    found = [f.model_dump_json() for f in zoning_mixed_control.check(context)]
    assert found == [f.model_dump_json() for f in walking_every_asset(context)]
    assert bool(found) is fires


def test_the_text_agrees_with_one_issuer_or_several() -> None:
    one = next(zoning_mixed_control.check(build_context(_model([ISSUER, OTHER]), CATALOG)))
    assert "CAD issues control instructions to Line while PC does not;" in one.rationale.en
    two = next(
        zoning_mixed_control.check(build_context(_model([ISSUER, SENDER, OTHER, OTHER | {"id": "a3"}]), CATALOG))
    )
    assert " issue control instructions to Line while " in two.rationale.en
    assert " do not;" in two.rationale.en
