"""ZONE-SAFETY-WITH-CONTROL: a safety system shares a zone with the process control it protects.

A safety system (safety instrumented system, safety controller) is the last
line between a control failure and harm to people and plant (Step 1-5:
safety assurance, S). In the zone of the process control it watches, one
incident, one mistake or one piece of malware can take out both the control
and its protection. Step 1-6 procedure step 3 places finely categorised
equipment in the same or another zone by BCP and facility environment; a
safety function calls for a zone of its own, linked to the control zone only
by the flows it needs (IEC 62443-3-2 ZCR 3.3 makes the same demand).

A safety system with the ``hard-wired`` trait has no network interface: it is
wired to the machine it guards and shares no network, accounts or malware
with the control, so it is left aside; a zone whose safety systems are all
hard-wired does not mix safety with control. Likewise hard-wired control (a
relay panel) shares no network with a networked safety system. Physical
threats to either are other rules' (PHYS-MEASURES).
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import names, zone_impact, zone_subject
from factorysec.model.entities import Asset, Trait

SAFETY_COMPONENTS = frozenset({"safety-system"})
PROCESS_CONTROL_COMPONENTS = frozenset(
    {"controller", "scada", "hmi", "mes", "engineering-workstation", "control-model", "equipment-program"}
)
"""Components that make up the process control a safety system protects."""


def _process_control(context: AnalysisContext, asset: Asset) -> bool:
    return (
        asset.component in PROCESS_CONTROL_COMPONENTS
        or Trait.ISSUES_CONTROL_INSTRUCTIONS in asset.traits
        or asset.id in context.control_sources
    )


def safety_with_control(context: AnalysisContext, devices: list[Asset]) -> tuple[list[Asset], list[Asset]]:
    """Of one zone's devices, its networked safety systems and the process control they protect; both empty unless the zone holds both (this rule then fires).

    Hard-wired devices are counted on neither side: no network joins them to the other.
    """
    networked = [a for a in devices if Trait.HARD_WIRED not in a.traits]
    safety = [a for a in networked if a.component in SAFETY_COMPONENTS]
    if not safety:
        return [], []
    control = [a for a in networked if a.component not in SAFETY_COMPONENTS and _process_control(context, a)]
    return (safety, control) if control else ([], [])


def check(context: AnalysisContext) -> Iterator[Finding]:
    holding = {a.zone for a in context.model.assets if a.component in SAFETY_COMPONENTS}
    if not holding:
        return
    for zone in context.model.zones:
        if zone.id not in holding:
            continue
        safety, control = safety_with_control(context, context.devices_in(zone.id))
        if not safety:
            continue
        yield RULE.finding(
            zone_subject(zone),
            text(
                f"In '{zone.name}', the safety system {names(safety)} shares the zone with the process control it protects ({names(control)}): "
                "one incident can disable both. Separate the safety system into a zone of its own and allow only the flows it needs between the two",
                f"「{zone.name}」では安全システム{names(safety)}が、それが守るプロセス制御（{names(control)}）と同じゾーンにある。"
                "一つのインシデントで両方が機能を失いうるため、安全システムを独立したゾーンに分け、両者の間は必要な通信だけを許可する",
            ),
            related=[a.id for a in (*safety, *control)],
            impact=zone_impact(context, zone.id),
        )


RULE = Rule(
    id="ZONE-SAFETY-WITH-CONTROL",
    category="zoning",
    reference="Appendix 3.1.6 Step 1-6 procedure step 3; 3.1.5 Step 1-5 (safety assurance (S)); 3.1.7 Table 3-4 (SQDC: safety assurance (S))",
    title=text(
        "Safety system shares a zone with the process control it protects",
        "安全システムが、それが守るプロセス制御と同じゾーンにある",
    ),
    summary=text(
        "Flags a zone holding a networked safety system (component safety-system, without the hard-wired trait) together with process control: "
        "controllers, SCADA, HMI, MES, engineering workstations, control programs or assets that issue control instructions.",
        "ネットワークにつながる安全システム（構成要素 safety-system で特性 hard-wired のないもの）と、プロセス制御（コントローラ、SCADA、HMI、MES、エンジニアリング端末、制御プログラム、制御指示を出す資産）が同居するゾーンを指摘する。",
    ),
    check=check,
    threat_type="abnormal-control-shutdown",
    viewpoint="sqdc/safety",
    measures=("net-zone-boundary-filtering", "phys-access-control"),
    why=text(
        "The safety system must still act when the process control fails or is attacked; sharing its zone, it shares the control's network, "
        "accounts and malware, so the failure that needs the protection can also remove it, and people or plant come to harm (3.1.5 S, 3.1.6).",
        "安全システムは、プロセス制御が故障したり攻撃されたりしても動作しなければならない。同じゾーンにあるとネットワーク、アカウント、マルウェアを共有し、保護が必要になる障害がその保護まで奪い、人や設備に被害が及ぶ（3.1.5 S、3.1.6）。",
    ),
    false_positives=text(
        "The safety function may be hard-wired and unconnected: give the safety system the trait hard-wired and the rule leaves it aside. Or it "
        "already sits on its own network segment that the model draws as one zone: model that segment as a sub-zone.",
        "安全機能が配線による独立回路で、ネットワークに接続していないことがある。その場合は安全システムに特性 hard-wired を付ければ、このルールはそれを除く。すでに独立したネットワークセグメントにあるのにモデルが一つのゾーンとして描いているなら、そのセグメントをサブゾーンとして記載する。",
    ),
)
