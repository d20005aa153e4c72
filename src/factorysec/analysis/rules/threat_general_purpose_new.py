"""THREAT-GENERAL-PURPOSE-NEW: newly introduced general-purpose hardware, software and OSS bring vulnerabilities the procurer cannot fix (Step 2-2 (1)(ii), Table 3-6 rows 2-3)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import with_traits, zone_threat_rule
from factorysec.model.entities import Lifecycle, Trait

RULE = zone_threat_rule(
    rule_id="THREAT-GENERAL-PURPOSE-NEW",
    reference="Appendix 3.2.2 Step 2-2 (1)(ii) general-purpose products; Table 3-6 rows 2-3; Table 3-2 (utilization of general-purpose products)",
    title=text("New general-purpose products and OSS bring vulnerabilities", "新たな汎用製品・OSSによる脆弱性"),
    summary=text(
        "Fires per zone holding new or changed general-purpose or OSS-based assets.",
        "新規・変更された汎用製品やOSSを含む資産があるゾーンごとに発生する。",
    ),
    predicate=lambda context, asset: (
        asset.status is not Lifecycle.EXISTING and (Trait.GENERAL_PURPOSE in asset.traits or Trait.OSS in asset.traits)
    ),
    rationale_en="{assets} newly brought into '{zone}' are general-purpose products or contain OSS: their vulnerabilities can be used to take unauthorized control, and fixes depend on the supplier",
    rationale_ja="「{zone}」に新たに入る{assets}は汎用製品またはOSSを含む。脆弱性を突かれて不正に制御されうるうえ、修正は供給者次第になる",
    threat_type="theft-destruction-unauthorized-operation",
    viewpoint="protected-object/integrity",
    risk_matter=None,
    measures=("hw-supplier-vulnerability-response", "sw-oss-component-management", "sw-daily-vulnerability-management"),
    among=with_traits(Trait.GENERAL_PURPOSE, Trait.OSS),
    why=text(
        "General-purpose products and OSS come without security functions specified for the factory, and procurers can do little to harden them; their vulnerabilities let equipment be controlled without authorisation (3.2.2 (1)(ii), Table 3-6 rows 2-3).",
        "汎用製品やOSSには工場向けに定めたセキュリティ機能がなく、調達側で強化できることも少ない。その脆弱性を突かれると、設備が不正に制御されうる（3.2.2 (1)(ii)、表3-6の2・3）。",
    ),
    false_positives=text(
        "A certified product, or one whose vendor answers the Table 3-11/3-12 checks, carries much less of this risk: answer its checklist, and record a decision that cites the answers.",
        "認証を受けた製品や、ベンダーが表3-11・3-12の確認項目に答えている製品では、このリスクはずっと小さい。チェックリストに回答すれば、関連する指摘の順位は下がる。",
    ),
)
