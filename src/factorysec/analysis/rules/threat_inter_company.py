"""THREAT-INTER-COMPANY: connections between factories or companies spread an incident either way (Step 1-1 (1) BCP, Step 1-2 scope expansions)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import conduit_threat_rule, external_links
from factorysec.model.entities import ExternalNetwork

RULE = conduit_threat_rule(
    rule_id="THREAT-INTER-COMPANY",
    reference="Appendix 3.1.2 Step 1-2 (interconnection between factories and between companies); 3.1.1 Step 1-1 (1) BCP viewpoints",
    title=text(
        "Connection to another company or factory spreads incidents", "他社・他工場との接続でインシデントが波及する"
    ),
    summary=text("Fires per conduit over a partner network.", "取引先ネットワークを経由するコンジットごとに発生する。"),
    predicate=lambda context, conduit, source, target: conduit.external_network is ExternalNetwork.PARTNER_NETWORK,
    rationale_en="{conduit} links the factory with a partner's network: an incident at the partner can reach the factory, and one here can reach the partner",
    rationale_ja="{conduit}は工場と取引先のネットワークを結ぶ。取引先のインシデントが工場に及び、工場のインシデントも取引先に及びうる",
    threat_type="stepping-stone",
    viewpoint="business-continuity/ripple",
    risk_matter="expanded-attack-effects",
    measures=("net-external-zone-supply-chain-requirements", "net-zone-boundary-filtering"),
    among=external_links,
    why=text(
        "Links between companies tie each one's incidents to the other; the BCP must consider a partner's attack reaching the factory and the factory's reaching the partner (3.1.2, 3.1.1 (1)).",
        "企業間の接続は、互いのインシデントを結び付ける。BCPは、取引先への攻撃が工場に及ぶことと、工場への攻撃が取引先に及ぶことの両方を考慮しなければならない（3.1.2、3.1.1 (1)）。",
    ),
    false_positives=text(
        "A partner network used only to receive order files that a person checks before use carries little of this threat: weigh it by what crosses the link.",
        "人が確認してから使う注文ファイルを受け取るだけの取引先ネットワークでは、この脅威は小さい。接続を通るものでその重さを判断する。",
    ),
)
