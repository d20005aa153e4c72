"""ZONE-MIXED-CONTROL: assets that issue control instructions to other zones share a zone with assets that do not.

Annex A case (i): CAD data drives the parts manufacturing zone without human
intervention, so the CAD and its operation server must meet other security
requirements and are divided from the OA zone, which sends no control
instructions.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import names, zone_impact, zone_subject
from factorysec.model.entities import Trait


def check(context: AnalysisContext) -> Iterator[Finding]:
    issuers = context.control_sources
    assets = context.assets
    holding = {assets[i].zone for i in issuers if i in assets}
    if not holding:
        return
    for zone in context.model.zones:
        if zone.id not in holding:
            continue  # no issuer in the zone
        devices = [a for a in context.devices_in(zone.id) if Trait.BOUNDARY_DEVICE not in a.traits]
        senders = [a for a in devices if a.id in issuers]
        others = [a for a in devices if a.id not in issuers]
        if not senders or not others:
            continue
        targets = sorted(
            {context.zone_name(c.to_zone) for c in context.conduits_from.get(zone.id, []) if c.carries_control_instructions and c.to_zone != zone.id}
        )
        to_en = f" to {', '.join(targets)}" if targets else ""
        to_ja = f"（{'、'.join(targets)}へ）" if targets else ""
        yield RULE.finding(
            zone_subject(zone),
            text(
                f"In '{zone.name}', {names(senders)} issue control instructions{to_en} while {names(others)} do not; the issuers need stricter security requirements, so divide them into a zone of their own and review the requirements between the zones",
                f"「{zone.name}」では{names(senders)}が制御指示を出す{to_ja}一方、{names(others)}は出さない。制御指示を出す側はより厳しい要件が必要なため別ゾーンに分け、ゾーン間の要件を見直す",
            ),
            related=[a.id for a in senders],
            impact=zone_impact(context, zone.id),
        )


RULE = Rule(
    id="ZONE-MIXED-CONTROL",
    category="zoning",
    reference="Appendix 3.1.6 Step 1-6; Annex A case (i) step 3",
    title=text("Control-instruction issuers share a zone with assets that issue none", "制御指示を出す資産と出さない資産が同じゾーンにある"),
    summary=text(
        "Flags a zone where some assets send control instructions to other zones (by trait or as senders on a control conduit) and others do not.",
        "他ゾーンへ制御指示を送る資産（特性または制御指示を運ぶコンジットの送信元）と送らない資産が同居するゾーンを指摘する。",
    ),
    check=check,
    viewpoint="control-instructions/external-control-instructions",
    measures=("net-zone-boundary-filtering", "net-unidirectional-control-instructions"),
)
