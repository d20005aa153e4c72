"""THREAT-REMOVABLE-MEDIA: USB memory and other media carried into a zone bring malware in and data out.

Removable media is more than an entry point for exposure: it is a threat of
its own (Appendix 2.1.2 Table 2-1, use of external equipment) that network
boundaries do not stop, answered by controlling the media themselves
(3.2.2 (1)(ii) hardware measures) and physical access to the ports.
"""

from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import with_traits, zone_threat_rule
from factorysec.model.entities import Trait

RULE = zone_threat_rule(
    rule_id="THREAT-REMOVABLE-MEDIA",
    reference="Appendix 2.1.2 Table 2-1 (use of external equipment); 3.2.2 Step 2-2 (1)(ii) hardware, (2) physical measures",
    title=text("Removable media carry malware in and data out", "可搬記録媒体によるマルウェア持ち込みとデータ持ち出し"),
    summary=text(
        "Fires per zone holding devices that take removable media.",
        "可搬記録媒体を使う機器があるゾーンごとに発生する。",
    ),
    predicate=lambda context, asset: Trait.REMOVABLE_MEDIA in asset.traits,
    rationale_en="{assets} in '{zone}' take USB memory or other removable media: malware on a stick passes every network boundary, and data leaves the same way. Allow only registered, scanned media and lock the ports that are not needed",
    rationale_ja="「{zone}」の{assets}はUSBメモリ等の可搬記録媒体を使う。媒体上のマルウェアはネットワーク境界をすべて素通りし、データも同じ経路で持ち出される。登録・検査済みの媒体だけを許し、不要なポートを塞ぐ",
    threat_type="theft-destruction-unauthorized-operation",
    viewpoint="business-continuity/stoppage",
    risk_matter="external-equipment",
    measures=("hw-removable-media-control", "phys-access-control", "data-handling-rules", "phys-secure-disposal"),
    among=with_traits(Trait.REMOVABLE_MEDIA),
    why=text(
        "Air-gapped and well-zoned control networks have been infected through a single USB stick used to carry programs or recipes; no firewall sees it.",
        "分離やゾーン分けが十分な制御ネットワークでも、プログラムやレシピの受け渡しに使ったUSBメモリ一本で感染した例がある。ファイアウォールからは見えない。",
    ),
    false_positives=text(
        "The trait is set on a device whose ports are physically blocked, or media are already restricted by a measure recorded in the model (then the gap, not the threat, closes).",
        "ポートが物理的に塞がれている機器に特性が付いている場合、または媒体の制限がすでにモデルの measures に記録されている場合（その場合は脅威でなく対策の不足が解消される）。",
    ),
)
