"""The declarations of the Table 3-4 requirement ids that :mod:`.requirements` derives.

A requirement is printed as ``REQ-<viewpoint detail>@<zone>`` within a zone
and ``REQ-<viewpoint detail>@<from zone>-><to zone>`` between zones (one
requirement for all the conduits of a zone pair that call for it); the part
before ``@`` is declared here once.
"""

from __future__ import annotations

from factorysec.analysis.requirements import REFERENCE
from factorysec.rulebook import RuleInfo, text

_SQDC = {
    "safety": ("safety", "安全", "S"),
    "quality": ("quality", "品質", "Q"),
    "delivery": ("delivery", "納期", "D"),
    "cost": ("cost", "コスト", "C"),
}


def _requirement(
    detail: str,
    category: str,
    title: tuple[str, str],
    summary: tuple[str, str],
    why: tuple[str, str],
    false_positives: tuple[str, str],
) -> RuleInfo:
    return RuleInfo(
        id=f"REQ-{detail}",
        family="requirement",
        category=category,
        reference=REFERENCE,
        title=text(*title),
        summary=text(*summary),
        why=text(*why),
        false_positives=text(*false_positives),
    )


def _sqdc(axis: str) -> RuleInfo:
    en, ja, letter = _SQDC[axis]
    return _requirement(
        axis,
        "within-zone",
        (f"Protect {en} in the zone (SQDC)", f"ゾーンで{ja}を守る（SQDC）"),
        (
            f"A zone whose protected objects are declared high in {en} ({letter}) (one requirement for all its high SQDC axes, named after the first of them in alphabetical order: cost, delivery, quality, safety).",
            f"保護対象の{ja}（{letter}）など SQDC の評価が高いと宣言されたゾーン（高い軸すべてで一つの要件。ID は英語名のアルファベット順で最初の軸：cost、delivery、quality、safety）。",
        ),
        (
            "Table 3-4 makes safety, quality, delivery and cost a viewpoint of the security requirements within a zone: what the zone's objects are rated high for is what an attack on it would damage.",
            "表3-4は安全・品質・納期・コストをゾーン内のセキュリティ要件の観点とする。ゾーンの保護対象が高く評価されている点こそ、攻撃で損なわれるものである。",
        ),
        (
            "It follows the declared ratings only: a rating set high by habit raises a requirement the zone does not need; check the ratings of the zone's assets.",
            "宣言された評価にだけ従う。習慣的に高く付けた評価は、ゾーンに不要な要件を生む。ゾーンの資産の評価を確認する。",
        ),
    )


REQUIREMENT_RULES: tuple[RuleInfo, ...] = (
    _requirement(
        "stoppage",
        "within-zone",
        ("Set how long the zone may stop and how it recovers", "ゾーンの停止許容時間と復旧方法を定める"),
        ("A zone of high or critical importance.", "重要度が「高」以上のゾーン。"),
        (
            "Business continuity is a viewpoint of the requirements within a zone (Table 3-4: impact and period of stoppage, ease of recovery); an important zone without them has no target for backup or recovery measures.",
            "事業継続はゾーン内の要件の観点である（表3-4：停止の影響と期間、復旧の容易さ）。重要なゾーンにそれがなければ、バックアップや復旧の対策に目標がない。",
        ),
        (
            "The zone's importance may be overstated (derived from one high-rated operation it barely serves): check the zone's importance reason before setting recovery targets.",
            "ゾーンの重要度が過大なことがある（ほとんど関わらない重要業務一つから導かれている）。復旧目標を定める前に重要度の理由を確認する。",
        ),
    ),
    *(_sqdc(axis) for axis in sorted(_SQDC)),
    _requirement(
        "confidentiality",
        "within-zone",
        ("Keep the zone's sensitive data confidential", "ゾーンの機微なデータの機密性を保つ"),
        (
            "A zone that holds or receives data whose disclosure is restricted or secret; marked new when any of that data is new or changed. Also, as '@<zone>#<asset>', an asset inside the zone run by an outside party that receives such data.",
            "開示区分が restricted または secret のデータを持つ、または受け取るゾーン。そのデータが新規・変更なら new とする。ゾーン内で外部の者が運用し、そのようなデータを受け取る資産にも '@<ゾーン>#<資産>' として発生する。",
        ),
        (
            "Confidentiality of protected objects is a viewpoint within a zone (Table 3-4); data theft or leakage is among the threats the guideline lists (3.1.7).",
            "保護対象の機密性はゾーン内の観点である（表3-4）。データの窃取・漏えいはガイドラインが挙げる脅威の一つである（3.1.7）。",
        ),
        (
            "It follows the data's 'disclosure' value: data marked restricted out of caution raises a requirement nobody needs; check the classification.",
            "データの 'disclosure' の値に従う。念のため restricted とした区分は、誰も必要としない要件を生む。区分を確認する。",
        ),
    ),
    _requirement(
        "integrity",
        "within-zone",
        (
            "Review the zone's requirements for data it newly receives",
            "新たに受け取るデータについてゾーンの要件を見直す",
        ),
        (
            "A zone that receives data from another zone, or from an asset inside it run by an outside party, where the conduit or the data is new or changed; as '@<zone>#<asset>', such an asset that newly receives data.",
            "他のゾーン、またはゾーン内で外部の者が運用する資産からデータを受け取り、そのコンジットまたはデータが新規・変更であるゾーン。'@<ゾーン>#<資産>' は、新たにデータを受け取るそのような資産。",
        ),
        (
            "Smartification brings new data into zones (Annex A step 3); falsified or wrong data received from another zone steers the receiving zone's work (Table 3-5, Table 3-6 row 6).",
            "スマート化はゾーンに新しいデータを持ち込む（付録A ステップ3）。他のゾーンから受け取った改ざん・誤りのデータは受け取る側の作業を誤らせる（表3-5、表3-6の6）。",
        ),
        (
            "The data may only be displayed to people who check it before acting; the requirement then asks little: record who may change the data and close it.",
            "データが人に表示されるだけで、人が確認してから行動することがある。その場合求めることは少ない。誰がデータを変更できるかを記録して閉じる。",
        ),
    ),
    _requirement(
        "transfer-confidentiality",
        "between-zones",
        ("Confirm which data may go from one zone to the other", "ゾーン間で送ってよいデータを確認する"),
        (
            "Every zone pair joined by a conduit, and every flow inside a zone to or from an asset an outside party runs (the asset's id stands for a zone in the requirement id: the party runs it under its own policy); the text says so when sensitive data crosses outside the factory.",
            "コンジットでつながるすべてのゾーンの組と、外部の者が運用する資産とのゾーン内のフロー（その資産は自らの方針で運用されるため、要件 ID ではゾーンの代わりに資産の ID を記す）。機微なデータが工場外へ出るときはその旨を記す。",
        ),
        (
            "Table 3-4 asks for confidentiality on the sending and receiving sides of information between zones: confirm what data may be sent and received.",
            "表3-4は、ゾーン間の情報の送信側・受信側で機密性を確保するよう求める。送受信してよいデータを確認する。",
        ),
        (
            "A conduit with no 'data' or 'carries' shows 'unspecified data': name what it carries so the requirement can be checked, rather than dismiss it.",
            "'data' も 'carries' もないコンジットは「未記載のデータ」となる。要件を確認できるよう、運ぶものを記載する。",
        ),
    ),
    _requirement(
        "transfer-integrity",
        "between-zones",
        ("Compare what is sent with what is received, and validate it", "送受信の内容を照合し検証する"),
        (
            "A zone pair whose conduits carry control instructions or sensitive data, or reach a high-importance zone.",
            "制御指示や機微なデータを運ぶ、または重要度の高いゾーンに届くコンジットを持つゾーンの組。",
        ),
        (
            "Table 3-4 asks for integrity on both sides (comparison of sent and received data); missing input validation between control and information systems sends inaccurate data and wrong instructions (Table 3-5).",
            "表3-4は両側での完全性（送受信データの照合）を求める。制御系と情報系の間で入力検証がないと、不正確なデータや誤った指示が送られる（表3-5）。",
        ),
        (
            "A protocol that already checks integrity end to end (signed messages, authenticated sessions) meets most of it: record that control on the conduit.",
            "端から端まで完全性を確認するプロトコル（署名付きメッセージ、認証付きセッション）なら大半を満たす。その対策をコンジットに記録する。",
        ),
    ),
    _requirement(
        "transfer-availability",
        "between-zones",
        ("Back up the data sent between the zones", "ゾーン間で送るデータをバックアップする"),
        (
            "A zone pair whose conduits are new, cross outside the factory, or reach a high-importance zone.",
            "新規の、工場外へ出る、または重要度の高いゾーンに届くコンジットを持つゾーンの組。",
        ),
        (
            "Table 3-4 asks for availability on both sides (backup of sent and received data), so that losing the link or one side does not lose the data.",
            "表3-4は両側での可用性（送受信データのバックアップ）を求める。接続や片側を失ってもデータを失わないようにする。",
        ),
        (
            "Data that can be regenerated at the source at any time (a live status feed) needs no backup of its own: record a decision saying so.",
            "送信元でいつでも作り直せるデータ（稼働状況の配信など）には独自のバックアップは要らない。その旨の判断を記録する。",
        ),
    ),
    _requirement(
        "external-control-instructions",
        "between-zones",
        (
            "Decide whether the zone accepts control instructions from the other",
            "他ゾーンからの制御指示を受け入れるか決める",
        ),
        ("A zone pair whose conduits carry control instructions.", "制御指示を運ぶコンジットを持つゾーンの組。"),
        (
            "Table 3-4 names the integration of control instructions from outside the factory's control network as a requirement between zones: accepting them lets the sender move the receiving zone's equipment.",
            "表3-4は、工場の制御ネットワーク外からの制御指示の統合をゾーン間の要件として挙げる。受け入れれば、送信元が受け取る側の設備を動かせる。",
        ),
        (
            "A conduit marked as carrying control instructions may only carry set-points confirmed by a person on site: correct 'carries_control_instructions' if so.",
            "制御指示を運ぶとされたコンジットが、現場の人が確認する設定値だけを運ぶことがある。そうなら 'carries_control_instructions' を直す。",
        ),
    ),
)
