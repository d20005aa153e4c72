"""ZONE-DIVISIBLE-BY-OPERATION (advisory): one zone serves several operations that each have their own assets.

Step 1-6 organises the protected objects of every zone from an operational
perspective (procedure step 1), and Annex A step 1 of cases (i) and (iii)
divides the production zone by operation (parts, products). The same holds
for a logistics, control, monitoring, engineering or office zone; only the
partner's own site (an external zone) and a DMZ are left out. A processing
and assembly factory can usually divide by operation; in a material or
process industry the process often does not allow it, and each factory must
judge for itself (Annex A case (iii) step 1 note), so the finding says so.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import zone_impact, zone_subject
from factorysec.analysis.rules.zoning_safety_with_control import safety_with_control
from factorysec.model.entities import Asset, ZoneKind

_NOT_DIVIDED = frozenset({ZoneKind.EXTERNAL, ZoneKind.DMZ})
"""Zone kinds not divided by the factory's operations: the partner's own site, and the boundary between sides."""


def _separated_elsewhere(context: AnalysisContext, devices: list[Asset]) -> set[str]:
    """Operations whose equipment another zoning rule already tells to separate: those of external services and assets run
    by a party (ZONE-MIXED-MANAGEMENT, Annex A case (ii)), of assets that issue control instructions to other zones
    (ZONE-MIXED-CONTROL, Annex A case (i)) and of a safety system beside the process control it protects
    (ZONE-SAFETY-WITH-CONTROL). Counting them here too would tell the same split twice.
    """
    sources = context.control_sources
    safety = {a.id for a in safety_with_control(context, devices)[0]}
    return {o for a in devices if context.is_external(a) or a.id in sources or a.id in safety for o in a.operations}


def check(context: AnalysisContext) -> Iterator[Finding]:
    for zone in context.model.zones:
        if zone.kind in _NOT_DIVIDED or context.sub_zones.get(zone.id):
            continue
        dedicated: dict[str, list[str]] = {}
        devices = context.devices_in(zone.id)
        elsewhere = _separated_elsewhere(context, devices)
        for asset in devices:
            if len(asset.operations) == 1 and asset.operations[0] not in elsewhere:
                dedicated.setdefault(asset.operations[0], []).append(asset.id)
        if len(dedicated) < 2:
            continue
        operations = [context.operations[o].name for o in dedicated if o in context.operations]
        caveat_en = (
            " In a material or process industry the process may not allow this; examine it for this factory"
            if context.model.factory.industry != "processing-assembly"
            else ""
        )
        caveat_ja = "素材・プロセス産業では工程上分割できない場合があるため、工場ごとに検討する" if caveat_en else ""
        yield RULE.finding(
            zone_subject(zone),
            text(
                f"'{zone.name}' serves {len(operations)} operations with their own equipment ({', '.join(operations)}); consider dividing it into one zone per operation so that an incident in one stays out of the others.{caveat_en}",
                f"「{zone.name}」は専用設備を持つ {len(operations)} つの業務（{'、'.join(operations)}）を担う。一方のインシデントが他方に及ばないよう業務ごとのゾーンへの分割を検討する。{caveat_ja}",
            ),
            related=[asset for ids in dedicated.values() for asset in ids],
            impact=zone_impact(context, zone.id),
        )


RULE = Rule(
    id="ZONE-DIVISIBLE-BY-OPERATION",
    category="zoning",
    reference="Appendix 3.1.6 Step 1-6 (zoning from an operational perspective); Annex A cases (i), (iii) step 1",
    title=text("Zone could be divided by operation", "ゾーンを業務ごとに分割できる可能性"),
    summary=text(
        "Advises dividing a zone of any kind but external and DMZ, without sub-zones, that serves two or more operations, each with its own "
        "dedicated assets (leaving out operations of external services, of control issuers and of a safety system beside the control it protects, which other zoning rules separate); outside processing and assembly it adds that a process industry may not be able to divide.",
        "外部ゾーンとDMZを除く種類のゾーンのうち、サブゾーンを持たず、専用資産を持つ複数業務（外部サービス、制御指示を出す資産、制御と同居する安全システムの業務は他のゾーニングルールが扱うため除く）を担うものについて、業務ごとの分割を助言する。加工組立以外の業種では、プロセス産業では分割できない場合があることを添える。",
    ),
    check=check,
    viewpoint="business-continuity/extent",
    advisory=True,
    why=text(
        "The appendix zones from an operational perspective: when one zone holds the dedicated equipment of several operations, an incident in one operation's equipment can reach the other's, and new services cannot be placed next to the operation they serve (3.1.6, Annex A step 1).",
        "付録は業務の観点でゾーニングする。一つのゾーンが複数の業務の専用設備を持つと、一方の業務の設備のインシデントが他方に及び、新しいサービスを支える業務の隣に置けない（3.1.6、付録A ステップ1）。",
    ),
    false_positives=text(
        "The operations may share so much (one network, one team, one importance) that splitting buys nothing; the guideline lets BCP and facility environment decide (3.1.6 procedure step 3). It is advisory: record a decision if you keep the zone whole.",
        "業務の共有部分が多く（同じネットワーク、同じ担当、同じ重要度）、分けても得るものがないことがある。ガイドラインはBCPや設備環境で判断してよいとする（3.1.6 手順3）。助言なので、分けない場合は判断を記録する。",
    ),
)
