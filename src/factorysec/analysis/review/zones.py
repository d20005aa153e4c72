"""Job 3 of the review: the zones whose security requirements must be reviewed, and every reason why (Annex A step 3, Step 1-6, Table 3-4)."""

from __future__ import annotations

from collections.abc import Sequence

from factorysec.analysis.findings import text
from factorysec.analysis.review.elements import FLOW_FIELDS
from factorysec.analysis.review.findings import FindingIndex
from factorysec.analysis.review.model import (
    ElementChange,
    FindingChange,
    RequirementChange,
    ZoneReason,
    ZoneSplit,
    ZoneToReview,
)
from factorysec.model.entities import Asset, Conduit, ExternalNetwork, FactoryModel, Zone


def _zone_names(before: FactoryModel, after: FactoryModel) -> dict[str, str]:
    names = {z.id: z.name for z in before.zones}
    names.update({z.id: z.name for z in after.zones})
    return names


def zones_to_review(
    before: FactoryModel,
    after: FactoryModel,
    elements: Sequence[ElementChange],
    splits: Sequence[ZoneSplit],
    zoning_findings: Sequence[FindingChange],
    requirements: Sequence[RequirementChange],
    index: FindingIndex,
) -> tuple[ZoneToReview, ...]:
    names = _zone_names(before, after)
    after_zones: dict[str, Zone] = {z.id: z for z in after.zones}
    old_assets: dict[str, Asset] = {a.id: a for a in before.assets}
    new_assets: dict[str, Asset] = {a.id: a for a in after.assets}
    new_conduits: dict[str, Conduit] = {c.id: c for c in after.conduits}
    reasons: dict[str, list[ZoneReason]] = {}

    def add(zone_id: str, reason: ZoneReason) -> None:
        if zone_id in after_zones:
            reasons.setdefault(zone_id, []).append(reason)

    def name(zone_id: str) -> str:
        return names.get(zone_id, zone_id)

    for element in elements:
        if element.kind == "zone" and element.change == "added":
            add(
                element.id,
                ZoneReason(
                    code="new-zone",
                    text=text(
                        f"'{element.name}' is a new zone: set its security requirements within the zone and towards the zones it connects to",
                        f"「{element.name}」は新しいゾーン：ゾーン内と接続先ゾーンとの間のセキュリティ要件を定める",
                    ),
                    elements=(element.id,),
                    findings=element.findings,
                ),
            )
        elif element.kind == "zone" and element.change == "changed":
            fields = ", ".join(f.field for f in element.fields)
            add(
                element.id,
                ZoneReason(
                    code="zone-changed",
                    text=text(
                        f"'{element.name}' changed ({fields})",
                        f"「{element.name}」が変更された（{fields}）",
                    ),
                    elements=(element.id,),
                    findings=element.findings,
                ),
            )
    for split in splits:
        parts = ", ".join(name(z) for z in split.into)
        add(
            split.zone,
            ZoneReason(
                code="split",
                text=text(
                    f"'{name(split.zone)}' is divided: {parts} now hold part of its operations or protected objects",
                    f"「{name(split.zone)}」が分割された：{parts}がその業務・保護対象の一部を持つ",
                ),
                elements=(split.zone, *split.into, *split.moved_assets),
                findings=split.findings,
            ),
        )
        for part in split.into:
            add(
                part,
                ZoneReason(
                    code="split-from",
                    text=text(
                        f"'{name(part)}' is split from '{name(split.zone)}': it may need requirements of its own",
                        f"「{name(part)}」は「{name(split.zone)}」から分けられた：独自の要件が必要か確認する",
                    ),
                    elements=(split.zone, part),
                    findings=split.findings,
                ),
            )
    moved_in: dict[str, list[str]] = {}
    for element in elements:
        if element.kind != "asset":
            continue
        zones: set[str | None] = set()
        if element.change in ("added", "changed") and element.id in new_assets:
            zones.add(new_assets[element.id].zone)
        if element.change in ("removed", "changed") and element.id in old_assets:
            zones.add(old_assets[element.id].zone)
        for zone_id in zones:
            if zone_id:
                moved_in.setdefault(zone_id, []).append(element.id)
    for zone_id, asset_ids in moved_in.items():
        listed = ", ".join(asset_ids)
        add(
            zone_id,
            ZoneReason(
                code="assets-changed",
                text=text(
                    f"protected objects added, removed or changed in '{name(zone_id)}': {listed}",
                    f"「{name(zone_id)}」の保護対象が追加・削除・変更された：{listed}",
                ),
                elements=tuple(asset_ids),
                findings=index.concerning(asset_ids),
            ),
        )
    for element in elements:
        if element.kind != "conduit" or element.change == "removed":
            continue
        if element.change == "changed" and not {f.field for f in element.fields} & FLOW_FIELDS:
            continue
        conduit = new_conduits[element.id]
        carried = ", ".join(conduit.data) or conduit.carries or "-"
        control_en = " with control instructions" if conduit.carries_control_instructions else ""
        control_ja = "（制御指示を含む）" if conduit.carries_control_instructions else ""
        if conduit.external_network is not ExternalNetwork.NONE:
            control_en += f", across the {conduit.external_network.value} network outside the factory"
            control_ja += f"（工場外の {conduit.external_network.value} を経由）"
        flow_findings = index.concerning([conduit.id])
        if conduit.from_zone == conduit.to_zone:
            add(
                conduit.to_zone,
                ZoneReason(
                    code="new-internal-flow",
                    text=text(
                        f"new data flow '{conduit.id}' inside '{name(conduit.to_zone)}' ({carried}){control_en}",
                        f"「{name(conduit.to_zone)}」内の新しいデータフロー「{conduit.id}」（{carried}）{control_ja}",
                    ),
                    elements=(conduit.id,),
                    findings=flow_findings,
                ),
            )
            continue
        add(
            conduit.to_zone,
            ZoneReason(
                code="new-inbound-flow",
                text=text(
                    f"newly receives {carried} from '{name(conduit.from_zone)}' over '{conduit.id}'{control_en}",
                    f"「{name(conduit.from_zone)}」から「{conduit.id}」経由で{carried}を新たに受け取る{control_ja}",
                ),
                elements=(conduit.id,),
                findings=flow_findings,
            ),
        )
        add(
            conduit.from_zone,
            ZoneReason(
                code="new-outbound-flow",
                text=text(
                    f"newly sends {carried} to '{name(conduit.to_zone)}' over '{conduit.id}'{control_en}",
                    f"「{name(conduit.to_zone)}」へ「{conduit.id}」経由で{carried}を新たに送る{control_ja}",
                ),
                elements=(conduit.id,),
                findings=flow_findings,
            ),
        )
    for finding in zoning_findings:
        if finding.change == "new" and finding.subject.kind == "zone":
            add(
                finding.subject.id,
                ZoneReason(
                    code="zoning-finding",
                    text=finding.rationale,
                    elements=(finding.subject.id,),
                    reference=finding.reference,
                    findings=(finding.id,),
                ),
            )
    requirement_zones: dict[str, list[RequirementChange]] = {}
    for requirement in requirements:
        if requirement.scope == "within-zone":
            requirement_zones.setdefault(requirement.subject.id, []).append(requirement)
        elif requirement.to_zone is not None and any(c in new_conduits for c in requirement.conduits):
            for zone_id in dict.fromkeys((requirement.subject.id, requirement.to_zone)):
                requirement_zones.setdefault(zone_id, []).append(requirement)
    for zone_id, changed in requirement_zones.items():
        ids = ", ".join(r.id for r in changed)
        add(
            zone_id,
            ZoneReason(
                code="requirements-changed",
                text=text(
                    f"its requirements within or between zones are new or changed: {ids}",
                    f"ゾーン内・ゾーン間の要件が新設または変更された：{ids}",
                ),
                elements=tuple(r.id for r in changed),
                reference=changed[0].reference,
                findings=tuple(dict.fromkeys(f for r in changed for f in r.findings)),
            ),
        )
    result = []
    for zone in after.zones:
        if zone.id in reasons:
            zone_reasons = tuple(reasons[zone.id])
            linked = tuple(dict.fromkeys(f for r in zone_reasons for f in r.findings))
            result.append(
                ZoneToReview(
                    zone=zone.id,
                    name=zone.name,
                    new=zone.id not in {z.id for z in before.zones},
                    reasons=zone_reasons,
                    findings=linked,
                )
            )
    return tuple(result)
