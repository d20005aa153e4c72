"""THREAT-EXTERNAL-EQUIPMENT: remote-access tools and equipment brought by outsiders leak data when their devices and users are not managed (Table 2-1, Table 3-5)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import with_traits, zone_threat_rule
from factorysec.model.entities import Trait

RULE = zone_threat_rule(
    rule_id="THREAT-EXTERNAL-EQUIPMENT",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (remote access: use of external equipment)",
    title=text("Remote-access and external equipment can leak data", "リモートアクセス・外部機器からのデータ漏えい"),
    summary=text("Fires per zone holding assets with remote access or external equipment.", "リモートアクセスや外部機器を持つゾーンごとに発生する。"),
    predicate=lambda context, asset: Trait.REMOTE_ACCESS in asset.traits or Trait.EXTERNAL_EQUIPMENT in asset.traits,
    rationale_en="{assets} give outsiders a way into '{zone}': devices and accounts the factory does not manage can carry its data out to external networks",
    rationale_ja="{assets}は外部の者が「{zone}」に入る経路になる。工場が管理しない端末やアカウントからデータが外部へ持ち出されうる",
    threat_type="data-theft-leakage",
    viewpoint="business-continuity/leakage",
    risk_matter="external-equipment",
    measures=("net-remote-endpoint-control", "net-vendor-remote-session-management", "net-remote-access-vpn-mfa"),
    among=with_traits(Trait.REMOTE_ACCESS, Trait.EXTERNAL_EQUIPMENT),
)
