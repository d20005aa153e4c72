"""THREAT-OUTSIDE-ORIGIN-CONTROL: control instructions built from data, programs or settings that came from outside the factory.

Table 3-4 (integration of control instructions) treats instructions from
outside the control network with particular care. Data that entered from a
partner, a customer, a cloud service or removable media keeps that origin
when an internal station converts it and passes it on: control instructions
built from it are instructions from outside, however well the converting
station is zoned. The origin is followed through internal zones by
:attr:`~factorysec.analysis.context.AnalysisContext.outside_origins`, and the
finding names every route it keeps (one per entry: a cloud, a vendor's
sessions, removable media), so that each can be checked.

A zone's routes say that outside data reach it, not that a given instruction is
made from them. When the model says what is: the conduit lists the data it
carries and every data asset in their lineage (``data.derived_from``, followed
to its end) states its own, none of them of outside origin
(:attr:`~factorysec.analysis.context.AnalysisContext.data_from_outside`), the
conduit is left alone; otherwise the finding says which outside data the
lineage reaches, or whose lineage is not stated.

The lineage also speaks when no route does. The walk follows outside data only
where the model shows an asset passing them on, and a zone's stations often
hand data to one another by no conduit the model draws (a CAM station opening
the customer's drawing the PLM received): when the data a conduit lists are,
by their ``data.derived_from``, made from data of outside origin, the
instructions are built from outside data whatever the walk found, and the
finding says so from the lineage alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._common import conduit_subject, conduit_wording, zone_impact
from factorysec.model.entities import Conduit


def _route(context: AnalysisContext, route: tuple[str, ...]) -> tuple[str, str]:
    """The route outside data came by, in English and Japanese: zones by name, conduits by id, and an asset (the first
    element when the data was carried in on removable media) as the removable media it takes, so a reader sees how
    the data got in, not a bare asset id."""
    en: list[str] = []
    ja: list[str] = []
    for element in route:
        if element in context.zones:
            en.append(context.zone_name(element))
            ja.append(context.zone_name(element))
        elif element in context.assets:
            name = context.assets[element].name
            en.append(f"removable media used at '{name}'")
            ja.append(f"「{name}」で使う可搬記録媒体")
        else:
            en.append(element)
            ja.append(element)
    return " → ".join(en), " → ".join(ja)


def check(context: AnalysisContext) -> Iterator[Finding]:
    yield from _inside_zones(context)
    sides = context.zone_sides

    def ends(conduit: Conduit) -> tuple[str, list[str], str, list[str]]:
        return context.control_ends(conduit, stated_only=True)  # as the outside-origin walk reads them

    sent = [
        conduit
        for conduit, _, _ in context.control_links
        if conduit.carries_control_instructions
        and conduit.from_zone != conduit.to_zone
        and sides[ends(conduit)[0]] == "fa"
    ]  # issuers outside the control side are THREAT-CONTROL-FROM-OUTSIDE's
    if not sent:
        return  # the origin walk is worth its cost only when some zone issues instructions
    origins = context.conduit_outside_origins
    cut = context.conduit_outside_origins_cut
    describe = conduit_wording(context).describe
    for conduit in sent:
        routes = origins.get(conduit.id)
        if routes is None:
            finding = _by_lineage_alone(context, conduit)
            if finding is not None:
                yield finding
            continue
        lineage_en, lineage_ja = "", ""
        if conduit.data:
            outside, unstated = _lineage(context, conduit.data)
            if not outside and not unstated:
                continue  # the model says what the instructions are made from, and none of it came from outside
            lineage_en, lineage_ja = _lineage_text(context, outside, unstated)
        label_en, label_ja, data, _ = describe(conduit)
        paths_en, paths_ja = _routes(context, routes, conduit.id in cut)
        issuer, _, receiver, _ = ends(conduit)
        yield RULE.finding(
            conduit_subject(conduit),
            text(
                f"{label_en} carries control instructions ({data}) built in '{context.zone_name(issuer)}' from data that entered "
                f"from outside the factory ({paths_en}){lineage_en}: treat them as instructions from outside the control network. Validate them on receipt, "
                "accept them only from the designated source and path, and check the outside data before it is converted",
                f"{label_ja}は、工場外から入ったデータ（{paths_ja}）をもとに「{context.zone_name(issuer)}」で作られた制御指示（{data}）を運ぶ{lineage_ja}。"
                "制御ネットワーク外からの制御指示として扱い、受信時に検証し、決められた送信元と経路からのみ受け付け、変換前に外部データを確認する",
            ),
            related=[issuer, receiver, *chain.from_iterable(routes)],
            impact=zone_impact(context, receiver),
        )


def _by_lineage_alone(context: AnalysisContext, conduit: Conduit) -> Finding | None:
    """The finding for a conduit no outside route reaches whose listed data are, by their lineage, made from data of
    outside origin (None when it lists no data or their lineage reaches none)."""
    if not conduit.data:
        return None
    outside, _ = _lineage(context, conduit.data)
    if not outside:
        return None
    lineage_en, lineage_ja = _lineage_text(context, outside, [])
    label_en, label_ja, data, _ = conduit_wording(context).describe(conduit)
    issuer, _, receiver, _ = context.control_ends(conduit, stated_only=True)
    zone = context.zone_name(issuer)
    return RULE.finding(
        conduit_subject(conduit),
        text(
            f"{label_en} carries control instructions ({data}) sent from '{zone}' and made from data of outside origin, "
            f"though no conduit the model draws carries the outside data itself to the sender{lineage_en}: treat them as "
            "instructions from outside the control network. Validate them on receipt, accept them only from the "
            "designated source and path, and check the outside data before it is converted",
            f"{label_ja}は、外部由来のデータから作られ「{zone}」から送られる制御指示（{data}）を運ぶ。外部のデータそのものを送信元まで"
            f"運ぶコンジットはモデルに描かれていない{lineage_ja}。制御ネットワーク外からの制御指示として扱い、受信時に検証し、決められた"
            "送信元と経路からのみ受け付け、変換前に外部データを確認する",
        ),
        related=[issuer, receiver, *outside],
        impact=zone_impact(context, receiver),
    )


def _inside_zones(context: AnalysisContext) -> Iterator[Finding]:
    """Control instructions sent inside one control-side zone (a dispatch server releasing loading orders to the
    loaders beside it) whose data the model states are made from data of outside origin: converting and executing
    them in one zone does not change where they came from. Only a conduit that lists its data and whose lineage
    reaches outside data is told: inside a zone nothing else says what a station's instructions are made from."""
    inside = [
        conduit
        for conduit, source, _ in context.control_links
        if conduit.carries_control_instructions
        and conduit.from_zone == conduit.to_zone
        and source == "fa"
        and conduit.data
    ]
    if not inside:
        return
    describe = conduit_wording(context).describe
    for conduit in inside:
        outside, _ = _lineage(context, conduit.data)
        if not outside:
            continue  # stated as made here, or not stated: inside a zone the rule does not guess
        lineage_en, lineage_ja = _lineage_text(context, outside, [])
        zone = conduit.from_zone
        routes = context.outside_origins.get(zone, ())
        label_en, label_ja, data, _ = describe(conduit)
        if routes:
            paths_en, paths_ja = _routes(context, routes, zone in context.outside_origins_cut)
            came_en, came_ja = f" ({paths_en})", f"（{paths_ja}）"
        else:
            came_en, came_ja = "", ""
        yield RULE.finding(
            conduit_subject(conduit),
            text(
                f"{label_en} carries control instructions ({data}) built in '{context.zone_name(zone)}' from data that entered "
                f"from outside the factory{came_en}{lineage_en}; that the station converting them sits in the zone of the equipment it drives "
                "does not change their origin: treat them as instructions from outside the control network. Validate them on receipt, "
                "accept them only from the designated source and path, and check the outside data before it is converted",
                f"{label_ja}は、工場外から入ったデータ{came_ja}をもとに「{context.zone_name(zone)}」で作られた制御指示（{data}）を運ぶ{lineage_ja}。"
                "変換する端末が駆動する設備と同じゾーンにあっても由来は変わらない。制御ネットワーク外からの制御指示として扱い、受信時に検証し、"
                "決められた送信元と経路からのみ受け付け、変換前に外部データを確認する",
            ),
            related=[zone, *outside, *chain.from_iterable(routes)],
            impact=zone_impact(context, zone),
        )


def _lineage(context: AnalysisContext, carried: Iterable[str]) -> tuple[list[str], list[str]]:
    """The data of outside origin (:attr:`~AnalysisContext.data_from_outside`) that the lineage of ``carried`` reaches,
    and the data assets on the way whose lineage is not stated (no ``data.derived_from``), both in the order met
    (:meth:`~AnalysisContext.lineage_of`)."""
    outside, unstated, _ = context.lineage_of(carried)
    return outside, unstated


def _lineage_text(context: AnalysisContext, outside: list[str], unstated: list[str]) -> tuple[str, str]:
    """What the lineage of a conduit's data says, in English and Japanese: the outside data it reaches (and how each
    came), else the data whose lineage is not stated."""
    if outside:
        entries, assets = context.data_from_outside, context.assets
        how: dict[str, tuple[str, str]] = {
            d: (f"brought in by {entries[d]}", f"{entries[d]} で持ち込まれる")
            if entries[d]
            else ("generated outside", "外部で生成される")
            if d in assets and not context.kept_outside(assets[d])
            else ("kept outside", "外部にある")
            for d in outside
        }
        en = ", ".join(f"'{context.asset_name(d)}' ({how[d][0]})" for d in outside)
        ja = "、".join(f"「{context.asset_name(d)}」（{how[d][1]}）" for d in outside)
        return (
            f"; the lineage of the data it carries reaches outside data: {en}",
            f"（運ぶデータの元をたどると外部のデータに至る：{ja}）",
        )
    en = ", ".join(f"'{context.asset_name(d)}'" for d in unstated)
    ja = "、".join(f"「{context.asset_name(d)}」" for d in unstated)
    return (
        f"; the lineage of {en} is not stated (data.derived_from)",
        f"（{ja}の元データが記載されていない：data.derived_from）",
    )


def _routes(context: AnalysisContext, routes: tuple[tuple[str, ...], ...], more: bool) -> tuple[str, str]:
    """Every route outside data came by (:func:`_route`), in English and Japanese, one after another; ``more``: other
    entries reach the zone too, beyond the routes kept (:attr:`~AnalysisContext.outside_origins_cut`)."""
    worded = [_route(context, route) for route in routes]
    en = "; ".join(en for en, _ in worded)
    ja = "；".join(ja for _, ja in worded)
    if more:
        en += "; and by other routes"
        ja += "；ほかの経路もある"
    return en, ja


RULE = Rule(
    id="THREAT-OUTSIDE-ORIGIN-CONTROL",
    category="threat",
    reference="Appendix 3.1.7 Table 3-4 (integration of control instructions: instructions from outside the control network); Annex A case (i)",
    title=text(
        "Control instructions built from data that came from outside", "外部から来たデータをもとに作られる制御指示"
    ),
    summary=text(
        "Fires per conduit carrying control instructions from a control-side zone that holds data, programs or settings of outside origin (followed through internal zones) and reach what the conduit sends, naming each route they came in by. They are followed only where the model shows them passed on: by the assets that received them (when a conduit names its assets), the data assets listed, or any asset when an end names none; instructions received (and a remote session: a two-way link carrying control instructions or ending at a remote-access asset) go on only with the control instructions a zone sends, and what comes back over a control link (readings, status) carries nothing on. Silent when the model states the conduit's lineage: it lists the data it carries (data), every data asset reached over data.derived_from states its own, and none of them lives outside or is brought in by a conduit from outside; when the conduit lists its data, the finding names the outside data the lineage reaches, or the data whose lineage is not stated. It also fires on a conduit no route reaches when the lineage of the data it lists reaches data of outside origin (stations of one zone handing data on by no conduit the model draws). A conduit inside one control-side zone (a station driving the equipment beside it) is told only when it lists its data and their lineage reaches data of outside origin.",
        "外部由来のデータ・プログラム・設定が（社内ゾーンを経由しても）制御側ゾーンに入り、コンジットが送るものに届く場合に、制御指示を運ぶコンジットごとに発生し、それらが入ってきた経路をすべて示す。たどるのはモデルが受け渡しを示す場合だけ：受け取った資産から（コンジットが資産を挙げる場合）、挙げられたデータの保護対象、または端で資産を挙げていない場合はどの資産からでも。受け取った制御指示（およびリモートセッション：制御指示を運ぶ、またはリモートアクセス資産で終わる双方向の接続）は、ゾーンが送る制御指示とだけ先へ進み、制御の接続で戻るもの（計測値、状態）は何も運ばない。コンジットが運ぶデータ（data）を挙げ、data.derived_from でたどれるすべてのデータの保護対象が自分の元データを記載し、そのどれも外部にも外部からのコンジットで持ち込まれるものでもない場合は発生しない。コンジットがデータを挙げている場合、元をたどって至る外部のデータ、または元データが記載されていないデータを示す。経路が届かないコンジットでも、挙げたデータの元をたどると外部由来のデータに至る場合は発生する（同じゾーンの端末どうしが、モデルに描かれていない受け渡しでデータを渡す場合）。一つの制御側ゾーンの中のコンジット（隣の設備を動かす端末）は、運ぶデータを挙げ、その元をたどると外部由来のデータに至る場合にだけ示す。",
    ),
    check=check,
    threat_type="abnormal-control-shutdown",
    viewpoint="control-instructions/external-control-instructions",
    risk_matter="external-system-operation",
    measures=("net-unidirectional-control-instructions", "net-input-validation-fa-oa", "net-transfer-integrity-check"),
    why=text(
        "A partner's or a cloud's compromised file travels through the factory's own stations and arrives at the machine as an ordinary instruction: nothing on the way tells it came from outside.",
        "取引先やクラウドで改ざんされたファイルが、工場内の端末を経由して普通の制御指示として設備に届く。途中で外部由来だと分かるものがない。",
    ),
    false_positives=text(
        "The outside data is checked and re-approved by a person before instructions are built from it, or the data that enters from outside never feeds the instructions (the conduits in the route carry unrelated data). For the latter, state the lineage: list on the conduit the data it carries (data) and, on each data asset, what it is made from (data.derived_from; an empty list when it is made here from nothing else the model holds); the finding then goes.",
        "外部データから制御指示を作る前に人が確認・承認している場合、または外部から入るデータが制御指示に使われない（経路上のコンジットが無関係なデータを運ぶ）場合。後者では元データを記載する：コンジットに運ぶデータ（data）を挙げ、各データの保護対象に何から作られるか（data.derived_from。モデル内のほかのデータから作られない場合は空のリスト）を書けば、この指摘は出なくなる。",
    ),
)
