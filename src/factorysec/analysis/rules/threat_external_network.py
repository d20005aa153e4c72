"""THREAT-EXTERNAL-NETWORK: a connection over an external network is a route for attacks from outside (Table 2-1, Table 3-5, Step 1-2 scope expansions)."""

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import conduit_threat_rule, enclave_link, external_links
from factorysec.model.entities import Conduit, ExternalNetwork


def _crosses_external_network(context: AnalysisContext, conduit: Conduit, source: str, target: str) -> bool:
    # The link of an outside party's own corner of the site to its own service leads to nothing of the factory's:
    # THREAT-EXTERNAL-SYSTEM tells what stops when the party's side is attacked.
    return conduit.external_network is not ExternalNetwork.NONE and not enclave_link(context, conduit)


RULE = conduit_threat_rule(
    rule_id="THREAT-EXTERNAL-NETWORK",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (remote access: connection via external network); 3.1.2 Step 1-2",
    title=text("Connection over an external network is an attack route", "外部ネットワーク経由の接続が攻撃経路になる"),
    summary=text(
        "Fires per conduit or flow that crosses an external network, except the link of an outside party's own corner of the site (a zone holding only that party's equipment, linked only to that party's external zones) to its own service.",
        "外部ネットワークを経由するコンジット・フローごとに発生する。ただし、外部の者が自社機器だけを置く構内の一角（その者の機器だけを置き、その者の外部ゾーンとだけつながるゾーン）から自社のサービスへの接続は除く。",
    ),
    predicate=_crosses_external_network,
    rationale_en="{conduit} crosses an external network: attackers on that network can reach the factory end, and an attack there makes the connected service unavailable",
    rationale_ja="{conduit}は外部ネットワークを経由する。そのネットワーク上の攻撃者が工場側に到達でき、攻撃により接続先のサービスが使えなくなる",
    threat_type="theft-destruction-unauthorized-operation",
    viewpoint="business-continuity/stoppage",
    risk_matter="external-network-connection",
    measures=("net-remote-access-vpn-mfa", "net-encrypted-authenticated-conduit", "net-zone-boundary-filtering"),
    among=external_links,
    why=text(
        "A connection over an external network adds a route for attackers (2.1.2): an attack from outside can make the connected devices unavailable and stop the operations that rely on them (Table 3-5).",
        "外部ネットワーク経由の接続は攻撃者の侵入経路を増やす（2.1.2）。外部からの攻撃で接続先の機器が使えなくなり、それに依存する業務が止まりうる（表3-5）。",
    ),
    false_positives=text(
        "A link over a dedicated leased line or a private network the factory controls end to end may be marked as an external network by mistake: check the 'external_network' value.",
        "工場が端から端まで管理する専用線や閉域網が、誤って外部ネットワークとされていることがある。'external_network' の値を確認する。",
    ),
)
