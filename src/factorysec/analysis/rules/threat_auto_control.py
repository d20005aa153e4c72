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
the stronger finding of ``THREAT-OUTSIDE-ORIGIN-CONTROL`` instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import carried, zone_impact


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


def check(context: AnalysisContext) -> Iterator[Finding]:
    sent = [
        conduit
        for conduit, source, _ in context.control_links
        if conduit.carries_control_instructions and conduit.from_zone != conduit.to_zone and source == "fa"
    ]  # instructions from outside the control side have their own rule
    if not sent:
        return  # the walks below are worth their cost only when some zone issues instructions
    origins = context.conduit_outside_origins
    feeding = _zones_feeding(context)
    issued: dict[str, dict[str, None]] = {}  # issuing zone -> control conduit ids
    for conduit in sent:
        if conduit.id in origins:
            continue  # instructions from data of outside origin have their own rule
        if any(zone_id != conduit.to_zone for zone_id in feeding.get(conduit.from_zone, {})):
            issued.setdefault(conduit.from_zone, {})[conduit.id] = None
    for zone_id, conduit_ids in issued.items():
        conduits = [context.conduits[c] for c in conduit_ids]
        sources = [z for z in feeding[zone_id] if z not in {c.to_zone for c in conduits}]
        targets = list(dict.fromkeys(c.to_zone for c in conduits))
        name = context.zone_name(zone_id)
        instructions = "; ".join(f"{context.zone_name(c.to_zone)}: {carried(context, c)}" for c in conduits)
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
        "Fires per control-side zone that sends control instructions to other zones and itself receives data from a third zone (an automatic chain from data to control).",
        "第三のゾーンからデータを受け取り、他ゾーンへ制御指示を送る制御側ゾーン（データから制御への自動の連鎖）ごとに発生する。",
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
        "The instructions are in fact confirmed by an operator before they reach the equipment, or the data received from the other zone does not feed the instructions at all (mark the conduit's 'carries_control_instructions' accordingly).",
        "制御指示が設備に届く前に実際には作業者が確認している場合、または他ゾーンから受けるデータが制御指示に使われていない場合（コンジットの carries_control_instructions を見直す）。",
    ),
)
