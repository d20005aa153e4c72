"""THREAT-EXTERNAL-SYSTEM: an external system with a different risk tolerance is attacked and the factory's operations stop (Table 2-1, Table 3-5)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import external_devices, zone_threat_rule

RULE = zone_threat_rule(
    rule_id="THREAT-EXTERNAL-SYSTEM",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (integration with third-party systems: different security policy)",
    title=text(
        "External systems with other security policies can stop operations",
        "異なるセキュリティポリシーの外部システムが業務を止めうる",
    ),
    summary=text(
        "Fires per zone holding external services or assets run by an external party.",
        "外部サービスや外部事業者が運用する資産を持つゾーンごとに発生する。",
    ),
    predicate=lambda context, asset: context.is_external(asset),
    rationale_en="{assets} in '{zone}' are run by an external party under its own security policy and risk tolerance: an attack on their side can stop the operations that rely on them",
    rationale_ja="「{zone}」の{assets}は外部事業者が独自のポリシーとリスク許容度で運用する。先方への攻撃で依存する業務が止まりうる",
    threat_type="reduced-availability",
    viewpoint="business-continuity/stoppage",
    risk_matter="different-security-policy",
    measures=(
        "net-external-zone-supply-chain-requirements",
        "cloud-provider-incident-responsibility",
        "cloud-service-resumption",
        "hw-incident-maintenance-policy",
    ),
    among=external_devices,
    outside_sites="keep",
    fit_measures=True,
    why=text(
        "An external system runs under its owner's security policy and risk tolerance; an attack it tolerates can stop the factory's operations that depend on it (Table 2-1, Table 3-5).",
        "外部システムはその所有者のセキュリティ方針とリスク許容度で運用される。相手が許容する攻撃で、それに依存する工場の業務が止まりうる（表2-1、表3-5）。",
    ),
    false_positives=text(
        "A service the factory uses only for non-production work (mail, travel booking) rarely stops production: check which operations the zone serves before ranking the finding high.",
        "生産に関係しない用途（メール、出張手配）だけのサービスで生産が止まることはまれである。指摘を重く扱う前に、ゾーンが担う業務を確認する。",
    ),
)
