"""THREAT-DIFFERENT-REQUIREMENTS: zones whose security requirements differ are joined with no boundary the factory controls.

Appendix 3.2.2 Step 2-2 (1)(i) asks for network connection measures "when
networks are connected between zones with different security requirements",
not only between FA and OA or towards the outside (other rules cover those).
Requirements differ when the zones' importance differs, when they sit on
different sides (control, office, DMZ, other) or when a zone without a
control role sends control instructions into one that has it. One finding per
zone with the stronger requirements (the one a boundary protects), listing the
zones it joins, whichever way
the conduits are drawn. The instructions of a two-way conduit go from the end
whose assets issue them: drawn from a reel store to the MES that sends it its
orders, they come from the MES, not from the store.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import CONTROL_ROLE_KINDS, has_boundary_device, joins_fa_oa, zone_impact
from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import words
from factorysec.model.entities import Importance

_ZoneFacts = tuple[int, str, str, str]
"""What decides whether two zones' requirements differ: the rank of its importance (0 unrated), its level's value ("" unrated), its side and its kind."""


class _Pairs:
    """Why the requirements of two zones differ and which of them is stronger, from each zone's facts read once.

    The texts of each difference depend on the two zones' levels, sides or
    kinds only, so each is worded once per pair of those values, not per pair
    of zones (a company model has tens of thousands of zone pairs).
    """

    def __init__(self, context: AnalysisContext) -> None:
        level_of, sides = context.importance.zone_level, context.zone_sides
        self.facts: dict[str, _ZoneFacts] = {}
        for zone_id, zone in context.zones.items():
            level = level_of(zone_id)
            self.facts[zone_id] = (
                level.rank if level is not None else 0,
                level.value if level is not None else "",
                sides[zone_id],
                zone.kind.value,
            )
        self._worded: dict[tuple[str, str, str], tuple[str, str]] = {}
        self._found: dict[tuple[str, str, bool], list[tuple[str, str]]] = {}

    def differences(self, sender: str, receiver: str, control: bool) -> list[tuple[str, str]]:
        """Why the two zones' requirements differ, in English and Japanese; empty when they do not. Callers must not change the list."""
        key = (sender, receiver, control)
        known = self._found.get(key)
        if known is None:
            known = self._found[key] = self._work_out(self.facts[sender], self.facts[receiver], control)
        return known

    def _work_out(self, a: _ZoneFacts, b: _ZoneFacts, control: bool) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        _, level_a, side_a, kind_a = a
        _, level_b, side_b, kind_b = b
        if level_a and level_b and level_a != level_b:
            found.append(self._wording("importance", level_a, level_b))
        if side_a != side_b:
            found.append(self._wording("side", side_a, side_b))
        if control and kind_a not in CONTROL_ROLE_KINDS and kind_b != kind_a and side_b == "fa":
            found.append(self._wording("control", kind_a, ""))
        return found

    def _wording(self, what: str, first: str, second: str) -> tuple[str, str]:
        key = (what, first, second)
        known = self._worded.get(key)
        if known is None:
            if what == "importance":
                known = (
                    f"importance {first} vs {second}",
                    f"重要度 {words('level', first).ja} と {words('level', second).ja}",
                )
            elif what == "side":
                known = (
                    f"{first} side vs {second} side",
                    f"{words('zone_side', first).ja}側と{words('zone_side', second).ja}側",
                )
            else:
                known = (
                    f"control instructions from a '{first}' zone, which has no control role",
                    f"制御の役割を持たない「{words('zone_kind', first).ja}」ゾーンからの制御指示",
                )
            self._worded[key] = known
        return known

    def stronger(self, a: str, b: str) -> str:
        """The zone of the pair with the stronger requirements, which the boundary protects: higher importance (unrated counts as low), else the one on the control side, else the first."""
        facts_a, facts_b = self.facts[a], self.facts[b]
        rank_a, rank_b = facts_a[0] or _LOW_RANK, facts_b[0] or _LOW_RANK
        if rank_a != rank_b:
            return a if rank_a > rank_b else b
        if facts_b[2] == "fa" and facts_a[2] != "fa":
            return b
        return a


def check(context: AnalysisContext) -> Iterator[Finding]:
    # One finding per stronger zone (the gap is the boundary that should protect it), listing the zones it joins and the conduits.
    joined: dict[str, dict[str, dict[str, None]]] = {}  # stronger zone -> other zone -> conduit ids
    reasons: dict[str, dict[tuple[str, str], None]] = {}
    # Per (sending zone, receiving zone, control, two-way): the conduit ids of the stronger zone towards the other, or None
    # when the pair's requirements do not differ. A plant has far fewer zone pairs than conduits: each is worked out once.
    worked_out: dict[tuple[str, str, bool, bool], dict[str, None] | None] = {}
    pairs: _Pairs | None = None
    for conduit, source, target in context.internal_links:
        a, b = conduit.from_zone, conduit.to_zone
        if a == b or "external" in (source, target) or joins_fa_oa(source, target):
            continue
        if (conduit.controls or conduit.via) and has_boundary_device(context, conduit):
            continue  # without controls or a 'via', a conduit has no boundary
        control = conduit.carries_control_instructions
        if control and context.issued_at_to_end(conduit):
            a, b = b, a  # the instructions come from the 'to' end; what goes back from it carries none
        key = (a, b, control, conduit.direction == "two-way")
        if key in worked_out:
            ids = worked_out[key]
        else:
            if pairs is None:
                pairs = _Pairs(context)
            why = pairs.differences(a, b, control)
            if key[3]:
                # data come back, but instructions still go from the sending zone only: the way back carries none
                why = why + [w for w in pairs.differences(b, a, False) if w not in why]
            if why:
                stronger = pairs.stronger(a, b)
                other = b if stronger == a else a
                ids = joined.setdefault(stronger, {}).setdefault(other, {})
                reasons.setdefault(stronger, {}).update(dict.fromkeys(why))
            else:
                ids = None
            worked_out[key] = ids
        if ids is not None:
            ids[conduit.id] = None
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


_LOW_RANK = Importance.LOW.rank

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
