"""THREAT-EXTERNAL-DATA: factory data sent to or stored in an external system leaks when that system is attacked (Table 3-5, Table 3-6 row 4).

Two kinds of subject, one threat. A conduit (or flow) that hands the factory's
data to an external zone or an externally run service is told per conduit. A
data asset of the factory's that the model places in an external zone (its
``zone``, or a ``storage`` event of its ``lifecycle``) is told per data asset,
naming each such zone and the party that runs it, unless a conduit finding of
this rule already lists it at that zone (a historian's upload to the cloud store
it lands in): the gateway credentials a machine builder keeps in its cloud
platform, which no conduit carries, are as exposed to an attack on that cloud as
the data an upload hands over.

Whose data it is: public data (``data.disclosure``) lose nothing. Data held by an
outside party (its ``rights_holder``; absent, the parties that run the external
zones its lifecycle generates it in, as DATA-MIXED-RIGHTS-HOLDERS reads them, or
the party named as its ``controller``) are that party's own where that party runs
the zone they are kept in (its ``managed_by``, else the parties running the
zone's devices): a blasting contractor's records in its own monitoring service
get no finding. A customer's drawings the factory keeps on a third party's cloud
do, naming whose they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import (
    conduit_threat_rule,
    enclave_link,
    external_links,
    is_external_link,
    party_or_department_name,
    with_more_findings,
)
from factorysec.analysis.rules.data_mixed_rights_holders import rights_holders
from factorysec.catalog.vocabulary import words
from factorysec.model.entities import Asset, AssetType, Conduit

DISCLOSURE_JA = {
    "partners": "取引先まで",
    "internal": "社内限り",
    "restricted": "関係者限り",
    "secret": "秘密",
}
"""The scopes of disclosure (``data.disclosure``) other than public, in Japanese."""


def _all_public(context: AnalysisContext, data: list[str]) -> bool:
    """Whether every data asset a conduit lists is one the model states as public (``data.disclosure: public``):
    published values, such as the stack emissions a prefecture shows on its website, lose nothing when they leak."""
    assets = context.assets
    return all(
        (asset := assets.get(d)) is not None and asset.data is not None and asset.data.disclosure == "public"
        for d in data
    )


def _sends_data_out(context: AnalysisContext, conduit: Conduit, source: str, target: str) -> bool:
    if not (conduit.data or conduit.carries) or not is_external_link(conduit, source, target):
        return False
    if conduit.data and _all_public(context, list(conduit.data)):
        return False  # nothing it hands over is secret (Table 3-6 row 4 is about leakage)
    if enclave_link(context, conduit):
        return False  # an outside party's device sending to its own service: nothing of the factory's is handed over
    assets = context.assets
    return target == "external" or any(context.is_external(assets[a]) for a in conduit.to_assets if a in assets)


def _outside_holders(context: AnalysisContext, data: Asset) -> list[str]:
    """The outside parties whose own data a (non-public) data asset is: its rights holders (:func:`rights_holders`),
    and, when no rights holder is stated, the party named as its controller."""
    holders = rights_holders(context, data)
    attributes = data.data
    if (
        attributes is not None
        and attributes.rights_holder is None
        and attributes.controller is not None
        and attributes.controller in context.parties
        and attributes.controller not in holders
    ):
        holders = [*holders, attributes.controller]
    return holders


def zone_parties(context: AnalysisContext, zone_id: str) -> tuple[list[str], bool]:
    """The outside parties that run an external zone, and whether the zone itself names them: its ``managed_by``, else
    the parties that run the zone's devices (the IaaS provider under a platform the factory writes itself)."""
    zone = context.zones.get(zone_id)
    if zone is not None and zone.managed_by is not None:
        return [zone.managed_by], True
    runners = dict.fromkeys(d.managed_by for d in context.devices_in(zone_id) if d.managed_by is not None)
    return list(runners), False


def _zone_parties_once(context: AnalysisContext) -> Callable[[str], tuple[list[str], bool]]:
    """:func:`zone_parties`, worked out once per zone for one run of the rule (many data assets share a cloud zone)."""
    known: dict[str, tuple[list[str], bool]] = {}

    def parties(zone_id: str) -> tuple[list[str], bool]:
        found = known.get(zone_id)
        if found is None:
            found = known[zone_id] = zone_parties(context, zone_id)
        return found

    return parties


def kept_outside(
    context: AnalysisContext, parties: Callable[[str], tuple[list[str], bool]] | None = None
) -> dict[str, tuple[list[str], list[str]]]:
    """The data assets the model places in external zones, each with those zones and its outside holders
    (:func:`_outside_holders`, none for the factory's own data), in model order: a data asset's ``zone`` and the zones
    of its lifecycle's ``storage`` events, where the zone is external and not run by one of its holders (a party's own
    records kept on its own system). Public data are left out. ``parties``: :func:`zone_parties`, or a memo of it."""
    if parties is None:
        parties = _zone_parties_once(context)
    sides = context.zone_sides
    found: dict[str, tuple[list[str], list[str]]] = {}
    for asset in context.model.assets:
        if asset.type is not AssetType.DATA:
            continue
        attributes = asset.data
        if attributes is not None and attributes.disclosure == "public":
            continue
        places: dict[str, None] = {}
        if asset.zone is not None and sides.get(asset.zone) == "external":
            places[asset.zone] = None
        if attributes is not None:
            for event in attributes.lifecycle:
                if event.event == "storage" and event.zone is not None and sides.get(event.zone) == "external":
                    places[event.zone] = None
        if not places:
            continue
        holders = _outside_holders(context, asset)
        if holders:
            for zone_id in [z for z in places if not set(holders).isdisjoint(parties(z)[0])]:
                del places[zone_id]
        if places:
            found[asset.id] = (list(places), holders)
    return found


def _data_findings(context: AnalysisContext, rule: Rule) -> Iterator[Finding]:
    parties_of = _zone_parties_once(context)
    kept = kept_outside(context, parties_of)
    if not kept:
        return
    told: set[tuple[str, str]] = set()  # (data asset, zone) a conduit finding of the rule names
    for conduit, source, target in context.external_links:
        if conduit.data and _sends_data_out(context, conduit, source, target):
            for data_id in conduit.data:
                told.add((data_id, conduit.from_zone))
                told.add((data_id, conduit.to_zone))
    assets = context.assets
    for data_id, (places, holders) in kept.items():
        untold = [z for z in places if (data_id, z) not in told]
        if not untold:
            continue
        data = assets[data_id]
        parties: dict[str, None] = {}
        where_en, where_ja = [], []
        for zone_id in untold:
            zone_name = context.zone_name(zone_id)
            runners, whole = parties_of(zone_id)
            parties.update(dict.fromkeys(runners))
            names = [party_or_department_name(context, p) for p in runners]
            quoted_en, quoted_ja = ", ".join(f"'{n}'" for n in names), "・".join(f"「{n}」" for n in names)
            if not names:
                where_en.append(f"'{zone_name}' (its operator not stated)")
                where_ja.append(f"「{zone_name}」（運用者の記載なし）")
            elif whole:
                where_en.append(f"'{zone_name}' (run by {quoted_en})")
                where_ja.append(f"「{zone_name}」（運用：{quoted_ja}）")
            else:
                where_en.append(f"'{zone_name}' (on systems run by {quoted_en})")
                where_ja.append(f"「{zone_name}」（{quoted_ja}が運用するシステム上）")
        disclosure = data.data.disclosure if data.data is not None else None
        if disclosure is None:
            scope_en, scope_ja = "no scope of disclosure stated", "開示範囲の記載なし"
        else:
            scope_en, scope_ja = f"disclosure: {disclosure}", f"開示範囲：{DISCLOSURE_JA[disclosure]}"
        level = context.importance.asset_level(data_id)
        importance = words("level", level.value) if level else None
        data_name = data.name
        places_en, places_ja = "; ".join(where_en), "、".join(where_ja)
        party_en = " and ".join(f"'{party_or_department_name(context, p)}'" for p in parties)
        party_ja = "・".join(f"「{party_or_department_name(context, p)}」" for p in parties)
        contract_en = (
            f"what the contract with {party_en} says" if parties else "what the contract with its operator says"
        )
        contract_ja = f"{party_ja}との契約" if parties else "運用者との契約"
        if holders:
            held_en = " and ".join(f"'{party_or_department_name(context, p)}'" for p in holders)
            held_ja = "・".join(f"「{party_or_department_name(context, p)}」" for p in holders)
            whose_en, whose_ja = "The data the factory keeps", "工場が預かるデータ"
            scope_en, scope_ja = f"{scope_en}; rights held by {held_en}", f"{scope_ja}、権利者：{held_ja}"
        else:
            whose_en, whose_ja = "The factory's data", "工場のデータ"
        yield rule.finding(
            new_subject("asset", data_id),
            text(
                f"{whose_en} '{data_name}' ({scope_en}) is kept on an outside system, in {places_en}: an attack on"
                " that system leaks it beyond the factory's control (Table 3-5 handling of information on external"
                f" systems, Table 3-6 row 4). Check {contract_en}"
                " about the data (its use, where it is kept, its return and deletion at the end of use), that it is"
                " encrypted there with keys the factory controls, and who, on either side, can read it",
                f"{whose_ja}「{data_name}」（{scope_ja}）は、社外のシステムである{places_ja}に置かれている。"
                "そのシステムへの攻撃で工場の管理の及ばないところへ漏えいする"
                f"（表3-5 外部システム上の情報の扱い、表3-6の4）。{contract_ja}がそのデータについて定めること"
                "（利用の範囲、保管場所、利用終了時の返却・削除）、工場が管理する鍵で暗号化して保管されていること、"
                "双方で誰が読めるかを確認する",
            ),
            related=[data_id, *untold, *parties],
            impact=text(
                f"an attack on {places_en} exposes '{data_name}'"
                + (f" ({importance.en} importance)" if importance else "")
                + " where the factory can neither see nor stop it",
                f"{places_ja}への攻撃で「{data_name}」"
                + (f"（重要度 {importance.ja}）" if importance else "")
                + "が、工場からは見えず止められないところで漏えいする",
            ),
        )


RULE = with_more_findings(
    conduit_threat_rule(
        rule_id="THREAT-EXTERNAL-DATA",
        reference="Appendix 3.1.7 Table 3-5 (handling of information on external systems); Table 3-6 row 4",
        title=text("Factory data held by an external system can leak", "外部システムに置いた工場データが漏えいしうる"),
        summary=text(
            "Fires per conduit or flow that delivers data to an external zone or an externally run service, and per data asset the model places in an external zone (its zone, or a storage event of its lifecycle) that no such conduit finding names at that zone, naming the zone and the party that runs it. Silent when every data asset a conduit lists is public (data.disclosure), on the link of an outside party's own corner of the site (a zone holding only that party's equipment, linked only to that party's external zones) to its own service, and for public data or an outside party's own data kept on a system that party runs.",
            "外部ゾーンや外部運用のサービスへデータを渡すコンジット・フローごと、およびモデルが外部ゾーンに置くデータ資産（所属ゾーン、またはライフサイクルの保管の場所）のうち、そのゾーンについてコンジットの指摘で挙げられていないものごとに、ゾーンとその運用者を示して発生する。コンジットが挙げるデータの保護対象がすべて公開（data.disclosure）の場合、外部の者が自社機器だけを置く構内の一角（その者の機器だけを置き、その者の外部ゾーンとだけつながるゾーン）から自社のサービスへの接続、公開データ、および外部の者自身のデータをその者が運用するシステムに置く場合は発生しない。",
        ),
        predicate=_sends_data_out,
        rationale_en="{conduit} hands {data} to a system outside the factory's control: an attack on that system leaks them beyond the factory network",
        rationale_ja="{conduit}は{data}を工場の管理外のシステムへ渡す。そのシステムへの攻撃で工場ネットワークの外へ漏えいする",
        threat_type="data-theft-leakage",
        viewpoint="protected-object/confidentiality",
        risk_matter="external-system-information",
        measures=(
            "net-transfer-data-allowlist",
            "data-external-storage-protection",
            "net-encrypted-authenticated-conduit",
        ),
        among=external_links,
        why=text(
            "Factory data stored on an external system leaves the factory's network: an attack on that system leaks it beyond the factory's control (Table 3-5, Table 3-6 row 4). That holds whether a conduit is drawn taking the data there or the model only places the data there, as with device credentials kept in a cloud platform.",
            "外部システムに保存された工場のデータは工場のネットワークの外にある。そのシステムへの攻撃で、工場の管理の及ばないところへ漏れる（表3-5、表3-6の4）。データをそこへ運ぶコンジットが描かれていても、クラウド基盤に置いた機器の認証情報のようにデータの置き場所だけが示されていても同じである。",
        ),
        false_positives=text(
            "Data that is public or already aggregated and anonymised leaks nothing of value: record its disclosure level as public, or accept the finding with a decision. "
            "A data asset in an external zone counts as the factory's unless its data.rights_holder (when absent, its data.controller or the party whose external zone generates it) is the outside party that runs that zone: name that party for its own records. "
            "A data asset that stands for what an already told conduit carries is told again from the asset when the conduit does not list it: list it in the conduit's data.",
            "公開済みのデータや集計・匿名化済みのデータは、漏れても価値を失わない。開示区分を公開として記録するか、判断を記録して受容する。"
            "外部ゾーンにあるデータ資産は、data.rights_holder（記載がなければ data.controller、またはそのデータを生成する外部ゾーンの運用者）がそのゾーンを運用する外部の者でない限り、工場のデータとして扱う。外部の者自身の記録には、その者を記載する。"
            "すでに指摘されたコンジットが運ぶものを表すデータ資産は、コンジットの data に挙げていないと資産として重ねて指摘される。コンジットの data に挙げる。",
        ),
    ),
    _data_findings,
)
