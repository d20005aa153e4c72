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
from factorysec.model.entities import Asset, Importance

SPREAD = 2
_RANK = {level: level.rank for level in Importance}


def check(context: AnalysisContext) -> Iterator[Finding]:
    rated = context.importance.assets.get
    rank = _RANK
    assets_in = context.assets_in
    for zone in context.model.zones:
        high: tuple[Asset, Importance] | None = None
        low: tuple[Asset, Importance] | None = None
        high_rank = low_rank = 0
        for asset in assets_in.get(zone.id, ()):
            entry = rated(asset.id)
            if entry is None:
                continue
            level = entry.overall.level
            if level is None:
                continue
            level_rank = rank[level]
            if high is None or low is None:
                high = low = (asset, level)
                high_rank = low_rank = level_rank
            elif level_rank > high_rank:
                high, high_rank = (asset, level), level_rank
            elif level_rank < low_rank:
                low, low_rank = (asset, level), level_rank
        if high is None or low is None or high_rank - low_rank < SPREAD:
            continue
        yield RULE.finding(
            zone_subject(zone),
            text(
                f"'{zone.name}' holds '{high[0].name}' ({high[1].value}) and '{low[0].name}' ({low[1].value}); a zone needs one level of security, so move the lower ones out or protect all at the higher level",
                f"「{zone.name}」に「{high[0].name}」（{high[1].value}）と「{low[0].name}」（{low[1].value}）が同居する。ゾーンは同等の対策水準の範囲のため、低い方を移すか全体を高い水準で守る",
            ),
            related=[high[0].id, low[0].id],
        )


RULE = Rule(
    id="ZONE-IMPORTANCE-SPREAD",
    category="zoning",
    reference="Appendix 3.1.6 Step 1-6; 2.1.3 (assets in one zone are protected at an equal level)",
    title=text("Assets of widely different importance share a zone", "重要度が大きく異なる資産が同じゾーンにある"),
    summary=text("Flags a zone whose protected objects differ by two or more importance levels.", "保護対象の重要度が2段階以上異なるゾーンを指摘する。"),
    check=check,
    viewpoint="protected-object/integrity",
)
