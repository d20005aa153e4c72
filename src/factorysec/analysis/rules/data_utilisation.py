"""DATA-UTILISATION: data from several zones or from outside accumulates in a zone without the data utilisation measures.

Appendix 3.2.2 Step 2-2 (1)(iii) (data utilisation and integration): where
data is gathered from several places or between companies, the factory
assures its quality, prevents defects and loss, decides the scope of
acquisition and the scope of use, and watches the capacity of the store it
accumulates in (Table 3-6 row 7). One finding per gathering zone, listing
where the data comes from; silent when all five measures are in place.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import measure_in_place, zone_impact, zones_sending_data_to

MEASURES = (
    "data-quality-assurance",
    "data-loss-prevention",
    "data-acquisition-scope",
    "data-utilisation-scope",
    "data-db-capacity-monitoring",
)


def check(context: AnalysisContext) -> Iterator[Finding]:
    sides = context.zone_sides
    for zone_id, senders in zones_sending_data_to(context).items():
        if sides.get(zone_id) == "external":
            continue
        from_outside = [z for z in senders if sides.get(z) == "external"]
        if len(senders) < 2 and not from_outside:
            continue
        missing = [m for m in MEASURES if not measure_in_place(context, m, zone_id)]
        if not missing:
            continue
        names = [context.zone_name(z) for z in senders]
        yield RULE.finding(
            new_subject("zone", zone_id),
            text(
                f"'{context.zone_name(zone_id)}' gathers data from {', '.join(names)}"
                + (" (across company boundaries)" if from_outside else "")
                + f"; not yet in place: {', '.join(missing)}. Agree common data quality, detect gaps and keep copies, limit what is acquired "
                "and who may use it, and watch the capacity of the store the data accumulates in",
                f"「{context.zone_name(zone_id)}」は{'、'.join(names)}からデータを集める"
                + ("（企業をまたぐ）" if from_outside else "")
                + f"。未実施：{'、'.join(missing)}。共通のデータ品質を取り決め、欠損を検知して写しを残し、取得範囲と利用者を限り、蓄積先の容量を監視する",
            ),
            related=[*senders, *missing],
            impact=zone_impact(context, zone_id),
        )


RULE = Rule(
    id="DATA-UTILISATION",
    category="threat",
    reference="Appendix 3.2.2 Step 2-2 (1)(iii) data utilisation and integration; Table 3-6 row 7",
    title=text(
        "Data gathered from several places without data utilisation measures",
        "複数の場所から集めるデータにデータ利活用の対策がない",
    ),
    summary=text(
        "Fires per zone that receives data from two or more other zones, or from outside the company, while one of the four data-quality measures or database capacity monitoring is not implemented.",
        "二つ以上の他ゾーン、または社外からデータを受け取るゾーンで、四つのデータ品質の対策かデータベース容量監視のいずれかが未実施のものごとに発生する。",
    ),
    check=check,
    threat_type="data-falsification-destruction",
    viewpoint="protected-object/integrity",
    risk_matter=None,
    measures=(*MEASURES, "net-transfer-backup"),
    why=text(
        "Decisions and automatic control built on gathered data go wrong when the data is inconsistent, incomplete or silently lost, and a full database stops the collection itself.",
        "集めたデータに不整合・欠損・消失があると、それに基づく判断や自動制御が誤り、データベースが満杯になると収集そのものが止まる。",
    ),
    false_positives=text(
        "The measures exist but are not recorded as implemented in the model's 'measures' (on the zone, a parent zone or factory-wide), or the conduits carry only a heartbeat, not data that is used.",
        "対策は実施済みだがモデルの measures（ゾーン・親ゾーン・工場全体）に implemented として記録されていない場合、またはコンジットが利用されるデータでなく死活監視だけを運ぶ場合。",
    ),
)
