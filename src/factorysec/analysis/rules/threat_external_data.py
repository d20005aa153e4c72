"""THREAT-EXTERNAL-DATA: factory data sent to or stored in an external system leaks when that system is attacked (Table 3-5, Table 3-6 row 4)."""

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import conduit_threat_rule, external_links, is_external_link
from factorysec.model.entities import Conduit


def _sends_data_out(context: AnalysisContext, conduit: Conduit, source: str, target: str) -> bool:
    if not (conduit.data or conduit.carries) or not is_external_link(conduit, source, target):
        return False
    assets = context.assets
    return target == "external" or any(context.is_external(assets[a]) for a in conduit.to_assets if a in assets)


RULE = conduit_threat_rule(
    rule_id="THREAT-EXTERNAL-DATA",
    reference="Appendix 3.1.7 Table 3-5 (handling of information on external systems); Table 3-6 row 4",
    title=text("Factory data held by an external system can leak", "外部システムに置いた工場データが漏えいしうる"),
    summary=text("Fires per conduit or flow that delivers data to an external zone or an externally run service.", "外部ゾーンや外部運用のサービスへデータを渡すコンジット・フローごとに発生する。"),
    predicate=_sends_data_out,
    rationale_en="{conduit} hands {data} to a system outside the factory's control: an attack on that system leaks them beyond the factory network",
    rationale_ja="{conduit}は{data}を工場の管理外のシステムへ渡す。そのシステムへの攻撃で工場ネットワークの外へ漏えいする",
    threat_type="data-theft-leakage",
    viewpoint="protected-object/confidentiality",
    risk_matter="external-system-information",
    measures=("net-transfer-data-allowlist", "data-external-storage-protection", "net-encrypted-authenticated-conduit"),
    among=external_links,
)
