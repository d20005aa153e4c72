"""ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE: office equipment sits in a zone on the control (FA) side.

Step 1-6 sets zones by operation: office PCs, printers and equipment that
serves only office operations belong to the office (OA) side, and reach the
control side through the FA–OA boundary (Table 3-5: connection of FA and OA
system networks). On the control side, mail, web browsing and documents bring
the office's threats straight to the controllers.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext, MemoSlot
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import zone_impact, zone_subject
from factorysec.model.entities import Asset, AssetType

OFFICE_COMPONENTS = frozenset({"office-terminal", "printer"})
"""Components that are office equipment whatever zone they are put in."""


def _office_only_operations(context: AnalysisContext) -> set[str]:
    """Operations carried out only in office (OA) zones: no zone on another side lists them."""
    sides: dict[str, set[str]] = {}
    for zone in context.model.zones:
        for operation in zone.operations:
            sides.setdefault(operation, set()).add(zone.kind.side)
    return {operation for operation, found in sides.items() if found == {"oa"}}


def _why_office(asset: Asset, office_operations: set[str], context: AnalysisContext) -> tuple[str, str] | None:
    """Why an asset counts as office equipment (English, Japanese), or None."""
    if asset.component in OFFICE_COMPONENTS:
        title = context.catalog.components[asset.component].title
        return title.en.lower(), title.ja
    if asset.type is AssetType.DATA or not asset.operations:
        return None
    if all(o in office_operations for o in asset.operations):
        names = [context.operations[o].name for o in asset.operations if o in context.operations]
        return f"serves only office operations ({', '.join(names)})", f"事務系の業務（{'、'.join(names)}）だけを担う"
    return None


def office_equipment(context: AnalysisContext) -> dict[str, tuple[str, str]]:
    """Devices on the control (FA) side that are office equipment, each with why (English, Japanese), worked out once per context."""
    known = context.memo.get(_OFFICE_EQUIPMENT, None)
    if known is None:
        known = {}
        office_operations = _office_only_operations(context)
        for zone in context.model.zones:
            if zone.kind.side == "fa":
                for asset in context.devices_in(zone.id):
                    reason = _why_office(asset, office_operations, context)
                    if reason is not None:
                        known[asset.id] = reason
        context.memo.put(_OFFICE_EQUIPMENT, None, known)
    return known


_OFFICE_EQUIPMENT: MemoSlot[None, dict[str, tuple[str, str]]] = MemoSlot("office_equipment")


def check(context: AnalysisContext) -> Iterator[Finding]:
    office = office_equipment(context)
    if not office:
        return
    for zone in context.model.zones:
        if zone.kind.side != "fa":
            continue
        found = [(asset, office[asset.id]) for asset in context.devices_in(zone.id) if asset.id in office]
        if not found:
            continue
        listed_en = "; ".join(f"'{a.name}' ({en})" for a, (en, _) in found)
        listed_ja = "、".join(f"「{a.name}」（{ja}）" for a, (_, ja) in found)
        yield RULE.finding(
            zone_subject(zone),
            text(
                f"'{zone.name}' is on the control side but holds office equipment: {listed_en}. Move it to an office (OA) zone and let it reach the control side only through the FA–OA boundary",
                f"「{zone.name}」は制御系（FA）のゾーンだが、事務系の機器がある：{listed_ja}。事務系（OA）のゾーンへ移し、制御系へはFA–OA境界を通してだけつなぐ",
            ),
            related=[a.id for a, _ in found],
            impact=zone_impact(context, zone.id),
        )


RULE = Rule(
    id="ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE",
    category="zoning",
    reference="Appendix 3.1.6 Step 1-6 (zones by operation); 3.1.7 Table 3-5 (connection of FA system and OA system networks)",
    title=text("Office equipment in a control-side zone", "制御系のゾーンに事務系の機器がある"),
    summary=text(
        "Flags a zone on the control (FA) side holding office equipment: an office PC or printer by component, or a device whose "
        "operations are carried out only in office zones.",
        "制御系（FA）のゾーンにある事務系の機器（構成要素が事務用PC・プリンタのもの、または事務系ゾーンだけが担う業務に使う機器）を指摘する。",
    ),
    check=check,
    viewpoint="business-continuity/extent",
    risk_matter="fa-oa-connection",
    measures=("net-zone-boundary-filtering", "net-input-validation-fa-oa"),
    why=text(
        "Office equipment reads mail, browses the web and opens documents; on the control side it brings those threats past the FA–OA boundary, "
        "straight to the controllers, and the zone can no longer be protected at one level (3.1.6, Table 3-5).",
        "事務系の機器はメールやWeb閲覧、文書の閲覧に使われる。制御系に置くと、それらの脅威がFA–OA境界を越えて制御機器に直接届き、ゾーンを一つの水準で守れなくなる（3.1.6、表3-5）。",
    ),
    false_positives=text(
        "A PC on the line may be an operator terminal that only looks like office equipment (set its component to 'terminal' or 'hmi'), or an "
        "office operation may in fact be carried out on the line too (list it on the line's zone).",
        "ライン上のPCが事務用に見えるだけの操作端末であることがある（構成要素を 'terminal' または 'hmi' にする）。事務系の業務が実際にはラインでも行われているなら、その業務をラインのゾーンにも記載する。",
    ),
)
