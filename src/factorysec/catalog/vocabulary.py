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
    "ooda_stage": _words(preventive_maintenance="予防保全", damage_occurrence="被害発生時"),
    "ooda_phase": _words(observe="観察", orient="状況判断", decide="意思決定", act="行動"),
    "maturity_area": _words(
        external_cooperation="外部との連携", between_departments="部門間", within_department="部門内"
    ),
    "maturity_level": _words(none="未到達", basic="基本", practice="実践", application="応用"),
    "direction": _words(one_way="一方向", two_way="双方向"),
    "checklist_kind": _words(
        cloud_service="クラウドサービス", general_purpose_product="汎用製品", software="ソフトウェア"
    ),
    "checklist_stage": _words(
        procurement="調達", contract="契約", development="開発", operation_maintenance="運用・保守"
    ),
    "answer": _words(yes="はい", no="いいえ", not_applicable="該当なし", unknown="不明"),
    "plan_status": _words(open="未着手", in_progress="対応中", done="完了", accepted="受容"),
}
"""Per enumeration: each value's words. In English the word is the value as written, so that English outputs show what users type."""


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


_REFERENCE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bAppendix\s*"), "別冊 "),
    (re.compile(r"\bAnnex\s+([A-Z])\b"), r"付録\1"),
    (re.compile(r"\bTables\s+(\d+-\d+)\s+to\s+(\d+-\d+)"), r"表\1〜\2"),
    (re.compile(r"\bTables\s+(\d+-\d+)\s+and\s+(\d+-\d+)"), r"表\1、\2"),
    (re.compile(r"\bTable\s+(\d+-\d+)\s+rows?\s+(\d+(?:-\d+)?)"), r"表\1 \2行目"),
    (re.compile(r"\bTable\s+"), "表"),
    (re.compile(r"\bFigure\s+"), "図"),
    (re.compile(r"\bSteps?\s+"), "ステップ"),
    (re.compile(r"\bcases?\s+\(([ivx]+)\)"), r"事例(\1)"),
    (re.compile(r"\bprocedure step\s+(\d+)"), r"手順\1"),
    (re.compile(r"\bstep\s+(\d+)"), r"手順\1"),
)
"""How a reference's structural words read in Japanese; a parenthesised note stays as the analysis wrote it."""


@lru_cache(maxsize=4096)
def reference(text: str, lang: str) -> str:
    """A guideline reference in ``lang``: ``Appendix 3.2.2 Table 3-4`` reads ``別冊 3.2.2 表3-4`` in Japanese, ``Annex A`` reads ``付録A``."""
    if lang == "en":
        return text
    for pattern, replacement in _REFERENCE_WORDS:
        text = pattern.sub(replacement, text)
    return text
