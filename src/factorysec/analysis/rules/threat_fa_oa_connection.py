"""THREAT-FA-OA-CONNECTION: connecting control (FA) and information (OA) networks passes unvalidated data and wrong instructions across (Table 2-1, Table 3-5)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import conduit_threat_rule, fa_oa_links, joins_fa_oa

RULE = conduit_threat_rule(
    rule_id="THREAT-FA-OA-CONNECTION",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (connection of FA system and OA system networks)",
    title=text(
        "FA–OA connection passes unvalidated data and instructions", "FA・OA間の接続で検証されないデータや指示が渡る"
    ),
    summary=text(
        "Fires per conduit between a control-side (FA) zone and an office (OA) zone.",
        "制御系（FA）ゾーンと情報系（OA）ゾーンの間のコンジットごとに発生する。",
    ),
    predicate=lambda context, conduit, source, target: joins_fa_oa(source, target),
    rationale_en="{conduit} joins the control and information systems, whose security measures differ: without validation on receipt, wrong data ({data}) or wrong control instructions cross, and an attack on one side reaches the other",
    rationale_ja="{conduit}は対策水準の異なる制御系と情報系をつなぐ。受信側で検証しなければ誤ったデータ（{data}）や制御指示が渡り、一方への攻撃が他方へ及ぶ",
    threat_type="abnormal-control-shutdown",
    viewpoint="information-transfer/transfer-integrity",
    risk_matter="fa-oa-connection",
    measures=("net-input-validation-fa-oa", "net-zone-boundary-filtering"),
    among=fa_oa_links,
    why=text(
        "Control and office networks are protected to different standards; joining them lets the weaker side's gaps reach the other, and unvalidated data or instructions cross between them (Table 2-1, Table 3-5).",
        "制御系と事務系のネットワークは異なる基準で守られている。つなぐと弱い側の隙が他方に及び、検証されないデータや指示が行き来する（表2-1、表3-5）。",
    ),
    false_positives=text(
        "A connection through a data diode or a relay server that only lets one validated kind of data through removes most of this threat: model the relay (a boundary device on 'via') so the finding reflects it.",
        "データダイオードや、検証した一種類のデータだけを通す中継サーバを介した接続では、この脅威はほとんど残らない。中継を（'via' の境界機器として）モデル化し、指摘に反映させる。",
    ),
)
