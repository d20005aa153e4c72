"""THREAT-DIFFERENT-REQUIREMENTS: zones whose security requirements differ are joined with no boundary the factory controls.

Appendix 3.2.2 Step 2-2 (1)(i) asks for network connection measures "when
networks are connected between zones with different security requirements",
not only between FA and OA or towards the outside (other rules cover those).
Requirements differ when the zones' importance differs, when they sit on
different sides (control, office, DMZ, other) or when a zone without a
control role sends control instructions into one that has it. One finding per
zone with the stronger requirements (the one a boundary protects), listing the
zones it joins, whichever way
the conduits are drawn.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import CONTROL_ROLE_KINDS, has_boundary_device, joins_fa_oa, zone_impact
from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import words
from factorysec.model.entities import Importance


def _differences(context: AnalysisContext, sender: str, receiver: str, control: bool) -> list[tuple[str, str]]:
    """Why two zones' requirements differ, in English and Japanese; empty when they do not."""
    zones = context.zones
    found: list[tuple[str, str]] = []
    level_a, level_b = context.importance.zone_level(sender), context.importance.zone_level(receiver)
    if level_a is not None and level_b is not None and level_a is not level_b:
        found.append(
            (
                f"importance {level_a.value} vs {level_b.value}",
                f"重要度 {words('level', level_a.value).ja} と {words('level', level_b.value).ja}",
            )
        )
    side_a, side_b = context.zone_sides[sender], context.zone_sides[receiver]
    if side_a != side_b:
        found.append(
            (f"{side_a} side vs {side_b} side", f"{words('zone_side', side_a).ja}側と{words('zone_side', side_b).ja}側")
        )
    kind_a, kind_b = zones[sender].kind.value, zones[receiver].kind.value
    if control and kind_a not in CONTROL_ROLE_KINDS and kind_b != kind_a and side_b == "fa":
        found.append(
            (
                f"control instructions from a '{kind_a}' zone, which has no control role",
                f"制御の役割を持たない「{words('zone_kind', kind_a).ja}」ゾーンからの制御指示",
            )
        )
    return found


def _stronger(context: AnalysisContext, a: str, b: str) -> str:
    """The zone of the pair with the stronger requirements, which the boundary protects: higher importance, else the one on the control side, else the first."""
    rank_a = (context.importance.zone_level(a) or _LOW).rank
    rank_b = (context.importance.zone_level(b) or _LOW).rank
    if rank_a != rank_b:
        return a if rank_a > rank_b else b
    if context.zone_sides[b] == "fa" and context.zone_sides[a] != "fa":
        return b
    return a


def check(context: AnalysisContext) -> Iterator[Finding]:
    # One finding per stronger zone (the gap is the boundary that should protect it), listing the zones it joins and the conduits.
    joined: dict[str, dict[str, dict[str, None]]] = {}  # stronger zone -> other zone -> conduit ids
    reasons: dict[str, dict[tuple[str, str], None]] = {}
    worked_out: dict[tuple[str, str, bool, bool], tuple[list[tuple[str, str]], str]] = {}
    for conduit, source, target in context.linked_sides:
        a, b = conduit.from_zone, conduit.to_zone
        if (
            a == b
            or "external" in (source, target)
            or joins_fa_oa(source, target)
            or has_boundary_device(context, conduit)
        ):
            continue
        key = (a, b, conduit.carries_control_instructions, conduit.direction == "two-way")
        pair = worked_out.get(key)
        if pair is None:  # a plant has far fewer zone pairs than conduits: each pair is worked out once
            why = _differences(context, a, b, conduit.carries_control_instructions)
            if key[3]:
                why += [w for w in _differences(context, b, a, conduit.carries_control_instructions) if w not in why]
            pair = worked_out[key] = (why, _stronger(context, a, b) if why else a)
        why, stronger = pair
        if not why:
            continue
        other = b if stronger == a else a
        joined.setdefault(stronger, {}).setdefault(other, {})[conduit.id] = None
        reasons.setdefault(stronger, {}).update(dict.fromkeys(why))
    for zone_id in context.zones:
        others = joined.get(zone_id)
        if not others:
            continue
        conduits = [c for ids in others.values() for c in ids]
        yield RULE.finding(
            new_subject("zone", zone_id),
            _rationale(context.zone_name(zone_id), [context.zone_name(z) for z in others], conduits, reasons[zone_id]),
            related=[zone_id, *others, *conduits],
            impact=zone_impact(context, zone_id),
        )


def _rationale(zone: str, others: list[str], conduits: list[str], reasons: dict[tuple[str, str], None]) -> Text:
    why_en = "; ".join(en for en, _ in reasons)
    why_ja = "、".join(ja for _, ja in reasons)
    return text(
        f"'{zone}' is joined to {', '.join(repr(o) for o in others)}, whose security requirements differ ({why_en}), by "
        f"{', '.join(conduits)} with no firewall or filtering the factory controls: an intrusion or fault on one side reaches the other unchecked. "
        "Put a boundary between them that lets through only the flows the operations need",
        f"「{zone}」は、セキュリティ要件の異なる{'、'.join(f'「{o}」' for o in others)}と（{why_ja}）、工場の管理する境界なしに{'、'.join(conduits)}でつながる。"
        "一方への侵入や障害がそのまま他方に及ぶ。業務に必要な通信だけを通す境界を間に置く",
    )


_LOW = Importance.LOW

RULE = Rule(
    id="THREAT-DIFFERENT-REQUIREMENTS",
    category="threat",
    reference="Appendix 3.2.2 Step 2-2 (1)(i) network connection measures (zones with different security requirements)",
    title=text(
        "Zones with different security requirements joined without a boundary",
        "セキュリティ要件の異なるゾーンが境界なしにつながる",
    ),
    summary=text(
        "Fires per internal zone with the stronger requirements joined to zones that differ in importance, side or control role by conduits with no factory-run boundary device or filtering (FA-OA and external links have their own rules).",
        "重要度・FA/OA等の側・制御の役割が異なるゾーンと、工場が管理する境界機器や通信制御のないコンジットでつながる、要件の強い側の社内ゾーンごとに発生する（FA-OA間と外部接続は別ルール）。",
    ),
    check=check,
    threat_type="stepping-stone",
    viewpoint="business-continuity/ripple",
    risk_matter="different-security-policy",
    measures=("net-zone-boundary-filtering", "net-encrypted-authenticated-conduit"),
    why=text(
        "The zone with the weaker requirements becomes the way into the stronger one: malware or a mistake there spreads to equipment whose stoppage matters more.",
        "要件の緩いゾーンが、要件の厳しいゾーンへの入口になる。そこでのマルウェアや誤操作が、止まると影響の大きい設備に広がる。",
    ),
    false_positives=text(
        "A firewall exists but is not listed in the conduit's 'via' (or lacks the boundary-device trait), or the importance ratings differ only because one zone's assets are not rated yet.",
        "ファイアウォールはあるがコンジットの via に記載がない（または boundary-device 特性がない）場合、または一方のゾーンの資産が未評価なだけで重要度が異なって見える場合。",
    ),
)
