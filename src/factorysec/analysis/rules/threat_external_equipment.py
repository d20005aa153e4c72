"""THREAT-EXTERNAL-EQUIPMENT: remote-access tools and equipment brought by outsiders leak data when their devices and users are not managed (Table 2-1, Table 3-5)."""

from __future__ import annotations

from factorysec.analysis.context import AnalysisContext, MemoSlot
from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import run_by_outside_party, with_traits, zone_threat_rule
from factorysec.model.entities import Asset, Trait


def _gives_outsiders_a_way_in(context: AnalysisContext, asset: Asset) -> bool:
    """Whether the asset is equipment from outside, or a remote-access device whose outside users are not shown
    elsewhere.

    A factory-run boundary device with remote access (its own VPN gateway) that outside sessions only pass through
    (`via`), each from an outsider's device the model draws in an external zone, adds no device or account of its
    own that the factory does not manage: those outsiders' devices are told on the zones their sessions land in.
    Where any session through it comes from no drawn outside device, or it is an end of a link, or an outside party
    runs it, it is the only sign of that way in and is told here.
    """
    traits = asset.traits
    if Trait.EXTERNAL_EQUIPMENT in traits:
        return True
    if Trait.REMOTE_ACCESS not in traits:
        return False
    if Trait.BOUNDARY_DEVICE not in traits or run_by_outside_party(context, asset) is not None:
        return True
    return asset.id not in _passing_gateways(context)


def _passing_gateways(context: AnalysisContext) -> frozenset[str]:
    """The assets that are a `via` of at least one conduit, an end of none, and whose every conduit has an outside
    device drawn in an external zone at one end (worked out once per run)."""
    found = context.memo.get(_PASSING, None)
    if found is not None:
        return found
    ends: set[str] = set()
    via_ok: dict[str, bool] = {}
    sides, assets = context.zone_sides, context.assets
    for conduit in context.model.conduits:
        ends.update(conduit.from_assets)
        ends.update(conduit.to_assets)
        if not conduit.via:
            continue
        outside_end = any(
            (drawn := assets.get(a)) is not None and drawn.zone is not None and sides.get(drawn.zone) == "external"
            for a in (*conduit.from_assets, *conduit.to_assets)
        )
        for device in conduit.via:
            via_ok[device] = via_ok.get(device, True) and outside_end
    return context.memo.put(_PASSING, None, frozenset(d for d, ok in via_ok.items() if ok and d not in ends))


_PASSING: MemoSlot[None, frozenset[str]] = MemoSlot("passing_remote_gateways")

RULE = zone_threat_rule(
    rule_id="THREAT-EXTERNAL-EQUIPMENT",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (remote access: use of external equipment)",
    title=text("Remote-access and external equipment can leak data", "リモートアクセス・外部機器からのデータ漏えい"),
    summary=text(
        "Fires per zone holding assets with remote access or external equipment.",
        "リモートアクセスや外部機器を持つゾーンごとに発生する。",
    ),
    predicate=_gives_outsiders_a_way_in,
    rationale_en="{assets} give outsiders a way into '{zone}': devices and accounts the factory does not manage can carry its data out to external networks",
    rationale_ja="{assets}は外部の者が「{zone}」に入る経路になる。工場が管理しない端末やアカウントからデータが外部へ持ち出されうる",
    threat_type="data-theft-leakage",
    viewpoint="business-continuity/leakage",
    risk_matter="external-equipment",
    measures=("net-remote-endpoint-control", "net-vendor-remote-session-management", "net-remote-access-vpn-mfa"),
    among=with_traits(Trait.REMOTE_ACCESS, Trait.EXTERNAL_EQUIPMENT),
    outside_sites="carry",
    why=text(
        "Remote-access and external equipment is managed by someone else or used from elsewhere; weak management of the devices and their users leads to data leaking to external networks (Table 2-1, Table 3-5).",
        "リモートアクセス機器や外部の機器は、他者が管理したり他所から使われたりする。機器と利用者の管理が不十分だと、データが外部ネットワークへ漏れる（表2-1、表3-5）。",
    ),
    false_positives=text(
        "A remote-access trait left on a device whose remote link has been removed, or used only under supervision with the link unplugged otherwise, overstates the risk: update the traits to match. The factory's own VPN gateway or firewall (trait boundary-device, run by no outside party) that outside sessions only pass through is not told on its zone when every such session comes from an outsider's device drawn in an external zone: those devices are told where the sessions land.",
        "リモート接続を撤去した機器や、監視下でのみ接続し普段は切断している機器に特性が残っていると、リスクを過大に見る。特性を実態に合わせる。工場自身が運用するVPNゲートウェイやファイアウォール（特性 boundary-device、外部の者が運用しないもの）を外部からのセッションが通過するだけで、そのセッションがすべて外部ゾーンに描かれた外部の者の端末から来る場合、そのゾーンでは指摘しない。それらの端末はセッションが着く先のゾーンで指摘する。",
    ),
)
