"""Model hygiene rules: gaps in the Step 1 organisation itself (zones, operations and assets that do not connect)."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import zone_operations, zone_subject


def _zone_without_operations(context: AnalysisContext) -> Iterator[Finding]:
    for zone in context.model.zones:
        if zone_operations(context, zone.id) or any(zone_operations(context, z.id) for z in context.sub_zones.get(zone.id, [])):
            continue
        yield ZONE_NO_OPERATIONS.finding(
            zone_subject(zone),
            text(f"'{zone.name}' is tied to no operation, so its importance cannot be set", f"「{zone.name}」に業務が結び付いておらず、重要度を設定できない"),
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
    summary=text("Flags a zone (with its sub-zones) to which no operation is tied.", "業務が結び付いていないゾーン（サブゾーンを含む）を指摘する。"),
    check=_zone_without_operations,
)
OPERATION_NO_ASSETS = Rule(
    id="HYG-OPERATION-NO-ASSETS",
    category="hygiene",
    reference="Appendix 3.1.4 Step 1-4 (identify the components that support each operation)",
    title=text("Operation without protected objects", "保護対象のない業務"),
    summary=text("Flags an operation that no asset serves.", "どの資産にも支えられていない業務を指摘する。"),
    check=_operation_without_assets,
)
ASSET_NO_IMPORTANCE = Rule(
    id="HYG-ASSET-NO-IMPORTANCE",
    category="hygiene",
    reference="Appendix 3.1.5 Step 1-5 (importance of each protected object)",
    title=text("Protected object without importance", "重要度のない保護対象"),
    summary=text("Flags an asset that serves no operation and has no ratings.", "業務に結び付かず評価もない資産を指摘する。"),
    check=_asset_without_importance,
)
