"""THREAT-GENERAL-PURPOSE-NEW: newly introduced general-purpose hardware, software and OSS bring vulnerabilities the procurer cannot fix (Step 2-2 (1)(ii), Table 3-6 rows 2-3)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import with_traits, zone_threat_rule
from factorysec.model.entities import Lifecycle, Trait

RULE = zone_threat_rule(
    rule_id="THREAT-GENERAL-PURPOSE-NEW",
    reference="Appendix 3.2.2 Step 2-2 (1)(ii) general-purpose products; Table 3-6 rows 2-3; Table 3-2 (utilization of general-purpose products)",
    title=text("New general-purpose products and OSS bring vulnerabilities", "新たな汎用製品・OSSによる脆弱性"),
    summary=text("Fires per zone holding new or changed general-purpose or OSS-based assets.", "新規・変更された汎用製品やOSSを含む資産があるゾーンごとに発生する。"),
    predicate=lambda context, asset: asset.status is not Lifecycle.EXISTING and (Trait.GENERAL_PURPOSE in asset.traits or Trait.OSS in asset.traits),
    rationale_en="{assets} newly brought into '{zone}' are general-purpose products or contain OSS: their vulnerabilities can be used to take unauthorized control, and fixes depend on the supplier",
    rationale_ja="「{zone}」に新たに入る{assets}は汎用製品またはOSSを含む。脆弱性を突かれて不正に制御されうるうえ、修正は供給者次第になる",
    threat_type="theft-destruction-unauthorized-operation",
    viewpoint="protected-object/integrity",
    risk_matter=None,
    measures=("hw-supplier-vulnerability-response", "sw-oss-component-management", "sw-daily-vulnerability-management"),
    among=with_traits(Trait.GENERAL_PURPOSE, Trait.OSS),
)
