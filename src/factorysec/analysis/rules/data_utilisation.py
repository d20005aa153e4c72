"""DATA-UTILISATION: data from several zones or from outside accumulates in a zone without the data utilisation measures.

Appendix 3.2.2 Step 2-2 (1)(iii) (data utilisation and integration): where
data is gathered from several places or between companies, the factory
assures its quality, prevents defects and loss, decides the scope of
acquisition and the scope of use, and watches the capacity of the store it
accumulates in (Table 3-6 row 7). One finding per gathering zone, listing
where the data comes from; silent when all five measures are in place.

The appendix's own example of such a place is outside the factory: data from
facilities and IoT equipment accumulated and processed in a cloud service,
whose results are fed back to the factory, where a malfunction becomes
"incorrect data utilization and unintended feedback". So an external zone
counts too when it gathers the factory's data from two or more zones, or
gathers it and sends results back into the factory on a conduit of their own;
the measures are then confirmed with its operator. A two-way conduit is one
exchange (a remote maintenance session), not a gathering and a feedback. What
the operator's own equipment sends it from a zone that holds nothing else and
reaches nothing but the operator (a utility's demand monitor alone in the
cubicle, reading the utility's meter) is not gathered from the factory's
facilities: the factory plans no data utilisation there.

Which way the data goes on a two-way conduit follows the data assets it
carries: an end receives data only when some of them are held elsewhere (Annex
A case (iii): the warehouse's item data goes out to the remote maintenance
service, which gathers nothing the warehouse must assure). A two-way conduit
that crosses the company boundary and names no data asset is taken as a
session (remote maintenance, remote support), not data that is gathered;
within the company, one without data assets still counts both ways.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import is_external_link, measure_in_place, party_enclave, zone_impact
from factorysec.model.entities import Conduit

MEASURES = (
    "data-quality-assurance",
    "data-loss-prevention",
    "data-acquisition-scope",
    "data-utilisation-scope",
    "data-db-capacity-monitoring",
)


def _fed_back(context: AnalysisContext, zone_id: str) -> list[Conduit]:
    """The one-way conduits by which an external zone sends data or control instructions back into the factory."""
    sides = context.zone_sides
    return [
        conduit
        for conduit in context.carrying_between_zones
        if conduit.from_zone == zone_id and conduit.direction == "one-way" and sides.get(conduit.to_zone) != "external"
    ]


def _receives(context: AnalysisContext, conduit: Conduit, zone_id: str) -> bool:
    """Whether data reaches ``zone_id`` (one end of a two-way conduit) from the other end."""
    if conduit.data:
        assets = context.assets
        return any(d not in assets or assets[d].zone != zone_id for d in conduit.data)
    sides = context.zone_sides
    return not is_external_link(conduit, sides.get(conduit.from_zone, ""), sides.get(conduit.to_zone, ""))


def data_senders(context: AnalysisContext) -> dict[str, dict[str, None]]:
    """Per zone, the other zones it receives data from, in model order (conduits carrying control instructions
    drive equipment rather than gather data, and are left out)."""
    senders: dict[str, dict[str, None]] = {}
    for conduit in context.carrying_between_zones:
        if conduit.carries_control_instructions:
            continue
        if conduit.direction == "one-way" or _receives(context, conduit, conduit.to_zone):
            senders.setdefault(conduit.to_zone, {})[conduit.from_zone] = None
        if conduit.direction == "two-way" and _receives(context, conduit, conduit.from_zone):
            senders.setdefault(conduit.from_zone, {})[conduit.to_zone] = None
    return senders


def check(context: AnalysisContext) -> Iterator[Finding]:
    sides = context.zone_sides
    for zone_id, senders in data_senders(context).items():
        feedback: list[Conduit] = []
        external = sides.get(zone_id) == "external"
        if external:
            operator = context.zones[zone_id].managed_by
            senders = {  # the factory's data it gathers, not what its operator's own equipment alone on the site sends it
                z: None
                for z in senders
                if sides.get(z) != "external" and (operator is None or party_enclave(context, z) != operator)
            }
            feedback = _fed_back(context, zone_id) if senders else []
            if len(senders) < 2 and not feedback:
                continue
            from_outside = []
        else:
            from_outside = [z for z in senders if sides.get(z) == "external"]
            if len(senders) < 2 and not from_outside:
                continue
        missing = [m for m in MEASURES if not measure_in_place(context, m, zone_id)]
        if not missing:
            continue
        names = [context.zone_name(z) for z in senders]
        outside_en = outside_ja = after_en = after_ja = ""
        operator = context.zones[zone_id].managed_by if external else None
        if external:
            outside_en, outside_ja = ", outside the factory", "工場外で"
        if feedback:
            back_en = ", ".join(f"'{context.zone_name(c.to_zone)}' ({c.id})" for c in feedback)
            back_ja = "、".join(f"「{context.zone_name(c.to_zone)}」（{c.id}）" for c in feedback)
            outside_en += f", and feeds its results back to {back_en}"
            after_en = ": a malfunction there feeds wrong results back into the factory unnoticed"
            after_ja = f"。その結果は{back_ja}へ戻るため、そこでの誤動作は誤った結果を気付かれないまま工場へ戻す"
        if operator is not None:
            after_en += f". Confirm these measures with its operator ({operator})"
            after_ja += f"。これらの対策を運営者（{operator}）と確認する"
        yield RULE.finding(
            new_subject("zone", zone_id),
            text(
                f"'{context.zone_name(zone_id)}' gathers data from {', '.join(names)}"
                + (" (across company boundaries)" if from_outside else "")
                + outside_en
                + f"; not yet in place: {', '.join(missing)}. Agree common data quality, detect gaps and keep copies, limit what is acquired "
                "and who may use it, and watch the capacity of the store the data accumulates in" + after_en,
                f"「{context.zone_name(zone_id)}」は{outside_ja}{'、'.join(names)}からデータを集める"
                + ("（企業をまたぐ）" if from_outside else "")
                + f"。未実施：{'、'.join(missing)}。共通のデータ品質を取り決め、欠損を検知して写しを残し、取得範囲と利用者を限り、蓄積先の容量を監視する"
                + after_ja,
            ),
            related=[*senders, *(c.id for c in feedback), *missing],
            impact=zone_impact(context, zone_id),
        )


RULE = Rule(
    id="DATA-UTILISATION",
    category="threat",
    reference="Appendix 3.2.2 Step 2-2 (1)(iii) data utilisation and integration; Table 3-6 row 7",
    title=text(
        "Data gathered from several places, or fed back from outside, without data utilisation measures",
        "複数の場所から集める、または外部から戻すデータにデータ利活用の対策がない",
    ),
    summary=text(
        "Fires per zone that receives data from two or more other zones, or from outside the company, and per external zone (a cloud service) that gathers "
        "the factory's data from two or more zones or feeds results back into the factory, while one of the four data-quality measures or database capacity monitoring is not implemented. "
        "A two-way conduit brings data only to the end that does not hold the data assets it carries; one across the company boundary that names none is a session (remote support), not data gathered. "
        "An external zone's operator is not taken to gather the factory's data from a zone holding only its own equipment and reaching only it (a utility's meter-side monitor).",
        "二つ以上の他ゾーン、または社外からデータを受け取るゾーン、および工場の二つ以上のゾーンからデータを集めるか結果を工場へ戻す外部ゾーン（クラウドサービス）で、"
        "四つのデータ品質の対策かデータベース容量監視のいずれかが未実施のものごとに発生する。"
        "双方向のコンジットは、運ぶデータ資産を保持していない側にだけデータをもたらす。企業の境界をまたぎデータ資産を挙げないものはセッション（リモート保守）とみなし、集めるデータとしない。"
        "外部ゾーンの運営者自身の機器だけを置き、その運営者にだけつながるゾーン（電力会社の計量側の監視装置）からのデータは、工場のデータを集めるものとしない。",
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
