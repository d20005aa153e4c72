"""Job 4 of the review: new stakeholders, the checklists they bring (Tables 3-10 to 3-12), responsibility boundaries (Step 3, Annex A case (ii)) and BCP review viewpoints (Appendix 3.1.1 (1))."""

from __future__ import annotations

from collections.abc import Sequence

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import text
from factorysec.analysis.review.findings import FindingIndex
from factorysec.analysis.review.model import (
    SMARTIFICATION_STATUSES,
    BcpItem,
    ChecklistDue,
    ElementChange,
    NewStakeholder,
    ResponsibilityBoundary,
)
from factorysec.catalog import Catalog
from factorysec.catalog.models import Text
from factorysec.model.entities import AssetType, ExternalNetwork, FactoryModel

_CHECKLIST_FIELDS = {"type", "traits", "supplier", "maintainer", "managed_by"}


def checklists(
    before: Assessment, after: Assessment, elements: Sequence[ElementChange], index: FindingIndex
) -> tuple[ChecklistDue, ...]:
    """Step 3 checklists (from the assessment's lifecycle report) that are new in AFTER or belong to an asset the change added or altered."""
    had = {(c.asset, c.kind) for c in before.lifecycle.checklists.checklists}
    touched = {
        e.id: e.change
        for e in elements
        if e.kind == "asset"
        and (e.change == "added" or (e.change == "changed" and {f.field for f in e.fields} & _CHECKLIST_FIELDS))
    }
    result = []
    for checklist in after.lifecycle.checklists.checklists:
        change = touched.get(checklist.asset)
        if (checklist.asset, checklist.kind) in had and change is None:
            continue
        verb_en, verb_ja = ("is added", "が追加された") if change == "added" else ("changed", "が変更された")
        result.append(
            ChecklistDue(
                kind=checklist.kind,
                title=checklist.kind_title,
                subject=checklist.asset,
                party=checklist.party,
                reason=text(
                    f"'{checklist.asset_name}' {verb_en}: {checklist.reason.en}",
                    f"「{checklist.asset_name}」{verb_ja}：{checklist.reason.ja}",
                ),
                items=tuple(e.item for e in checklist.entries),
                answered=sum(1 for e in checklist.entries if e.answer is not None),
                reference=checklist.reference,
                findings=index.concerning([checklist.asset]),
            )
        )
    return tuple(result)


def stakeholders(
    after: FactoryModel,
    elements: Sequence[ElementChange],
    checklists: Sequence[ChecklistDue],
    catalog: Catalog,
    index: FindingIndex,
) -> tuple[NewStakeholder, ...]:
    parties = {p.id: p for p in after.parties}
    result = []
    for element in elements:
        if element.kind != "party" or element.change != "added":
            continue
        party = parties[element.id]
        brings = [a.id for a in after.assets if party.id in (a.supplier, a.maintainer, a.managed_by)]
        brings += [o.id for o in after.operations if o.performed_by == party.id]
        brings += [z.id for z in after.zones if z.managed_by == party.id]
        brought = set(brings)
        kinds = tuple(dict.fromkeys(c.kind for c in checklists if c.party == party.id or c.subject in brought))
        kind_entry = catalog.party_kinds.get(party.kind)
        result.append(
            NewStakeholder(
                party=party.id,
                name=party.name,
                kind=party.kind,
                kind_title=kind_entry.title if kind_entry else None,
                brings=tuple(dict.fromkeys(brings)),
                checklists=kinds,
                findings=index.concerning([party.id, *brings]),
            )
        )
    return tuple(result)


def responsibilities(
    after: FactoryModel, elements: Sequence[ElementChange], index: FindingIndex
) -> tuple[ResponsibilityBoundary, ...]:
    assets = {a.id: a for a in after.assets}
    zones = {z.id: z for z in after.zones}
    settled: dict[str, list[str]] = {}
    for responsibility in after.responsibilities:
        settled.setdefault(responsibility.subject, []).append(responsibility.area)
    result = []
    for element in elements:
        if element.change == "removed":
            continue
        touched = element.change == "added" or {f.field for f in element.fields} & {
            "managed_by",
            "type",
            "traits",
            "zone",
        }
        if not touched:
            continue
        if element.kind == "asset":
            asset = assets[element.id]
            external = asset.type is AssetType.EXTERNAL_SERVICE or asset.managed_by is not None
            if not external:
                continue
            party = asset.managed_by or asset.supplier
            result.append(
                ResponsibilityBoundary(
                    subject=asset.id,
                    subject_kind="asset",
                    party=party,
                    reason=text(
                        f"'{asset.name}' is run outside the company: settle where its boundary lies and who handles operation, maintenance, incidents, vulnerabilities and data at the end",
                        f"「{asset.name}」は社外で運用される：境界の位置と、運用・保守・インシデント対応・脆弱性対応・終了時のデータの扱いの責任分界を確認する",
                    ),
                    settled_areas=tuple(settled.get(asset.id, [])),
                    findings=index.concerning([asset.id]),
                )
            )
        elif element.kind == "zone" and zones[element.id].managed_by is not None:
            zone = zones[element.id]
            result.append(
                ResponsibilityBoundary(
                    subject=zone.id,
                    subject_kind="zone",
                    party=zone.managed_by,
                    reason=text(
                        f"'{zone.name}' is managed by an external party: settle the boundary of the separation and the division of responsibility",
                        f"「{zone.name}」は外部事業者が管理する：分離の境界と責任分界を確認する",
                    ),
                    settled_areas=tuple(settled.get(zone.id, [])),
                    findings=index.concerning([zone.id]),
                )
            )
    return tuple(result)


def _bcp_triggers(
    before: FactoryModel, after: FactoryModel, elements: Sequence[ElementChange]
) -> dict[str, tuple[list[str], Text]]:
    """Trigger group -> element ids that trigger it and why."""
    assets = {a.id: a for a in after.assets}
    operations = {o.id: o for o in after.operations}
    conduits = {c.id: c for c in after.conduits}
    zones = {z.id: z for z in after.zones}
    services: list[str] = []
    partners: list[str] = []
    decisions: list[str] = []
    for element in elements:
        if element.change == "removed":
            continue
        fields = {f.field for f in element.fields}
        if (
            element.kind == "operation"
            and (element.change == "added" or "status" in fields)
            and operations[element.id].status in SMARTIFICATION_STATUSES
        ):
            services.append(element.id)
        elif element.kind == "asset":
            asset = assets[element.id]
            is_service = asset.type is not AssetType.DATA and (
                asset.status in SMARTIFICATION_STATUSES or asset.type is AssetType.EXTERNAL_SERVICE
            )
            if is_service and (element.change == "added" or fields & {"status", "type", "traits"}):
                services.append(element.id)
        elif element.kind == "party" and element.change == "added":
            partners.append(element.id)
        elif element.kind == "conduit" and (
            element.change == "added" or fields & {"carries_control_instructions", "external_network"}
        ):
            conduit = conduits[element.id]
            external = conduit.external_network is not ExternalNetwork.NONE or any(
                zones[z].kind.side == "external" for z in (conduit.from_zone, conduit.to_zone) if z in zones
            )
            if conduit.carries_control_instructions or external:
                decisions.append(element.id)
    return {
        "new-services": (
            services,
            text("a new or changed system or service is added", "新規・変更のシステムやサービスが追加された"),
        ),
        "supply-chain": (partners, text("a new business partner takes part", "新たな取引先・外部事業者が関わる")),
        "decision-making": (
            decisions,
            text(
                "a new control-instruction flow or external connection is added",
                "新たな制御指示のフローまたは外部接続が追加された",
            ),
        ),
    }


def _bcp_findings(index: FindingIndex, after: FactoryModel, viewpoint: str, ids: Sequence[str]) -> tuple[str, ...]:
    """The findings on the triggering elements, led by the factory-wide S1-BCP-VIEWPOINT finding of ``analyze`` for this viewpoint, if any."""
    own = f"S1-BCP-VIEWPOINT@{after.factory.id}#{viewpoint}"
    concerning = index.concerning(ids)
    return (own, *concerning) if own in index.by_id else concerning


def bcp(
    before: FactoryModel, after: FactoryModel, elements: Sequence[ElementChange], catalog: Catalog, index: FindingIndex
) -> tuple[BcpItem, ...]:
    triggers = _bcp_triggers(before, after, elements)
    covered = set(after.bcp.covers) if after.bcp else set()
    result = []
    for viewpoint in catalog.bcp_viewpoints.values():
        ids, why = triggers.get(viewpoint.group, ([], text("-", "-")))
        if not ids:
            continue
        listed = ", ".join(ids)
        result.append(
            BcpItem(
                viewpoint=viewpoint.id,
                group=viewpoint.group,
                title=viewpoint.title,
                reason=text(f"{why.en}: {listed}", f"{why.ja}：{listed}"),
                triggered_by=tuple(ids),
                covered=viewpoint.id in covered,
                reference=viewpoint.ref,
                findings=_bcp_findings(index, after, viewpoint.id, ids),
            )
        )
    return tuple(result)
