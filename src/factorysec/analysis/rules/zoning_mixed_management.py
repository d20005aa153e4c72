"""ZONE-MIXED-MANAGEMENT: a zone holds in-house assets together with assets or services run by an external party.

Annex A case (ii): an external provider cannot be asked for the same security
requirements as the zone it joins, so its service belongs in a zone of its own,
with the boundary of the separation and the division of responsibility settled.
The same case says not every service needs a zone of its own: an asset whose
``separation_exception`` is set (a private cloud, or a contract that includes
the needed measures) counts with the zone's own assets here, and
ZONE-SHARED-SERVICE says why no separation is demanded.

Equipment an outside party brings in for a job (trait ``external-equipment``: a
contractor's laptop during a shutdown, a vendor's maintenance terminal) is not a
system the party runs in the zone: Table 2-1 answers it with the management of
the devices and their users (THREAT-EXTERNAL-EQUIPMENT), not with a zone of its
own, so it does not make the zone mixed.

Nor does the factory's own equipment that its outsourced operator runs for it
under contract (a dealer's leased UTM, the dealer a party of kind
``outsourced-vendor`` with its contract named and a responsibility for the
device recorded with it): Appendix 3.1.1 (3) counts such vendors among those
who run the factory system, and the factory asks its requirements of them
through that contract (``run_for_factory``).
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import run_for_factory
from factorysec.model.entities import Asset, AssetType, Trait


def _manager(context: AnalysisContext, asset: Asset) -> str | None:
    """Who runs the asset: a party id, or None for in-house."""
    if asset.managed_by is not None:
        return asset.managed_by
    return "(external provider not named)" if context.is_external(asset) else None


def check(context: AnalysisContext) -> Iterator[Finding]:
    external = context.external_devices
    if not external:
        return
    service = AssetType.EXTERNAL_SERVICE
    for zone in context.model.zones:
        if zone.id not in external:
            continue  # every device in-house: one manager
        groups: dict[str | None, list[Asset]] = {}
        for asset in context.devices_in(zone.id):
            if Trait.EXTERNAL_EQUIPMENT in asset.traits:
                continue  # brought in for a job, not a system run in the zone: THREAT-EXTERNAL-EQUIPMENT asks it be managed
            shares = (  # Annex A case (ii): may share the zone (ZONE-SHARED-SERVICE says why) ...
                asset.separation_exception is not None
                or run_for_factory(context, asset)  # ... or the factory's own equipment its outsourced operator runs
            )
            manager = (
                _manager(context, asset)
                if not shares and (asset.managed_by is not None or asset.type is service)
                else None
            )
            group = groups.get(manager)
            if group is None:
                groups[manager] = [asset]
            else:
                group.append(asset)
        if len(groups) < 2:
            continue
        parts_en, parts_ja = [], []
        for manager, assets in groups.items():
            names = ", ".join(a.name for a in assets)
            party = context.parties[manager].name if manager in context.parties else manager
            parts_en.append(f"{names} ({'in-house' if manager is None else 'run by ' + str(party)})")
            parts_ja.append(f"{names}（{'自社管理' if manager is None else str(party) + 'が運用'}）")
        yield RULE.finding(
            new_subject("zone", zone.id),
            text(
                f"'{zone.name}' mixes {'; '.join(parts_en)}. The same security requirements cannot be asked of every manager, so separate them into their own zones and settle the boundary and the division of responsibility",
                f"「{zone.name}」に{'、'.join(parts_ja)}が混在している。同じセキュリティ要件を全管理主体に求められないため別ゾーンに分け、分離の境界と責任分界を確認する",
            ),
            related=[a.id for manager, assets in groups.items() if manager is not None for a in assets],
            impact=text(
                "An incident at the external party reaches the zone's operations directly",
                "外部事業者側のインシデントがゾーンの業務に直接及ぶ",
            ),
        )


RULE = Rule(
    id="ZONE-MIXED-MANAGEMENT",
    category="zoning",
    reference="Appendix 3.1.6 Step 1-6; Annex A case (ii) step 3",
    title=text("Zone mixes in-house and externally managed assets", "自社管理と外部管理の資産が同じゾーンにある"),
    summary=text(
        "Flags a zone whose assets are managed by different organisations (in-house and an external party, or several parties); "
        "equipment brought in from outside for a job (trait external-equipment) does not count, nor does the factory's own equipment an outsourced-vendor party runs for it under a named contract with a responsibility for it recorded.",
        "管理主体の異なる資産（自社と外部事業者など）が同居するゾーンを指摘する。外部から作業のために持ち込まれる機器（特性 external-equipment）は数えず、"
        "種類 outsourced-vendor の関係者が契約（contract）に基づき工場のために運用し、責任分担が記録された工場の機器も数えない。",
    ),
    check=check,
    viewpoint="business-continuity/recovery",
    risk_matter="different-security-policy",
    why=text(
        "Objects managed by different organisations follow different policies and response speeds; in one zone, the weakest manager sets the level for all, and responsibility for the zone is unclear (3.1.6, Annex A case (ii) step 3).",
        "異なる組織が管理する対象は、方針も対応速度も異なる。一つのゾーンにあると、最も弱い管理者が全体の水準を決め、ゾーンの責任も曖昧になる（3.1.6、Annex A 事例(ii) ステップ3）。",
    ),
    false_positives=text(
        "A private cloud, or a service whose contract includes the needed measures, may share the zone (Annex A case (ii)): set the asset's 'separation_exception' rather than accept the finding. "
        "A vendor may maintain equipment under the factory's own rules and accounts, so management is in effect in-house: check 'managed_by' reflects who runs the asset, not who supplied it. "
        "Equipment of the factory's that a dealer or IT vendor runs for it under contract is not mixed in when that party is of kind outsourced-vendor, names its 'contract' and has a responsibility for the asset recorded.",
        "プライベートクラウドや、必要な対策を契約に含むサービスは同じゾーンに置いてよい（付録A 事例(ii)）。指摘を受容せず、資産の 'separation_exception' を設定する。"
        "ベンダーが工場自身の規則とアカウントで設備を保守し、実質的に社内管理のことがある。'managed_by' が供給者でなく運用者を表しているか確認する。"
        "販売店やITベンダーが契約に基づき工場のために運用する工場の機器は、その関係者の種類が outsourced-vendor で 'contract' を記し、資産の責任分担が記録されていれば混在とみなさない。",
    ),
)
