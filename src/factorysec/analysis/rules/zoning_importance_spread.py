"""ZONE-IMPORTANCE-SPREAD: protected objects of widely different importance share one zone.

Step 1-6: a zone is an area needing an equal level of security; when its
assets differ by two or more importance levels, either the low ones are
over-protected or the high ones under-protected.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import zone_subject
from factorysec.catalog.vocabulary import words

SPREAD = 2


def check(context: AnalysisContext) -> Iterator[Finding]:
    zones = context.importance_facts.zones
    for zone in context.model.zones:
        found = zones.get(zone.id)
        if found is None or found.highest is None or found.lowest is None:
            continue
        high, low = found.highest, found.lowest
        if high[1].rank - low[1].rank < SPREAD:
            continue
        high_ja, low_ja = words("level", high[1].value).ja, words("level", low[1].value).ja
        yield RULE.finding(
            zone_subject(zone),
            text(
                f"'{zone.name}' holds '{high[0].name}' ({high[1].value}) and '{low[0].name}' ({low[1].value}); a zone needs one level of security, so move the lower ones out or protect all at the higher level",
                f"「{zone.name}」に「{high[0].name}」（{high_ja}）と「{low[0].name}」（{low_ja}）が同居する。ゾーンは同等の対策水準の範囲のため、低い方を移すか全体を高い水準で守る",
            ),
            related=[high[0].id, low[0].id],
        )


RULE = Rule(
    id="ZONE-IMPORTANCE-SPREAD",
    category="zoning",
    reference="Appendix 3.1.6 Step 1-6; 2.1.3 (assets in one zone are protected at an equal level)",
    title=text("Assets of widely different importance share a zone", "重要度が大きく異なる資産が同じゾーンにある"),
    summary=text(
        "Flags a zone whose protected objects differ by two or more importance levels.",
        "保護対象の重要度が2段階以上異なるゾーンを指摘する。",
    ),
    check=check,
    viewpoint="protected-object/integrity",
    why=text(
        "Assets in one zone are protected at an equal level (2.1.3); when their importance differs widely, either the high-importance objects are under-protected or the rest cost more than they need.",
        "同じゾーンの資産は同等の水準で守る（2.1.3）。重要度が大きく違えば、重要度の高い対象が守り足りないか、残りに必要以上の費用がかかる。",
    ),
    false_positives=text(
        "One rating may be wrong rather than the zoning (a high rating copied to a spare terminal, say): check the ratings before splitting the zone.",
        "ゾーニングでなく評価の一つが誤っていることがある（予備端末に高い評価を写したなど）。ゾーンを分ける前に評価を確認する。",
    ),
)
