"""THREAT-INTER-COMPANY: connections between factories or companies spread an incident either way (Step 1-1 (1) BCP, Step 1-2 scope expansions).

Appendix 3.1.2 lists "interconnection between companies" among the areas of
particularly high concern, and 3.1.1 (1) notes that "even if your company's
network or system is not directly connected to a business partner, both
parties will still be impacted by each other through exchanging information,
data, operations, or services". So the rule fires on a conduit over a
partner's network, and on one exchanging data with a system a customer or a
business partner runs, whatever network it crosses (a customer's supply-chain
portal reached over the internet). Cloud providers, vendors and integrators are
other parts of 3.1.2 (cloud and external services, remote access) and of other
rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import conduit_subject, conduit_wording, zone_impact
from factorysec.model.entities import Conduit, ExternalNetwork, Party

BUSINESS_PARTY_KINDS = frozenset({"customer", "business-partner"})
"""Party kinds whose systems the factory exchanges business data with: the other companies of 3.1.2's interconnection."""


def business_party_end(context: AnalysisContext, conduit: Conduit) -> tuple[Party, str] | None:
    """The customer or business partner running the zone at one end of ``conduit`` (or an asset it names there), with that zone."""
    for zone_id, asset_ids in ((conduit.to_zone, conduit.to_assets), (conduit.from_zone, conduit.from_assets)):
        zone = context.zones.get(zone_id)
        owners = [zone.managed_by if zone is not None else None]
        owners += [context.assets[a].managed_by for a in asset_ids if a in context.assets]
        for owner in owners:
            party = context.parties.get(owner) if owner is not None else None
            if party is not None and party.kind in BUSINESS_PARTY_KINDS:
                return party, zone_id
    return None


def check(context: AnalysisContext) -> Iterator[Finding]:
    describe = conduit_wording(context).describe
    for conduit, _, _ in context.external_links:
        over_partner_network = conduit.external_network is ExternalNetwork.PARTNER_NETWORK
        business = None if over_partner_network else business_party_end(context, conduit)
        if not over_partner_network and business is None:
            continue
        label_en, label_ja, data, _ = describe(conduit)
        if business is None:
            rationale = text(
                f"{label_en} links the factory with a partner's network: an incident at the partner can reach the factory, and one here can reach the partner",
                f"{label_ja}は工場と取引先のネットワークを結ぶ。取引先のインシデントが工場に及び、工場のインシデントも取引先に及びうる",
            )
            related = [conduit.from_zone, conduit.to_zone, *conduit.data]
            impact_zone = conduit.to_zone
        else:
            party, partner_zone = business
            rationale = text(
                f"{label_en} exchanges {data} with a system '{party.name}' runs: even without joined networks, an incident at "
                f"'{party.name}' reaches the factory through what is exchanged (false, missing or leaked data, a stopped exchange), "
                f"and one here reaches '{party.name}' the same way; agree with it what may cross and what each does in an incident",
                f"{label_ja}は「{party.name}」が運用するシステムと{data}をやり取りする。ネットワークが直接つながっていなくても、"
                f"「{party.name}」のインシデントはやり取りするもの（誤った・欠けた・漏えいしたデータ、止まったやり取り）を通じて工場に及び、"
                f"工場のインシデントも同じように「{party.name}」に及ぶ。何をやり取りしてよいか、インシデント時に互いが何をするかを取り決める",
            )
            related = [conduit.from_zone, conduit.to_zone, *conduit.data, party.id]
            impact_zone = conduit.from_zone if partner_zone == conduit.to_zone else conduit.to_zone
        yield RULE.finding(
            conduit_subject(conduit), rationale, related=related, impact=zone_impact(context, impact_zone)
        )


RULE = Rule(
    id="THREAT-INTER-COMPANY",
    category="threat",
    reference="Appendix 3.1.2 Step 1-2 (interconnection between factories and between companies); 3.1.1 Step 1-1 (1) BCP viewpoints",
    title=text(
        "Connection to another company or factory spreads incidents", "他社・他工場との接続でインシデントが波及する"
    ),
    summary=text(
        "Fires per conduit over a partner network, and per conduit exchanging data with a zone or asset a customer or business partner "
        "runs, whatever network it crosses.",
        "取引先ネットワークを経由するコンジットごと、また顧客や取引先が運用するゾーン・資産とデータをやり取りするコンジットごと（経由するネットワークを問わない）に発生する。",
    ),
    check=check,
    threat_type="stepping-stone",
    viewpoint="business-continuity/ripple",
    risk_matter="expanded-attack-effects",
    measures=("net-external-zone-supply-chain-requirements", "net-zone-boundary-filtering"),
    why=text(
        "Links between companies tie each one's incidents to the other, even through exchanged data alone; the BCP must consider a "
        "partner's attack reaching the factory and the factory's reaching the partner (3.1.2, 3.1.1 (1)).",
        "企業間の接続は、やり取りするデータだけでも互いのインシデントを結び付ける。BCPは、取引先への攻撃が工場に及ぶことと、工場への攻撃が取引先に及ぶことの両方を考慮しなければならない（3.1.2、3.1.1 (1)）。",
    ),
    false_positives=text(
        "A partner network used only to receive order files that a person checks before use carries little of this threat: weigh it by what crosses the link.",
        "人が確認してから使う注文ファイルを受け取るだけの取引先ネットワークでは、この脅威は小さい。接続を通るものでその重さを判断する。",
    ),
)
