"""THREAT-EXTERNAL-NETWORK: a connection over an external network is a route for attacks from outside (Table 2-1, Table 3-5, Step 1-2 scope expansions)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import conduit_threat_rule, external_links
from factorysec.model.entities import ExternalNetwork

RULE = conduit_threat_rule(
    rule_id="THREAT-EXTERNAL-NETWORK",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (remote access: connection via external network); 3.1.2 Step 1-2",
    title=text("Connection over an external network is an attack route", "外部ネットワーク経由の接続が攻撃経路になる"),
    summary=text("Fires per conduit or flow that crosses an external network.", "外部ネットワークを経由するコンジット・フローごとに発生する。"),
    predicate=lambda context, conduit, source, target: conduit.external_network is not ExternalNetwork.NONE,
    rationale_en="{conduit} crosses an external network: attackers on that network can reach the factory end, and an attack there makes the connected service unavailable",
    rationale_ja="{conduit}は外部ネットワークを経由する。そのネットワーク上の攻撃者が工場側に到達でき、攻撃により接続先のサービスが使えなくなる",
    threat_type="theft-destruction-unauthorized-operation",
    viewpoint="business-continuity/stoppage",
    risk_matter="external-network-connection",
    measures=("net-remote-access-vpn-mfa", "net-encrypted-authenticated-conduit", "net-zone-boundary-filtering"),
    among=external_links,
)
