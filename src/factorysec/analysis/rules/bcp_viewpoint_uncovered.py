"""S1-BCP-VIEWPOINT: a BCP review viewpoint whose trigger is in the model but which the BCP does not cover (Step 1-1 (1))."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._step1 import factory_subject, listed, listed_ja, related, smartified_ids
from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import reference
from factorysec.model.entities import ExternalNetwork


def triggers(context: AnalysisContext) -> dict[str, tuple[list[str], Text]]:
    """Per BCP viewpoint group, the elements of the model that make it apply, and why.

    supply-chain: external parties and partner-network connections; new-services:
    new or changed elements; decision-making: conduits carrying control
    instructions between zones or crossing an external network.
    """
    model = context.model
    partners = [p.id for p in model.parties]
    partners.extend(c.id for c in model.conduits if c.external_network is ExternalNetwork.PARTNER_NETWORK)
    decisions = [c.id for c, _, _ in context.control_links if c.from_zone != c.to_zone]
    seen = set(decisions)
    decisions.extend(
        c.id
        for c, _, _ in context.external_links
        if c.id not in seen and c.external_network is not ExternalNetwork.NONE
    )
    return {
        "supply-chain": (
            partners,
            text("external parties or partner connections take part", "外部の事業者または取引先との接続がある"),
        ),
        "new-services": (
            smartified_ids(context),
            text("smartification adds or changes elements", "スマート化で要素が追加・変更される"),
        ),
        "decision-making": (
            decisions,
            text(
                "control instructions cross zones or conduits cross external networks",
                "制御指示がゾーンをまたぐ、または外部ネットワークを通るコンジットがある",
            ),
        ),
    }


def _check(context: AnalysisContext) -> Iterator[Finding]:
    bcp = context.model.bcp
    if bcp is None or not bcp.exists:
        return  # S1-BCP-MISSING speaks for it
    covered = set(bcp.covers)
    found = triggers(context)
    subject = factory_subject(context)
    for viewpoint in context.catalog.bcp_viewpoints.values():
        if viewpoint.id in covered:
            continue
        ids, why = found.get(viewpoint.group, ([], None))
        if not ids or why is None:
            continue
        yield RULE.finding(
            subject,
            text(
                f"The BCP does not cover '{viewpoint.title.en}' ({viewpoint.id}, {viewpoint.ref}), though {why.en}: {listed(ids)}",
                f"BCPが「{viewpoint.title.ja}」（{viewpoint.id}、{reference(viewpoint.ref, 'ja')}）を扱っていないが、{why.ja}：{listed_ja(ids)}",
            ),
            title=text(f"BCP does not cover: {viewpoint.title.en}", f"BCPの見直し観点が未反映：{viewpoint.title.ja}"),
            key=viewpoint.id,
            related=related(ids),
        )


RULE = Rule(
    id="S1-BCP-VIEWPOINT",
    category="requirement",
    reference="Appendix 3.1.1 Step 1-1 (1), BCP review viewpoints (partners and supply chain, new systems and services, decision making)",
    title=text("BCP review viewpoint not covered", "BCPの見直し観点が反映されていない"),
    summary=text(
        "Fires once per BCP review viewpoint that the BCP's 'covers' lacks while the model holds its trigger: external parties or partner "
        "connections (supply-chain viewpoints), new or changed elements (new-service viewpoints), control instructions between zones or "
        "external network crossings (decision-making viewpoints).",
        "BCPの 'covers' にない見直し観点ごとに、その契機がモデルにあれば発生する。外部事業者・取引先との接続（サプライチェーンの観点）、"
        "新規・変更の要素（新サービスの観点）、ゾーン間の制御指示・外部ネットワークの通過（意思決定の観点）。",
    ),
    check=_check,
    measures=("op-bcp-smartification-review",),
    why=text(
        "The appendix lists what a BCP must consider once smartification brings partners, new services and external control: a partner's incident reaching the factory, failures whose cause cannot be told, and who decides to stop or continue (3.1.1 (1)). A viewpoint left out is a situation the plan has no answer for.",
        "付録は、スマート化で取引先・新サービス・外部からの制御が加わったときにBCPが考慮すべき観点を挙げる。取引先のインシデントの波及、原因の判別できない障害、停止・継続を誰が決めるか（3.1.1 (1)）。抜けた観点は、計画に答えのない事態である。",
    ),
    false_positives=text(
        "The BCP may cover the viewpoint under another heading or in a group-level plan the model does not list: add the viewpoint to 'bcp.covers' once you have confirmed it is covered.",
        "BCPが別の見出しや、モデルに載っていないグループ全体の計画でその観点を扱っていることがある。扱っていると確認できたら 'bcp.covers' に加える。",
    ),
)
