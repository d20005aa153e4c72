"""The declarations of the reason codes ``factorysec review`` prints for a zone whose requirements must be looked at again.

Each code (``new-inbound-flow``, ``assets-changed`` ...) is one
:class:`~factorysec.rulebook.RuleInfo`, so ``factorysec explain CODE`` and
``docs/rules.md`` say what it means; :mod:`.zones` emits them.
"""

from __future__ import annotations

from factorysec.analysis.review.model import REF_ZONE_REVIEW, REF_ZONE_SPLIT, ReasonCode
from factorysec.rulebook import RuleInfo, text


def _reason(
    code: ReasonCode,
    reference: str,
    title: tuple[str, str],
    summary: tuple[str, str],
    why: tuple[str, str],
    false_positives: tuple[str, str],
) -> RuleInfo:
    return RuleInfo(
        id=code,
        family="review",
        category="review",
        reference=reference,
        title=text(*title),
        summary=text(*summary),
        why=text(*why),
        false_positives=text(*false_positives),
    )


_SAME_ZONE_ONLY = (
    "A change that only renames or re-describes an element moves nothing an attacker could use: confirm nothing else changed, then close the review item.",
    "要素の名称や説明を変えただけの変更は、攻撃者が使えるものを何も動かさない。他に変更がないことを確かめて、見直し項目を閉じる。",
)

REVIEW_REASONS: tuple[RuleInfo, ...] = (
    _reason(
        "new-zone",
        REF_ZONE_REVIEW,
        ("New zone", "新しいゾーン"),
        (
            "The change adds this zone: its requirements within and towards the other zones have to be set.",
            "変更でこのゾーンが加わる。ゾーン内と他ゾーンに対する要件を定める必要がある。",
        ),
        (
            "A zone nobody has set requirements for is protected by none (Annex A step 3, Table 3-4).",
            "誰も要件を定めていないゾーンは何にも守られない（付録A手順3、表3-4）。",
        ),
        (
            "A zone that only renames an old one carries its requirements over: check the before model, and copy rather than re-derive.",
            "旧ゾーンの名前を変えただけのゾーンは要件を引き継ぐ。変更前のモデルを確かめ、作り直さずに引き継ぐ。",
        ),
    ),
    _reason(
        "split",
        REF_ZONE_SPLIT,
        ("Zone split", "ゾーンの分割"),
        (
            "Protected objects left this zone for new zones, or it gained sub-zones.",
            "保護対象がこのゾーンから新しいゾーンへ移った、または下位ゾーンができた。",
        ),
        (
            "A split creates new boundaries: what used to be traffic inside one zone now crosses a conduit that needs its own requirements (Annex A step 1, 3).",
            "分割は新しい境界を生む。一つのゾーン内の通信だったものが、固有の要件を要するコンジットを渡るようになる（付録A手順1、3）。",
        ),
        (
            "A split that only moves an asset nobody talks to adds no conduit: check the flows before writing new requirements.",
            "誰とも通信しない資産を移すだけの分割はコンジットを増やさない。新しい要件を書く前にフローを確かめる。",
        ),
    ),
    _reason(
        "split-from",
        REF_ZONE_SPLIT,
        ("Zone split off another", "他のゾーンから分かれたゾーン"),
        (
            "This zone took protected objects from another zone in the change.",
            "変更でこのゾーンが他のゾーンから保護対象を受け取った。",
        ),
        (
            "The objects brought their importance and their flows with them; the zone's requirements must now cover both (Step 1-6).",
            "保護対象は重要度とフローを伴って移る。ゾーンの要件は両方を扱わなければならない（ステップ1-6）。",
        ),
        _SAME_ZONE_ONLY,
    ),
    _reason(
        "zone-changed",
        REF_ZONE_REVIEW,
        ("Zone changed", "ゾーンの変更"),
        (
            "A field of the zone itself changed (kind, side, management, target level ...).",
            "ゾーン自体の項目（種類、側、管理、目標レベルなど）が変わった。",
        ),
        (
            "The zone's kind, side and management decide which threats and requirements apply to it (Steps 1-6, 1-7).",
            "ゾーンの種類・側・管理が、当てはまる脅威と要件を決める（ステップ1-6、1-7）。",
        ),
        _SAME_ZONE_ONLY,
    ),
    _reason(
        "assets-changed",
        REF_ZONE_REVIEW,
        ("Protected objects of the zone changed", "ゾーンの保護対象の変更"),
        (
            "Assets were added to, removed from, or changed in this zone.",
            "このゾーンで資産が加わった、除かれた、または変わった。",
        ),
        (
            "A zone's importance and threats follow what it holds (Steps 1-4, 1-5): a new device or a changed trait can raise both.",
            "ゾーンの重要度と脅威は保持するものに従う（ステップ1-4、1-5）。新しい機器や変わった特性は両方を上げうる。",
        ),
        _SAME_ZONE_ONLY,
    ),
    _reason(
        "new-inbound-flow",
        REF_ZONE_REVIEW,
        ("New data flow into the zone", "ゾーンへの新しいデータの流れ"),
        (
            "A new conduit or flow brings data or control instructions into this zone.",
            "新しいコンジットやフローが、このゾーンにデータや制御指示を持ち込む。",
        ),
        (
            "What enters a zone is what Table 3-4 asks the receiving zone to decide about: check, validate or refuse it; control instructions above all.",
            "ゾーンに入るものこそ、表3-4が受け取る側のゾーンに判断を求めるものである。確認し、検証し、または拒む。とりわけ制御指示について。",
        ),
        (
            "A flow that replaces an old one on a new conduit carries the same data: the old requirement may simply move with it.",
            "古いフローを新しいコンジットで置き換えたフローは同じデータを運ぶ。古い要件をそのまま移せばよいこともある。",
        ),
    ),
    _reason(
        "new-outbound-flow",
        REF_ZONE_REVIEW,
        ("New data flow out of the zone", "ゾーンからの新しいデータの流れ"),
        (
            "A new conduit or flow carries data out of this zone.",
            "新しいコンジットやフローが、このゾーンからデータを運び出す。",
        ),
        (
            "Data leaving a zone can leak, and the sending zone is where confidentiality of what it holds is decided (Table 3-4, 3.2.2 (1)(iii)).",
            "ゾーンを出るデータは漏えいしうる。保持するものの機密性は送る側のゾーンで決める（表3-4、3.2.2 (1)(iii)）。",
        ),
        (
            "Outbound data of no confidentiality (public status values) needs little: record why and close the item.",
            "機密性のない送出データ（公開してよい状態値）は多くを要しない。理由を記録して項目を閉じる。",
        ),
    ),
    _reason(
        "new-internal-flow",
        REF_ZONE_REVIEW,
        ("New data flow inside the zone", "ゾーン内の新しいデータの流れ"),
        ("A new flow between assets of this zone.", "このゾーンの資産間の新しいフロー。"),
        (
            "Within-zone requirements (Table 3-4) cover integrity and who may send control instructions even where no boundary is crossed.",
            "ゾーン内の要件（表3-4）は、境界を渡らなくても完全性と制御指示を送れる者を扱う。",
        ),
        (
            "A flow between two interfaces of one device is no new exposure: check before asking for measures.",
            "一つの機器の二つのインタフェース間のフローは新しい露出ではない。対策を求める前に確かめる。",
        ),
    ),
    _reason(
        "zoning-finding",
        REF_ZONE_REVIEW,
        ("Zoning finding raised by the change", "変更で生じたゾーニングの指摘"),
        (
            "The after model has a zoning finding on this zone that the before model did not have.",
            "変更後のモデルに、変更前にはなかったこのゾーンのゾーニング指摘がある。",
        ),
        (
            "A change that breaks the zoning rules (Step 1-6) should be fixed before it goes live, not found afterwards.",
            "ゾーニングの規則（ステップ1-6）を破る変更は、稼働後に見つけるのでなく稼働前に直すべきである。",
        ),
        (
            "See the finding's own rule: its false positives apply here too.",
            "指摘自身のルールを見る。その誤検知の注意がここにも当てはまる。",
        ),
    ),
    _reason(
        "requirements-changed",
        REF_ZONE_REVIEW,
        ("Requirements of the zone changed", "ゾーンの要件の変更"),
        (
            "Security requirements within or towards this zone differ between before and after.",
            "このゾーン内またはこのゾーンに対するセキュリティ要件が、変更の前後で異なる。",
        ),
        (
            "Changed requirements mean changed measures and checklists for the people who run the zone (Annex A step 3).",
            "要件が変われば、ゾーンを運用する人にとっての対策とチェックリストも変わる（付録A手順3）。",
        ),
        (
            "A requirement that only changed wording follows from a renamed element: compare the ids before acting.",
            "文言だけ変わった要件は要素の名前変更から生じる。対応する前にidを比べる。",
        ),
    ),
)
