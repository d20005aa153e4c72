"""The model's field labels in English and Japanese and its field descriptions in Japanese, for a form and a list. Plain
data; no web framework.

The English description of every field is its pydantic ``Field(description=...)`` in
:mod:`factorysec.model.entities`, which the JSON Schema and the CLI read; it stays the one English text. This table
gives the same description in Japanese, keyed by the model's section (its top-level key: ``assets``, ``zones``,
``factory`` ...) and the field's key as written in YAML (``from``, ``one_way``). Identifiers a user types (catalog ids,
values such as ``private-cloud``, other field names) stay as written, as in the English text; words follow the
catalog's ``ja:`` texts and the reports' glossary (ゾーン, 保護対象, 業務, 事業者, 重要度, 別冊, 付録A).

:data:`FIELD_LABELS` names each field the same way in both languages (送信元ゾーン, ``From zone``), for the workspace's
form labels and list headers alike. ``tests/workspace/test_japanese.py`` checks that every field of every section has a
description and a label, and no more.
"""

from __future__ import annotations

_ID = "固定の識別子。英数字と「.」「_」「-」で書き、モデル全体で一意にする。"
_NAME = "表示名。"
_FREE = "自由記述。"
_STATUS = "existing（既存）か、スマート化による new（新規）・changed（変更）か。"

FIELD_HELP_JA: dict[str, dict[str, str]] = {
    "factory": {
        "id": _ID,
        "name": "工場の表示名。",
        "industry": (
            "加工組立型のラインは通常、業務ごとにゾーン分けできるが、素材・プロセス型の産業ではできないことが多い"
            "（付録Aの注記）。"
        ),
        "purposes": "スマート化の目的。表3-1のID（カタログの 'purposes'）。",
        "purpose_notes": "経営目標から目的をどう導いたか。",
        "location": "所在地または住所。",
        "review_interval_days": "ステップ3のPDCAの見直しを行う間隔（日数）。",
        "country": (
            "工場の所在国のISO 3166-1 alpha-2コード。空欄は JP。"
            "これと異なる国の事業者は海外の事業者とみなす（ステップ1-1 (3)）。"
        ),
        "pdca_owner": "ステップ3のPDCAサイクルを担う部門（3.3 (1)(ii)：PDCAを回せる組織）。",
        "manuals": "セキュリティ対策とインシデント対応のために整備したマニュアル（3.3 (1)(ii)）。",
        "last_training": "サイバーセキュリティ上の問題への対応について従業員を最後に訓練した日（3.3 (1)(ii)）。",
        "unexpected_event_practices": (
            "想定外の事象に備えて実施している取組。カタログの 'unexpected_event_practices' のID（3.3 (1)(ii)）。"
        ),
    },
    "bcp": {
        "exists": "BCPを策定済みかどうか。",
        "last_reviewed": "BCPを最後に見直した日。",
        "review_interval_days": "BCPを見直す間隔（日数）。空欄の場合は工場の見直し間隔に従う。",
        "covers": "BCPにすでに反映している見直しの観点。カタログの 'bcp_viewpoints' のID。",
        "owner": "BCPを担当する部門。",
        "notes": _FREE,
    },
    "requirements": {
        "id": _ID,
        "title": "求められる内容（1行で）。",
        "kind": "要件の種類。カタログの 'requirement_kinds' のID（law-regulation、standard、market-customer、internal など）。",
        "standard": "根拠となる規格または法令。カタログの 'standards' のID（iec-62443、eu-cra、semi-e187 など）。",
        "parts": "その規格・法令のうち工場に適用される制度。カタログの 'standard-parts' のID（jp-economic-security-act では core-infrastructure、critical-materials など）。空欄はカタログが想定する制度（core-infrastructure）。",
        "source": "この要件を課す事業者（顧客、取引先、当局など）。モデルに記載がある場合。",
        "applies_to": "適用するゾーン、保護対象、業務またはコンジット。空欄は工場全体。",
        "last_reviewed": "この要件が工場に何を求めるかを最後に確認した日（3.1.1 (2)：定期的に見直す）。",
        "review_interval_days": "見直す間隔（日数）。空欄の場合は工場の見直し間隔に従う。",
        "implies": "この要件から自社として導く事項。カタログがその規格について持つ事項に加える。",
        "notes": "自由記述（スマート化で何が変わるかなど）。",
    },
    "departments": {
        "id": _ID,
        "name": _NAME,
        "kind": "部門の種類。カタログの 'department_kinds' のID。",
        "location": "部門の所在地。",
        "head": "部門長の役職または氏名。",
    },
    "parties": {
        "id": _ID,
        "name": _NAME,
        "kind": "事業者の種類。カタログの 'party_kinds' のID。",
        "subcontractor_of": "この事業者に業務を再委託している事業者。",
        "identified": (
            "存在は分かっているが、まだ特定できていない事業者（ベンダの再委託先など）ではチェックを外す"
            "（ステップ1-1 (3)）。"
        ),
        "country": "事業者が業務を行う国のISO 3166-1 alpha-2コード。工場と異なる国であれば海外の事業者とみなす。",
        "remote_work": "工場システムの作業をリモートで行うかどうか（リモートアクセス用の保護対象を保守する場合も該当する）。",
        "status": "existing（既存）か、スマート化により新たに加わった new（新規）か。",
        "incident_impact": (
            "この事業者についてすでに検討したインシデント影響の観点。カタログの 'incident_impact_viewpoints' のID"
            "（ステップ1-1 (3)）。"
        ),
        "vulnerability_contact": "この事業者と脆弱性情報を受け渡す窓口（OODAの Observe（監視）に必要）。",
        "contract": "契約または利用規約の参照先。",
        "notes": _FREE,
    },
    "operations": {
        "id": _ID,
        "name": _NAME,
        "task": "この業務が実現する表3-2のタスク。カタログの 'tasks' のID。",
        "purposes": "この業務が資するスマート化の目的（表3-1）。",
        "sourcing": "自社で行うか、他社に外部委託するか。",
        "performed_by": "外部委託の場合に業務を行う事業者。",
        "status": _STATUS,
        "importance_by_axis": "価値の軸（S、Q、D、C、BC）ごとの重要度。空欄の軸はこの業務に該当しない（ステップ1-3、1-5）。",
        "importance": (
            "事業にとっての業務の重要度（ステップ1-3）。これだけを書いた場合は、すべての軸に同じ評価が付く一つの評価と"
            "みなす（報告にもそう示す）。importance_by_axis と併せて書く場合は軸ごとの評価の最高値とし、省略してもよい。"
        ),
        "importance_reason": "その重要度とした理由。",
        "description": _FREE,
    },
    "assets": {
        "id": _ID,
        "name": _NAME,
        "type": "表3-3の保護対象の種類。",
        "component": "保護対象が何であるか。カタログの 'components' のID（controller、scada、cloud-system、sensor-data など）。",
        "zone": "所属するゾーン。保護対象は必ずいずれかのゾーンに属する。",
        "operations": "この保護対象を使う業務。業務の重要度が保護対象に引き継がれる。",
        "status": _STATUS,
        "supplier": "この保護対象を供給した事業者。",
        "maintainer": "保守する事業者。空欄は自社。",
        "managed_by": "運用・管理する事業者。空欄は自社。",
        "procured": "工場が購入も仕様の指定もしていない場合は false：社外の事業者が自らのサービスのために所有・設置したもの（電力会社が受電設備に置いたデマンド監視装置など）。その事業者を 'supplier' または 'managed_by' に記す。調達時のチェックリスト（表3-10～3-12）は求めない。",
        "traits": (
            "脅威を左右する特性：general-purpose、built-in-computer、wireless、remote-access、oss、cloud、"
            "issues-control-instructions、external-equipment、boundary-device、removable-media"
            "（持ち込まれるUSBメモリなどの可搬媒体）、hard-wired（ネットワークインタフェースがなく設備と配線だけでつながる。"
            "IPアドレスを持たず、wireless、remote-access、cloud とは両立しない）。"
        ),
        "importance": (
            "S/Q/D/C/BC の評価。空欄の軸は、この保護対象を使う業務から軸ごとに導く。機密性と完全性は、空欄の場合、"
            "データ（データの保護対象の場合）から、またはこの保護対象が保存・処理するデータの保護対象から導く。"
        ),
        "addresses": "IPアドレス（観測に使う）。",
        "location": "物理的な設置場所（ステップ1-6 手順3：設備環境によるゾーン分け）。",
        "recovery_target_hours": "BCPで定める復旧目標時間（時間単位）（ステップ1-6 手順3：BCPによるゾーン分け）。",
        "data": "データ管理の属性。種類が data の保護対象のみ。",
        "identity": "ベンダ、製品、型番、バージョン、シリアル番号とその情報源（脆弱性情報の取り込みに使う）。",
        "description": _FREE,
        "separation_exception": (
            "付録A 事例(ii)：この外部サービスを専用のゾーンに分けず、利用するゾーンに置いたままにできる理由。"
            "'private-cloud'（自社で、またはエンタープライズシステム内のプライベートクラウドとして運用する）か "
            "'contract-measures'（サービス契約に必要なセキュリティ対策が含まれる。運用する事業者が契約を示す）。"
            "外部サービスと、事業者が運用する保護対象に限る。"
        ),
        "data_separation": (
            "異なる権利者の機密データ（複数の顧客の設計データを一つのサーバに置く場合など）をこの保護対象でどう分けて"
            "いるか：'per-holder-access'（権利者ごとのデータにはその案件の担当者だけがアクセスできる）、"
            "'separate-storage'（権利者ごとに保管先・ボリューム・インスタンスを分ける）、'encryption'（権利者ごとに"
            "別の鍵で暗号化する）、'none'（分けていないと明記する）。空欄は記載なし。DATA-MIXED-RIGHTS-HOLDERS が読む。"
            "データの保護対象には設定しない（ほかのデータを保持しないため）。"
        ),
    },
    "zones": {
        "id": _ID,
        "name": _NAME,
        "kind": "ゾーンの用途。制御系（FA）、情報系（OA）、外部のいずれの側かがこれで決まる。",
        "parent": "このゾーンがサブゾーンとして属するゾーン。",
        "status": _STATUS,
        "managed_by": "ゾーンを管理する事業者。空欄は自社。",
        "operations": "ゾーンで行う業務（ゾーン内の保護対象の業務のほか）。",
        "subnets": "アドレス範囲（CIDR）。観測に使う。",
        "target_security_level": "任意。IEC 62443 の目標セキュリティレベル（SL-T 1～4）。",
        "location": "ゾーンの物理的な場所。場所を書いていない保護対象はここにあるとみなす。",
        "recovery_target_hours": "BCPで定める復旧目標時間（時間単位）。目標を書いていない保護対象もこれに従う。",
        "description": _FREE,
    },
    "conduits": {
        "id": _ID,
        "name": "表示名。空欄の場合はIDを使う。",
        "from": "送信する側、または通信を始める側のゾーン。",
        "to": "受信する側のゾーン。",
        "from_assets": "送信元のゾーンで送信する保護対象。",
        "to_assets": "送信先のゾーンで受信する保護対象。",
        "direction": (
            "データの流れる向き。one-way は 'from' から 'to' への一方向のみ、two-way は双方向。"
            "攻撃者がどちらへ移動できるかは表さない（'one_way' を参照）。"
        ),
        "one_way": (
            "通信が物理的に 'from' から 'to' への一方向にしか流れないかどうか（データダイオード、一方向ゲートウェイ、"
            "その他一方向を強制する仕組み）。その場合に限り、'to' 側の攻撃者はこのコンジットを通って 'from' 側に"
            "到達できない。'via' に component が 'data-diode' の保護対象を含むコンジットも一方向とみなす。"
        ),
        "data": "運ぶデータの保護対象。",
        "carries": "データの保護対象をモデルに書いていない場合に、運ぶものを文章で書く。",
        "carries_control_instructions": "制御指示（または人を介さずに制御を動かすデータ）がこのコンジットを通るかどうか。",
        "instructions_from": (
            "制御指示を出す端：'from'（描いた向き）または 'to'（受け取る側から描いた双方向の接続。メーカーのクラウドへ発信する"
            "ルータに、クラウドからセッションが戻る場合など）。carries_control_instructions: true の場合だけ指定でき、'to' は"
            " direction: two-way の場合だけ。空欄は描いた向き。ただし工場内の双方向の接続で、'to' 側だけに制御指示を出す"
            "保護対象がある場合は 'to' 側とみなす。"
        ),
        "protocols": "プロトコル（例：modbus-tcp、s7comm、opc-ua、https、mqtt）。",
        "external_network": "経由する外部ネットワーク（ある場合）。",
        "via": "経由するネットワーク機器の保護対象（ルータ、ファイアウォール、VPN装置、無線アクセスポイント）。",
        "controls": "このコンジットで実施している対策。カタログの 'measures' のID。",
        "status": _STATUS,
    },
    "measures": {
        "id": _ID,
        "measure": "対策。カタログの 'measures' のID。",
        "applies_to": "対策の対象となるゾーン、保護対象またはコンジット。",
        "status": "実施の進み具合。",
        "owner": "担当部門。",
        "note": "自由記述（実施の証跡など）。",
    },
    "ooda_roles": {
        "stage": "OODAサイクルの段階。",
        "phase": "段階の中のフェーズ。",
        "lead": "主担当の部門または事業者。",
        "decision_makers": "部門長が判断を下す部門。",
        "note": _FREE,
    },
    "maturity": {
        "area": "表3-9の領域。",
        "level": "到達したレベル。",
        "evidence": "そのレベルを示すもの（直近の演習など）。",
        "assessed": "評価した日。",
    },
    "reviews": {
        "id": _ID,
        "date": "見直しを行った日。",
        "trigger": "見直しを行ったきっかけ。",
        "scope": "見直したステップ。カタログの 'steps' のID（step-1-6 など）。",
        "decisions": "決定した事項。",
        "participants": "参加した部門と事業者。",
        "model_digest": (
            "見直したモデルのダイジェスト（'factorysec check' が表示する）。見直しの後にモデルが変わったかどうかを"
            "知るために使う。"
        ),
    },
    "checklist_answers": {
        "subject": "回答の対象となる保護対象または事業者。",
        "item": "チェックリストの項目。カタログの 'checklists' のID。",
        "answer": "回答。",
        "note": _FREE,
        "evidence": "証跡の所在。",
        "date": "回答した日。",
    },
    "responsibilities": {
        "subject": "保護対象、業務または事業者。",
        "area": "責任の領域。",
        "responsible": "責任を負う部門または事業者。",
        "note": "自由記述（契約の該当条項など）。",
    },
}
"""Section → field key (as written in YAML) → the field's description in Japanese."""


def field_help_ja(section: str, field: str) -> str | None:
    """The field's description in Japanese; None for a field the table does not know (the English one is shown)."""
    return FIELD_HELP_JA.get(section, {}).get(field)


_ID_LABEL = ("Id", "ID")
_NAME_LABEL = ("Name", "名称")
_NOTES_LABEL = ("Notes", "備考")
_STATUS_LABEL = ("Status", "状態")
_INTERVAL_LABEL = ("Review interval (days)", "見直しの間隔（日）")
_RECOVERY_LABEL = ("Recovery target (hours)", "目標復旧時間（時間）")

FIELD_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "factory": {
        "id": _ID_LABEL,
        "name": _NAME_LABEL,
        "industry": ("Industry type", "産業の類型"),
        "purposes": ("Smartification purposes", "スマート化の目的"),
        "purpose_notes": ("How the purposes were derived", "目的の導き方"),
        "location": ("Location", "所在地"),
        "review_interval_days": ("PDCA review interval (days)", "PDCAの見直しの間隔（日）"),
        "country": ("Country", "所在国"),
        "pdca_owner": ("PDCA owner", "PDCAの担当部門"),
        "manuals": ("Manuals", "整備済みのマニュアル"),
        "last_training": ("Last training", "直近の訓練日"),
        "unexpected_event_practices": ("Practices for unexpected events", "想定外の事象への取組"),
    },
    "bcp": {
        "exists": ("BCP formulated", "BCP策定済み"),
        "last_reviewed": ("Last reviewed", "最終見直し日"),
        "review_interval_days": _INTERVAL_LABEL,
        "covers": ("Review viewpoints reflected", "反映済みの見直しの観点"),
        "owner": ("Owner", "担当部門"),
        "notes": _NOTES_LABEL,
    },
    "requirements": {
        "id": _ID_LABEL,
        "title": ("Title", "要求内容"),
        "kind": ("Kind", "要件の種類"),
        "standard": ("Standard", "規格・法令"),
        "parts": ("Parts that apply", "適用される制度"),
        "source": ("Imposed by", "要求元"),
        "applies_to": ("Applies to", "適用対象"),
        "last_reviewed": ("Last reviewed", "最終確認日"),
        "review_interval_days": _INTERVAL_LABEL,
        "implies": ("Own consequences", "自社として導く事項"),
        "notes": _NOTES_LABEL,
    },
    "departments": {
        "id": _ID_LABEL,
        "name": _NAME_LABEL,
        "kind": ("Kind", "部門の種類"),
        "location": ("Location", "所在"),
        "head": ("Head", "部門長"),
    },
    "parties": {
        "id": _ID_LABEL,
        "name": _NAME_LABEL,
        "kind": ("Kind", "事業者の種類"),
        "subcontractor_of": ("Subcontractor of", "再委託元"),
        "identified": ("Identified", "特定済み"),
        "country": ("Country", "国"),
        "remote_work": ("Works remotely", "リモート作業"),
        "status": _STATUS_LABEL,
        "incident_impact": ("Incident impact studied", "検討済みのインシデント影響の観点"),
        "vulnerability_contact": ("Vulnerability contact", "脆弱性情報の窓口"),
        "contract": ("Contract", "契約・利用規約"),
        "notes": _NOTES_LABEL,
    },
    "operations": {
        "id": _ID_LABEL,
        "name": _NAME_LABEL,
        "task": ("Task (Table 3-2)", "タスク（表3-2）"),
        "purposes": ("Smartification purposes", "スマート化の目的"),
        "sourcing": ("Sourcing", "実施形態"),
        "performed_by": ("Performed by", "委託先"),
        "status": _STATUS_LABEL,
        "importance_by_axis": ("Importance per axis", "軸ごとの重要度"),
        "importance": ("Importance", "重要度"),
        "importance_reason": ("Why this importance", "重要度の根拠"),
        "description": ("Description", "説明"),
    },
    "assets": {
        "id": _ID_LABEL,
        "name": _NAME_LABEL,
        "type": ("Type", "種別"),
        "component": ("Component", "構成要素"),
        "zone": ("Zone", "ゾーン"),
        "operations": ("Operations served", "使用する業務"),
        "status": _STATUS_LABEL,
        "supplier": ("Supplier", "供給元"),
        "maintainer": ("Maintainer", "保守事業者"),
        "managed_by": ("Managed by", "管理主体"),
        "procured": ("Procured by the factory", "工場が調達"),
        "traits": ("Traits", "特性"),
        "importance": ("Importance (S/Q/D/C/BC)", "重要度（S/Q/D/C/BC）"),
        "addresses": ("IP addresses", "IPアドレス"),
        "location": ("Location", "設置場所"),
        "recovery_target_hours": _RECOVERY_LABEL,
        "data": ("Data management", "データ管理"),
        "identity": ("Product identity", "製品の識別情報"),
        "description": ("Description", "説明"),
        "separation_exception": ("Separation exception", "ゾーン分離の例外"),
        "data_separation": ("Separation of rights holders' data", "権利者ごとのデータの分離"),
    },
    "zones": {
        "id": _ID_LABEL,
        "name": _NAME_LABEL,
        "kind": ("Kind", "用途"),
        "parent": ("Parent zone", "親ゾーン"),
        "status": _STATUS_LABEL,
        "managed_by": ("Managed by", "管理主体"),
        "operations": ("Operations", "業務"),
        "subnets": ("Subnets (CIDR)", "サブネット（CIDR）"),
        "target_security_level": ("Target security level", "目標セキュリティレベル"),
        "location": ("Location", "場所"),
        "recovery_target_hours": _RECOVERY_LABEL,
        "description": ("Description", "説明"),
    },
    "conduits": {
        "id": _ID_LABEL,
        "name": _NAME_LABEL,
        "from": ("From zone", "送信元ゾーン"),
        "to": ("To zone", "送信先ゾーン"),
        "from_assets": ("Sending assets", "送信する保護対象"),
        "to_assets": ("Receiving assets", "受信する保護対象"),
        "direction": ("Direction of data", "データの向き"),
        "one_way": ("Physically one-way", "物理的に一方向"),
        "data": ("Data carried", "運ぶデータ"),
        "carries": ("Carries (in words)", "運ぶもの（文章）"),
        "carries_control_instructions": ("Control instructions", "制御指示"),
        "instructions_from": ("Instructions issued by", "制御指示を出す端"),
        "protocols": ("Protocols", "プロトコル"),
        "external_network": ("External network", "外部ネットワーク"),
        "via": ("Via network assets", "経由する機器"),
        "controls": ("Measures in place", "実施済みの対策"),
        "status": _STATUS_LABEL,
    },
    "measures": {
        "id": _ID_LABEL,
        "measure": ("Measure", "対策"),
        "applies_to": ("Applies to", "対象"),
        "status": ("Implementation status", "実施状況"),
        "owner": ("Owner", "担当部門"),
        "note": _NOTES_LABEL,
    },
    "ooda_roles": {
        "stage": ("Stage", "段階"),
        "phase": ("Phase", "フェーズ"),
        "lead": ("Lead", "主担当"),
        "decision_makers": ("Decides", "判断者"),
        "note": _NOTES_LABEL,
    },
    "maturity": {
        "area": ("Area", "領域"),
        "level": ("Level reached", "到達レベル"),
        "evidence": ("Evidence", "根拠資料"),
        "assessed": ("Assessed", "評価日"),
    },
    "reviews": {
        "id": _ID_LABEL,
        "date": ("Date", "見直し日"),
        "trigger": ("Trigger", "きっかけ"),
        "scope": ("Steps reviewed", "見直したステップ"),
        "decisions": ("Decisions", "決定事項"),
        "participants": ("Participants", "参加者"),
        "model_digest": ("Model digest", "モデルのダイジェスト"),
    },
    "checklist_answers": {
        "subject": ("Subject", "対象"),
        "item": ("Item", "項目"),
        "answer": ("Answer", "回答"),
        "note": _NOTES_LABEL,
        "evidence": ("Evidence", "証跡"),
        "date": ("Answered on", "回答日"),
    },
    "responsibilities": {
        "subject": ("Subject", "対象"),
        "area": ("Area", "責任の領域"),
        "responsible": ("Responsible", "責任主体"),
        "note": _NOTES_LABEL,
    },
}
"""Section → field key (as written in YAML) → the field's label (English, Japanese): the one table of what a field is
called on a form's label and a list's column header; the key stays in YAML, URLs and the API."""


def field_label(section: str, field: str, lang: str) -> str:
    """The field's label in ``lang`` (``en`` or ``ja``); its key where the table does not know it."""
    found = FIELD_LABELS.get(section, {}).get(field)
    if found is None:
        return field
    return found[1] if lang == "ja" else found[0]
