"""The one glossary of the reports: every label and every value word, in English and Japanese.

Every renderer (terminal, HTML, Markdown, xlsx, SARIF, the lifecycle and plan
terminals, and later the web workspace) reads its words here, so that a term
is translated one way everywhere (``conduit`` is コンジット, never
コンデュイット) and ``tests/report/test_glossary.py`` can check that every
entry has both languages.

- :data:`TERMS`: the vocabulary, one Japanese word per English term; every
  label that uses a term in English uses its word in Japanese.
- :data:`COMMON` and :data:`SECTIONS`: the labels; a section overrides a common
  label where one output words it differently (a sheet title is shorter than
  a heading). :func:`labels` merges them for one output and language.
- :data:`VALUES`: the words for the values of the model's and the analysis's
  enumerations (levels, zone kinds, asset types, sourcing ...). In English a
  value is printed as written in the model (``production-control``), so that
  English outputs keep the identifiers users type; in Japanese it is a word.
- :func:`reference`: a guideline reference in the report language (別冊 for
  the appendix itself, 付録 for its annexes, 表 and 図 for tables and figures).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import VALUES as VALUES
from factorysec.catalog.vocabulary import reference as reference
from factorysec.catalog.vocabulary import value as value
from factorysec.catalog.vocabulary import words as words

TERMS: dict[str, str] = {
    "zone": "ゾーン",
    "conduit": "コンジット",
    "finding": "指摘",
    "requirement": "要件",
    "threat": "脅威",
    "operation": "業務",
    "protected object": "保護対象",
    "importance": "重要度",
    "risk": "リスク",
    "policy": "方針",
    "maturity": "成熟度",
    "entry point": "侵入口",
    "attack path": "攻撃経路",
    "decision": "判断",
    "responsibility": "責任分界",
    "digest": "ダイジェスト",
    "business interruption": "事業中断",
    "control instructions": "制御指示",
    "external network": "外部ネットワーク",
    "OODA": "OODA",
    "PDCA": "PDCA",
}
"""English term (lower case, matched at the start of a word) → its one Japanese word."""

COMMON: dict[str, Text] = {
    "contents": Text(en="Contents", ja="目次"),
    "diagram": Text(en="Zones and conduits", ja="ゾーンとコンジット"),
    "diagram_note": Text(
        en="Click a zone to open its section.", ja="ゾーンをクリックすると、そのゾーンの節に移動します。"
    ),
    "zones_section": Text(en="Zones", ja="ゾーン"),
    "further": Text(en="Further results", ja="その他の結果"),
    "change": Text(en="Change under review", ja="検討中の変更"),
    "audiences": Text(en="For", ja="対象部門"),
    "references": Text(en="Reference guidelines (Annex B)", ja="参考ガイドライン（付録B）"),
    "substeps": Text(en="Sub-steps", ja="サブステップ"),
    "not_assessed": Text(
        en="Not assessed yet by this version of the tool.", ja="このバージョンのツールではまだ評価していません。"
    ),
    "new_requirements_line": Text(en="requirements new or changed: {n:,}", ja="新規・変更の要件 {n:,} 件"),
    "control_conduits_line": Text(
        en="conduits carrying control instructions: {n:,}", ja="制御指示を運ぶコンジット {n:,} 本"
    ),
    "top_zones": Text(en="Most important zones", ja="重要度の高いゾーン"),
    "top_findings": Text(en="First findings to address", ja="最初に対応すべき指摘"),
    "top_plan": Text(en="Top of the plan", ja="計画の上位項目"),
    "lc_pdca": Text(en="PDCA review (Appendix 3.3)", ja="PDCAの見直し（別冊3.3）"),
    "lc_last_review": Text(en="Last review {id} on {date}", ja="最後の見直し {id}（{date}）"),
    "lc_age": Text(
        en=", {days:,} days ago (interval {interval:,} days, due {due})",
        ja="、{days:,} 日前（間隔 {interval:,} 日、期限 {due}）",
    ),
    "lc_no_review": Text(en="No review recorded.", ja="見直しの記録がありません。"),
    "lc_overdue": Text(en="overdue", ja="期限超過"),
    "lc_changed": Text(en="model changed since the review", ja="見直し後にモデルが変更されている"),
    "lc_gaps": Text(en="Step 3 gaps", ja="ステップ3の課題"),
    "lc_checklists": Text(
        en="Supply-chain checklists (Tables 3-10 to 3-12)", ja="サプライチェーンのチェック項目（表3-10〜3-12）"
    ),
    "lc_open": Text(en="Open", ja="未確認"),
    "lc_open_items": Text(
        en="{n:,} open items, most important assets first", ja="未確認項目 {n:,} 件（重要な資産から順に）"
    ),
    "lc_item": Text(en="Item", ja="項目"),
    "lc_answer": Text(en="Answer", ja="回答"),
    "lc_unanswered": Text(en="unanswered", ja="未回答"),
    "lc_responsibility": Text(en="Responsibility division", ja="責任分界"),
    "lc_nobody": Text(en="— nobody —", ja="— 未定 —"),
    "lc_ooda": Text(en="OODA role division (Tables 3-7, 3-8)", ja="OODAの役割分担（表3-7、3-8）"),
    "lc_stage": Text(en="Stage", ja="段階"),
    "lc_phase": Text(en="Phase", ja="フェーズ"),
    "lc_lead": Text(en="Lead", ja="主担当"),
    "lc_deciders": Text(en="Decides", ja="判断者"),
    "lc_activities": Text(en="Activities", ja="活動"),
    "lc_maturity": Text(en="Maturity (Table 3-9)", ja="成熟度（表3-9）"),
    "lc_area": Text(en="Area", ja="領域"),
    "lc_next": Text(en="Next step", ja="次の一歩"),
    "lc_unassessed": Text(en="unassessed", ja="未評価"),
    "finding_col": Text(en="Finding", ja="指摘"),
    "pl_risks": Text(en="Threats ranked, business interruption first", ja="脅威の優先順位（事業中断を優先）"),
    "pl_risks_note": Text(
        en="{n:,} risks, {b:,} of them can interrupt the business. Level → residual level after the measures in place.",
        ja="リスク {n:,} 件、うち事業中断につながりうるもの {b:,} 件。レベル → 実施済みの対策を考慮した残存レベル。",
    ),
    "pl_level": Text(en="Level → residual", ja="レベル → 残存"),
    "pl_interrupts": Text(en="business interruption", ja="事業中断"),
    "pl_measures": Text(en="Measures missing per finding", ja="指摘ごとの不足対策"),
    "pl_missing": Text(en="Missing measures", ja="不足している対策"),
    "pl_in_place": Text(en="In place", ja="実施済み"),
    "pl_partial": Text(en="partial", ja="一部実施"),
    "pl_planned": Text(en="planned", ja="計画中"),
    "pl_from_catalog": Text(
        en="measures from the catalog for this threat type", ja="この脅威の種類に対するカタログの対策"
    ),
    "pl_entries": Text(en="Entry points", ja="侵入口"),
    "pl_element": Text(en="Element", ja="要素"),
    "pl_paths": Text(en="Attack paths to high-importance zones", ja="重要度の高いゾーンへの攻撃経路"),
    "pl_shortest": Text(en="Shortest", ja="最短"),
    "pl_weakest": Text(en="Weakest", ja="最弱"),
    "pl_path_facts": Text(en="{hops} hop(s), {controls:g} control(s)", ja="{hops} ホップ、対策 {controls:g} 件"),
    "pl_no_controls": Text(en="no controls", ja="対策なし"),
    "pl_exposure": Text(en="Exposure of every zone", ja="ゾーンごとの露出"),
    "pl_entry": Text(en="Nearest entry point", ja="最も近い侵入口"),
    "pl_hops": Text(en="Hops", ja="ホップ数"),
    "pl_unreachable": Text(en="not reachable from any entry point", ja="どの侵入口からも到達できない"),
    "pl_sl": Text(
        en="IEC 62443 security levels (target, achieved per FR)",
        ja="IEC 62443 セキュリティレベル（目標、FRごとの達成）",
    ),
    "pl_policies": Text(en="Security policy per zone", ja="ゾーンごとのセキュリティ対策方針"),
    "pl_top_threats": Text(en="Top threats", ja="主な脅威"),
    "pl_first": Text(en="Measures to take first", ja="優先して実施する対策"),
    "pl_cost": Text(en="cost", ja="費用"),
    "pl_answers": Text(en="answers {n:,} threat(s)", ja="対応する脅威 {n:,} 件"),
    "pl_requirements": Text(en="Requirements within and between zones", ja="ゾーン内・ゾーン間の要件"),
    "pl_decisions": Text(en="Decisions", ja="判断"),
    "pl_stale": Text(en="Stale decisions: their finding no longer exists", ja="失効した判断：該当する指摘がもうない"),
    "pl_owner": Text(en="Owner", ja="担当"),
    "pl_justification": Text(en="Justification", ja="理由"),
    "pl_dates": Text(en="Date", ja="日付"),
    "pl_review_by": Text(en="review by", ja="見直し期限"),
    "pl_source": Text(en="Source", ja="出所"),
    "importance_ops": Text(en="Importance of operations (Step 1-3)", ja="業務の重要度（ステップ1-3）"),
    "importance_assets": Text(en="Importance of protected objects (Step 1-5)", ja="保護対象の重要度（ステップ1-5）"),
    "importance_zones": Text(en="Zones and their importance (Step 1-6)", ja="ゾーンとその重要度（ステップ1-6）"),
    "zoning": Text(en="Zoning review (Step 1-6)", ja="ゾーニングの見直し（ステップ1-6）"),
    "hygiene": Text(en="Model hygiene", ja="モデルの整備"),
    "vulnerabilities": Text(
        en="Vulnerabilities from advisories, ranked by SSVC (Tables 3-11, 3-12)",
        ja="アドバイザリからの脆弱性（SSVCで優先順位付け、表3-11・3-12）",
    ),
    "other_findings": Text(en="Other findings", ja="その他の指摘"),
    "requirements_title": Text(
        en="Security requirements within and between zones (Step 1-7, Table 3-4)",
        ja="ゾーン内・ゾーン間のセキュリティ要件（ステップ1-7、表3-4）",
    ),
    "within": Text(en="Within zones", ja="ゾーン内"),
    "between": Text(en="Between zones", ja="ゾーン間"),
    "step_findings": Text(en="Findings", ja="指摘"),
    "name": Text(en="Name", ja="名称"),
    "reason": Text(en="Why", ja="根拠"),
    "zone": Text(en="Zone", ja="ゾーン"),
    "kind": Text(en="Kind", ja="種類"),
    "status": Text(en="Status", ja="状態"),
    "parent": Text(en="Part of", ja="親ゾーン"),
    "sub_zones": Text(en="Sub-zones", ja="サブゾーン"),
    "managed_by": Text(en="Managed by", ja="管理主体"),
    "in_house": Text(en="in-house", ja="自社"),
    "inbound": Text(en="Conduits in", ja="流入するコンジット"),
    "outbound": Text(en="Conduits out", ja="流出するコンジット"),
    "from": Text(en="From", ja="送信元"),
    "to": Text(en="To", ja="送信先"),
    "data": Text(en="Data carried", ja="運ぶデータ"),
    "external_network": Text(en="External network", ja="外部ネットワーク"),
    "protocols": Text(en="Protocols", ja="プロトコル"),
    "rule": Text(en="Rule", ja="ルール"),
    "subject": Text(en="Subject", ja="対象"),
    "rationale": Text(en="Rationale", ja="内容"),
    "impact": Text(en="Impact", ja="影響"),
    "advisory": Text(en="advisory", ja="助言"),
    "viewpoint": Text(en="Viewpoint", ja="観点"),
    "because": Text(en="Because of", ja="関連する指摘"),
    "filter": Text(en="Filter findings", ja="指摘を絞り込む"),
    "sourcing": Text(en="Sourcing", ja="実施形態"),
    "axes": Text(en="S / Q / D / C / BC", ja="S / Q / D / C / BC"),
    "unspecified": Text(en="unspecified", ja="未記載"),
    "critical": Text(en="critical", ja="最重要"),
    "high": Text(en="high", ja="高"),
    "medium": Text(en="medium", ja="中"),
    "low": Text(en="low", ja="低"),
    "unrated": Text(en="not rated", ja="未評価"),
    "existing": Text(en="existing", ja="既存"),
    "organisation": Text(
        en="Purposes, BCP, laws and standards (Step 1-1 (1), (2))", ja="目的・BCP・法令と標準（ステップ1-1 (1)、(2)）"
    ),
    "stakeholders": Text(en="Stakeholders and governance (Step 1-1 (3))", ja="関係者と体制（ステップ1-1 (3)）"),
    "purposes": Text(
        en="What each purpose of smartification brings (Table 3-1)",
        ja="スマート化の目的ごとにもたらされるもの（表3-1）",
    ),
    "purpose_line": Text(
        en="{o:,} operations, {z:,} zones, {c:,} data flows, {f:,} findings",
        ja="業務 {o:,} 件、ゾーン {z:,} 件、データフロー {c:,} 件、指摘 {f:,} 件",
    ),
    "undeclared": Text(en="not in factory.purposes", ja="factory.purposes にない"),
    "step3": Text(
        en="Step 3: lifecycle and supply chain (Appendix 3.3)",
        ja="ステップ3：ライフサイクルとサプライチェーン（別冊3.3）",
    ),
    "checklist_summary": Text(
        en="{n:,} checklists, {o:,} open items", ja="チェックリスト {n:,} 件、未確認項目 {o:,} 件"
    ),
    "top_open": Text(en="Open items, most important assets first", ja="未確認項目（重要な資産から順に）"),
    "stage": Text(en="Stage", ja="段階"),
    "phase": Text(en="Phase", ja="フェーズ"),
    "lead": Text(en="Lead", ja="主担当"),
    "deciders": Text(en="Decides", ja="判断者"),
    "source": Text(en="Source", ja="出所"),
    "area": Text(en="Area", ja="領域"),
    "next": Text(en="Next step", ja="次の一歩"),
    "unassessed": Text(en="unassessed", ja="未評価"),
    "no_review": Text(en="no review recorded", ja="見直しの記録なし"),
    "age": Text(
        en=", {days:,} days ago (interval {interval:,}, due {due})",
        ja="、{days:,} 日前（間隔 {interval:,} 日、期限 {due}）",
    ),
    "digest_same": Text(en="; model unchanged since", ja="。以後モデルの変更なし"),
    "digest_changed": Text(en="; model changed since", ja="。以後モデルが変更されている"),
    "digest_unknown": Text(en="; review recorded no digest", ja="。見直し時のダイジェストの記録なし"),
    "digest_earlier": Text(
        en="; review {ids} recorded this model's digest as earlier factorysec builds computed it (every field hashed, those"
        " left at their default included), so it counts: record {digest} at the next review",
        ja="。見直し {ids} が記録したダイジェストは、以前の factorysec がこのモデルについて計算したもの（既定値のままの項目も含めて"
        "計算）なので有効とみなす。次の見直しでは {digest} を記録する",
    ),
    "answered": Text(en="answered", ja="回答"),
    "unanswered": Text(en="unanswered", ja="未回答"),
    "more": Text(en="... and {n:,} more (factorysec checklist)", ja="… ほか {n:,} 件（factorysec checklist）"),
    "entries": Text(en="Entry points (Step 2-1, 3.2.2 (1)(i))", ja="侵入口（ステップ2-1、3.2.2 (1)(i)）"),
    "shortest": Text(en="shortest", ja="最短"),
    "weakest": Text(en="weakest", ja="最弱"),
    "risks": Text(
        en="Threats ranked, business interruption first (Step 2-1)", ja="脅威の優先順位（事業中断を優先、ステップ2-1）"
    ),
    "in_place": Text(en="in place", ja="実施済み"),
    "sl": Text(
        en="IEC 62443 security levels (target / achieved per FR)",
        ja="IEC 62443 セキュリティレベル（目標 / FRごとの達成）",
    ),
    "policy": Text(en="Security policy per zone (Step 2-1)", ja="ゾーンごとのセキュリティ対策方針（ステップ2-1）"),
    "first": Text(en="measures first", ja="優先する対策"),
    "reqs": Text(en="requirements", ja="要件"),
    "decisions": Text(en="Decisions", ja="判断"),
    "stale": Text(en="stale: finding no longer exists", ja="失効：該当する指摘がもうない"),
    "summary_counts": Text(
        en="{f:,} findings ({z:,} zoning, {t:,} threats, {h:,} hygiene, {o:,} other) and {r:,} security requirements within and between zones.",
        ja="指摘 {f:,} 件（ゾーニング {z:,}、脅威 {t:,}、整備 {h:,}、その他 {o:,}）、ゾーン内・ゾーン間のセキュリティ要件 {r:,} 件。",
    ),
    "for": Text(en="For", ja="対象部門"),
    "pdca_none": Text(
        en="No review recorded; review every {n:,} days.",
        ja="見直しの記録がありません。{n:,} 日ごとに見直してください。",
    ),
    "pdca_last": Text(
        en="Last review {id} on {date}; next due {due}.", ja="最後の見直しは {id}（{date}）、次回期限は {due}。"
    ),
    "pdca_last_overdue": Text(
        en="Last review {id} on {date}; next due {due} (overdue).",
        ja="最後の見直しは {id}（{date}）、次回期限は {due}（期限超過）。",
    ),
    "external": Text(en="External network", ja="外部ネットワーク"),
    "finding": Text(en="Finding", ja="指摘"),
    "scope": Text(en="Scope", ja="範囲"),
    "requirement": Text(en="Requirement", ja="要件"),
    "rank": Text(en="Rank", ja="順位"),
    "owner": Text(en="Owner", ja="担当"),
    "asset": Text(en="Asset", ja="保護対象"),
    "item": Text(en="Item", ja="項目"),
    "answer": Text(en="Answer", ja="回答"),
    "yes": Text(en="yes", ja="はい"),
    "no": Text(en="no", ja="いいえ"),
    "top_risks": Text(en="First risks to address (Step 2-1)", ja="最初に対応すべきリスク（ステップ2-1）"),
    "level_residual": Text(en="Level → residual", ja="レベル → 残存"),
    "top_threats": Text(en="Top threats", ja="主な脅威"),
    "measures_first": Text(en="Measures to take first", ja="優先して実施する対策"),
    "zone_requirements": Text(en="Requirements within and between zones", ja="ゾーン内・ゾーン間の要件"),
    "cost": Text(en="cost", ja="費用"),
    "no_controls": Text(en="no controls", ja="対策なし"),
    "party": Text(en="Party", ja="事業者"),
    "value": Text(en="Value", ja="値"),
    "factory": Text(en="Factory", ja="工場"),
    "count_findings": Text(en="Findings", ja="指摘"),
    "count_requirements": Text(en="Requirements", ja="要件"),
    "count_zones": Text(en="Zones", ja="ゾーン"),
    "count_assets": Text(en="Protected objects", ja="保護対象"),
    "task": Text(en="Task (Table 3-2)", ja="業務（表3-2）"),
    "declared": Text(en="Declared importance", ja="申告された重要度"),
    "component": Text(en="Component", ja="構成要素"),
    "overall": Text(en="Overall", ja="総合"),
    "direction": Text(en="Direction", ja="方向"),
    "category": Text(en="Category", ja="分類"),
    "threat_type": Text(en="Threat type", ja="脅威の種類"),
    "risk": Text(en="Risk level", ja="リスクレベル"),
    "due": Text(en="Due", ja="期限"),
    "note": Text(en="Note", ja="備考"),
    "checklist": Text(en="Checklist", ja="チェックリスト"),
    "ranked": Text(en="2 Ranked risks", ja="2 リスクの優先順位"),
    "responsibilities": Text(en="3 Responsibilities", ja="3 責任分界"),
    "finding_reference": Text(en="Finding reference", ja="指摘の参照箇所"),
    "likelihood": Text(en="Likelihood", ja="発生可能性"),
    "impact_value": Text(en="Impact", ja="影響"),
    "score": Text(en="Score", ja="スコア"),
    "top_level": Text(en="Highest risk level", ja="最高リスクレベル"),
    "statement": Text(en="Policy", ja="方針"),
    "path_kind": Text(en="Path", ja="経路"),
    "target": Text(en="Target zone", ja="対象ゾーン"),
    "entry": Text(en="Entry point", ja="侵入口"),
    "entry_zone": Text(en="Entry zone", ja="侵入口のゾーン"),
    "hop": Text(en="Hop", ja="ホップ"),
    "conduit": Text(en="Conduit", ja="コンジット"),
    "covered_conduits": Text(en="Conduits", ja="コンジット"),
    "control_weight": Text(en="Controls on the path", ja="経路上の対策"),
    "activities": Text(en="Activities", ja="活動"),
    "evidence": Text(en="Evidence", ja="根拠資料"),
    "assessed": Text(en="Assessed", ja="評価日"),
    "review_date": Text(en="Review date", ja="見直し日"),
    "days_since": Text(en="Days since", ja="経過日数"),
    "interval": Text(en="Interval (days)", ja="間隔（日）"),
    "digest_reviewed": Text(en="Digest at review", ja="見直し時のダイジェスト"),
    "changed_elements": Text(en="Changed elements", ja="変更された要素"),
    "change_reviewed": Text(en="Change reviewed", ja="変更の見直し済み"),
}
"""Labels shared by every output: one key, one English and one Japanese wording."""

SECTIONS: dict[str, dict[str, Text]] = {
    "review": {
        "title": Text(en="Smartification review", ja="スマート化の見直し"),
        "no_change": Text(
            en="No change: the two versions describe the same factory.", ja="変更なし：二つの版は同じ工場を表している。"
        ),
        "elements": Text(
            en="1. Elements added, removed or changed (Steps 1-1 to 1-7; Annex A steps 1-2)",
            ja="1. 追加・削除・変更された要素（ステップ1-1〜1-7、付録A 手順1-2）",
        ),
        "flows": Text(
            en="2. New data flows and the zones they connect (Annex A step 2)",
            ja="2. 新しいデータフローと接続するゾーン（付録A 手順2）",
        ),
        "zoning": Text(
            en="3. Zoning review (Annex A step 3; Appendix 3.1.6 Step 1-6)",
            ja="3. ゾーニングの見直し（付録A 手順3、別冊 3.1.6 ステップ1-6）",
        ),
        "new_zones": Text(en="New zones", ja="新しいゾーン"),
        "removed_zones": Text(en="Removed zones", ja="削除されたゾーン"),
        "splits": Text(en="Zones divided", ja="分割されたゾーン"),
        "to_review": Text(en="Zones whose requirements must be reviewed", ja="要件を見直すべきゾーン"),
        "zoning_findings": Text(en="Zoning findings", ja="ゾーニングの指摘"),
        "requirements": Text(
            en="4. Requirements within and between zones (Appendix 3.1.7 Step 1-7, Table 3-4)",
            ja="4. ゾーン内・ゾーン間の要件（別冊 3.1.7 ステップ1-7、表3-4）",
        ),
        "threats": Text(en="5. Threats and other findings (Step 1-7)", ja="5. 脅威とその他の指摘（ステップ1-7）"),
        "measures": Text(en="Measures newly required (Step 2-2)", ja="新たに必要な対策（ステップ2-2）"),
        "stakeholders": Text(
            en="6. New stakeholders, checklists and responsibility (Step 1-1 (3); Appendix 3.3 (2), Tables 3-10 to 3-12)",
            ja="6. 新たな関係者、チェックリスト、責任分界（ステップ1-1 (3)、別冊 3.3 (2) 表3-10〜3-12）",
        ),
        "checklists": Text(en="Checklists to go through", ja="確認すべきチェックリスト"),
        "responsibilities": Text(en="Responsibility boundaries to settle", ja="確認すべき責任分界"),
        "bcp": Text(en="7. BCP review items (Appendix 3.1.1 (1))", ja="7. BCP の見直し項目（別冊 3.1.1 (1)）"),
        "none": Text(en="none", ja="なし"),
        "added": Text(en="added", ja="追加"),
        "removed": Text(en="removed", ja="削除"),
        "changed": Text(en="changed", ja="変更"),
        "new": Text(en="new", ja="新規"),
        "resolved": Text(en="resolved", ja="解消"),
        "level-changed": Text(en="level changed", ja="レベル変更"),
        "updated": Text(en="updated", ja="内容変更"),
        "smart": Text(en="smartification", ja="スマート化"),
        "within": Text(en="inside the zone", ja="ゾーン内"),
        "control": Text(en="control instructions", ja="制御指示"),
        "sensitive": Text(en="sensitive", ja="機微"),
        "external": Text(en="external network", ja="外部ネットワーク"),
        "into": Text(en="into", ja="分割先"),
        "moved": Text(en="moved", ja="移動"),
        "sub_zones": Text(en="as sub-zones", ja="サブゾーンとして"),
        "new_zone": Text(en="new zone", ja="新ゾーン"),
        "findings": Text(en="findings", ja="指摘"),
        "covered": Text(en="already covered by the BCP", ja="BCP に反映済み"),
        "not_covered": Text(en="to add to the BCP", ja="BCP への反映が必要"),
        "brings": Text(en="brings", ja="持ち込むもの"),
        "answered": Text(en="{a:,} of {n:,} items answered", ja="{n:,} 項目中 {a:,} 項目回答済み"),
        "settled": Text(en="settled", ja="確認済み"),
        "unsettled": Text(en="nothing settled yet", ja="未確認"),
        "in_place": Text(en="in place", ja="実施済み"),
        "missing": Text(en="not in place", ja="未実施"),
        "before": Text(en="before", ja="変更前"),
        "after": Text(en="after", ja="変更後"),
        "summary": Text(
            en="{e:,} element changes, {f:,} new data flows, {z:,} zones to review, {r:,} requirement changes, {t:,} finding changes, {b:,} BCP items",
            ja="要素の変更 {e:,} 件、新しいデータフロー {f:,} 件、見直すゾーン {z:,} 件、要件の変更 {r:,} 件、指摘の変更 {t:,} 件、BCP 項目 {b:,} 件",
        ),
    },
    "review_page": {
        "diagrams": Text(en="Zones before and after the change", ja="変更前後のゾーン"),
        "before_caption": Text(
            en="Before — what the change removes or changes, in blue", ja="変更前 — 変更で削除・変更される要素（青）"
        ),
        "after_caption": Text(
            en="After — what the change adds or changes, in blue", ja="変更後 — 変更で追加・変更される要素（青）"
        ),
        "within-zone": Text(en="within the zone", ja="ゾーン内"),
        "between-zones": Text(en="between zones", ja="ゾーン間"),
    },
    "html": {
        "pu_purpose": Text(en="Purpose", ja="目的"),
        "pu_operations": Text(en="Operations", ja="業務"),
        "pu_zones": Text(en="Zones", ja="ゾーン"),
        "pu_flows": Text(en="Data flows", ja="データフロー"),
        "pu_measures": Text(en="Measures", ja="対策"),
        "findings_col": Text(en="Findings", ja="指摘"),
        "title": Text(en="Factory security assessment", ja="工場セキュリティ評価"),
        "summary": Text(en="Executive summary", ja="概要"),
        "digest": Text(en="model digest", ja="モデルのダイジェスト"),
        "tool": Text(en="factorysec", ja="factorysec"),
        "none": Text(en="none", ja="なし"),
        "zones": Text(en="zones", ja="ゾーン"),
        "assets": Text(en="protected objects", ja="保護対象"),
        "conduits": Text(en="conduits", ja="コンジット"),
        "operations": Text(en="operations", ja="業務"),
        "findings": Text(en="findings", ja="指摘"),
        "requirements": Text(en="requirements", ja="要件"),
        "threats": Text(en="Threats by zone and conduit (Step 1-7)", ja="ゾーン・コンジットごとの脅威（ステップ1-7）"),
        "id": Text(en="Id", ja="ID"),
        "level": Text(en="Importance", ja="重要度"),
        "type": Text(en="Type", ja="種別"),
        "control": Text(en="control instructions", ja="制御指示"),
        "reference": Text(en="Reference", ja="根拠箇所"),
        "new": Text(en="new", ja="新規"),
        "changed": Text(en="changed", ja="変更"),
    },
    "terminal": {
        "new": Text(en="new", ja="新規"),
        "importance": Text(en="Importance (Steps 1-3, 1-5)", ja="重要度（ステップ1-3、1-5）"),
        "level": Text(en="Importance", ja="重要度"),
        "why": Text(en="Why", ja="根拠"),
        "threats": Text(en="Threats (Step 1-7)", ja="脅威（ステップ1-7）"),
        "pdca": Text(
            en="PDCA structure and unexpected events (Step 3 (1)(ii))",
            ja="PDCAの体制と想定外の事象（ステップ3 (1)(ii)）",
        ),
        "measures": Text(en="measures", ja="対策"),
        "requirements": Text(
            en="Security requirements within and between zones (Table 3-4)",
            ja="ゾーン内・ゾーン間のセキュリティ要件（表3-4）",
        ),
        "none": Text(en="none", ja="なし"),
        "summary": Text(
            en="{n:,} findings ({z:,} zoning, {t:,} threats, {h:,} hygiene, {s:,} Step 1-1 and PDCA), {r:,} requirements; {k:,} risks ({o:,} open at high or above); {g:,} Step 3 gaps",
            ja="指摘 {n:,} 件（ゾーニング {z:,}、脅威 {t:,}、整備 {h:,}、ステップ1-1とPDCA {s:,}）、要件 {r:,} 件、リスク {k:,} 件（レベル高以上で未対応 {o:,} 件）、ステップ3の不足 {g:,} 件",
        ),
        "summary_vulnerabilities": Text(
            en="of the findings, {v:,} are vulnerabilities from the advisories ({o:,} open at SSVC level high or above)",
            ja="指摘のうち {v:,} 件はアドバイザリからの脆弱性（SSVCレベル高以上で未対応 {o:,} 件）",
        ),
    },
    "lifecycle": {
        "checklists": Text(
            en="Supply-chain checklists (Tables 3-10 to 3-12)", ja="サプライチェーンのチェック項目（表3-10〜3-12）"
        ),
        "responsibility": Text(
            en="Responsibility division (Step 1-1 (3), Step 3 (2))", ja="責任分界（ステップ1-1 (3)、ステップ3 (2)）"
        ),
        "ooda": Text(en="OODA role division (Tables 3-7, 3-8)", ja="OODAの役割分担（表3-7、3-8）"),
        "maturity": Text(en="Maturity (Table 3-9)", ja="成熟度（表3-9）"),
        "level": Text(en="Level", ja="水準"),
        "pdca": Text(en="PDCA review", ja="PDCAの見直し"),
        "gaps": Text(en="Step 3 gaps", ja="ステップ3の課題"),
        "none": Text(en="none", ja="なし"),
        "nobody": Text(en="— nobody —", ja="— 未定 —"),
        "last_review": Text(en="last review {id} on {date}", ja="最後の見直し {id}（{date}）"),
        "open": Text(en="open", ja="未確認"),
        "why": Text(en="why", ja="理由"),
    },
    "plan": {
        "paths": Text(en="Attack paths to high-importance zones", ja="重要度の高いゾーンへの攻撃経路"),
        "controls": Text(en="controls", ja="対策"),
        "hops": Text(en="hop(s)", ja="ホップ"),
        "residual": Text(en="residual", ja="残存"),
        "gaps": Text(
            en="Measures missing per zone, conduit and asset (Step 2-2, Table 3-6)",
            ja="ゾーン・コンジット・資産ごとの不足対策（ステップ2-2、表3-6）",
        ),
        "missing": Text(en="missing", ja="不足"),
        "partial": Text(en="partial", ja="一部実施"),
        "priority": Text(en="priority", ja="優先度"),
        "threats": Text(en="top threats", ja="主な脅威"),
        "none": Text(en="none", ja="なし"),
        "summary": Text(
            en="{r:,} risks ({c:,} critical, {h:,} high), {g:,} with missing measures, {d:,} decided, {s:,} stale decisions",
            ja="リスク {r:,} 件（最重要 {c:,}、高 {h:,}）、不足対策あり {g:,} 件、判断済み {d:,} 件、失効した判断 {s:,} 件",
        ),
    },
    "markdown": {
        "title": Text(en="Security assessment", ja="セキュリティ評価"),
        "digest": Text(en="model digest", ja="モデルのダイジェスト"),
        "summary": Text(en="Executive summary", ja="エグゼクティブサマリー"),
        "operations": Text(
            en="Operations and their importance (Steps 1-2, 1-3)", ja="業務とその重要度（ステップ1-2、1-3）"
        ),
        "assets": Text(
            en="Protected objects and their importance (Steps 1-4, 1-5)", ja="保護対象とその重要度（ステップ1-4、1-5）"
        ),
        "zones": Text(en="Zones (Step 1-6)", ja="ゾーン（ステップ1-6）"),
        "conduits": Text(en="Conduits and data flows (Step 1-7)", ja="コンジットとデータの流れ（ステップ1-7）"),
        "findings": Text(en="Findings (Steps 1-6, 1-7)", ja="指摘（ステップ1-6、1-7）"),
        "requirements": Text(
            en="Security requirements within and between zones (Table 3-4)",
            ja="ゾーン内・ゾーン間のセキュリティ要件（表3-4）",
        ),
        "plan": Text(en="Measures to plan (Step 2-2)", ja="計画すべき対策（ステップ2-2）"),
        "lifecycle": Text(
            en="Lifecycle and supply-chain gaps (Step 3)", ja="ライフサイクルとサプライチェーンの課題（ステップ3）"
        ),
        "open_items": Text(
            en="Open checklist items (Tables 3-10 to 3-12)", ja="未完了のチェックリスト項目（表3-10〜3-12）"
        ),
        "pdca": Text(en="PDCA review", ja="PDCAによる見直し"),
        "id": Text(en="ID", ja="ID"),
        "importance": Text(en="Importance", ja="重要度"),
        "why": Text(en="Why", ja="根拠"),
        "type": Text(en="Type", ja="種別"),
        "control": Text(en="Control instructions", ja="制御指示"),
        "reference": Text(en="Reference", ja="参照箇所"),
        "level": Text(en="Level", ja="レベル"),
        "measures": Text(en="Measures to consider", ja="検討すべき対策"),
        "none": Text(en="None.", ja="なし。"),
        "new": Text(en="new", ja="新規"),
        "interrupts": Text(en="business interruption", ja="事業中断"),
        "policies": Text(
            en="Security policy per zone (Step 2-1)", ja="ゾーンごとのセキュリティ対策方針（ステップ2-1）"
        ),
        "paths": Text(
            en="Attack paths to high-importance zones (3.2.2 (1)(i))",
            ja="重要度の高いゾーンへの攻撃経路（3.2.2 (1)(i)）",
        ),
        "hops": Text(en="{n:,} hop(s), {c:g} control(s)", ja="{n:,} ホップ、対策 {c:g} 件"),
        "responsibility": Text(en="Responsibility gaps (Step 3 (2))", ja="責任分界の不足（ステップ3 (2)）"),
        "ooda": Text(en="OODA role division (Tables 3-7, 3-8)", ja="OODAの役割分担（表3-7、3-8）"),
        "nobody": Text(en="nobody", ja="未定"),
        "maturity": Text(en="Maturity (Table 3-9)", ja="成熟度（表3-9）"),
    },
    "xlsx": {
        "summary": Text(en="Summary", ja="概要"),
        "operations": Text(en="1-3 Operations", ja="1-3 業務"),
        "assets": Text(en="1-5 Protected objects", ja="1-5 保護対象"),
        "zones": Text(en="1-6 Zones", ja="1-6 ゾーン"),
        "conduits": Text(en="1-7 Conduits", ja="1-7 コンジット"),
        "requirements": Text(en="1-7 Requirements", ja="1-7 セキュリティ要件"),
        "threats": Text(en="1-7 Threats", ja="1-7 脅威"),
        "plan": Text(en="2 Plan", ja="2 対策計画"),
        "checklists": Text(en="3 Checklists", ja="3 チェックリスト"),
        "lifecycle": Text(en="3 Lifecycle gaps", ja="3 ライフサイクルの課題"),
        "digest": Text(en="Model digest", ja="モデルのダイジェスト"),
        "tool": Text(en="Tool version", ja="ツールのバージョン"),
        "id": Text(en="ID", ja="ID"),
        "importance": Text(en="Importance", ja="重要度"),
        "type": Text(en="Type (Table 3-3)", ja="種別（表3-3）"),
        "control": Text(en="Control instructions", ja="制御指示"),
        "controls": Text(en="Controls in place", ja="実施済みの対策"),
        "new": Text(en="New", ja="新規"),
        "reference": Text(en="Guideline reference", ja="ガイドラインの参照箇所"),
        "title": Text(en="Title", ja="タイトル"),
        "measures": Text(en="Measures to consider", ja="検討すべき対策"),
        "open": Text(en="Open", ja="未完了"),
        "policies": Text(en="2 Zone policies", ja="2 ゾーンごとの方針"),
        "paths": Text(en="2 Attack paths", ja="2 攻撃経路"),
        "open_items": Text(en="3 Open checklist items", ja="3 未完了のチェック項目"),
        "ooda": Text(en="3 OODA roles", ja="3 OODAの役割分担"),
        "maturity": Text(en="3 Maturity", ja="3 成熟度"),
        "pdca": Text(en="3 PDCA review", ja="3 PDCAの見直し"),
        "interrupts": Text(en="Can interrupt the business", ja="事業中断につながりうる"),
        "residual": Text(en="Residual level", ja="残存リスクレベル"),
        "missing": Text(en="Missing measures", ja="不足している対策"),
        "priority": Text(en="Priority", ja="優先度"),
        "partial": Text(en="Partial controls", ja="一部実施の対策"),
        "nobody": Text(en="— nobody —", ja="— 未定 —"),
        "level": Text(en="Level", ja="水準"),
        "last_review": Text(en="Last review", ja="最後の見直し"),
        "overdue": Text(en="Overdue", ja="期限超過"),
        "changed": Text(en="Model changed since review", ja="見直し後のモデル変更"),
    },
}
"""Labels worded differently in one output (a sheet title is shorter than a heading): these override :data:`COMMON` there."""


@cache
def labels(section: str, lang: str) -> Mapping[str, str]:
    """The labels of one output (a key of :data:`SECTIONS`) in ``lang``: the common ones with the section's own on top."""
    merged = {**COMMON, **SECTIONS[section]}
    return {key: text.get(lang) for key, text in merged.items()}


SUMMARY_PAGES: dict[str, Text] = {
    "actions": Text(en="Actions first (Steps 2-1, 2-2)", ja="まず取り組む対策（ステップ2-1、2-2）"),
    "actions_note": Text(
        en="At most ten actions, ranked. Each merges the findings, requirements and checklist items it resolves.",
        ja="優先順に最大10件。各対策は、解消する指摘・要件・チェック項目をまとめたものです。",
    ),
    "ac_none": Text(en="No action: no finding has a missing measure.", ja="対策なし：不足対策のある指摘はありません。"),
    "ac_measure": Text(en="Measure", ja="対策"),
    "ac_findings": Text(en="Findings resolved", ja="解消する指摘"),
    "ac_requirements": Text(en="Requirements (Table 3-4)", ja="要件（表3-4）"),
    "ac_checklist": Text(en="Checklist items (Tables 3-10 to 3-12)", ja="チェック項目（表3-10〜3-12）"),
    "ac_owners": Text(en="Departments (Table 1-1)", ja="担当部門（表1-1）"),
    "ac_removes": Text(en="Lowers on the risk list", ja="下がるリスク"),
    "ac_zones": Text(en="Zones", ja="ゾーン"),
    "ac_more": Text(en="and {n:,} more", ja="ほか {n:,} 件"),
    "charts": Text(en="At a glance", ja="ひと目でわかる状況"),
    "ch_matrix": Text(
        en="Risk matrix: likelihood × impact (Step 2-1)", ja="リスクマトリクス：発生可能性 × 影響度（ステップ2-1）"
    ),
    "ch_likelihood": Text(en="Likelihood", ja="発生可能性"),
    "ch_impact": Text(en="Impact", ja="影響度"),
    "ch_cell": Text(en="{n:,} risks: likelihood {l}, impact {i}", ja="リスク {n:,} 件：発生可能性 {l}、影響度 {i}"),
    "ch_no_risks": Text(en="No ranked risk yet.", ja="順位付けしたリスクはまだありません。"),
    "ch_zone_axes": Text(
        en="Importance per zone and axis (Steps 1-5, 1-6)", ja="ゾーン・軸ごとの重要度（ステップ1-5、1-6）"
    ),
    "ch_progress": Text(en="Step 3 progress", ja="ステップ3の進捗"),
    "pr_checklists": Text(en="Checklist items answered", ja="回答済みのチェック項目"),
    "pr_ooda": Text(en="OODA roles filled", ja="割り当て済みのOODAの役割"),
    "pr_responsibility": Text(en="Responsibility cells assigned", ja="割り当て済みの責任分界"),
    "pr_maturity": Text(en="Maturity reached (Table 3-9)", ja="到達した成熟度（表3-9）"),
    "top_risks": Text(en="Top risks (Step 2-1)", ja="上位のリスク（ステップ2-1）"),
    "more_risks": Text(en="{n:,} more risks on the Step 2 page", ja="ほかのリスク {n:,} 件はステップ2のページに記載"),
    "more_zones": Text(en="{n:,} more zones in the zone list", ja="ほかのゾーン {n:,} 件はゾーン一覧に記載"),
    "step3_status": Text(en="Step 3 status", ja="ステップ3の状況"),
    "pages": Text(en="Detail pages", ja="詳細ページ"),
    "zone_list": Text(en="All zones (Step 1-6)", ja="全ゾーン（ステップ1-6）"),
    "zone_list_note": Text(
        en="Each zone has a page with its protected objects, findings, requirements, risks and missing measures.",
        ja="各ゾーンのページに、保護対象・指摘・要件・リスク・不足対策を示します。",
    ),
    "diagram_link": Text(en="Open the zone diagram (zones.svg)", ja="ゾーン図（zones.svg）を開く"),
    "diagram_too_large": Text(
        en="The plant has {n:,} zones: the diagram is a file of its own, and each zone page links to its neighbours' diagram.",
        ja="ゾーンが {n:,} 件あるため、図は別ファイルです。各ゾーンのページから隣接ゾーンの図を開けます。",
    ),
    "zone_diagram": Text(en="Diagram of this zone and its neighbours", ja="このゾーンと隣接ゾーンの図"),
    "location": Text(en="Location", ja="所在地"),
    "recovery": Text(en="Recovery target", ja="復旧目標"),
    "hours": Text(en="{h} h", ja="{h} 時間"),
    "axis": Text(en="Axis", ja="軸"),
    "ax_safety": Text(en="S", ja="安全"),
    "ax_quality": Text(en="Q", ja="品質"),
    "ax_delivery": Text(en="D", ja="納期"),
    "ax_cost": Text(en="C", ja="コスト"),
    "ax_business_continuity": Text(en="BC", ja="事業継続"),
    "ax_confidentiality": Text(en="Conf.", ja="機密性"),
    "ax_integrity": Text(en="Integ.", ja="完全性"),
    "zone_risks": Text(en="Risks of this zone (Step 2-1)", ja="このゾーンのリスク（ステップ2-1）"),
    "zone_gaps": Text(en="Missing measures (Step 2-2, Table 3-6)", ja="不足している対策（ステップ2-2、表3-6）"),
    "zone_importance": Text(en="Importance per axis, with the reason", ja="軸ごとの重要度とその根拠"),
    "other_findings": Text(en="Findings not tied to one zone", ja="特定のゾーンに属さない指摘"),
    "other_requirements": Text(en="Requirements not tied to one zone", ja="特定のゾーンに属さない要件"),
    "back": Text(en="Summary", ja="概要"),
    "purposes_page": Text(
        en="Purposes of smartification and what each brings (Table 3-1)",
        ja="スマート化の目的とそれぞれがもたらすもの（表3-1）",
    ),
    "purposes_note": Text(
        en="Per purpose: the operations, zones, data flows and measures it brings, so the department proposing it sees its security cost.",
        ja="目的ごとに、関係する業務・ゾーン・データフロー・対策を示します。提案する部門はセキュリティ上の負担を確認できます。",
    ),
    "no_purposes": Text(en="No purpose of smartification is recorded.", ja="スマート化の目的が記録されていません。"),
    "pu_count": Text(
        en="{o:,} operations, {z:,} zones, {c:,} data flows, {m:,} measures",
        ja="業務 {o:,} 件、ゾーン {z:,} 件、データフロー {c:,} 件、対策 {m:,} 件",
    ),
}
"""Labels of the summary page and its detail pages (issue #20 item 3): part of the HTML labels."""

SECTIONS["html"].update(SUMMARY_PAGES)

SECTIONS["xlsx"].update(
    {
        "actions": Text(en="Actions first", ja="まず取り組むこと"),
        "action": Text(en="Action (measure to put in place)", ja="取り組み（導入する対策）"),
        "summary_col": Text(en="What it resolves", ja="解消するもの"),
        "departments": Text(en="Owning departments (Table 1-1)", ja="担当部門（表1-1）"),
        "zone_list": Text(en="Zones", ja="ゾーン"),
        "finding_count": Text(en="Findings resolved", ja="解消する指摘の数"),
        "findings": Text(en="Findings", ja="指摘"),
        "requirement_count": Text(en="Requirements met", ja="満たす要件の数"),
        "checklist_count": Text(en="Checklist items closed", ja="完了するチェック項目の数"),
        "lowers": Text(en="Risks it lowers", ja="低減するリスク"),
        "measure": Text(en="Measure id", ja="対策ID"),
        "single": Text(en="Single rating for all axes", ja="全軸に単一の評価"),
        "axis_reasons": Text(en="Importance per axis and why", ja="軸ごとの重要度と根拠"),
        "location": Text(en="Location (site / building / area)", ja="設置場所（拠点／建屋／エリア）"),
        "recovery_hours": Text(en="Recovery target (hours)", ja="目標復旧時間（時間）"),
        "gaps": Text(en="2-2 Measure gaps", ja="2-2 対策の不足"),
        "required": Text(en="Required measures", ja="必要な対策"),
        "implemented": Text(en="In place", ja="実施済み"),
        "planned": Text(en="Planned", ja="計画中"),
        "purposes_sheet": Text(en="1-1 Purposes", ja="1-1 スマート化の目的"),
        "purpose": Text(en="Purpose", ja="目的"),
        "declared_purpose": Text(en="Declared by the factory", ja="工場が宣言"),
        "operations_col": Text(en="Operations", ja="業務"),
        "asset_count": Text(en="Protected objects", ja="保護対象の数"),
        "conduit_count": Text(en="Data flows", ja="データフローの数"),
        "route": Text(en="Route", ja="経路"),
        "finding_total": Text(en="Findings", ja="指摘の数"),
        "open_on": Text(en="Open on", ja="未完了の保護対象"),
    }
)
SECTIONS["markdown"].update(
    {
        "actions": Text(
            en="Actions first: what to do, who owns it, what it removes from the risk list",
            ja="まず取り組むこと：何を、どの部門が、リスク一覧から何が減るか",
        ),
        "no_actions": Text(en="No missing measure answers a finding.", ja="指摘に対応する不足対策はない。"),
        "owners": Text(en="owners", ja="担当"),
        "lowers": Text(en="lowers", ja="低減"),
        "zone_list": Text(en="zones", ja="ゾーン"),
        "axes": Text(
            en="Importance per axis, with the reasons (Steps 1-3, 1-5)", ja="軸ごとの重要度と根拠（ステップ1-3、1-5）"
        ),
        "axis": Text(en="Axis", ja="軸"),
        "purposes_heading": Text(
            en="What each purpose of smartification brings (Table 3-1)",
            ja="スマート化の目的ごとにもたらされるもの（表3-1）",
        ),
        "purpose_line": Text(
            en="{o:,} operation(s), {a:,} protected object(s), {z:,} zone(s), {c:,} data flow(s), {f:,} finding(s)",
            ja="業務 {o:,} 件、保護対象 {a:,} 件、ゾーン {z:,} 件、データフロー {c:,} 件、指摘 {f:,} 件",
        ),
        "locations": Text(en="Physical locations (Step 1-6)", ja="物理的な設置場所（ステップ1-6）"),
        "location": Text(en="Location", ja="設置場所"),
        "recovery_hours": Text(en="Recovery target (hours)", ja="目標復旧時間（時間）"),
        "more_in_workbook": Text(
            en="{n:,} more in report.xlsx and assessment.json.",
            ja="ほか {n:,} 件は report.xlsx と assessment.json にある。",
        ),
        "grouped_items": Text(en="open on {n:,} protected object(s)", ja="保護対象 {n:,} 件で未完了"),
        "assets_col": Text(en="Open on", ja="未完了の保護対象"),
    }
)

ENTRY_ROUTES: dict[str, Text] = {
    "entry_routes": Text(
        en="Entry routes: the zones an attacker first reaches (Step 2-1, 3.2.2 (1)(i))",
        ja="侵入経路：攻撃者が最初に到達するゾーン（ステップ2-1、3.2.2 (1)(i)）",
    ),
    "er_note": Text(
        en="Entry points grouped into the routes they open: every entry point that lands in one zone gives an attacker the same place to start from.",
        ja="侵入口を、それが開く侵入経路ごとにまとめたもの。同じゾーンに至る侵入口は、攻撃者に同じ出発点を与える。",
    ),
    "er_zone": Text(en="Route into zone", ja="侵入先のゾーン"),
    "er_count": Text(en="Entry points opening it", ja="この経路を開く侵入口の数"),
    "er_entries": Text(en="Entry points", ja="侵入口"),
    "er_kinds": Text(en="Kinds of entry", ja="侵入口の種類"),
    "er_sheet": Text(en="2 Entry routes", ja="2 侵入経路"),
    "er_zone_routes": Text(en="Entry routes into this zone (Step 2-1)", ja="このゾーンへの侵入経路（ステップ2-1）"),
    "er_summary": Text(
        en="entry points: {e:,}, opening routes into the factory: {r:,}",
        ja="侵入口 {e:,} 件が工場への侵入経路 {r:,} 件を開く",
    ),
}
"""Labels of the entry routes (issue #23 item 6) in the HTML pages, ``report.md`` and ``report.xlsx``."""

for _section in ("html", "markdown", "xlsx"):
    SECTIONS[_section].update(ENTRY_ROUTES)

BOUNDED_PAGES: dict[str, Text] = {
    "rows_more": Text(
        en="{n:,} more: report.xlsx and assessment.json hold every row; each zone page lists its own.",
        ja="ほか {n:,} 件：report.xlsx と assessment.json にすべての行があり、各ゾーンのページにそのゾーンの分がある。",
    ),
    "zone_findings_note": Text(
        en="Findings with a ranked risk come first, in rank order; each gives its risk level (→ the level left once the missing measures are in place, Step 2-1) and the measures still missing (Step 2-2, Table 3-6).",
        ja="順位付けしたリスクのある指摘を順位順に先に示す。各指摘に、リスクレベル（→ 不足対策を実施した後に残るレベル、ステップ2-1）と、まだ不足している対策（ステップ2-2、表3-6）を示す。",
    ),
    "zone_risk_line": Text(en="Risk rank", ja="リスクの順位"),
    "zone_findings": Text(en="findings: {n:,}", ja="指摘 {n:,} 件"),
}
"""Labels of the HTML step and zone pages, which stay small at any plant size (issue #20 item 2)."""

SECTIONS["html"].update(BOUNDED_PAGES)
SECTIONS["xlsx"]["plain_flows"] = Text(
    en="{n:,} other data flow(s) inside the zone", ja="ゾーン内のその他のデータフロー {n:,} 件"
)
"""The workbook's conduit sheet: the plain data flows inside one zone, as one row."""

ZONE_GROUPS: dict[str, Text] = {
    "group_note": Text(
        en="{n:,} zones of a large plant, each in detail below as on a page of its own.",
        ja="大規模な工場のゾーン {n:,} 件。各ゾーンの詳細を以下に示す。",
    ),
    "group_list": Text(en="Zone groups (Step 1-6)", ja="ゾーンのグループ（ステップ1-6）"),
    "group_list_note": Text(
        en="The plant has {n:,} zones: they are shown on {g:,} pages, each holding the zones under one top-level zone or of one kind (at most {k:,} per page).",
        ja="ゾーンが {n:,} 件あるため、{g:,} ページに分けて示す。各ページには、同じ上位ゾーンの下にあるゾーン、または同じ種別のゾーンを最大 {k:,} 件載せる。",
    ),
    "group": Text(en="Group", ja="グループ"),
    "zone_count": Text(en="Zones", ja="ゾーン数"),
}
"""Labels of the pages of zone groups, for plants of more than 200 zones (issue #20 item 3)."""

SECTIONS["html"].update(ZONE_GROUPS)
