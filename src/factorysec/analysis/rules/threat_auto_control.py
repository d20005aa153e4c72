"""THREAT-AUTO-CONTROL-INSTRUCTIONS: control instructions generated automatically from data that came from another zone.

Annex A case (i) step 3, Table 3-5 and Table 3-6 row 6: when data received
from one zone drives control instructions to another without a person
checking them (CAD data turned into machining instructions), falsified or
broken input becomes abnormal operation of the equipment wherever the
converting station sits, engineering zone or not. The receiving side needs
input validation and a comparison of what was sent with what arrived, and the
issuing zone an integrity requirement within itself. One finding per issuing
zone, listing the zones its data comes from and the conduits its instructions
take. Instructions built from data whose origin is outside the factory get
the stronger finding of ``THREAT-OUTSIDE-ORIGIN-CONTROL`` instead; those the
model's lineage (``data.derived_from``) clears of outside origin get this one,
naming only the zones the lineage's data come from (none: the instructions are
made in the zone from its own data, and no finding).
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import carried, zone_impact
from factorysec.model.entities import Conduit


def _zones_feeding(context: AnalysisContext) -> dict[str, dict[str, None]]:
    """Per zone, the other zones of the model it receives data from (two-way conduits count both ways), in model order.

    Conduits that carry control instructions count too: data that drives control (CAD data for a SCADA, Annex A
    case (i)) still feeds what the receiver issues.
    """
    feeding: dict[str, dict[str, None]] = {}
    for conduit in context.carrying_between_zones:
        feeding.setdefault(conduit.to_zone, {})[conduit.from_zone] = None
        if conduit.direction == "two-way":
            feeding.setdefault(conduit.from_zone, {})[conduit.to_zone] = None
    return feeding


def _lineage_sources(context: AnalysisContext, zone_id: str, lineage: list[str]) -> set[str]:
    """The zones the data of a stated lineage come from into ``zone_id``: where each of them is kept (its ``zone``),
    and the zones that send one of them to ``zone_id`` over a conduit that lists it (not the way back of a conduit
    carrying control instructions, which brings the controlled equipment's readings to the end that issues them:
    :meth:`AnalysisContext.control_ends`)."""
    wanted = set(lineage)
    found = {
        asset.zone
        for data_id in lineage
        if (asset := context.assets.get(data_id)) is not None and asset.zone is not None and asset.zone != zone_id
    }
    for conduit in context.carrying_between_zones:
        if wanted.isdisjoint(conduit.data):
            continue
        if conduit.carries_control_instructions:
            issuer, _, receiver, _ = context.control_ends(conduit, stated_only=True)
            if receiver == zone_id:
                found.add(issuer)
        elif conduit.to_zone == zone_id:
            found.add(conduit.from_zone)
        elif conduit.from_zone == zone_id and conduit.direction == "two-way":
            found.add(conduit.to_zone)
    return found


def check(context: AnalysisContext) -> Iterator[Finding]:
    sides = context.zone_sides

    def ends(conduit: Conduit) -> tuple[str, list[str], str, list[str]]:
        return context.control_ends(conduit, stated_only=True)  # as the outside-origin walk reads them

    sent = [
        conduit
        for conduit, _, _ in context.control_links
        if conduit.carries_control_instructions
        and conduit.from_zone != conduit.to_zone
        and sides[ends(conduit)[0]] == "fa"
    ]  # instructions from outside the control side have their own rule
    if not sent:
        return  # the walks below are worth their cost only when some zone issues instructions
    origins = context.conduit_outside_origins
    feeding = _zones_feeding(context)
    issued: dict[str, dict[str, None]] = {}  # issuing zone -> control conduit ids
    sourced: dict[str, dict[str, None]] = {}  # issuing zone -> the zones its instructions are built from
    for conduit in sent:
        issuer, _, receiver, _ = ends(conduit)
        feeders = feeding.get(issuer, {})
        stated = False
        if conduit.data:
            outside, unstated, lineage = context.lineage_of(conduit.data)
            stated = not outside and not unstated
        if conduit.id in origins and not stated:
            continue  # instructions from data of outside origin have their own rule
        if stated:
            # The model says what the instructions are made from: the zones that data come from, if any.
            from_zones = _lineage_sources(context, issuer, lineage)
            sources = [z for z in feeders if z in from_zones and z != receiver]
        else:
            sources = [z for z in feeders if z != receiver]
        if sources:
            issued.setdefault(issuer, {})[conduit.id] = None
            sourced.setdefault(issuer, {}).update(dict.fromkeys(sources))
    for zone_id, conduit_ids in issued.items():
        conduits = [context.conduits[c] for c in conduit_ids]
        receivers = {c.id: ends(c)[2] for c in conduits}
        sources = [z for z in feeding[zone_id] if z in sourced[zone_id] and z not in receivers.values()]
        targets = list(dict.fromkeys(receivers.values()))
        name = context.zone_name(zone_id)
        instructions = "; ".join(f"{context.zone_name(receivers[c.id])}: {carried(context, c)}" for c in conduits)
        from_en = ", ".join(context.zone_name(z) for z in sources)
        from_ja = "、".join(context.zone_name(z) for z in sources)
        strongest = max(targets, key=lambda z: getattr(context.importance.zone_level(z), "rank", 0))
        yield RULE.finding(
            new_subject("zone", zone_id),
            text(
                f"'{name}' builds control instructions ({instructions}) from data it receives from {from_en}, with no person in between: "
                "falsified or broken input becomes abnormal operation of the receiving equipment. Validate the input on receipt, compare what "
                f"was sent with what arrived, and keep the data in '{name}' intact",
                f"「{name}」は{from_ja}から受けたデータをもとに、人を介さず制御指示（{instructions}）を作る。改ざん・破損した入力データが受信側設備の異常動作になる。"
                f"受信時に入力を検証し、送信内容と受信内容を照合し、「{name}」内のデータの完全性を守る",
            ),
            related=[*sources, *targets, *conduit_ids],
            impact=zone_impact(context, strongest),
        )


RULE = Rule(
    id="THREAT-AUTO-CONTROL-INSTRUCTIONS",
    category="threat",
    reference="Appendix Annex A case (i) step 3; 3.1.7 Table 3-5; 3.2.2 Table 3-6 row 6 (control instructions generated automatically)",
    title=text(
        "Control instructions generated automatically from another zone's data",
        "他ゾーンのデータから自動生成される制御指示",
    ),
    summary=text(
        "Fires per control-side zone that sends control instructions to other zones and itself receives data from a third zone (an automatic chain from data to control), but for instructions THREAT-OUTSIDE-ORIGIN-CONTROL reports. When a conduit lists its data and their whole lineage is stated (data.derived_from) and internal, only the zones that lineage's data are kept in or sent from count, and none means the instructions are made in the zone from its own data.",
        "第三のゾーンからデータを受け取り、他ゾーンへ制御指示を送る制御側ゾーン（データから制御への自動の連鎖）ごとに発生する（THREAT-OUTSIDE-ORIGIN-CONTROL が示す制御指示を除く）。コンジットが運ぶデータを挙げ、その元データ（data.derived_from）がすべて記載され社内のものである場合は、それらのデータがあるゾーンまたは送ってくるゾーンだけを数え、該当がなければゾーン内の自分のデータから作られるものとして発生しない。",
    ),
    check=check,
    threat_type="abnormal-control-shutdown",
    viewpoint="protected-object/integrity",
    risk_matter="fa-data-in-oa",
    measures=("net-input-validation-fa-oa", "net-transfer-integrity-check"),
    why=text(
        "An automatic chain from data to control removes the person who would notice a wrong drawing or recipe: the machine simply executes it, spoiling parts or damaging equipment.",
        "データから制御までが自動でつながると、誤った図面やレシピに気づく人がいなくなり、設備はそのまま実行して不良品や設備損傷を生む。",
    ),
    false_positives=text(
        "The instructions are in fact confirmed by an operator before they reach the equipment, or the data received from the other zone does not feed the instructions at all: state the lineage (list on the conduit the data it carries and, on each data asset, what it is made from: data.derived_from), and only the zones it names remain.",
        "制御指示が設備に届く前に実際には作業者が確認している場合、または他ゾーンから受けるデータが制御指示に使われていない場合。後者では元データを記載する（コンジットに運ぶデータを挙げ、各データの保護対象に何から作られるか data.derived_from を書く）と、記載されたゾーンだけが残る。",
    ),
)
