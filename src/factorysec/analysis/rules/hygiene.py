"""Model hygiene rules: gaps in the Step 1 organisation itself (zones, operations and assets that do not connect)."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import zone_operations, zone_subject


def _zone_without_operations(context: AnalysisContext) -> Iterator[Finding]:
    for zone in context.model.zones:
        if zone_operations(context, zone.id) or any(
            zone_operations(context, z.id) for z in context.sub_zones.get(zone.id, [])
        ):
            continue
        yield ZONE_NO_OPERATIONS.finding(
            zone_subject(zone),
            text(
                f"'{zone.name}' is tied to no operation, so its importance cannot be set",
                f"「{zone.name}」に業務が結び付いておらず、重要度を設定できない",
            ),
        )


def _operation_without_assets(context: AnalysisContext) -> Iterator[Finding]:
    served = context.importance_facts.served
    for operation in context.model.operations:
        if operation.id not in served:
            yield OPERATION_NO_ASSETS.finding(
                new_subject("operation", operation.id),
                text(
                    f"No protected object serves operation '{operation.name}'; list the equipment, software and data it relies on",
                    f"業務「{operation.name}」を支える保護対象がない。依存する機器・ソフトウェア・データを挙げる",
                ),
            )


def _asset_without_importance(context: AnalysisContext) -> Iterator[Finding]:
    for asset in context.importance_facts.unrated:
        yield ASSET_NO_IMPORTANCE.finding(
            new_subject("asset", asset.id),
            text(
                f"'{asset.name}' serves no operation and has no S/Q/D/C/BC rating, so its importance is unknown",
                f"「{asset.name}」は業務に結び付かず S/Q/D/C/BC の評価もないため、重要度が不明",
            ),
        )


ZONE_NO_OPERATIONS = Rule(
    id="HYG-ZONE-NO-OPERATIONS",
    category="hygiene",
    reference="Appendix 3.1.6 Step 1-6 (connect zones with operations and protected objects)",
    title=text("Zone without operations", "業務のないゾーン"),
    summary=text(
        "Flags a zone (with its sub-zones) to which no operation is tied.",
        "業務が結び付いていないゾーン（サブゾーンを含む）を指摘する。",
    ),
    check=_zone_without_operations,
    why=text(
        "A zone's importance, and so the priority of its measures, comes from the operations it carries out; a zone tied to no operation cannot be rated and its threats cannot be ranked (3.1.6 Step 1-6).",
        "ゾーンの重要度、ひいては対策の優先度は、そのゾーンが担う業務から決まる。業務に結び付かないゾーンは評価できず、その脅威も順位付けできない（3.1.6 ステップ1-6）。",
    ),
    false_positives=text(
        "A zone that only holds infrastructure (a DMZ, a transit network) serves every operation rather than one: tie it to the operations whose traffic it carries, or accept the finding with a decision that says so.",
        "インフラだけを置くゾーン（DMZや中継ネットワーク）は、特定の業務でなくすべての業務に仕える。通す通信の業務に結び付けるか、その旨の判断を記録して受容する。",
    ),
)
OPERATION_NO_ASSETS = Rule(
    id="HYG-OPERATION-NO-ASSETS",
    category="hygiene",
    reference="Appendix 3.1.4 Step 1-4 (identify the components that support each operation)",
    title=text("Operation without protected objects", "保護対象のない業務"),
    summary=text("Flags an operation that no asset serves.", "どの資産にも支えられていない業務を指摘する。"),
    check=_operation_without_assets,
    why=text(
        "Step 1-4 finds the components that support each operation; an operation with none cannot be protected, and its importance reaches no equipment, software or data.",
        "ステップ1-4は各業務を支える構成要素を洗い出す。構成要素のない業務は守りようがなく、その重要度がどの機器・ソフトウェア・データにも伝わらない。",
    ),
    false_positives=text(
        "Purely manual operations (done without any system) have no components to protect: record them as such with a decision, or leave them out of the model.",
        "システムを使わない純粋な手作業の業務には守るべき構成要素がない。その旨を判断として記録するか、モデルから外す。",
    ),
)
ASSET_NO_IMPORTANCE = Rule(
    id="HYG-ASSET-NO-IMPORTANCE",
    category="hygiene",
    reference="Appendix 3.1.5 Step 1-5 (importance of each protected object)",
    title=text("Protected object without importance", "重要度のない保護対象"),
    summary=text(
        "Flags an asset that serves no operation and has no ratings.", "業務に結び付かず評価もない資産を指摘する。"
    ),
    check=_asset_without_importance,
    why=text(
        "Importance decides the priority of measures (3.1.5 Step 1-5); an object with none is ranked as if it did not matter, and its threats drop to the bottom of the plan.",
        "重要度が対策の優先度を決める（3.1.5 ステップ1-5）。重要度のない保護対象は重要でないかのように扱われ、その脅威は計画の最後に回る。",
    ),
    false_positives=text(
        "Spare parts, retired equipment kept on the network or assets still being catalogued can be unrated on purpose: remove what is no longer connected, and rate the rest.",
        "予備品、ネットワークに残る廃止機器、登録途中の資産は意図して未評価のことがある。接続していないものは削除し、残りは評価する。",
    ),
)
