"""ZONE-SHARED-SERVICE (advisory): an external service shares the zone it serves under the Annex A case (ii) exception.

Annex A case (ii) separates the remote maintenance service from the automated
warehouse zone because the provider cannot be asked for the zone's security
requirements, and then says not every service needs a zone of its own: a
private cloud brought into the enterprise systems, or a cloud service whose
contract includes the needed security measures, may be treated as the same
zone. An asset's ``separation_exception`` records which; this advisory says
that no separation is demanded, why, and what still has to hold for it.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import party_or_department_name, zone_subject
from factorysec.model.entities import Asset


def _reason(context: AnalysisContext, asset: Asset) -> tuple[str, str]:
    if asset.separation_exception == "private-cloud":
        return (
            f"'{asset.name}' is run in-house or as a private cloud within the enterprise systems",
            f"「{asset.name}」は自社内またはエンタープライズシステム内のプライベートクラウドで運用される",
        )
    party = context.parties.get(asset.managed_by) if asset.managed_by else None
    who = party_or_department_name(context, asset.managed_by) if asset.managed_by else "its provider"
    contract = party.contract if party is not None and party.contract else "-"
    return (
        f"the contract with {who} ({contract}) includes the security measures '{asset.name}' needs",
        f"{who}との契約（{contract}）に「{asset.name}」に必要なセキュリティ対策が含まれている",
    )


def check(context: AnalysisContext) -> Iterator[Finding]:
    sharing: dict[str, list[Asset]] = {}
    for asset in context.model.assets:
        if asset.separation_exception is not None and asset.zone in context.zones:
            sharing.setdefault(asset.zone, []).append(asset)
    for zone in context.model.zones:
        assets = sharing.get(zone.id)
        if not assets:
            continue
        reasons = [_reason(context, a) for a in assets]
        yield RULE.finding(
            zone_subject(zone),
            text(
                f"No separate zone is demanded in '{zone.name}' (Annex A case (ii)): {'; '.join(en for en, _ in reasons)}. "
                "Keep the requirements between the service and the zone's equipment, and confirm at each review that this still holds",
                f"「{zone.name}」では別ゾーンを求めない（付録A 事例(ii)）：{'。'.join(ja for _, ja in reasons)}。"
                "サービスとゾーン内の機器の間の要件は維持し、見直しのたびにこの前提が続いているか確認する",
            ),
            related=[a.id for a in assets] + [a.managed_by for a in assets if a.managed_by],
        )


RULE = Rule(
    id="ZONE-SHARED-SERVICE",
    category="zoning",
    reference="Appendix Annex A case (ii) step 3 (not every service needs its own zone: private cloud; measures included in the contract)",
    title=text(
        "External service shares its zone under the Annex A case (ii) exception",
        "外部サービスを付録A 事例(ii)の例外として同じゾーンに置いている",
    ),
    summary=text(
        "Advises, per zone, which external services stay in the zone they serve because they run as a private cloud or their contract "
        "includes the needed measures (the asset's separation_exception), so that no separate zone is demanded.",
        "プライベートクラウドで運用される、または必要な対策が契約に含まれる（資産の separation_exception）ため、担う業務のゾーンに置いたままの外部サービスをゾーンごとに示し、別ゾーンを求めない理由を述べる。",
    ),
    check=check,
    viewpoint="business-continuity/recovery",
    risk_matter="different-security-policy",
    advisory=True,
    why=text(
        "The exception rests on facts that can change: a private cloud moved to a public one, or a contract renewed without the measures, "
        "puts the service back in the position Annex A case (ii) separates, without anyone deciding it.",
        "この例外は変わりうる事実に基づく。プライベートクラウドをパブリッククラウドへ移したり、対策を含まない契約に更新したりすると、誰も決めないまま付録A 事例(ii)が分離を求める状態に戻る。",
    ),
    false_positives=text(
        "It is advisory and says why no separation is asked; if the service is in fact a public cloud under standard terms, remove "
        "'separation_exception' so that ZONE-MIXED-MANAGEMENT judges the zone.",
        "助言であり、分離を求めない理由を示す。実際には標準の利用規約のパブリッククラウドなら、'separation_exception' を外し、ZONE-MIXED-MANAGEMENT にゾーンを判断させる。",
    ),
)
