"""THREAT-EXTERNAL-EQUIPMENT: remote-access tools and equipment brought by outsiders leak data when their devices and users are not managed (Table 2-1, Table 3-5)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import with_traits, zone_threat_rule
from factorysec.model.entities import Trait

RULE = zone_threat_rule(
    rule_id="THREAT-EXTERNAL-EQUIPMENT",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (remote access: use of external equipment)",
    title=text("Remote-access and external equipment can leak data", "リモートアクセス・外部機器からのデータ漏えい"),
    summary=text(
        "Fires per zone holding assets with remote access or external equipment.",
        "リモートアクセスや外部機器を持つゾーンごとに発生する。",
    ),
    predicate=lambda context, asset: Trait.REMOTE_ACCESS in asset.traits or Trait.EXTERNAL_EQUIPMENT in asset.traits,
    rationale_en="{assets} give outsiders a way into '{zone}': devices and accounts the factory does not manage can carry its data out to external networks",
    rationale_ja="{assets}は外部の者が「{zone}」に入る経路になる。工場が管理しない端末やアカウントからデータが外部へ持ち出されうる",
    threat_type="data-theft-leakage",
    viewpoint="business-continuity/leakage",
    risk_matter="external-equipment",
    measures=("net-remote-endpoint-control", "net-vendor-remote-session-management", "net-remote-access-vpn-mfa"),
    among=with_traits(Trait.REMOTE_ACCESS, Trait.EXTERNAL_EQUIPMENT),
    outside_sites="carry",
    why=text(
        "Remote-access and external equipment is managed by someone else or used from elsewhere; weak management of the devices and their users leads to data leaking to external networks (Table 2-1, Table 3-5).",
        "リモートアクセス機器や外部の機器は、他者が管理したり他所から使われたりする。機器と利用者の管理が不十分だと、データが外部ネットワークへ漏れる（表2-1、表3-5）。",
    ),
    false_positives=text(
        "A remote-access trait left on a device whose remote link has been removed, or used only under supervision with the link unplugged otherwise, overstates the risk: update the traits to match.",
        "リモート接続を撤去した機器や、監視下でのみ接続し普段は切断している機器に特性が残っていると、リスクを過大に見る。特性を実態に合わせる。",
    ),
)
