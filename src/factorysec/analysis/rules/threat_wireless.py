"""THREAT-WIRELESS: wireless LAN or 5G opens the zone to unauthorized access and line stoppage (Table 2-1, Table 3-5)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import with_traits, zone_threat_rule
from factorysec.model.entities import Trait

RULE = zone_threat_rule(
    rule_id="THREAT-WIRELESS",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (use of ICT functions such as wireless LAN, 5G)",
    title=text(
        "Wireless links expose the zone to unauthorized access", "無線通信によりゾーンへの不正アクセスの危険が高まる"
    ),
    summary=text("Fires per zone holding wireless devices.", "無線機器があるゾーンごとに発生する。"),
    predicate=lambda context, asset: Trait.WIRELESS in asset.traits,
    rationale_en="{assets} in '{zone}' communicate wirelessly: anyone within radio range can try to get in or jam the link, stopping the operations that depend on it",
    rationale_ja="「{zone}」の{assets}は無線で通信する。電波の届く範囲から侵入や妨害を試みられ、依存する業務が止まりうる",
    threat_type="theft-destruction-unauthorized-operation",
    viewpoint="business-continuity/stoppage",
    risk_matter="wireless-ict",
    measures=("net-wireless-security", "net-zone-boundary-filtering"),
    among=with_traits(Trait.WIRELESS),
    why=text(
        "Wireless LAN and 5G raise external connectivity: anyone in radio range can try to get in or jam the link, and the line that relies on it stops (Table 2-1, Table 3-5).",
        "無線LANや5Gは外部との接続性を高める。電波の届く範囲の誰もが侵入や妨害を試みられ、それに依存するラインが止まる（表2-1、表3-5）。",
    ),
    false_positives=text(
        "A device with a radio that is disabled in its configuration, or shielded inside the building, is not reachable this way: check the device and remove the wireless trait if so.",
        "設定で無線を無効にした機器や、建物内で遮蔽された機器には、この経路では届かない。機器を確認し、そうなら無線の特性を外す。",
    ),
)
