"""THREAT-FA-DATA-IN-OA: data of the control system also held in the office system, under separate user management, can be falsified or leaked (Table 2-1, Table 3-5)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import conduit_threat_rule, fa_oa_data_links, joins_fa_oa

RULE = conduit_threat_rule(
    rule_id="THREAT-FA-DATA-IN-OA",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (data in FA system also exist in OA system)",
    title=text(
        "Data held on both FA and OA sides under different user management",
        "FA・OA双方にあるデータが異なる利用者管理下にある",
    ),
    summary=text(
        "Fires per conduit carrying modelled data assets between FA and OA zones.",
        "FA・OAゾーン間でデータ資産を運ぶコンジットごとに発生する。",
    ),
    predicate=lambda context, conduit, source, target: joins_fa_oa(source, target) and bool(conduit.data),
    rationale_en="{data} travel over {conduit}, so they exist on both the control and the office side, where different systems manage the users: a weak account on either side can falsify or leak them",
    rationale_ja="{data}は{conduit}を通り制御系と情報系の双方に存在する。利用者管理の仕組みが異なるため、どちらかの弱いアカウントから改ざん・漏えいされうる",
    threat_type="data-falsification-destruction",
    viewpoint="information-transfer/transfer-confidentiality",
    risk_matter="fa-data-in-oa",
    measures=("net-unified-user-management", "net-transfer-integrity-check"),
    among=fa_oa_data_links,
    why=text(
        "When control-side data also lives in office systems, it is guarded by a different user management on each side, and the weaker side lets it be falsified or leaked (Table 2-1, Table 3-5).",
        "制御側のデータが事務系のシステムにもあると、両側で別々の利用者管理に守られ、弱い側から改ざんや漏えいが起こる（表2-1、表3-5）。",
    ),
    false_positives=text(
        "Data copied one way for reporting only (nothing flows back to control) can still leak but cannot steer the process: weigh the finding by the data's disclosure level.",
        "報告用に一方向へ写すだけのデータ（制御へ戻る流れがない）は、漏れることはあっても工程を動かせない。データの開示区分で指摘の重さを判断する。",
    ),
)
