"""ZONE-MIXED-CONTROL: assets that issue control instructions to other zones share a zone with assets that do not.

Annex A case (i): CAD data drives the parts manufacturing zone without human
intervention, so the CAD and its operation server must meet other security
requirements and are divided from the OA zone, which sends no control
instructions.

A controller and the devices it alone controls are one system (Step 1-6
organises protected objects by operation): a zone whose issuers send no
control instructions to another zone is not split, and field equipment or the
receivers of a control flow inside the zone are not counted among the assets
that "issue none". Office equipment on the control side is left to
ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE, which tells it to move to the OA side.
A hard-wired device (an emergency-stop panel wired to its machine) is on no
network, so dividing the issuers' network from it gains nothing: it is counted
on neither side. An asset an outside party runs that stays in the zone it
serves by the Annex A case (ii) exception (``separation_exception``: a private
cloud, or a contract that includes the needed measures, such as an OT SOC's
monitoring sensors) is not among those that "issue none" either: the exception
says it is held to the zone's requirements, so it gives no reason to divide the
issuers from it (ZONE-SHARED-SERVICE says what must keep holding). Equipment an
outside party brings in for a job (trait ``external-equipment``: a contractor's
laptop during a shutdown, a customer's laptop at an acceptance test) is not
among them either: it is no standing part of the zone to divide the issuers
from, and THREAT-EXTERNAL-EQUIPMENT asks that it be managed instead, as
ZONE-MIXED-MANAGEMENT leaves it aside. An external zone (a maintenance
contractor's office whose engineering PCs reach the DCS, beside its backup
server) is the outside party's to zone, not the factory's: what the factory asks
of it is a supply chain requirement (3.2.2 (1)(i)), and the instructions it
sends are told where they land (THREAT-CONTROL-FROM-OUTSIDE,
REQ-external-control-instructions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import names, zone_impact, zone_subject
from factorysec.analysis.rules.zoning_office_equipment import office_equipment
from factorysec.catalog.models import Text
from factorysec.model.entities import Asset, Trait, Zone


def check(context: AnalysisContext) -> Iterator[Finding]:
    assets = context.assets
    issues: Callable[[Asset], bool]
    if len(assets) == len(context.model.assets):
        # Asset ids are unique: an asset is one of the control sources when it has the trait or issues the
        # instructions of a control conduit (the end AnalysisContext.control_ends names), and only the zones of such
        # assets can hold one (without walking every asset for the trait).
        trait = Trait.ISSUES_CONTROL_INSTRUCTIONS
        ends = context.control_ends
        senders_on_conduits = {a for c in context.control_between_zones for a in ends(c)[1]}
        holding: set[str | None] = set(context.devices_with_traits(frozenset({trait})))
        holding.update(assets[a].zone for a in senders_on_conduits if a in assets)

        def issues(asset: Asset) -> bool:
            return trait in asset.traits or asset.id in senders_on_conduits
    else:
        issuers = context.control_sources
        holding = {assets[i].zone for i in issuers if i in assets}

        def issues(asset: Asset) -> bool:
            return asset.id in issuers

    if not holding:
        return
    control_from: dict[str, set[str]] = {}  # names of the zones each zone sends control instructions to
    for conduit in context.control_between_zones:
        issuer, _, receiver, _ = context.control_ends(conduit)
        control_from.setdefault(issuer, set()).add(context.zone_name(receiver))
    controlled = _controlled_in_zone(context)
    for zone in context.model.zones:
        if zone.id not in holding or zone.id not in control_from:
            continue  # no issuer, or issuers whose instructions stay in the zone: a controller and its devices are one system
        if zone.kind.side == "external":
            continue  # an outside party's own site is not the factory's to zone: its sessions are told where they land
        devices = [
            a
            for a in context.devices_in(zone.id)
            if Trait.BOUNDARY_DEVICE not in a.traits and Trait.HARD_WIRED not in a.traits
        ]
        senders = [a for a in devices if issues(a)]
        office = office_equipment(context) if zone.kind.side == "fa" else {}
        others = [
            a
            for a in devices
            if not issues(a)
            and a.id not in controlled
            and a.id not in office
            and a.separation_exception is None
            and Trait.EXTERNAL_EQUIPMENT not in a.traits
        ]
        if not senders or not others:
            continue
        targets = sorted(control_from.get(zone.id, ()))
        yield RULE.finding(
            zone_subject(zone),
            message(zone, senders, others, targets),
            related=[a.id for a in senders],
            impact=zone_impact(context, zone.id),
        )


def message(zone: Zone, senders: Sequence[Asset], others: Sequence[Asset], targets: Sequence[str]) -> Text:
    """The finding's text: who issues control instructions (to which zones) and who, in the same zone, does not."""
    to_en = f" to {', '.join(targets)}" if targets else ""
    to_ja = f"（{'、'.join(targets)}へ）" if targets else ""
    issue_en = "issues" if len(senders) == 1 else "issue"
    do_en = "does" if len(others) == 1 else "do"
    return text(
        f"In '{zone.name}', {names(senders)} {issue_en} control instructions{to_en} while {names(others)} {do_en} not; "
        "the issuers need stricter security requirements, so divide them into a zone of their own and review the "
        "requirements between the zones",
        f"「{zone.name}」では{names(senders)}が制御指示を出す{to_ja}一方、{names(others)}は出さない。"
        "制御指示を出す側はより厳しい要件が必要なため別ゾーンに分け、ゾーン間の要件を見直す",
    )


FIELD_COMPONENTS = frozenset({"agv", "robot", "automated-warehouse", "production-facility", "controller"})
"""Components that carry out control instructions rather than decide them: field equipment driven by a controller."""


def _controlled_in_zone(context: AnalysisContext) -> set[str]:
    """Devices a controller in their own zone alone controls: they belong to its system, not to a zone of their own.

    The receivers of a control flow inside their own zone, and field equipment (:data:`FIELD_COMPONENTS`), unless a
    conduit from another zone also sends control instructions to them (then they are not controlled by the zone alone).
    Receivers are those at the end that receives the instructions (:meth:`AnalysisContext.control_ends`).
    """
    ends = context.control_ends
    from_elsewhere = {a for c in context.control_between_zones for a in ends(c)[3]}
    assets = context.assets
    inside = {
        a
        for c, _, _ in context.control_links
        if c.carries_control_instructions and c.from_zone == c.to_zone
        for a in ends(c)[3]
        if a in assets and assets[a].zone == c.to_zone  # a receiver of another zone is not controlled from its own
    }
    field = {a.id for a in context.model.assets if a.component in FIELD_COMPONENTS}
    return (inside | field) - from_elsewhere


RULE = Rule(
    id="ZONE-MIXED-CONTROL",
    category="zoning",
    reference="Appendix 3.1.6 Step 1-6; Annex A case (i) step 3",
    title=text(
        "Control-instruction issuers share a zone with assets that issue none",
        "制御指示を出す資産と出さない資産が同じゾーンにある",
    ),
    summary=text(
        "Flags a zone where some assets send control instructions to other zones (by trait, or as the issuing end of a control conduit: its 'from' end unless 'instructions_from' or the two-way reading says the 'to' end issues) and others do not "
        "(boundary devices, hard-wired devices, assets kept in the zone by an Annex A case (ii) separation exception and equipment brought in from outside for a job counted on neither side; brought-in equipment that sends control instructions still counts as an issuer); "
        "an external zone, the outside party's own site, is left alone.",
        "他ゾーンへ制御指示を送る資産（特性、または制御指示を運ぶコンジットで指示を出す側の端の資産）と送らない資産が同居するゾーンを指摘する（境界装置、配線のみの機器、付録A 事例(ii) の分離の例外でゾーンに置く資産、作業のために外部から持ち込まれる機器はどちらにも数えない。ただし制御指示を送る持ち込み機器は送る側に数える）。外部の者の拠点である外部ゾーンは対象外とする。",
    ),
    check=check,
    viewpoint="control-instructions/external-control-instructions",
    measures=("net-zone-boundary-filtering", "net-unidirectional-control-instructions"),
    why=text(
        "Assets that send control instructions to other zones need stricter protection than those that do not; mixed in one zone, either the senders are under-protected or everything is held to their level (3.1.6, Annex A case (i) step 3).",
        "他のゾーンに制御指示を送る資産は、送らない資産より厳しく守る必要がある。一つのゾーンに混在すると、送信側が守り足りないか、すべてをその水準に合わせることになる（3.1.6、付録A 事例(i) ステップ3）。",
    ),
    false_positives=text(
        "Only an engineering workstation may send instructions while the rest of the zone is its own HMI and peripherals, protected to the same level anyway: record a decision if splitting gains nothing.",
        "指示を送るのはエンジニアリング端末だけで、ゾーンの残りはそのHMIや周辺機器として同じ水準で守られていることがある。分けても得るものがなければ判断を記録する。",
    ),
)
