"""The guideline's words for the values of the model's and the analysis's enumerations, in English and Japanese.

Below both the analysis and the renderers: the analysis writes its sentences in both languages with these words
(``words``), and every renderer prints values with them (``value``); ``report/glossary.py`` re-exports them beside
the renderers' labels. In English a value is printed as written in the model (``production-control``), so that
English outputs keep the identifiers users type; in Japanese it is a word. ``reference`` reads a guideline reference
in Japanese (別冊 for the appendix itself, 付録 for its annexes, 表 and 図 for tables and figures).
"""

from __future__ import annotations

import re
from functools import lru_cache

from factorysec.catalog.models import Text


def _words(**pairs: str) -> dict[str, Text]:
    """A vocabulary: each value (``_`` in a keyword stands for ``-``) with its Japanese word; its English is the value itself."""
    return {key.replace("_", "-"): Text(en=key.replace("_", "-"), ja=ja) for key, ja in pairs.items()}


VALUES: dict[str, dict[str, Text]] = {
    "level": _words(critical="最重要", high="高", medium="中", low="低"),
    "zone_kind": _words(
        production="生産",
        logistics="物流",
        production_control="生産管理",
        monitoring="監視",
        engineering="エンジニアリング",
        office="事務",
        external="外部",
        dmz="DMZ",
        other="その他",
    ),
    "asset_type": _words(external_service="外部サービス", equipment="機器", software="ソフトウェア", data="データ"),
    "sourcing": _words(in_house="自社", outsourced="外部委託"),
    "status": _words(existing="既存", new="新規", changed="変更"),
    "external_network": _words(
        none="なし",
        internet="インターネット",
        vpn="VPN",
        closed_carrier="閉域網",
        mobile="モバイル回線",
        partner_network="取引先ネットワーク",
    ),
    "subject_kind": _words(
        factory="工場",
        zone="ゾーン",
        asset="保護対象",
        conduit="コンジット",
        operation="業務",
        party="事業者",
        department="部門",
        requirement="要件",
    ),
    "category": _words(
        zoning="ゾーニング",
        hygiene="整備",
        threat="脅威",
        requirement="要件",
        exposure="露出",
        lifecycle="ライフサイクル",
        supply_chain="サプライチェーン",
        discovery="観測",
        vulnerability="脆弱性",
    ),
    "scope": _words(within_zone="ゾーン内", between_zones="ゾーン間"),
    "source": _words(declared="宣言", inferred="推定", missing="未定", proposed="提案"),
    "decision": _words(accepted="受容", mitigated="対策済み", false_positive="誤検知", in_progress="対応中"),
    "path_kind": _words(shortest="最短", weakest="最弱"),
    "entry_kind": _words(
        external_zone="外部ゾーン",
        external_network="外部ネットワーク",
        remote_access="リモートアクセス",
        wireless="無線",
        cloud="クラウド",
        vendor_managed="ベンダー管理",
        removable_media="可搬媒体",
    ),
    # as the catalog's ooda.yaml titles them (Tables 3-7 and 3-8)
    "ooda_stage": _words(preventive_maintenance="予防保全段階", damage_occurrence="被害発生段階"),
    "ooda_phase": _words(
        observe="Observe（監視）", orient="Orient（分析）", decide="Decide（判断）", act="Act（実行）"
    ),
    # as the catalog's maturity.yaml titles them (Table 3-9)
    "maturity_area": _words(
        external_cooperation="社内外の組織間の連携",
        between_departments="関係部門間の連携",
        within_department="担当部門内",
    ),
    "maturity_level": _words(none="未到達", basic="基礎", practice="実践", application="応用"),
    "direction": _words(one_way="一方向", two_way="双方向"),
    # which end of a conduit issues its control instructions (keywords cannot be named 'from')
    "instructions_from": _words(**{"from": "from 側（描いた向き）", "to": "to 側（描いた向きの逆）"}),
    "checklist_kind": _words(
        cloud_service="クラウドサービス", general_purpose_product="汎用製品", software="ソフトウェア"
    ),
    "checklist_stage": _words(
        procurement="調達", contract="契約", development="開発", operation_maintenance="運用・保守"
    ),
    "answer": _words(yes="はい", no="いいえ", not_applicable="該当なし", unknown="不明"),
    "plan_status": _words(open="未着手", in_progress="対応中", done="完了", accepted="受容"),
    # as the reports word a measure's state (実施済み, 一部実施, 計画中)
    "measure_status": _words(implemented="実施済み", partial="一部実施", planned="計画中"),
    "review_trigger": _words(
        scheduled="定期",
        smartification_change="スマート化による変更",
        incident="インシデント",
        audit="監査",
        other="その他",
    ),
    # as the analysis's responsibility division words them (analysis/lifecycle/responsibility.py)
    "responsibility_area": _words(
        operation="運用",
        maintenance="保守",
        incident_response="インシデント対応",
        vulnerability_handling="脆弱性対応",
        data_handling_at_end="利用終了時のデータの扱い",
    ),
    # Annex A's note on zoning by operation
    "industry": _words(processing_assembly="加工組立型", material_process="素材・プロセス型", other="その他"),
    "manual": _words(security_measures="セキュリティ対策", incident_response="インシデント対応"),
    "department_location": _words(factory="工場", head_office="本社"),
    # Annex A case (ii)
    "separation_exception": _words(private_cloud="プライベートクラウド", contract_measures="契約による対策"),
    # DATA-MIXED-RIGHTS-HOLDERS: how one asset keeps several rights holders' data apart
    "data_separation": _words(
        per_holder_access="権利者ごとのアクセス制限",
        separate_storage="権利者ごとの保管先",
        encryption="権利者ごとの暗号化",
        none="分離なし",
    ),
}
"""Per enumeration: each value's words. In English the word is the value as written, so that English outputs show what users type."""


VALUES["rule_category"] = {
    **VALUES["category"],
    **VALUES["scope"],
    **_words(
        decision="判断",
        measures="対策",
        policy="方針",
        review="見直し",
        risk="リスク",
        security_level="セキュリティレベル",
    ),
}
"""The category ``explain`` prints for a declared id: a finding's category, a requirement's scope or a Step 2 item's kind."""

VALUES["zone_side"] = _words(
    fa="制御系（FA）", oa="情報系（OA）", external="外部", boundary="境界（DMZ）", other="その他"
)
"""The side a zone kind sits on (``ZoneKind.side``), for sentences that compare two zones' sides."""


def value(vocabulary: str, raw: str, lang: str) -> str:
    """The word for ``raw`` (a value of ``vocabulary``) in ``lang``; a value the glossary does not know is shown as written."""
    word = VALUES[vocabulary].get(raw)
    return word.get(lang) if word is not None else raw


def words(vocabulary: str, raw: str) -> Text:
    """The words for ``raw`` (a value of ``vocabulary``) in both languages, for a sentence the analysis writes in both.

    The English is the value as written; a value the glossary does not know reads as written in both languages.
    """
    word = VALUES[vocabulary].get(raw)
    return word if word is not None else Text(en=raw, ja=raw)


REFERENCE_NOTES: dict[str, str] = {
    # the threats of Table 2-1 and Table 3-5, worded as the catalog's risk matters are
    "(built-in computer in the equipment)": "（コンピュータを内蔵した設備）",
    "(connection of FA system and OA system networks)": "（FA系とOA系のネットワーク接続）",
    "(data in FA system also exist in OA system)": "（FA系のデータをOA系でも保持）",
    "(FA data in OA)": "（FA系のデータをOA系でも保持）",
    "(expanded effects of cyberattacks; operation of external systems)": "（サイバー攻撃の影響範囲の拡大、外部システムの稼働）",
    "(integration with third-party systems: different security policy)": "（他社システムとの連携：異なるセキュリティポリシー）",
    "(remote access: connection via external network)": "（リモートアクセス：外部ネットワーク経由の接続）",
    "(remote access: use of external equipment)": "（リモートアクセス：外部機器の利用）",
    "(remote access)": "（リモートアクセス）",
    "(use of external equipment)": "（外部機器の利用）",
    "(use of ICT functions such as wireless LAN, 5G)": "（無線LAN・5GなどのICT機能の利用）",
    "(wireless ICT)": "（無線LAN・5GなどのICT機能の利用）",
    "(handling of information on external systems)": "（外部システム上の情報の取り扱い）",
    "(control instructions generated automatically)": "（自動生成される制御指示）",
    "(FA and OA systems)": "（FA系とOA系）",
    # Table 3-4 and the zones of Step 1-6
    "(integration of control instructions: instructions from outside the control network)": "（制御指示の統合：制御ネットワークの外からの指示）",
    "(control instructions accepted in one direction)": "（制御指示は一方向で受け付ける）",
    "(control instructions)": "（制御指示）",
    "(information transfer, availability)": "（情報の受け渡し：可用性）",
    "(information transfer, confidentiality)": "（情報の受け渡し：機密性）",
    "(information transfer, integrity)": "（情報の受け渡し：完全性）",
    "(SQDC: safety assurance (S))": "（SQDC：安全の確保（S））",
    "(safety assurance (S))": "（安全の確保（S））",
    "(safety assurance)": "（安全の確保）",
    "(quality assurance)": "（品質の確保）",
    ": control instructions and data between zones": "：ゾーン間の制御指示とデータ",
    ": zones": "：ゾーン",
    "(connect zones with operations and protected objects)": "（ゾーンと業務・保護対象の対応付け）",
    "(zones by operation)": "（業務ごとのゾーン）",
    "(zoning from an operational perspective)": "（業務の観点からのゾーニング）",
    "(zones of physical and cyberspace; operations connected physically or by data)": "（ゾーンは物理空間とサイバー空間からなる。業務は物理的にもデータでもつながる）",
    "(same zone or another zone based on BCP, facility environment (physical, cyberspace))": "（BCPや設備環境（物理空間・サイバー空間）をもとに、同じゾーンか別のゾーンかを決める）",
    "(assets in one zone are protected at an equal level)": "（同じゾーンの保護対象は同じ水準で守る）",
    "(Step 1-7 threat types)": "（ステップ1-7 の脅威の種類）",
    "(not every service needs its own zone: private cloud; measures included in the contract)": "（サービスごとにゾーンを設けるとは限らない：プライベートクラウド、契約に含まれる対策）",
    # Step 1-1 to Step 1-5
    ", BCP review viewpoints (partners and supply chain, new systems and services, decision making)": "、BCPの見直しの観点（取引先とサプライチェーン、新しいシステムとサービス、意思決定）",
    ", BCP review": "、BCPの見直し",
    " BCP viewpoints": " BCPの観点",
    "(confirm whether a BCP has been formulated; if not, study its formulation)": "（BCPの策定状況を確認し、未策定なら策定を検討する）",
    "(review and update the BCP as smartification adds systems and expands the supply chain)": "（スマート化によるシステムの追加やサプライチェーンの拡大に合わせてBCPを見直す）",
    "(the required security measures vary with the purpose of smartification)": "（必要なセキュリティ対策はスマート化の目的によって異なる）",
    "(operations needed for the purpose)": "（目的の達成に必要な業務）",
    "(identify the operations needed to achieve the purpose of smartification)": "（スマート化の目的の達成に必要な業務を整理する）",
    "(check the specific requirements of standards and laws)": "（標準・法令の具体的な要求事項を確認する）",
    "(check whether there are requirements to be followed from the perspective of smartification)": "（スマート化の観点から従うべき要求事項があるかを確認する）",
    "(review the standards and legal requirements regularly)": "（標準・法令の要求事項を定期的に見直す）",
    "(requirements from the market and customers)": "（市場・顧客からの要求事項）",
    "(requirements from the national / local government)": "（国・地方公共団体からの要求事項）",
    "(requirements from customers and business partners)": "（顧客・取引先からの要求事項）",
    "(data management framework: contracts between organisations, scope of disclosure, rights holder)": "（データマネジメント・フレームワーク：組織間の契約、開示範囲、権利者）",
    "(protected object, confidentiality; impact of data leakage)": "（保護対象の機密性、データ漏えいの影響）",
    "(review departments and governance as new services and external connections come in; business owners can commit)": "（新しいサービスや外部接続の導入に合わせて部門と体制を見直す。事業の責任者が関与できるようにする）",
    "(identify all stakeholders: outsourced vendors that configure, run or maintain the factory system, and every subcontractor tasks are reassigned to)": "（すべての関係者を把握する：工場システムの構築・運用・保守を担う委託先と、業務が再委託されるすべての再委託先）",
    "(identify all subcontractors)": "（すべての委託先を把握する）",
    ", understanding and organizing the impact of incidents (on other companies, from other companies, from a procured product)": "、インシデントの影響の把握と整理（他社への影響、他社からの影響、調達品からの影響）",
    ", understanding and organizing the impact of incidents": "、インシデントの影響の把握と整理",
    "(the impact of a vulnerability found in a procured product)": "（調達品に見つかった脆弱性の影響）",
    "(interconnection between factories and between companies)": "（工場間・企業間の相互接続）",
    "(identify the components that support each operation)": "（各業務を支える構成要素を整理する）",
    ": keep the list of system components current, using automation tools": "：自動化ツールを用いてシステム構成要素の一覧を最新に保つ",
    "(importance of each protected object)": "（保護対象ごとの重要度）",
    "(security of IoT and digital products when operating overseas)": "（海外で事業を行う際のIoT・デジタル製品のセキュリティ）",
    "(others)": "（その他）",
    "main Guidelines": "本編",
    "(typical factory components)": "（工場の代表的な構成要素）",
    # Step 2
    "(priorities)": "（優先順位）",
    "(measures)": "（対策）",
    "(departments)": "（部門）",
    " network connection measures (zones with different security requirements)": " ネットワーク接続の対策（セキュリティ要件の異なるゾーン）",
    " network connection measures": " ネットワーク接続の対策",
    ", network connections": " ネットワーク接続",
    " network connections": " ネットワーク接続",
    ", cloud services": " クラウドサービス",
    " hardware, (2) physical measures": " ハードウェア、(2) 物理的対策",
    ", hardware": " ハードウェア",
    ", software": " ソフトウェア",
    ", general-purpose products (certification)": " 汎用製品（認証）",
    " general-purpose products": " 汎用製品",
    "(utilization of general-purpose products)": "（汎用製品の活用）",
    ", data utilisation and integration": " データの利活用と連携",
    " data utilisation and integration": " データの利活用と連携",
    ", physical measures": " 物理的対策",
    " physical measures": " 物理的対策",
    # Step 3 and the supply chain
    ", early detection and response": " 早期の検知と対応",
    ", measures against unexpected events": " 想定外の事象への対策",
    "(measures against unexpected events: learn from related incidents, estimate other incidents, learn from own cases)": "（想定外の事象への対策：関連するインシデントに学び、ほかのインシデントを想定し、自社の事例に学ぶ）",
    "(include a production site manager and others relating to production in the PDCA cycle structure)": "（PDCAサイクルの体制に生産現場の責任者など生産に関わる者を加える）",
    "(manuals for security measures and incident response, human resources, an organisation able to run the PDCA cycle)": "（セキュリティ対策とインシデント対応のマニュアル、人材、PDCAサイクルを回せる組織）",
    "; Step 3 PDCA from Step 1": "; ステップ3（ステップ1から回すPDCA）",
    "(PDCA review of plans and measures)": "（計画と対策のPDCAによる見直し）",
    "(PDCA cycle)": "（PDCAサイクル）",
    "(maturity)": "（成熟度）",
    "(Observe)": "Observe（監視）",
    "(procurement)": "（調達）",
    "(procurement checks, certification)": "（調達時の確認、認証）",
    "(support policy, vulnerability contact)": "（サポート方針、脆弱性の窓口）",
    "(checks according to relevant standards)": "（関連する標準に基づく確認）",
    "(core infrastructure providers confirm compliance before procurement)": "（基幹インフラ事業者は調達前に適合を確認する）",
    "(general-purpose products, software; SBOM)": "（汎用製品、ソフトウェア、SBOM）",
    "(vulnerability information on general-purpose products and software)": "（汎用製品・ソフトウェアの脆弱性情報）",
    "(the vendor collects and passes on vulnerability information on installed devices)": "（導入機器の脆弱性情報をベンダーが集めて伝える）",
    "(the supplier's and the maintainer's vulnerability response)": "（供給者・保守事業者の脆弱性対応）",
    ": vulnerability information of general-purpose products and software": "：汎用製品・ソフトウェアの脆弱性情報",
    "(SEMI E187 as a procurement requirement)": "（調達要件としてのSEMI E187）",
    "(system integrators as suppliers)": "（供給者としてのシステムインテグレータ）",
    " supply chain security in the semiconductor industry": " 半導体産業のサプライチェーンセキュリティ",
    " Trends in schemes for IoT security conformity assessment": " IoTセキュリティの適合性評価制度の動向",
    "[Reference]": "［参考］",
    " profiles": " プロファイル",
}
"""The notes references carry (a threat of Table 3-5, what a step asks), each with its Japanese; read before the structural words.

``tests/catalog/test_reference_notes.py`` checks that every reference a rule or the catalog cites reads with no English word in Japanese.
"""

_NOTES = tuple(sorted(REFERENCE_NOTES.items(), key=lambda item: len(item[0]), reverse=True))

_REFERENCE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bAppendix\s*"), "別冊 "),
    (re.compile(r"\bAnnex\s+([A-Z])\b"), r"付録\1"),
    (re.compile(r"\bTables\s+(\d+-\d+)\s+to\s+(\d+-\d+)"), r"表\1〜\2"),
    (re.compile(r"\bTables\s+(\d+-\d+)(?:\s+and|,)\s+(\d+-\d+)"), r"表\1、\2"),
    (re.compile(r"\bTable\s+(\d+-\d+)\s+rows?\s+(\d+(?:-\d+)?)"), r"表\1 \2行目"),
    (re.compile(r"\bTable\s+"), "表"),
    (re.compile(r"\bFigure\s+"), "図"),
    (re.compile(r"\bSteps?\s+"), "ステップ"),
    (re.compile(r"\bcases?\s+\(([ivx]+)\)((?:,\s*\([ivx]+\))*)"), r"事例(\1)\2"),
    (re.compile(r"\bprocedure step\s+(\d+)"), r"手順\1"),
    (re.compile(r"\bstep\s+(\d+)\s+and\s+step\s+(\d+)"), r"手順\1・手順\2"),
    (re.compile(r"\bstep\s+(\d+)"), r"手順\1"),
)
"""How a reference's structural words read in Japanese, after its notes (:data:`REFERENCE_NOTES`)."""


@lru_cache(maxsize=4096)
def reference(text: str, lang: str) -> str:
    """A guideline reference in ``lang``: ``Appendix 3.2.2 Table 3-4`` reads ``別冊 3.2.2 表3-4`` in Japanese, ``Annex A`` reads ``付録A``."""
    if lang == "en":
        return text
    for note, japanese in _NOTES:
        if note in text:
            text = text.replace(note, japanese)
    text = text.replace(" （", "（")
    for pattern, replacement in _REFERENCE_WORDS:
        text = pattern.sub(replacement, text)
    return text
