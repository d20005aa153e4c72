"""Small helpers shared by rules: subjects, names and the impact sentence of a zone or conduit."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Literal

from factorysec.analysis._build import text_unchecked, unicode_ok
from factorysec.analysis.context import AnalysisContext, Link, MemoSlot
from factorysec.analysis.findings import Rule, Subject, new_subject, text
from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import words
from factorysec.model.entities import Asset, AssetType, Conduit, ExternalNetwork, Trait, Zone

if TYPE_CHECKING:
    from factorysec.analysis.findings import Finding


def zone_subject(zone: Zone) -> Subject:
    return new_subject("zone", zone.id)


def conduit_subject(conduit: Conduit) -> Subject:
    return new_subject("conduit", conduit.id)


def names(assets: Iterable[Asset]) -> str:
    return ", ".join(a.name for a in assets)


def zone_operations(context: AnalysisContext, zone_id: str) -> list[str]:
    """Names of the operations a zone carries out, its own and its assets', in model order. Callers must not change the list."""
    result = context.memo.get(_ZONE_OPERATIONS, zone_id)
    if result is None:
        result = context.memo.put(_ZONE_OPERATIONS, zone_id, _zone_operations(context, zone_id))
    return result


_ZONE_OPERATIONS: MemoSlot[str, list[str]] = MemoSlot("zone_operations")


def _zone_operations(context: AnalysisContext, zone_id: str) -> list[str]:
    ids = context.zone_operation_ids.get(zone_id)
    if ids is None:  # a zone not in the model: its assets' operations
        ids = dict.fromkeys(chain.from_iterable(map(_operations_of, context.assets_in.get(zone_id, ()))))
    operations = context.operations
    return [operations[o].name for o in ids if o in operations]


_operations_of = attrgetter("operations")


def zone_impact(context: AnalysisContext, zone_id: str) -> Text:
    """What is at stake in a zone: its importance and the operations that would suffer."""
    result = context.memo.get(_ZONE_IMPACT, zone_id)
    if result is None:
        result = context.memo.put(_ZONE_IMPACT, zone_id, _zone_impact(context, zone_id))
    return result


_ZONE_IMPACT: MemoSlot[str, Text] = MemoSlot("zone_impact")


def _zone_impact(context: AnalysisContext, zone_id: str) -> Text:
    level = context.importance.zone_level(zone_id)
    operations = zone_operations(context, zone_id)
    ops = ", ".join(operations) or "no named operation"
    ops_ja = "、".join(operations) or "業務の記載なし"
    importance = words("level", level.value) if level else _UNRATED
    return text(
        f"'{context.zone_name(zone_id)}' ({importance.en} importance): {ops} could be disrupted",
        f"「{context.zone_name(zone_id)}」（重要度 {importance.ja}）：{ops_ja}が影響を受けうる",
    )


_UNRATED = Text(en="unrated", ja="未評価")


def conduit_label_texts(context: AnalysisContext, conduit: Conduit) -> tuple[str, str]:
    """The English and Japanese labels of a conduit naming both zones."""
    source, target = context.zone_name(conduit.from_zone), context.zone_name(conduit.to_zone)
    if conduit.from_zone == conduit.to_zone:
        return f"the flow '{conduit.id}' inside '{source}'", f"「{source}」内のフロー「{conduit.id}」"
    return f"'{source}' → '{target}' ({conduit.id})", f"「{source}」→「{target}」（{conduit.id}）"


def carried(context: AnalysisContext, conduit: Conduit) -> str:
    """What a conduit carries: the names of its data assets (:meth:`~AnalysisContext.asset_name`), else its ``carries``, else "data"."""
    if not conduit.data:
        return conduit.carries or "data"
    assets = context.assets
    return ", ".join([assets[d].name if d in assets else d for d in conduit.data])


class ConduitWording:
    """The labels of conduits (see :func:`conduit_label_texts`) and what they carry (:func:`carried`), for one context.

    Tells with each whether all its parts are valid Unicode, the one check
    :func:`_build.text` makes of a rationale that :func:`plain_conduit_template`
    leaves: the conduit rules then build their rationales with
    :func:`text_unchecked`, checking each zone name once rather than every text
    that names it. Get it with :func:`conduit_wording`.
    """

    def __init__(self, context: AnalysisContext) -> None:
        self.context = context
        self.zones: dict[str, tuple[str, bool]] = {}

    def zone(self, zone_id: str) -> tuple[str, bool]:
        """The zone's name as labels show it, and whether it is valid Unicode."""
        known = self.zones.get(zone_id)
        if known is None:
            name = self.context.zone_name(zone_id)
            known = self.zones[zone_id] = (name, unicode_ok(name))
        return known

    def describe(self, conduit: Conduit) -> tuple[str, str, str, bool]:
        """The conduit's English and Japanese labels, what it carries, and whether all three are valid Unicode."""
        zones = self.zones
        from_zone, to_zone, conduit_id = conduit.from_zone, conduit.to_zone, conduit.id
        source, source_ok = zones.get(from_zone) or self.zone(from_zone)
        if from_zone == to_zone:
            label_en, label_ja = f"the flow '{conduit_id}' inside '{source}'", f"「{source}」内のフロー「{conduit_id}」"
            target_ok = True
        else:
            target, target_ok = zones.get(to_zone) or self.zone(to_zone)
            label_en, label_ja = f"'{source}' → '{target}' ({conduit_id})", f"「{source}」→「{target}」（{conduit_id}）"
        data = carried(self.context, conduit)
        return label_en, label_ja, data, source_ok and target_ok and unicode_ok(conduit_id) and unicode_ok(data)


def conduit_wording(context: AnalysisContext) -> ConduitWording:
    """The context's :class:`ConduitWording`, shared by the conduit rules."""
    wording = context.memo.get(_CONDUIT_WORDING, None)
    if wording is None:
        wording = context.memo.put(_CONDUIT_WORDING, None, ConduitWording(context))
    return wording


_CONDUIT_WORDING: MemoSlot[None, ConduitWording] = MemoSlot("conduit_wording")


def plain_conduit_template(template: str) -> bool:
    """Whether every rationale worded from ``template`` (with ``{conduit}`` and ``{data}``) is plain text once its parts are valid Unicode.

    That is: the template is valid Unicode and begins and ends with fixed text
    that is not whitespace, or begins with ``{conduit}`` (a label begins with a
    quote or a word). Such a rationale is never empty nor needs stripping.
    """
    return (
        unicode_ok(template)
        and template.strip() == template
        and not template.endswith("}")
        and (not template.startswith("{") or template.startswith("{conduit}"))
    )


def zones_with(
    context: AnalysisContext,
    predicate: Callable[[AnalysisContext, Asset], bool],
    among: Mapping[str, list[Asset]] | None = None,
) -> Iterator[tuple[Zone, list[Asset]]]:
    """Each zone with the devices in it that satisfy ``predicate`` (zones without any are skipped), in model order.

    ``among`` holds, per zone, the devices the predicate can hold for at all (a
    subset of :attr:`~AnalysisContext.devices` in model order, such as
    :meth:`~AnalysisContext.devices_with_traits`); by default every device.
    """
    candidates = context.devices if among is None else among
    if not candidates:
        return
    for zone in context.model.zones:
        devices = candidates.get(zone.id)
        if devices:
            matching = [a for a in devices if predicate(context, a)]
            if matching:
                yield zone, matching


def with_traits(*traits: Trait) -> Callable[[AnalysisContext], Mapping[str, list[Asset]]]:
    """For :func:`zone_threat_rule`: the devices that have one of ``traits`` or more, for a predicate that cannot hold without one."""
    wanted = frozenset(traits)

    def among(context: AnalysisContext) -> Mapping[str, list[Asset]]:
        return context.devices_with_traits(wanted)

    return among


def boundary_devices(context: AnalysisContext, conduit: Conduit) -> list[Asset]:
    """The boundary devices (firewall, VPN device...) a conduit passes, in the order of its ``via``."""
    assets = context.assets
    return [assets[a] for a in conduit.via if a in assets and Trait.BOUNDARY_DEVICE in assets[a].traits]


def run_by_outside_party(context: AnalysisContext, asset: Asset) -> str | None:
    """The outside party that runs a device: its own ``managed_by``, else that of the zone it sits in; None when the factory runs it."""
    if asset.managed_by is not None:
        return asset.managed_by
    zone = context.zones.get(asset.zone) if asset.zone else None
    return zone.managed_by if zone is not None else None


OUTSOURCED_OPERATOR = "outsourced-vendor"
"""The party kind of a vendor that builds, runs or maintains the factory's own system (Appendix 3.1.1 (3))."""


def run_for_factory(context: AnalysisContext, asset: Asset) -> bool:
    """Whether the party in the asset's ``managed_by`` runs it for the factory, as the outsourced operator of the factory's own equipment.

    Appendix 3.1.1 (3) counts the vendors who configure, operate and maintain the factory system among the
    factory's own stakeholders, and 3.3 (1)(i) answers too few staff with outsourcing: a small firm's router that a
    dealer leases and runs under contract is the firm's boundary, governed through that contract, not a partner's
    device the factory cannot ask its requirements of (Annex A case (ii) separates a service an external company runs).
    The model says so when the party is of kind ``outsourced-vendor``, names its ``contract``, and a responsibility for
    this asset is recorded with it (the division Annex A case (ii) step 3 asks to settle); the asset is the factory's
    equipment on its own side (neither an external service nor in an external zone). A vendor's or cloud provider's
    own device (an equipment vendor's cellular router) stays outside-run.
    """
    party_id = asset.managed_by
    if party_id is None or asset.type is AssetType.EXTERNAL_SERVICE:
        return False
    party = context.parties.get(party_id)
    if party is None or party.kind != OUTSOURCED_OPERATOR or not party.contract:
        return False
    if asset.zone is None or context.zone_sides.get(asset.zone) == "external":
        return False
    return (asset.id, party_id) in _responsible_pairs(context)


def _responsible_pairs(context: AnalysisContext) -> frozenset[tuple[str, str]]:
    """(subject, responsible) of every responsibility the model records, worked out once per run."""
    pairs = context.memo.get(_RESPONSIBLE_PAIRS, None)
    if pairs is None:
        pairs = context.memo.put(
            _RESPONSIBLE_PAIRS,
            None,
            frozenset((r.subject, r.responsible) for r in context.model.responsibilities),
        )
    return pairs


_RESPONSIBLE_PAIRS: MemoSlot[None, frozenset[tuple[str, str]]] = MemoSlot("responsible_pairs")


def responsibility_areas(context: AnalysisContext) -> Mapping[str, frozenset[str]]:
    """Per subject (asset, operation or party), the areas of responsibility the model records for it, worked out once
    per run; a subject with none is absent."""
    areas = context.memo.get(_RESPONSIBILITY_AREAS, None)
    if areas is None:
        found: dict[str, set[str]] = {}
        for responsibility in context.model.responsibilities:
            found.setdefault(responsibility.subject, set()).add(responsibility.area)
        areas = context.memo.put(
            _RESPONSIBILITY_AREAS, None, {subject: frozenset(held) for subject, held in found.items()}
        )
    return areas


_RESPONSIBILITY_AREAS: MemoSlot[None, Mapping[str, frozenset[str]]] = MemoSlot("responsibility_areas")


def has_boundary_device(context: AnalysisContext, conduit: Conduit) -> bool:
    """Whether a conduit passes a boundary device the factory itself runs, or has a filtering control in place.

    A firewall or VPN box managed by a vendor or cloud provider does not count
    (Appendix 3.2.2 Step 2-2 (1)(i)): the factory cannot decide what it lets
    through; see :func:`outside_boundary_devices`. One its outsourced operator
    runs for it under contract counts as its own (:func:`run_for_factory`).
    """
    if "net-zone-boundary-filtering" in conduit.controls:
        return True
    return any(
        run_by_outside_party(context, d) is None or run_for_factory(context, d)
        for d in boundary_devices(context, conduit)
    )


def outside_boundary_devices(context: AnalysisContext, conduit: Conduit) -> list[tuple[Asset, str]]:
    """The boundary devices on a conduit that an outside party runs (not for the factory), each with that party's id."""
    found = []
    for device in boundary_devices(context, conduit):
        party = run_by_outside_party(context, device)
        if party is not None and not run_for_factory(context, device):
            found.append((device, party))
    return found


def party_enclave(context: AnalysisContext, zone_id: str) -> str | None:
    """The outside party whose own corner of the site a zone of the factory is, or None.

    That is: the zone is not external and has no sub-zones, holds at least one asset, every asset in it (data too)
    is run by that one party (``managed_by``), and every conduit touching it stays inside it or joins it to an external
    zone that party manages. A utility's demand monitor alone in the cubicle, reaching only the utility's service:
    nothing of the factory's lies behind it and no route leads from it into the factory.
    """
    enclaves = context.memo.get(_ENCLAVES, None)
    if enclaves is None:
        enclaves = context.memo.put(_ENCLAVES, None, _party_enclaves(context))
    return enclaves.get(zone_id)


def _party_enclaves(context: AnalysisContext) -> dict[str, str]:
    sides = context.zone_sides
    found: dict[str, str] = {}
    for zone_id, assets in context.assets_in.items():
        if sides.get(zone_id) in (None, "external") or context.sub_zones.get(zone_id) or not assets:
            continue
        parties = {a.managed_by for a in assets}
        if len(parties) == 1 and None not in parties:
            (party,) = parties
            found[zone_id] = str(party)
    for conduit in context.model.conduits:
        for here, there in ((conduit.from_zone, conduit.to_zone), (conduit.to_zone, conduit.from_zone)):
            party = found.get(here)
            if party is None or there == here:
                continue
            zone = context.zones.get(there)
            if zone is None or sides.get(there) != "external" or zone.managed_by != party:
                del found[here]
    return found


_ENCLAVES: MemoSlot[None, dict[str, str]] = MemoSlot("party_enclaves")


def enclave_link(context: AnalysisContext, conduit: Conduit) -> bool:
    """Whether a conduit joins an outside party's own corner of the site (:func:`party_enclave`) to that party's own
    service: the party's device sending the party's records to the party, with nothing of the factory's at either end
    (the blasting contractor's vibration monitors and its monitoring service; a utility's demand monitor)."""
    return party_enclave(context, conduit.from_zone) is not None or party_enclave(context, conduit.to_zone) is not None


OutsideSites = Literal["skip", "carry", "keep"]
"""What a zone threat rule does with devices on a partner's own site (see :func:`zone_threat_rule`)."""


def _factory_zones_linked_to(context: AnalysisContext, external_zone: str) -> list[str]:
    """The zones of the factory (not external) joined to an external zone by a conduit either way, in model order of the conduits."""
    sides = context.zone_sides
    linked: dict[str, None] = {}
    for conduit, _, _ in context.external_links:  # every conduit with an external zone at either end is one of them
        if conduit.from_zone == external_zone and sides.get(conduit.to_zone) != "external":
            linked[conduit.to_zone] = None
        elif conduit.to_zone == external_zone and sides.get(conduit.from_zone) != "external":
            linked[conduit.from_zone] = None
    return list(linked)


def _threat_rule(
    rule_id: str,
    reference: str,
    title: Text,
    summary: Text,
    check: Callable[[AnalysisContext], Iterable[Finding]],
    threat_type: str,
    viewpoint: str,
    risk_matter: str | None,
    measures: tuple[str, ...],
    why: Text,
    false_positives: Text,
) -> Rule:
    """The threat rule that :func:`zone_threat_rule` and :func:`conduit_threat_rule` declare around their ``check``."""
    return Rule(
        id=rule_id,
        category="threat",
        reference=reference,
        title=title,
        summary=summary,
        check=check,
        threat_type=threat_type,
        viewpoint=viewpoint,
        risk_matter=risk_matter,
        measures=measures,
        why=why,
        false_positives=false_positives,
    )


def zone_threat_rule(
    *,
    rule_id: str,
    reference: str,
    title: Text,
    summary: Text,
    predicate: Callable[[AnalysisContext, Asset], bool],
    rationale_en: str,
    rationale_ja: str,
    threat_type: str,
    viewpoint: str,
    risk_matter: str | None,
    measures: tuple[str, ...],
    why: Text,
    false_positives: Text,
    among: Callable[[AnalysisContext], Mapping[str, list[Asset]]] | None = None,
    outside_sites: OutsideSites = "skip",
    fit_measures: bool = False,
) -> Rule:
    """A threat rule that fires once per zone holding devices that satisfy ``predicate``.

    ``why`` and ``false_positives`` are the rule's (see :class:`~factorysec.rulebook.RuleInfo`).
    The rationale templates get ``{zone}`` and ``{assets}``. ``among`` gives,
    per zone, the only devices the predicate can hold for (see :func:`zones_with`,
    :func:`with_traits`); the rule then tests those alone.

    A threat applies to the factory's side of an external link, not to the
    partner's own site (Appendix 3.1.7: threats inside each zone and between
    zones of the factory system). ``outside_sites`` says what becomes of devices
    in an external zone: ``skip`` leaves them out, ``carry`` reports them on each
    zone of the factory linked to that external zone (named with the site they
    sit at), ``keep`` reports them on the external zone itself (for a rule about
    the outside system as such). ``fit_measures`` narrows each finding's
    measures to those that fit its devices and the parties that run them
    (:func:`fitting_measures`).
    """

    def check(context: AnalysisContext) -> Iterator[Finding]:
        found: dict[
            str, tuple[list[Asset], list[tuple[Asset, str]]]
        ] = {}  # per zone: its own devices, those carried in
        sides = context.zone_sides
        for zone, assets in zones_with(context, predicate, None if among is None else among(context)):
            if sides.get(zone.id) != "external" or outside_sites == "keep":
                found.setdefault(zone.id, ([], []))[0].extend(assets)
                continue
            if outside_sites == "skip":
                continue
            for inside in _factory_zones_linked_to(context, zone.id):
                found.setdefault(inside, ([], []))[1].extend((a, zone.name) for a in assets)
        for zone in context.model.zones:
            entry = found.get(zone.id)
            if entry is None:
                continue
            own, carried = entry
            assets = [*own, *(a for a, _ in carried)]
            listed = ", ".join([a.name for a in own] + [f"{a.name} ('{site}')" for a, site in carried])
            finding = rule.finding(
                zone_subject(zone),
                text(
                    rationale_en.format(zone=zone.name, assets=listed),
                    rationale_ja.format(zone=zone.name, assets=listed),
                ),
                related=list(dict.fromkeys(a.id for a in assets)),
                impact=zone_impact(context, zone.id),
            )
            if fit_measures:
                finding = fit_finding(
                    context, finding, assets, [p for a in assets if (p := run_by_outside_party(context, a))]
                )
            yield finding

    rule = _threat_rule(
        rule_id, reference, title, summary, check, threat_type, viewpoint, risk_matter, measures, why, false_positives
    )
    return rule


def with_more_findings(base: Rule, more: Callable[[AnalysisContext, Rule], Iterable[Finding]]) -> Rule:
    """``base`` (its id, metadata and findings) whose check also yields ``more``'s, which ``more`` makes with the rule
    returned: one rule with a second kind of subject (THREAT-EXTERNAL-DATA's data assets kept outside beside its
    conduits, THREAT-FA-DATA-IN-OA's relayed conduits beside its direct ones)."""

    def check(context: AnalysisContext) -> Iterator[Finding]:
        yield from base.check(context)
        yield from more(context, rule)

    rule = dataclasses.replace(base, check=check)
    return rule


def conduit_threat_rule(
    *,
    rule_id: str,
    reference: str,
    title: Text,
    summary: Text,
    predicate: Callable[[AnalysisContext, Conduit, str, str], bool],
    rationale_en: str,
    rationale_ja: str,
    threat_type: str,
    viewpoint: str,
    risk_matter: str | None,
    measures: tuple[str, ...],
    why: Text,
    false_positives: Text,
    among: Callable[[AnalysisContext], list[Link]] | None = None,
) -> Rule:
    """A threat rule that fires once per conduit (or flow) satisfying ``predicate``.

    ``predicate`` gets the context, the conduit and the sides of its sending and
    receiving zones. The rationale templates get ``{conduit}`` (a label naming
    both zones) and ``{data}``; the impact is that of the receiving zone.
    ``among`` gives the only conduits the predicate can hold for (a subset of
    :attr:`~AnalysisContext.linked_sides` in model order, such as
    :attr:`~AnalysisContext.external_links`); by default every linked conduit.
    """
    plain_templates = plain_conduit_template(rationale_en) and plain_conduit_template(rationale_ja)

    def check(context: AnalysisContext) -> Iterator[Finding]:
        describe = conduit_wording(context).describe
        impacts: dict[str, Text] = {}  # by receiving zone: many conduits share one
        for conduit, source, target in context.linked_sides if among is None else among(context):
            if not predicate(context, conduit, source, target):
                continue
            label_en, label_ja, data, valid = describe(conduit)
            en, ja = rationale_en.format(conduit=label_en, data=data), rationale_ja.format(conduit=label_ja, data=data)
            to_zone = conduit.to_zone
            impact = impacts.get(to_zone)
            if impact is None:
                impact = impacts[to_zone] = zone_impact(context, to_zone)
            yield rule.finding(
                conduit_subject(conduit),
                text_unchecked(en, ja) if valid and plain_templates else text(en, ja),
                related=[conduit.from_zone, to_zone, *conduit.data],
                impact=impact,
            )

    rule = _threat_rule(
        rule_id, reference, title, summary, check, threat_type, viewpoint, risk_matter, measures, why, false_positives
    )
    return rule


_FA_OA = frozenset({("fa", "oa"), ("oa", "fa")})


def joins_fa_oa(source: str, target: str) -> bool:
    """Whether the zone sides of a conduit's two ends are the control (FA) and the office (OA) side, either way round."""
    return (source, target) in _FA_OA


def is_external_link(conduit: Conduit, source: str, target: str) -> bool:
    """Whether a conduit crosses an external network or has an external zone at either end (``source``, ``target``: the sides of its zones)."""
    return conduit.external_network is not ExternalNetwork.NONE or source == "external" or target == "external"


def external_links(context: AnalysisContext) -> list[Link]:
    """For :func:`conduit_threat_rule`: the conduits for which :func:`is_external_link` holds."""
    return context.external_links


def fa_oa_links(context: AnalysisContext) -> list[Link]:
    """For :func:`conduit_threat_rule`: the conduits for which :func:`joins_fa_oa` holds."""
    return context.fa_oa_links


def fa_oa_data_links(context: AnalysisContext) -> list[Link]:
    """For :func:`conduit_threat_rule`: the conduits for which :func:`joins_fa_oa` holds that carry data assets."""
    return context.fa_oa_data_links


def control_links(context: AnalysisContext) -> list[Link]:
    """For :func:`conduit_threat_rule`: the conduits that carry control instructions."""
    return context.control_links


def external_devices(context: AnalysisContext) -> Mapping[str, list[Asset]]:
    """For :func:`zone_threat_rule`: the devices for which :meth:`AnalysisContext.is_external` holds."""
    return context.external_devices


CONTROL_ROLE_KINDS = frozenset({"production-control", "engineering"})
"""Zone kinds whose role is to issue control instructions to the field (Step 1-6: zones tied to operations)."""


def party_or_department_name(context: AnalysisContext, element_id: str) -> str:
    """The display name of a party or department, else the id itself."""
    party = context.parties.get(element_id)
    if party is not None:
        return party.name
    for department in context.model.departments:
        if department.id == element_id:
            return department.name
    return element_id


def measure_in_place(context: AnalysisContext, measure: str, zone_id: str) -> bool:
    """Whether a measure is implemented (fully) on a zone, one of its parents, or factory-wide."""
    for target in (*context.zone_and_ancestors(zone_id), ""):
        for applied in context.measures_on(target):
            if applied.measure == measure and applied.status == "implemented":
                return True
    return False


COUNTERPART_CATEGORIES = frozenset({"cloud", "hardware", "software"})
"""Measure categories tied to one kind of counterpart: a cloud service, equipment, software (Appendix 3.2.2 (1)(i)-(ii))."""


def _asset_categories(asset: Asset) -> set[str]:
    found = set()
    if asset.type is AssetType.EXTERNAL_SERVICE or Trait.CLOUD in asset.traits:
        found.add("cloud")
    if asset.type is AssetType.EQUIPMENT:
        found.add("hardware")
    if asset.type is AssetType.SOFTWARE or Trait.OSS in asset.traits:
        found.add("software")
    return found


def fitting_measures(
    context: AnalysisContext, measures: tuple[str, ...], assets: Iterable[Asset], parties: Iterable[str]
) -> tuple[str, ...]:
    """The ``measures`` that fit the assets concerned and the role of the parties involved (#23 item 5).

    A cloud measure is asked only about a cloud or external service, a hardware measure about equipment, a software
    measure about software; and only of a party whose kind takes that category (catalog ``party_kinds``: an equipment
    vendor is not asked for cloud service levels, a customer for none of them). Measures of the other categories
    (network, data, physical, operation) are the factory's own and always kept. No asset or no party named: no limit.
    """
    categories = set(COUNTERPART_CATEGORIES)
    listed = list(assets)
    if listed:
        categories &= set().union(*map(_asset_categories, listed))
    kinds = context.catalog.party_kinds
    named = [context.parties[p] for p in dict.fromkeys(parties) if p in context.parties]
    if named:
        categories &= set().union(
            *(set(kinds[p.kind].measure_categories) if p.kind in kinds else COUNTERPART_CATEGORIES for p in named)
        )
    catalog = context.catalog.measures
    return tuple(
        m
        for m in measures
        if m not in catalog or catalog[m].category not in COUNTERPART_CATEGORIES or catalog[m].category in categories
    )


def fit_finding(context: AnalysisContext, finding: Finding, assets: Iterable[Asset], parties: Iterable[str]) -> Finding:
    """``finding`` asking only the measures that fit (see :func:`fitting_measures`)."""
    fitted = fitting_measures(context, finding.measures, assets, parties)
    return finding if fitted == finding.measures else finding.model_copy(update={"measures": fitted})
