"""THREAT-FA-DATA-IN-OA: data of the control system also held in the office system, under separate user management, can be falsified or leaked (Table 2-1, Table 3-5).

Fires on a conduit that joins an FA and an OA zone directly and lists data
assets, and on one that delivers to an OA zone data that left an FA zone
through zones in between (a DMZ, a relay): a historian replicated to the DMZ
whose replica serves the office's PCs puts the control side's data on the
office side as surely as a direct link would. The data are followed only
where the model shows them passed on (:func:`relayed`), not merely because
two conduits meet in one zone, and the finding names the route.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import (
    conduit_subject,
    conduit_threat_rule,
    conduit_wording,
    fa_oa_data_links,
    joins_fa_oa,
    with_more_findings,
    zone_impact,
)
from factorysec.model.entities import Conduit, Trait

INTERMEDIATE_SIDES = frozenset({"boundary", "other"})
"""The sides of the zones that FA data are followed through: a DMZ, a relay or any other zone on neither side."""


@dataclasses.dataclass(frozen=True, slots=True)
class Send:
    """One way a conduit between two zones carries data: its zones, and its assets at the sending and receiving end."""

    conduit: Conduit
    from_zone: str
    to_zone: str
    senders: tuple[str, ...]
    receivers: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Relay:
    """A route by which FA data reach an OA zone: the sends from the FA zone on, and for each send after the first what
    passed the data on to it in the zone it leaves (an asset that received and sent them, a data asset listed on both
    conduits, or ``None`` where a conduit does not name its assets in that zone)."""

    sends: tuple[Send, ...]
    passed_by: tuple[str | None, ...]


def _sends(context: AnalysisContext) -> list[Send]:
    """Every way the conduits between two zones carry data (data assets or a ``carries`` wording), in model order: from
    ``from`` to ``to``, and back as well when two-way."""
    found: list[Send] = []
    for conduit in context.carrying_between_zones:
        if not (conduit.data or conduit.carries):
            continue  # control instructions alone
        senders, receivers = tuple(conduit.from_assets), tuple(conduit.to_assets)
        found.append(Send(conduit, conduit.from_zone, conduit.to_zone, senders, receivers))
        if conduit.direction == "two-way":
            found.append(Send(conduit, conduit.to_zone, conduit.from_zone, receivers, senders))
    return found


def relayed(context: AnalysisContext) -> list[Relay]:
    """The routes by which data leaving an FA zone reach an OA zone through zones in between, one per delivering conduit, in model order.

    A route starts with a conduit from an FA zone to a zone in between
    (:data:`INTERMEDIATE_SIDES`) that carries data of the control side: a
    ``carries`` wording, or a data asset not held in a zone on another side.
    In a zone in between, the data go on from a conduit that brings them to
    one that sends from that zone when the model shows them passed on: the same
    data asset is listed on both; or one asset receives the first and sends
    the second; or either conduit names no assets in that zone (any of them
    may pass the data on). A boundary device (trait ``boundary-device``: a
    firewall, a gateway) passes traffic and holds none: data that only reach
    one go no further unless a data asset they list goes on, a conduit that
    only boundary devices send carries none of them, and a conduit into an OA
    zone received only by boundary devices delivers nothing there. The
    route ends at the first conduit into an OA zone that delivers; conduits
    into an FA or external zone end it too.

    Of equally short routes to a conduit, the first in model order is named.
    One breadth-first walk over the sends: each send is reached once, and
    each zone's sends are looked up once per receiving asset, data asset or
    unnamed end, so the walk is linear in the conduits (but for ordering the
    few sends found at each step).
    """
    sides, assets = context.zone_sides, context.assets

    def boundary(asset_id: str) -> bool:
        asset = assets.get(asset_id)
        return asset is not None and Trait.BOUNDARY_DEVICE in asset.traits

    if INTERMEDIATE_SIDES.isdisjoint(sides.values()):
        return []  # no zone in between: the conduits need not be walked
    sends = _sends(context)
    starts: list[int] = []
    # The sends out of each zone in between, by what may pass data on to them.
    by_sender: dict[tuple[str, str], list[int]] = {}
    by_data: dict[tuple[str, str], list[int]] = {}
    unnamed: dict[str, list[int]] = {}  # sends that name no sending asset
    not_only_boundary: dict[str, list[int]] = {}  # sends that name no sending asset, or one that is no boundary device
    for position, send in enumerate(sends):
        source, target = sides[send.from_zone], sides[send.to_zone]
        if source == "fa" and target in INTERMEDIATE_SIDES and _control_side_data(context, send.conduit):
            starts.append(position)
        if source not in INTERMEDIATE_SIDES:
            continue
        zone = send.from_zone
        for sender in send.senders:
            by_sender.setdefault((zone, sender), []).append(position)
        for data in send.conduit.data:
            by_data.setdefault((zone, data), []).append(position)
        if not send.senders:
            unnamed.setdefault(zone, []).append(position)
        if not send.senders or not all(map(boundary, send.senders)):
            not_only_boundary.setdefault(zone, []).append(position)
    if not starts:
        return []
    reached: dict[int, tuple[int | None, str | None]] = dict.fromkeys(starts, (None, None))
    looked_up: set[tuple[str, ...]] = set()
    delivered: dict[str, int] = {}  # conduit id -> its delivering send
    queue = list(starts)
    for position in queue:  # grows while it is walked: breadth first
        send = sends[position]
        zone = send.to_zone
        side = sides[zone]
        if side == "oa":
            if not send.receivers or not all(map(boundary, send.receivers)):
                delivered.setdefault(send.conduit.id, position)
            continue
        if side not in INTERMEDIATE_SIDES:
            continue
        lookups: list[tuple[tuple[str, ...], list[int], str | None]] = [
            (("data", zone, data), by_data.get((zone, data), []), data) for data in send.conduit.data
        ]
        if not send.receivers:
            lookups.append((("any", zone), not_only_boundary.get(zone, []), None))
        else:
            passing = [r for r in send.receivers if not boundary(r)]
            lookups.extend((("asset", zone, r), by_sender.get((zone, r), []), r) for r in passing)
            if passing:
                lookups.append((("unnamed", zone), unnamed.get(zone, []), None))
        found: list[int] = []
        for key, following, passed_by in lookups:
            if key in looked_up:
                continue  # every send it leads to is reached already
            looked_up.add(key)
            for onward in following:
                if onward not in reached:
                    reached[onward] = (position, passed_by)
                    found.append(onward)
        queue.extend(sorted(found))  # in model order, as a walk over every send would find them
    routes = []
    for position in sorted(delivered.values()):
        chain: list[int] = []
        passed: list[str | None] = []
        current: int | None = position
        while current is not None:
            chain.append(current)
            previous, passed_by = reached[current]
            if previous is not None:
                passed.append(passed_by)
            current = previous
        routes.append(Relay(tuple(sends[p] for p in reversed(chain)), tuple(reversed(passed))))
    return routes


def _control_side_data(context: AnalysisContext, conduit: Conduit) -> bool:
    """Whether a conduit leaving an FA zone carries data of the control side: a ``carries`` wording, or a data asset
    not held in a zone on another side (the office's own data going back are not the control side's)."""
    if conduit.carries:
        return True
    assets, sides = context.assets, context.zone_sides
    for data_id in conduit.data:
        data = assets.get(data_id)
        if data is None or data.zone is None or sides.get(data.zone, "fa") == "fa":
            return True
    return False


def _route(context: AnalysisContext, relay: Relay) -> tuple[str, str]:
    """The route in English and Japanese: zones by name, conduits by id, and what passed the data on in a zone in between."""
    en = [context.zone_name(relay.sends[0].from_zone)]
    ja = list(en)
    for position, send in enumerate(relay.sends):
        en.append(send.conduit.id)
        ja.append(send.conduit.id)
        zone = context.zone_name(send.to_zone)
        passed_by = relay.passed_by[position] if position < len(relay.passed_by) else None
        if passed_by is None:
            en.append(zone)
            ja.append(zone)
        else:
            name = context.asset_name(passed_by)
            en.append(f"{zone} ({name})")
            ja.append(f"{zone}（{name}）")
    return " → ".join(en), " → ".join(ja)


def _relayed_findings(context: AnalysisContext, rule: Rule) -> Iterator[Finding]:
    describe = conduit_wording(context).describe
    for relay in relayed(context):
        first, last = relay.sends[0], relay.sends[-1]
        label_en, label_ja, data, _ = describe(last.conduit)
        _, _, sent, _ = describe(first.conduit)
        route_en, route_ja = _route(context, relay)
        origin = context.zone_name(first.from_zone)
        yield rule.finding(
            conduit_subject(last.conduit),
            text(
                f"{label_en} delivers {data} to the office side, from what '{origin}' sends out of the control side ({sent}), "
                f"by {route_en}: the control side's data then exist on the office side too, where a different system manages "
                "the users, and a weak account on either side can falsify or leak them",
                f"{label_ja}は、制御側の「{origin}」が送り出すもの（{sent}）を、{route_ja}の経路で情報系に届ける（{data}）。"
                "制御系のデータが利用者管理の異なる情報系にも存在することになり、どちらかの弱いアカウントから改ざん・漏えいされうる",
            ),
            related=[
                first.from_zone,
                last.to_zone,
                *(element for send in relay.sends for element in (send.conduit.id, send.to_zone)),
                *(passed for passed in relay.passed_by if passed is not None),
                *last.conduit.data,
            ],
            impact=zone_impact(context, last.to_zone),
        )


RULE = with_more_findings(
    conduit_threat_rule(
        rule_id="THREAT-FA-DATA-IN-OA",
        reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (data in FA system also exist in OA system)",
        title=text(
            "Data held on both FA and OA sides under different user management",
            "FA・OA双方にあるデータが異なる利用者管理下にある",
        ),
        summary=text(
            "Fires per conduit carrying modelled data assets between FA and OA zones, and per conduit that delivers to an OA zone "
            "data that left an FA zone through zones in between (a DMZ, a relay), naming the route.",
            "FA・OAゾーン間でデータ資産を運ぶコンジットごと、およびFAゾーンを出て間のゾーン（DMZ、中継）を経たデータを"
            "OAゾーンに届けるコンジットごとに、経路を示して発生する。",
        ),
        predicate=lambda context, conduit, source, target: joins_fa_oa(source, target) and bool(conduit.data),
        rationale_en="{data} travel over {conduit}, so they exist on both the control and the office side, where different systems manage the users: a weak account on either side can falsify or leak them",
        rationale_ja="{data}は{conduit}を通り制御系と情報系の双方に存在する。利用者管理の仕組みが異なるため、どちらかの弱いアカウントから改ざん・漏えいされうる",
        threat_type="data-falsification-destruction",
        viewpoint="information-transfer/transfer-confidentiality",
        risk_matter="fa-data-in-oa",
        measures=("net-unified-user-management", "net-transfer-integrity-check"),
        among=fa_oa_data_links,
        why=text(
            "When control-side data also lives in office systems, it is guarded by a different user management on each side, and the weaker side lets it be falsified or leaked (Table 2-1, Table 3-5).",
            "制御側のデータが事務系のシステムにもあると、両側で別々の利用者管理に守られ、弱い側から改ざんや漏えいが起こる（表2-1、表3-5）。",
        ),
        false_positives=text(
            "Data copied one way for reporting only (nothing flows back to control) can still leak but cannot steer the process: weigh the finding by the data's disclosure level. "
            "Through a DMZ or a relay, the data are followed from an asset that receives them to the conduits it sends: where a conduit there names no assets, "
            "any of the zone's may pass them on, so name the assets that receive and send.",
            "報告用に一方向へ写すだけのデータ（制御へ戻る流れがない）は、漏れることはあっても工程を動かせない。データの開示区分で指摘の重さを判断する。"
            "DMZや中継ゾーンでは、データを受け取る資産からその資産が送るコンジットへとたどる。そこで資産を示さないコンジットは、ゾーンのどの資産からも送られうるものとして扱うため、受信・送信する資産を示す。",
        ),
    ),
    _relayed_findings,
)
