"""THREAT-BUILT-IN-COMPUTER: equipment with a built-in computer carries the same risks as a computer (Table 2-1, Table 3-5)."""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import with_traits, zone_threat_rule
from factorysec.model.entities import Trait

RULE = zone_threat_rule(
    rule_id="THREAT-BUILT-IN-COMPUTER",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (built-in computer in the equipment)",
    title=text(
        "Equipment with built-in computers can compute wrong values",
        "組込みコンピュータを持つ設備が誤った値を算出しうる",
    ),
    summary=text(
        "Fires per zone holding equipment with a built-in computer.",
        "組込みコンピュータを持つ設備があるゾーンごとに発生する。",
    ),
    predicate=lambda context, asset: Trait.BUILT_IN_COMPUTER in asset.traits,
    rationale_en="{assets} in '{zone}' run built-in computers: if one is compromised or computes wrongly, the values it controls and reports change without anyone noticing",
    rationale_ja="「{zone}」の{assets}は組込みコンピュータで動く。侵害や誤演算があると、制御・報告する値が気付かれずに変わる",
    threat_type="data-falsification-destruction",
    viewpoint="protected-object/integrity",
    risk_matter="built-in-computer",
    measures=("hw-security-functions", "hw-supplier-vulnerability-response", "op-monitoring-detection-tools"),
    among=with_traits(Trait.BUILT_IN_COMPUTER),
    why=text(
        "Equipment with a built-in computer carries the same risks as a computer (Table 2-1): a compromised or faulty controller computes wrong values and the process follows them (Table 3-5).",
        "コンピュータを内蔵した設備はコンピュータと同じリスクを持つ（表2-1）。侵害された、あるいは故障した制御部は誤った値を計算し、工程はそれに従う（表3-5）。",
    ),
    false_positives=text(
        "The trait may be set on equipment whose computer is sealed, has no interface and no update path; its risk is then close to that of plain machinery: check the device and remove the trait if so.",
        "内蔵コンピュータが封じられ、インタフェースも更新手段もない設備にこの特性が付いていることがある。その場合リスクは普通の機械に近い。機器を確認し、そうなら特性を外す。",
    ),
)
