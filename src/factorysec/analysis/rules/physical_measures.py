"""PHYS-MEASURES: zones whose safety or continuity matters most, and new field equipment, without physical measures.

Appendix 3.2.2 Step 2-2 (2) (physical measures): besides the network, the
rooms, cabinets and ports of important systems need access control, and the
systems protection from natural disasters and facility failures; new
equipment installed in the field is the moment to decide both. One finding
for the factory, listing the zones concerned; silent when both measures are
implemented on each of them (or factory-wide).
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import measure_in_place
from factorysec.model.entities import AssetType, Lifecycle

MEASURES = ("phys-access-control", "phys-natural-disaster-protection")
_HIGH = 3
_AXES = ("safety", "business_continuity")


def _why_zone(context: AnalysisContext, zone_id: str) -> tuple[str, str] | None:
    axes = context.importance_facts.zones.get(zone_id)
    ratings = axes.axes if axes is not None else {}
    for axis, en, ja in (("safety", "safety", "安全"), ("business_continuity", "business continuity", "事業継続")):
        if ratings.get(axis, 0) >= _HIGH:
            return f"{en} importance high or above", f"{ja}の重要度が高以上"
    if context.zone_sides.get(zone_id) == "fa" and any(
        a.status is not Lifecycle.EXISTING and a.type is AssetType.EQUIPMENT for a in context.assets_in.get(zone_id, ())
    ):
        return "new field equipment", "新しい現場機器"
    return None


def check(context: AnalysisContext) -> Iterator[Finding]:
    concerned: list[tuple[str, str, str, list[str]]] = []
    for zone in context.model.zones:
        if context.zone_sides.get(zone.id) == "external":
            continue
        why = _why_zone(context, zone.id)
        if why is None:
            continue
        missing = [m for m in MEASURES if not measure_in_place(context, m, zone.id)]
        if missing:
            concerned.append((zone.id, *why, missing))
    if not concerned:
        return
    listed_en = "; ".join(f"'{context.zone_name(z)}' ({en}; missing {', '.join(m)})" for z, en, _, m in concerned)
    listed_ja = "、".join(f"「{context.zone_name(z)}」（{ja}、未実施 {'・'.join(m)}）" for z, _, ja, m in concerned)
    yield RULE.finding(
        new_subject("factory", context.model.factory.id),
        text(
            f"Physical measures are not recorded for zones whose safety or continuity matters most or that get new field equipment: {listed_en}. "
            "Control and record entry to the rooms, cabinets and ports of these systems, and protect them against earthquakes, floods, power and air-conditioning failures",
            f"安全・事業継続の重要度が高い、または新しい現場機器が入るゾーンに物理的対策の記録がない：{listed_ja}。"
            "これらのシステムの部屋・盤・ポートへの立ち入りを制限・記録し、地震・水害・電源や空調の故障から守る",
        ),
        related=[z for z, *_ in concerned],
    )


RULE = Rule(
    id="PHYS-MEASURES",
    category="threat",
    reference="Appendix 3.2.2 Step 2-2 (2) physical measures",
    title=text(
        "Important zones and new field equipment without physical measures",
        "重要なゾーンや新しい現場機器に物理的対策がない",
    ),
    summary=text(
        "Fires once for the factory, listing the zones of high safety or business-continuity importance, or with new field equipment, where physical access control or protection from disasters is not implemented.",
        "安全・事業継続の重要度が高いゾーンや新しい現場機器のあるゾーンのうち、物理的な入退管理か災害対策が未実施のものを列挙して、工場について一件発生する。",
    ),
    check=check,
    threat_type="facility-environment",
    viewpoint="business-continuity/stoppage",
    risk_matter=None,
    measures=MEASURES,
    why=text(
        "Someone who can walk up to a controller or a server room bypasses every network measure, and a flood or power failure stops the line as surely as an attack.",
        "制御機器やサーバ室に近づける者はネットワークの対策をすべて迂回でき、水害や停電も攻撃と同じように生産を止める。",
    ),
    false_positives=text(
        "The site already has access control and disaster protection that the model does not record: add them to 'measures' (factory-wide or on the zones) and the finding goes.",
        "入退管理や災害対策はすでにあるがモデルに記録されていない場合。measures（工場全体またはゾーン）に追加すれば解消する。",
    ),
)
