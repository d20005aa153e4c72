"""The rules' shortcuts (walking only the devices and conduits a rule can fire on, skipping zones that cannot) change no finding.

Each generated model is analysed twice: by the rules as they are, and by the
same rules over a context whose shortcut subsets are the whole model (every
device, every linked conduit). Rules written out by hand for speed are also
compared with plain versions of themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factorysec.analysis import build_context, run_rules
from factorysec.analysis.context import AnalysisContext, Link
from factorysec.analysis.findings import Finding, text
from factorysec.analysis.rules import RULES, zoning_importance_spread, zoning_mixed_control, zoning_office_equipment
from factorysec.analysis.rules._common import zone_impact, zone_subject
from factorysec.catalog import load_catalog
from factorysec.catalog.vocabulary import words
from factorysec.model.entities import (
    Asset,
    AssetType,
    Conduit,
    ExternalNetwork,
    FactoryModel,
    Importance,
    Lifecycle,
    Trait,
    ZoneKind,
)
from tests.model.strategies import free_text

CATALOG = load_catalog()


@dataclass(frozen=True)
class Unfiltered(AnalysisContext):
    """A context whose shortcut subsets hold everything, so that every rule tests its predicate on every device and conduit."""

    def devices_with_traits(self, traits: frozenset[Trait]) -> dict[str, list[Asset]]:
        return self.devices

    @property
    def external_links(self) -> list[Link]:
        return self.linked_sides

    @property
    def fa_oa_links(self) -> list[Link]:
        return self.linked_sides

    @property
    def fa_oa_data_links(self) -> list[Link]:
        return self.linked_sides

    @property
    def control_links(self) -> list[Link]:
        return self.linked_sides

    @property
    def internal_links(self) -> list[Link]:
        return self.linked_sides

    @cached_property
    def external_devices(self) -> dict[str, list[Asset]]:
        return self.devices


def unfiltered(context: AnalysisContext) -> Unfiltered:
    return Unfiltered(
        **{name: getattr(context, name) for name in AnalysisContext.__dataclass_fields__ if name != "memo"}
    )


@st.composite
def mixed_models(draw: Any, name: st.SearchStrategy[str] = free_text) -> FactoryModel:
    """Small models where every rule has something to find: traits, parties, data, external zones and networks, zones that are not in the model."""
    zone_ids = [f"z{i}" for i in range(draw(st.integers(1, 5)))]
    places = [*zone_ids, "ghost"]
    zones = [
        {
            "id": z,
            "name": draw(name),
            "kind": draw(st.sampled_from(list(ZoneKind))).value,
            "parent": draw(st.none() | st.sampled_from(zone_ids[:i])) if i else None,
            "managed_by": draw(st.none() | st.just("p0")),
            "operations": draw(st.lists(st.sampled_from(["op0", "op1"]), max_size=2, unique=True)),
        }
        for i, z in enumerate(zone_ids)
    ]
    operations = [
        {"id": f"op{i}", "name": draw(name), "importance": draw(st.sampled_from(list(Importance))).value}
        for i in range(2)
    ]
    parties = [{"id": p, "name": draw(name), "kind": "equipment-vendor"} for p in ("p0", "p1")]
    assets = []
    for i in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(list(AssetType)))
        rating = draw(st.none() | st.sampled_from(list(Importance)))
        assets.append(
            {
                "id": f"a{i}",
                "name": draw(name),
                "type": kind.value,
                "zone": draw(st.none() | st.sampled_from(places)),
                "operations": draw(st.lists(st.sampled_from(["op0", "op1", "op9"]), max_size=2, unique=True)),
                "status": draw(st.sampled_from(list(Lifecycle))).value,
                "managed_by": draw(st.none() | st.sampled_from(["p0", "p1", "p9"])),
                "supplier": draw(st.none() | st.just("p1")),
                "traits": [t.value for t in draw(st.lists(st.sampled_from(list(Trait)), max_size=4, unique=True))],
                "importance": {"safety": rating.value} if rating else None,
                "data": {"disclosure": "internal"} if kind is AssetType.DATA else None,
            }
        )
    asset_ids = [a["id"] for a in assets]
    conduits = [
        {
            "id": f"c{i}",
            "from": draw(st.sampled_from(places)),
            "to": draw(st.sampled_from(places)),
            "direction": draw(st.sampled_from(["one-way", "two-way"])),
            "carries": draw(st.none() | st.just("data")),
            "data": draw(st.lists(st.sampled_from(asset_ids), max_size=2, unique=True)) if asset_ids else [],
            "from_assets": draw(st.lists(st.sampled_from(asset_ids), max_size=2, unique=True)) if asset_ids else [],
            "to_assets": draw(st.lists(st.sampled_from(asset_ids), max_size=2, unique=True)) if asset_ids else [],
            "via": draw(st.lists(st.sampled_from(asset_ids), max_size=2, unique=True)) if asset_ids else [],
            "controls": draw(st.lists(st.just("net-zone-boundary-filtering"), max_size=1)),
            "carries_control_instructions": draw(st.booleans()),
            "external_network": draw(st.sampled_from(list(ExternalNetwork))).value,
        }
        for i in range(draw(st.integers(0, 10)))
    ]
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "zones": zones,
            "operations": operations,
            "parties": parties,
            "assets": assets,
            "conduits": conduits,
        }
    )


def plain_importance_spread(context: AnalysisContext) -> Iterator[Finding]:
    for zone in context.model.zones:
        rated: list[tuple[Asset, Importance]] = []
        for asset in context.assets_in.get(zone.id, []):
            level = context.importance.asset_level(asset.id)
            if level is not None:
                rated.append((asset, level))
        if not rated:
            continue
        high = max(rated, key=lambda pair: pair[1].rank)
        low = min(rated, key=lambda pair: pair[1].rank)
        if high[1].rank - low[1].rank < zoning_importance_spread.SPREAD:
            continue
        yield zoning_importance_spread.RULE.finding(
            zone_subject(zone),
            text(
                f"'{zone.name}' holds '{high[0].name}' ({high[1].value}) and '{low[0].name}' ({low[1].value}); a zone needs one level of security, so move the lower ones out or protect all at the higher level",
                f"「{zone.name}」に「{high[0].name}」（{words('level', high[1].value).ja}）と「{low[0].name}」（{words('level', low[1].value).ja}）が同居する。ゾーンは同等の対策水準の範囲のため、低い方を移すか全体を高い水準で守る",
            ),
            related=[high[0].id, low[0].id],
        )


def plain_mixed_control(context: AnalysisContext) -> Iterator[Finding]:
    issuers = context.control_sources
    controls = [c for c in context.model.conduits if c.carries_control_instructions]

    def receivers(c: Conduit) -> list[str]:
        return c.from_assets if context.issued_at_to_end(c) else c.to_assets

    def issuing_and_receiving(c: Conduit) -> tuple[str, str]:
        return (c.to_zone, c.from_zone) if context.issued_at_to_end(c) else (c.from_zone, c.to_zone)

    from_elsewhere = {a for c in controls if c.from_zone != c.to_zone for a in receivers(c)}
    for zone in context.model.zones:
        if zone.kind.side == "external":
            continue  # the outside party's own site
        targets = sorted(
            {
                context.zone_name(receiving)
                for c in controls
                for issuing, receiving in [issuing_and_receiving(c)]
                if issuing == zone.id and receiving != zone.id
            }
        )
        if not targets:
            continue  # the issuers' instructions stay in the zone: one system
        inside = {a for c in controls if c.from_zone == c.to_zone == zone.id for a in receivers(c)}
        office = zoning_office_equipment.office_equipment(context) if zone.kind.side == "fa" else {}
        devices = [
            a
            for a in context.devices_in(zone.id)
            if Trait.BOUNDARY_DEVICE not in a.traits and Trait.HARD_WIRED not in a.traits
        ]
        controlled = {
            a.id
            for a in devices
            if (a.id in inside or a.component in zoning_mixed_control.FIELD_COMPONENTS) and a.id not in from_elsewhere
        }
        senders = [a for a in devices if a.id in issuers]
        others = [
            a
            for a in devices
            if a.id not in issuers
            and a.id not in controlled
            and a.id not in office
            and a.separation_exception is None
            and Trait.EXTERNAL_EQUIPMENT not in a.traits
        ]
        if not senders or not others:
            continue
        yield zoning_mixed_control.RULE.finding(
            zone_subject(zone),
            zoning_mixed_control.message(zone, senders, others, targets),
            related=[a.id for a in senders],
            impact=zone_impact(context, zone.id),
        )


def by_rule(findings: list[Finding]) -> Mapping[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in findings:
        found.setdefault(finding.rule, []).append(finding.model_dump_json())
    return found


RECEIVER_IN_ANOTHER_ZONE = FactoryModel.model_validate(
    {
        "factory": {"id": "f", "name": "F"},
        "zones": [{"id": z, "name": z, "kind": "production"} for z in ("z0", "z1", "z2")],
        "assets": [{"id": a, "name": a, "type": "external-service", "zone": "z2"} for a in ("a2", "a7")],
        "conduits": [
            {"id": "c0", "from": "z2", "to": "z0", "carries_control_instructions": True},
            {"id": "c1", "from": "z0", "to": "z0", "to_assets": ["a2"], "carries_control_instructions": True},
            {"id": "c2", "from": "z0", "to": "z1", "from_assets": ["a7"], "carries_control_instructions": True},
        ],
    }
)
"""Found by the property below (once in about 10,000 models): a7 in z2 issues control instructions, and a2 beside it,
which issues none, is named as the receiver of a control flow inside *z0* (a model ``check`` refuses: end assets of
another zone). ZONE-MIXED-CONTROL counted a2 as controlled within its zone, so z2 was not flagged."""

OUTSIDE_DATA_ON_AN_INTERNAL_CONTROL_LINK = FactoryModel.model_validate(
    {
        "factory": {"id": "f", "name": "F"},
        "zones": [{"id": z, "name": z, "kind": "production"} for z in ("z0", "z1")],
        "assets": [{"id": "a0", "name": "a0", "type": "external-service"}],
        "conduits": [
            {
                "id": "c0",
                "from": "z0",
                "to": "z0",
                "from_assets": ["a0"],
                "direction": "one-way",
                "external_network": "internet",
            },
            {
                "id": "c1",
                "from": "z0",
                "to": "z1",
                "direction": "two-way",
                "data": ["a0"],
                "carries_control_instructions": True,
            },
        ],
    }
)
"""Found by the property below: c1, between two zones of the factory, lists a0, which lives outside; the data that
came in from outside were said to be brought in by c1 when every conduit was tried as an external link (c1 is not
one), so THREAT-OUTSIDE-ORIGIN-CONTROL@c1's text named another entry than with the shortcut."""


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_models())
@example(RECEIVER_IN_ANOTHER_ZONE)
@example(OUTSIDE_DATA_ON_AN_INTERNAL_CONTROL_LINK)
def test_shortcuts_find_what_walking_everything_finds(model: FactoryModel) -> None:
    context = build_context(model, CATALOG)
    fast = run_rules(context, RULES)
    assert by_rule(fast) == by_rule(run_rules(unfiltered(context), RULES))
    assert by_rule(fast).get(zoning_importance_spread.RULE.id, []) == by_rule(
        list(plain_importance_spread(context))
    ).get(zoning_importance_spread.RULE.id, [])
    assert by_rule(fast).get(zoning_mixed_control.RULE.id, []) == by_rule(list(plain_mixed_control(context))).get(
        zoning_mixed_control.RULE.id, []
    )


def test_the_models_reach_every_shortcut() -> None:
    """The strategy can make each rule fire (else the comparison above would prove little).

    300 derandomized models: with the trait hard-wired among those drawn, the first 200 no longer made ZONE-MIXED-CONTROL
    fire (the draws shift with every enum value added)."""
    fired: set[str] = set()

    @settings(
        max_examples=300, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(mixed_models(st.just("n")))
    def collect(model: FactoryModel) -> None:
        fired.update(f.rule for f in run_rules(build_context(model, CATALOG), RULES))

    collect()
    # ZONE-MIXED-LOCATION takes no shortcut (it walks every zone's assets) and the strategy draws no locations;
    # the strategy draws no components nor separation exceptions, which the safety, office-equipment and shared-service
    # zoning rules need; their own fixtures in tests/fixtures/rules make them fire;
    # THREAT-AUTO-CONTROL-INSTRUCTIONS needs three control-side zones chained by data and control that no external network
    # touches (five in six conduits cross one here); its own fixtures in tests/fixtures/rules make it fire;
    # DATA-MIXED-RIGHTS-HOLDERS takes no shortcut (it walks the data each asset holds) and the strategy draws no rights
    # holders nor lifecycles; its own fixtures make it fire
    skipped = {
        "DATA-MIXED-RIGHTS-HOLDERS",
        "THREAT-INCIDENT-COORDINATION",
        "ZONE-DIVISIBLE-BY-OPERATION",
        "ZONE-MIXED-LOCATION",
        "THREAT-AUTO-CONTROL-INSTRUCTIONS",
        "ZONE-SAFETY-WITH-CONTROL",
        "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE",
        "ZONE-SHARED-SERVICE",
    }
    assert {rule.id for rule in RULES if rule.category in ("threat", "zoning")} - skipped <= fired
