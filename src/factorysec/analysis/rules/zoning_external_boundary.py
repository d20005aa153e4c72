"""ZONE-EXTERNAL-NO-BOUNDARY: a zone connects to an external network with no boundary device on the way.

Step 2-2 (1)(i) network connection measures and Annex A case (ii): connections
to and through external networks multiply the routes of intrusion; a zone
reaching outside needs a boundary (firewall, VPN device) it controls. A
boundary device run by a vendor or cloud provider does not count: the finding
names it and suggests the separate-zone (DMZ) shape. Once the partner's device
sits in a zone of its own (a DMZ, or the external services zone of Annex A case
(ii), Figure C-6) the zone is separated as the guideline describes and is not
flagged; who answers for that boundary is then a Step 3 responsibility question.

A boundary device the factory's outsourced operator runs for it under contract
(a dealer's leased router, its responsibility recorded) is the factory's own
boundary (3.1.1 (3) outsourced vendors, 3.3 (1)(i) outsourcing): see
``run_for_factory``. A zone that holds only one party's equipment and reaches
only that party's own external zone (a utility's demand monitor in the
cubicle) has nothing of the factory's to put behind a boundary, and is left
alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import (
    has_boundary_device,
    is_external_link,
    outside_boundary_devices,
    party_enclave,
    zone_impact,
    zone_subject,
)
from factorysec.catalog.models import Text


def check(context: AnalysisContext) -> Iterator[Finding]:
    unguarded: dict[str, list[str]] = {}
    outsiders: dict[str, dict[str, str]] = {}  # per zone: outside-run boundary device id -> its party
    for conduit, source, target in context.external_links:
        if not is_external_link(conduit, source, target) or has_boundary_device(context, conduit):
            continue
        theirs = outside_boundary_devices(context, conduit)
        for zone_id, side in ((conduit.from_zone, source), (conduit.to_zone, target)):
            if side == "external" or (
                theirs and (side == "boundary" or all(device.zone != zone_id for device, _ in theirs))
            ):
                continue  # the partner's device sits in a zone of its own (a DMZ, Annex A case (ii)'s external services zone): the separate-zone shape
            if party_enclave(context, zone_id) is not None:
                continue  # only the party's own equipment, reaching only its own service: nothing of the factory's behind a boundary
            unguarded.setdefault(zone_id, []).append(conduit.id)
            for device, party in theirs:
                outsiders.setdefault(zone_id, {})[device.id] = party
    for zone_id, conduits in unguarded.items():
        zone = context.zones[zone_id]
        listed = sorted(set(conduits))
        run_by = outsiders.get(zone_id, {})
        yield RULE.finding(
            zone_subject(zone),
            _rationale(context, zone.name, listed, run_by),
            related=[*listed, *run_by, *dict.fromkeys(run_by.values())],
            impact=zone_impact(context, zone_id),
        )


def _rationale(context: AnalysisContext, zone: str, conduits: list[str], theirs: dict[str, str]) -> Text:
    via_en, via_ja = ", ".join(conduits), "、".join(conduits)
    if not theirs:
        return text(
            f"'{zone}' reaches outside the factory through {via_en} with no firewall or VPN device on the way; put a boundary device the factory controls between the zone and the external network",
            f"「{zone}」は{via_ja}で工場外とつながるが、途中にファイアウォールやVPN機器がない。工場が管理する境界機器をゾーンと外部ネットワークの間に置く",
        )
    devices = [f"'{context.asset_name(d)}' ({_party_name(context, p)})" for d, p in theirs.items()]
    devices_ja = [f"「{context.asset_name(d)}」（{_party_name(context, p)}）" for d, p in theirs.items()]
    return text(
        f"'{zone}' reaches outside the factory through {via_en}; the only boundary device on the way, {', '.join(devices)}, is run by an outside party, "
        "so the factory does not decide what it lets through. Place the partner's device in a separate zone (a DMZ) and put a firewall the factory runs "
        "between that zone and this one",
        f"「{zone}」は{via_ja}で工場外とつながるが、途中の境界機器{'、'.join(devices_ja)}は外部の者が管理しており、何を通すかを工場が決められない。"
        "相手の機器を別ゾーン（DMZ）に置き、そのゾーンとこのゾーンの間に工場が管理するファイアウォールを置く",
    )


def _party_name(context: AnalysisContext, party_id: str) -> str:
    party = context.parties.get(party_id)
    return party.name if party is not None else party_id


RULE = Rule(
    id="ZONE-EXTERNAL-NO-BOUNDARY",
    category="zoning",
    reference="Appendix 3.2.2 Step 2-2 (1)(i) network connection measures; Annex A case (ii)",
    title=text(
        "Zone connects to an external network without a boundary device",
        "境界機器なしで外部ネットワークに接続するゾーン",
    ),
    summary=text(
        "Flags a zone with a conduit or flow that crosses an external network or reaches an external zone without passing a boundary device the factory runs "
        "(itself, or through an outsourced-vendor party under a named contract with a responsibility for the device recorded); "
        "a zone holding only one party's equipment and reaching only that party's external zone is left alone.",
        "外部ネットワークや外部ゾーンへ、工場が運用する境界機器（自社、または契約（contract）を記し機器の責任分担を記録した outsourced-vendor の関係者による運用）を通らずにつながるコンジット・フローを持つゾーンを指摘する。"
        "一つの関係者の機器だけを置き、その関係者の外部ゾーンにだけつながるゾーンは指摘しない。",
    ),
    check=check,
    threat_type="theft-destruction-unauthorized-operation",
    viewpoint="business-continuity/stoppage",
    risk_matter="external-network-connection",
    measures=("net-zone-boundary-filtering", "net-remote-access-vpn-mfa"),
    why=text(
        "A connection between zones with different security requirements, or to a zone an external company manages, needs measures at the boundary (3.2.2 (1)(i)); without a boundary device, everything outside reaches the zone directly.",
        "セキュリティ要件の異なるゾーン間や、外部企業が管理するゾーンとの接続には、境界での対策が要る（3.2.2 (1)(i)）。境界機器がなければ、外部のすべてがゾーンに直接届く。",
    ),
    false_positives=text(
        "The boundary device exists but is not listed in the conduit's 'via', or its 'managed_by' names a party that in fact hands the rule set to the factory; fix the model first. "
        "A router or UTM a dealer leases and runs for the factory counts as the factory's own when the dealer is a party of kind outsourced-vendor with its 'contract' named and a responsibility for the device recorded with it.",
        "境界機器がコンジットの via に記載されていない、または managed_by の相手が実際にはルール設定を工場に委ねている場合。まずモデルを直す。"
        "販売店がリースして工場のために運用するルータやUTMは、その販売店を種類 outsourced-vendor の関係者とし、'contract' を記し、その機器の責任分担を記録すれば工場自身の境界機器とみなす。",
    ),
)
