"""THREAT-INTER-COMPANY: connections between factories or companies spread an incident either way (Step 1-1 (1) BCP, Step 1-2 scope expansions)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import conduit_threat_rule, external_links
from factorysec.model.entities import ExternalNetwork

RULE = conduit_threat_rule(
    rule_id="THREAT-INTER-COMPANY",
    reference="Appendix 3.1.2 Step 1-2 (interconnection between factories and between companies); 3.1.1 Step 1-1 (1) BCP viewpoints",
    title=text("Connection to another company or factory spreads incidents", "他社・他工場との接続でインシデントが波及する"),
    summary=text("Fires per conduit over a partner network.", "取引先ネットワークを経由するコンジットごとに発生する。"),
    predicate=lambda context, conduit, source, target: conduit.external_network is ExternalNetwork.PARTNER_NETWORK,
    rationale_en="{conduit} links the factory with a partner's network: an incident at the partner can reach the factory, and one here can reach the partner",
    rationale_ja="{conduit}は工場と取引先のネットワークを結ぶ。取引先のインシデントが工場に及び、工場のインシデントも取引先に及びうる",
    threat_type="stepping-stone",
    viewpoint="business-continuity/ripple",
    risk_matter="expanded-attack-effects",
    measures=("net-external-zone-supply-chain-requirements", "net-zone-boundary-filtering"),
    among=external_links,
)
