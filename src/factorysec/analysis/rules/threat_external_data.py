"""THREAT-EXTERNAL-DATA: factory data sent to or stored in an external system leaks when that system is attacked (Table 3-5, Table 3-6 row 4)."""

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import conduit_threat_rule, enclave_link, external_links, is_external_link
from factorysec.model.entities import Conduit


def _all_public(context: AnalysisContext, data: list[str]) -> bool:
    """Whether every data asset a conduit lists is one the model states as public (``data.disclosure: public``):
    published values, such as the stack emissions a prefecture shows on its website, lose nothing when they leak."""
    assets = context.assets
    return all(
        (asset := assets.get(d)) is not None and asset.data is not None and asset.data.disclosure == "public"
        for d in data
    )


def _sends_data_out(context: AnalysisContext, conduit: Conduit, source: str, target: str) -> bool:
    if not (conduit.data or conduit.carries) or not is_external_link(conduit, source, target):
        return False
    if conduit.data and _all_public(context, list(conduit.data)):
        return False  # nothing it hands over is secret (Table 3-6 row 4 is about leakage)
    if enclave_link(context, conduit):
        return False  # an outside party's device sending to its own service: nothing of the factory's is handed over
    assets = context.assets
    return target == "external" or any(context.is_external(assets[a]) for a in conduit.to_assets if a in assets)


RULE = conduit_threat_rule(
    rule_id="THREAT-EXTERNAL-DATA",
    reference="Appendix 3.1.7 Table 3-5 (handling of information on external systems); Table 3-6 row 4",
    title=text("Factory data held by an external system can leak", "外部システムに置いた工場データが漏えいしうる"),
    summary=text(
        "Fires per conduit or flow that delivers data to an external zone or an externally run service. Silent when every data asset it lists is public (data.disclosure), and on the link of an outside party's own corner of the site (a zone holding only that party's equipment, linked only to that party's external zones) to its own service.",
        "外部ゾーンや外部運用のサービスへデータを渡すコンジット・フローごとに発生する。挙げるデータの保護対象がすべて公開（data.disclosure）の場合と、外部の者が自社機器だけを置く構内の一角（その者の機器だけを置き、その者の外部ゾーンとだけつながるゾーン）から自社のサービスへの接続では発生しない。",
    ),
    predicate=_sends_data_out,
    rationale_en="{conduit} hands {data} to a system outside the factory's control: an attack on that system leaks them beyond the factory network",
    rationale_ja="{conduit}は{data}を工場の管理外のシステムへ渡す。そのシステムへの攻撃で工場ネットワークの外へ漏えいする",
    threat_type="data-theft-leakage",
    viewpoint="protected-object/confidentiality",
    risk_matter="external-system-information",
    measures=("net-transfer-data-allowlist", "data-external-storage-protection", "net-encrypted-authenticated-conduit"),
    among=external_links,
    why=text(
        "Factory data stored on an external system leaves the factory's network: an attack on that system leaks it beyond the factory's control (Table 3-5, Table 3-6 row 4).",
        "外部システムに保存された工場のデータは工場のネットワークの外にある。そのシステムへの攻撃で、工場の管理の及ばないところへ漏れる（表3-5、表3-6の4）。",
    ),
    false_positives=text(
        "Data that is public or already aggregated and anonymised leaks nothing of value: record its disclosure level as public, or accept the finding with a decision.",
        "公開済みのデータや集計・匿名化済みのデータは、漏れても価値を失わない。開示区分を公開として記録するか、判断を記録して受容する。",
    ),
)
