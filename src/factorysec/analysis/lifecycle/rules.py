"""The Step 3 gap rules: ids, guideline references and bilingual titles.

Their findings are emitted by :func:`factorysec.analysis.lifecycle.assess_lifecycle`
rather than by the Step 1 rule runner, because they share the matrices the
lifecycle report builds and the PDCA rules need the date of the run. Each
``check`` therefore yields nothing on its own; the rule object carries the
metadata and builds the findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from factorysec.analysis.findings import Category, Finding, Rule, text

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext


def _emitted_by_assess_lifecycle(_context: AnalysisContext) -> Iterator[Finding]:
    """Step 3 findings come from :func:`assess_lifecycle`, not from the Step 1 rule runner."""
    return iter(())


def _rule(rule_id: str, category: Category, reference: str, title: tuple[str, str], summary: tuple[str, str]) -> Rule:
    return Rule(
        id=rule_id,
        category=category,
        reference=reference,
        title=text(*title),
        summary=text(*summary),
        check=_emitted_by_assess_lifecycle,
    )


CHECKLIST_OPEN = _rule(
    "S3-CHECKLIST-OPEN",
    "supply-chain",
    "Appendix 3.3 Step 3 (2), Tables 3-10 to 3-12",
    ("Supply-chain checklist has open items", "サプライチェーンのチェック項目に未確認のものがある"),
    (
        "Flags each cloud service, general-purpose product or software whose checklist items are unanswered, answered 'no' or 'unknown'.",
        "クラウドサービス・汎用製品・ソフトウェアごとに、未回答・「いいえ」・「不明」のチェック項目を指摘する。",
    ),
)
RESP_GAP = _rule(
    "S3-RESP-GAP",
    "supply-chain",
    "Appendix 3.3 Step 3 (2); Step 1-1 (3); Annex A case (ii)",
    ("Responsibility division has unnamed areas", "責任分界に担当者が決まっていない領域がある"),
    (
        "Flags an external service or outsourced operation for which nobody is named for operation, maintenance, incident response, vulnerability handling or data handling at the end of use.",
        "外部サービスや委託業務について、運用・保守・インシデント対応・脆弱性対応・利用終了時のデータの扱いのいずれかに責任者が決まっていないことを指摘する。",
    ),
)
SUBCONTRACT_LINK = _rule(
    "S3-SUBCONTRACT-LINK",
    "supply-chain",
    "Appendix 3.1.1 Step 1-1 (3); 3.3 Step 3 (2)",
    ("Subcontractor chain has an unidentified link", "再委託の連鎖に不明なつながりがある"),
    (
        "Flags a subcontractor whose contractor is not named, or whose contractor is not itself responsible for anything in the model.",
        "委託元が特定されていない再委託先、または委託元自体がモデル上で何の責任も負っていない再委託先を指摘する。",
    ),
)
OODA_NO_DECIDER = _rule(
    "S3-OODA-NO-DECIDER",
    "lifecycle",
    "Appendix 3.3 Step 3 (1)(i), Tables 3-7 and 3-8",
    ("OODA phase has no decision maker", "OODAのフェーズに判断者がいない"),
    (
        "Flags a stage and phase of the OODA cycle for which no department is assigned, or can be proposed, to decide.",
        "OODAサイクルの段階・フェーズについて、判断する部門が割り当てられておらず、提案もできないことを指摘する。",
    ),
)
OODA_NO_SITE = _rule(
    "S3-OODA-NO-SITE",
    "lifecycle",
    "Appendix 3.3 Step 3 (1)(i), Tables 3-7 and 3-8; (1)(ii)",
    ("Production site is absent from the OODA cycle", "製造現場がOODAサイクルに含まれていない"),
    (
        "Flags an OODA stage in which no production-site department leads or decides; the guideline has the site act on, and report, what happens on the floor.",
        "製造現場の部門が主担当にも判断者にもならないOODAの段階を指摘する。ガイドラインでは製造現場が対策の実施と事象の報告を担う。",
    ),
)
OODA_NO_VENDOR_CHANNEL = _rule(
    "S3-OODA-NO-VENDOR-CHANNEL",
    "supply-chain",
    "Appendix 3.3 Step 3 (1)(i), Table 3-7 (Observe)",
    ("No vendor channel for vulnerability information", "脆弱性情報を受け取るベンダの窓口がない"),
    (
        "Flags a party that supplies or maintains installed equipment but has no vulnerability contact, so the preventive-maintenance Observe phase has no channel for that equipment.",
        "導入済み機器を供給・保守しているのに脆弱性情報の窓口がない事業者を指摘する。予防保全段階のObserveで、その機器の情報経路がない。",
    ),
)
MATURITY_UNASSESSED = _rule(
    "S3-MATURITY-UNASSESSED",
    "lifecycle",
    "Appendix 3.3 Step 3 (1)(ii), Table 3-9, Figure 3-5",
    ("Maturity area not assessed", "成熟度が評価されていない領域がある"),
    (
        "Flags an area of the maturity model (external cooperation, between departments, within the department) with no recorded level.",
        "成熟度モデルの領域（社内外の連携、部門間の連携、担当部門内）で水準が記録されていないものを指摘する。",
    ),
)
PDCA_NO_REVIEW = _rule(
    "S3-PDCA-NO-REVIEW",
    "lifecycle",
    "Appendix 3.3 Step 3; Figure 3-4 (PDCA cycle)",
    ("No PDCA review recorded", "PDCAの見直しの記録がない"),
    ("Flags a model with no review record at all.", "見直しの記録が一つもないモデルを指摘する。"),
)
PDCA_OVERDUE = _rule(
    "S3-PDCA-OVERDUE",
    "lifecycle",
    "Appendix 3.3 Step 3; Figure 3-4 (PDCA cycle)",
    ("PDCA review is overdue", "PDCAの見直しが期限を過ぎている"),
    (
        "Flags a model whose last review is older than the factory's review interval.",
        "最後の見直しが工場の見直し間隔より古いモデルを指摘する。",
    ),
)
PDCA_STALE = _rule(
    "S3-PDCA-STALE",
    "lifecycle",
    "Appendix 3.3 Step 3; Figure 3-4 (PDCA cycle)",
    ("Model changed after the last review", "最後の見直しの後にモデルが変わっている"),
    (
        "Flags a model whose digest differs from the one recorded by its last review.",
        "最後の見直しで記録したダイジェストと現在のモデルのダイジェストが異なることを指摘する。",
    ),
)
PDCA_CHANGE_UNREVIEWED = _rule(
    "S3-PDCA-CHANGE-UNREVIEWED",
    "lifecycle",
    "Appendix 3.3 Step 3 (1)(ii); Step 3 PDCA from Step 1",
    ("Smartification change not reviewed", "スマート化による変更が見直されていない"),
    (
        "Flags new or changed elements with no review triggered by the smartification change that covers the current model.",
        "新規・変更の要素があるのに、現在のモデルを対象としたスマート化変更による見直しがないことを指摘する。",
    ),
)

LIFECYCLE_RULES: tuple[Rule, ...] = (
    CHECKLIST_OPEN,
    RESP_GAP,
    SUBCONTRACT_LINK,
    OODA_NO_DECIDER,
    OODA_NO_SITE,
    OODA_NO_VENDOR_CHANNEL,
    MATURITY_UNASSESSED,
    PDCA_NO_REVIEW,
    PDCA_OVERDUE,
    PDCA_STALE,
    PDCA_CHANGE_UNREVIEWED,
)
LIFECYCLE_RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in LIFECYCLE_RULES}
