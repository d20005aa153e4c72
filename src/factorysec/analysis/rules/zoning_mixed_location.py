"""ZONE-MIXED-LOCATION: a zone whose assets sit in different places or need different recovery targets (Step 1-6 procedure step 3)."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import zone_subject
from factorysec.model.entities import PhysicalLocation


def _place(location: PhysicalLocation | None) -> tuple[str, str] | None:
    """Site and building: a zone may span areas of one building, not buildings or sites."""
    if location is None or (location.site is None and location.building is None):
        return None
    return (location.site or "-", location.building or "-")


def _check(context: AnalysisContext) -> Iterator[Finding]:
    for zone in context.model.zones:
        assets = context.assets_in.get(zone.id, ())
        if len(assets) < 2:
            continue
        if (
            zone.location is None
            and zone.recovery_target_hours is None
            and all(a.location is None and a.recovery_target_hours is None for a in assets)
        ):
            continue
        places: dict[tuple[str, str], list[str]] = {}
        targets: dict[float, list[str]] = {}
        zone_place = _place(zone.location)
        for asset in assets:
            place = _place(asset.location) or zone_place
            if place is not None:
                places.setdefault(place, []).append(asset.id)
            target = asset.recovery_target_hours or zone.recovery_target_hours
            if target is not None:
                targets.setdefault(target, []).append(asset.id)
        if len(places) > 1:
            shown = "; ".join(f"{site}/{building}: {', '.join(ids)}" for (site, building), ids in places.items())
            yield RULE.finding(
                zone_subject(zone),
                text(
                    f"'{zone.name}' holds assets in different sites or buildings ({shown}): decide whether the facility environment calls for separate zones",
                    f"「{zone.name}」には異なる拠点・建屋の資産がある（{shown}）。設備環境の観点で別ゾーンにすべきか判断する",
                ),
                key="place",
                related=[a for ids in places.values() for a in ids],
            )
        if len(targets) > 1:
            shown = "; ".join(f"{hours:g} h: {', '.join(ids)}" for hours, ids in sorted(targets.items()))
            yield RULE.finding(
                zone_subject(zone),
                text(
                    f"'{zone.name}' holds assets with different recovery targets ({shown}): assets the BCP must bring back at different speeds are candidates for separate zones",
                    f"「{zone.name}」には復旧目標の異なる資産がある（{shown}）。BCP上の復旧速度が異なる資産は別ゾーンの候補となる",
                ),
                key="recovery",
                related=[a for ids in targets.values() for a in ids],
            )


RULE = Rule(
    id="ZONE-MIXED-LOCATION",
    category="zoning",
    reference="Appendix 3.1.6 Step 1-6, procedure step 3 (same zone or another zone based on BCP, facility environment (physical, cyberspace))",
    title=text("Zone spans places or recovery targets", "ゾーンが複数の場所・復旧目標にまたがる"),
    summary=text(
        "Fires per zone whose assets (or the zone, for assets that give none) sit in more than one site or building, and per zone whose assets "
        "have more than one recovery target.",
        "資産（資産に記載がなければゾーン）が複数の拠点・建屋にあるゾーンごと、また資産の復旧目標が複数あるゾーンごとに発生する。",
    ),
    check=_check,
    measures=("net-zone-boundary-filtering", "phys-access-control"),
    why=text(
        "The guideline decides whether finely categorised equipment stays in one zone by BCP and facility environment, physical as well as cyber (3.1.6 procedure step 3); equipment spread over sites or buildings shares neither physical protection nor recovery.",
        "ガイドラインは、細かく分類した設備を同じゾーンに置くかを、BCPと物理・サイバー両面の設備環境で判断する（3.1.6 手順3）。複数の拠点や建物に分かれた設備は、物理的な保護も復旧も共有しない。",
    ),
    false_positives=text(
        "Locations may be recorded at different detail (a site for one asset, a building for another) for the same place: record them consistently before splitting the zone.",
        "同じ場所なのに、資産によって拠点・建物と異なる粒度で所在を記録していることがある。ゾーンを分ける前に記録をそろえる。",
    ),
)
