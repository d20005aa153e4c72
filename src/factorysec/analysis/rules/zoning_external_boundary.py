"""ZONE-EXTERNAL-NO-BOUNDARY: a zone connects to an external network with no boundary device on the way.

Step 2-2 (1)(i) network connection measures and Annex A case (ii): connections
to and through external networks multiply the routes of intrusion; a zone
reaching outside needs a boundary (firewall, VPN device) it controls.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import has_boundary_device, is_external_link, zone_impact, zone_subject


def check(context: AnalysisContext) -> Iterator[Finding]:
    unguarded: dict[str, list[str]] = {}
    for conduit, source, target in context.external_links:
        if not is_external_link(conduit, source, target) or has_boundary_device(context, conduit):
            continue
        if source != "external":
            unguarded.setdefault(conduit.from_zone, []).append(conduit.id)
        if target != "external":
            unguarded.setdefault(conduit.to_zone, []).append(conduit.id)
    for zone_id, conduits in unguarded.items():
        zone = context.zones[zone_id]
        listed = sorted(set(conduits))
        yield RULE.finding(
            zone_subject(zone),
            text(
                f"'{zone.name}' reaches outside the factory through {', '.join(listed)} with no firewall or VPN device on the way; put a boundary device the factory controls between the zone and the external network",
                f"「{zone.name}」は{'、'.join(listed)}で工場外とつながるが、途中にファイアウォールやVPN機器がない。工場が管理する境界機器をゾーンと外部ネットワークの間に置く",
            ),
            related=listed,
            impact=zone_impact(context, zone_id),
        )


RULE = Rule(
    id="ZONE-EXTERNAL-NO-BOUNDARY",
    category="zoning",
    reference="Appendix 3.2.2 Step 2-2 (1)(i) network connection measures; Annex A case (ii)",
    title=text("Zone connects to an external network without a boundary device", "境界機器なしで外部ネットワークに接続するゾーン"),
    summary=text(
        "Flags a zone with a conduit or flow that crosses an external network or reaches an external zone without passing a boundary device.",
        "外部ネットワークや外部ゾーンへ、境界機器を通らずにつながるコンジット・フローを持つゾーンを指摘する。",
    ),
    check=check,
    threat_type="theft-destruction-unauthorized-operation",
    viewpoint="business-continuity/stoppage",
    risk_matter="external-network-connection",
    measures=("net-zone-boundary-filtering", "net-remote-access-vpn-mfa"),
    why=text(
        "A connection between zones with different security requirements, or to a zone an external company manages, needs measures at the boundary (3.2.2 (1)(i)); without a boundary device, everything outside reaches the zone directly.",
        "セキュリティ要件の異なるゾーン間や、外部企業が管理するゾーンとの接続には、境界での対策が要る（3.2.2 (1)(i)）。境界機器がなければ、外部のすべてがゾーンに直接届く。",
    ),
    false_positives=text(
        "The boundary device may exist but not be modelled: add it as an asset with the boundary-device trait and list it in the conduit's 'via', or record 'net-zone-boundary-filtering' in its controls.",
        "境界機器はあるがモデル化されていないことがある。boundary-device の特性を持つ資産として追加しコンジットの 'via' に挙げるか、controls に 'net-zone-boundary-filtering' を記録する。",
    ),
)
