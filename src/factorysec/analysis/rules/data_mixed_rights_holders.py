"""DATA-MIXED-RIGHTS-HOLDERS: one asset stores or processes confidential data of several outside rights holders, and
nothing says how each holder's data is kept apart from the others'.

Step 1-1 (2) counts requirements from customers and business partners among the
external requirements the factory organises, and the data management framework
that Step 1-7 refers to describes data by its situation (the contracts between
organisations) and its attributes (scope of disclosure, rights holder), across its
events (generation, processing, transfer, storage, disposal). A contract
manufacturer keeps several customers' designs, programs and firmware under
non-disclosure agreements: put on one server, station or portal they share the
protection of that asset (2.1.3), and a slip in data handling there hands one
customer's data to another (Table 3-6 row 9, external data leakage through
inadequate data handling; Table 3-4, confidentiality of the protected object and
impact of data leakage).

Whose data it is: a data asset's ``data.rights_holder`` when it names a party (a
department is the factory itself), else the parties that run the external zones
its lifecycle has it generated in (customers' data packages generated at each
customer's site or portal). Public data is left aside. Where it is: the assets a
conduit carries it from or to (as the importance of stored data flows to them),
not those run by one of its holders (a customer's own portal). One finding per
asset holding data of two or more outside holders, unless the asset states how it
keeps them apart (``data_separation`` other than ``none``).
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.importance import asset_holdings
from factorysec.analysis.rules._common import party_or_department_name, run_by_outside_party
from factorysec.model.entities import Asset, AssetType


def rights_holders(context: AnalysisContext, data: Asset) -> list[str]:
    """The outside parties that hold rights in a data asset's content, in the order the model gives them: its
    ``rights_holder`` when that names a party, else the operators of the external zones its lifecycle generates it in.
    None for public data, or data whose stated rights holder is one of the factory's departments."""
    attributes = data.data
    if attributes is None or attributes.disclosure == "public":
        return []
    parties = context.parties
    if attributes.rights_holder is not None:
        return [attributes.rights_holder] if attributes.rights_holder in parties else []
    found: dict[str, None] = {}
    sides, zones = context.zone_sides, context.zones
    for event in attributes.lifecycle:
        if event.event != "generation" or event.zone is None or sides.get(event.zone) != "external":
            continue
        zone = zones.get(event.zone)
        operator = zone.managed_by if zone is not None else None
        if operator is not None and operator in parties:
            found[operator] = None
    return list(found)


def check(context: AnalysisContext) -> Iterator[Finding]:
    assets = context.assets
    held_by = {
        asset.id: found
        for asset in assets.values()
        if asset.type is AssetType.DATA and (found := rights_holders(context, asset))
    }
    if len({holder for found in held_by.values() for holder in found}) < 2:
        return  # fewer than two outside holders in the whole model: no asset can hold two
    for place_id, data_ids in asset_holdings(context.model).items():
        place = assets.get(place_id)
        if place is None or place.type is AssetType.DATA:
            continue
        if place.data_separation is not None and place.data_separation != "none":
            continue
        by_holder: dict[str, list[str]] = {}
        for data_id in data_ids:
            for holder in held_by.get(data_id, ()):
                by_holder.setdefault(holder, []).append(data_id)
        if len(by_holder) < 2 or run_by_outside_party(context, place) in by_holder:
            continue
        name = place.name
        held_en = "; ".join(f"'{party_or_department_name(context, p)}': {', '.join(ds)}" for p, ds in by_holder.items())
        held_ja = "／".join(
            f"「{party_or_department_name(context, p)}」の{'、'.join(ds)}" for p, ds in by_holder.items()
        )
        if place.data_separation == "none":
            stated_en = "; the model states they are not kept apart"
            stated_ja = "。モデルには分けていないと記載されている"
        else:
            stated_en = "; nothing says how they are kept apart"
            stated_ja = "。分け方の記載がない"
        yield RULE.finding(
            new_subject("asset", place_id),
            text(
                f"'{name}' stores or processes confidential data of {len(by_holder)} outside rights holders ({held_en})"
                + stated_en
                + ". Agree with each holder how its data is kept apart here (access limited to its own project, a store"
                " of its own, or its own encryption key), who may see which holder's data, and how it is returned or"
                " deleted when the contract ends; then record the separation as data_separation",
                f"「{name}」は社外の権利者{len(by_holder)}者の機密データ（{held_ja}）を保存・処理する"
                + stated_ja
                + "。権利者ごとに、ここでのデータの分け方（その案件の担当者だけに限るアクセス、専用の保管先、"
                "権利者ごとの鍵による暗号化）、どの権利者のデータを誰が見てよいか、契約終了時の返却・削除の方法を"
                "取り決め、その分け方を data_separation に記録する",
            ),
            related=[*by_holder, *(d for ds in by_holder.values() for d in ds)],
            impact=text(
                f"one mistake or intrusion on '{name}' exposes every holder's data at once: a holder's data seen by"
                " another breaks the confidentiality it was entrusted under",
                f"「{name}」での一つの誤りや侵入で全権利者のデータが同時に危険にさらされる。"
                "ある権利者のデータが他の権利者に見られると、預かった際の秘密保持の約束が破られる",
            ),
        )


RULE = Rule(
    id="DATA-MIXED-RIGHTS-HOLDERS",
    category="threat",
    reference=(
        "Appendix 3.1.1 Step 1-1 (2) (requirements from customers and business partners); 3.1.7 Step 1-7 (data"
        " management framework: contracts between organisations, scope of disclosure, rights holder); Table 3-4"
        " (protected object, confidentiality; impact of data leakage); Table 3-6 row 9"
    ),
    title=text(
        "Confidential data of several rights holders on one asset with no stated separation",
        "複数の権利者の機密データが一つの保護対象にあり、分け方の記載がない",
    ),
    summary=text(
        "Fires per asset (not a data asset, not run by one of the holders) that a conduit carries confidential data of two"
        " or more outside rights holders from or to, unless its data_separation says how they are kept apart"
        " (per-holder-access, separate-storage or encryption). A data asset's holders are its rights_holder when that"
        " names a party, else the operators of the external zones its lifecycle generates it in; public data is left"
        " aside.",
        "社外の二者以上の権利者の機密データをコンジットで送受する保護対象（データの保護対象と、権利者の一者が運用する"
        "ものを除く）ごとに、data_separation で分け方（権利者ごとのアクセス制限、保管先、暗号化）が示されて"
        "いなければ発生する。データの権利者は、rights_holder が関係者を指す場合はそれ、指さない場合はライフサイクルで"
        "生成される外部ゾーンの運営者とする。公開データは対象としない。",
    ),
    check=check,
    threat_type="data-theft-leakage",
    viewpoint="protected-object/confidentiality",
    risk_matter=None,
    measures=("data-utilisation-scope", "data-handling-rules"),
    why=text(
        "Customers and partners entrust their designs, programs and firmware under confidentiality agreements; kept"
        " together on one server, station or portal, a wrong permission, a copy to the wrong folder or one intrusion"
        " hands one holder's data to another, and every holder's agreement is broken at once.",
        "顧客や取引先は設計データ・プログラム・ファームウェアを秘密保持契約のもとで預ける。一つのサーバ・端末・"
        "ポータルにまとめて置くと、権限の誤り、誤ったフォルダへの複製、一度の侵入で、ある権利者のデータが他の権利者に"
        "渡り、全権利者との約束が同時に破られる。",
    ),
    false_positives=text(
        "The data is kept apart but data_separation is not recorded on the asset; or one modelled data asset pools data"
        " the asset never receives from every holder (record the holders' data as separate data assets, or state the"
        " separation). Holders are inferred from where the data is generated: name rights_holder when another party,"
        " or a department, holds the rights.",
        "データは分けているが保護対象に data_separation が記録されていない場合。または、一つのデータの保護対象が"
        "すべての権利者のデータをまとめており、実際にはその保護対象に届かない権利者のデータも含む場合（権利者ごとに"
        "データの保護対象を分けるか、分け方を記録する）。権利者は生成される場所から推定するため、別の関係者や社内の"
        "部門が権利を持つ場合は rights_holder を記載する。",
    ),
)
