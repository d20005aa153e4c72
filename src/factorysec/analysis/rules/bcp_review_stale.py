"""S1-BCP-REVIEW-STALE: the BCP was not reviewed within its interval, or not since the smartification change was reviewed (Step 1-1 (1))."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._step1 import (
    factory_subject,
    latest_change_review,
    listed,
    listed_ja,
    related,
    smartified_ids,
)


def _check(context: AnalysisContext) -> Iterator[Finding]:
    model = context.model
    bcp = model.bcp
    if bcp is None or not bcp.exists:
        return  # S1-BCP-MISSING speaks for it
    subject = factory_subject(context)
    if bcp.last_reviewed is None:
        yield RULE.finding(
            subject,
            text(
                "The BCP records no review date: review it for smartification and record 'last_reviewed'",
                "BCPに見直し日の記録がない。スマート化の観点で見直し、'last_reviewed' を記録する",
            ),
            key="never",
        )
        return
    interval = bcp.review_interval_days or model.factory.review_interval_days
    today = context.today
    if today is not None and (today - bcp.last_reviewed).days > interval:
        age = (today - bcp.last_reviewed).days
        yield RULE.finding(
            subject,
            text(
                f"The BCP was last reviewed on {bcp.last_reviewed}, {age:,} days ago, past its {interval:,}-day interval",
                f"BCPの最終見直しは {bcp.last_reviewed}（{age:,} 日前）で、見直し間隔 {interval:,} 日を過ぎている",
            ),
            key="interval",
        )
    changed = smartified_ids(context)
    change_date = latest_change_review(model)
    if changed and change_date is not None and bcp.last_reviewed < change_date:
        yield RULE.finding(
            subject,
            text(
                f"The BCP was last reviewed on {bcp.last_reviewed}, before the smartification change reviewed on {change_date} that adds or changes {listed(changed)}: review the BCP for them",
                f"BCPの最終見直し（{bcp.last_reviewed}）は、{listed_ja(changed)} を追加・変更するスマート化の見直し（{change_date}）より前である。これらについてBCPを見直す",
            ),
            key="change",
            related=related(changed),
        )


RULE = Rule(
    id="S1-BCP-REVIEW-STALE",
    category="requirement",
    reference="Appendix 3.1.1 Step 1-1 (1) (review and update the BCP as smartification adds systems and expands the supply chain)",
    title=text("BCP review is out of date", "BCPの見直しが古い"),
    summary=text(
        "Fires when the BCP has no review date, when its last review is older than its interval (the BCP's own, else the factory's), "
        "or when it predates the latest review of a smartification change while new or changed elements exist. The date of a change is "
        "the date of its 'smartification-change' review, since elements carry no dates.",
        "BCPに見直し日がないとき、最終見直しが見直し間隔（BCPに指定がなければ工場の間隔）より古いとき、または新規・変更の要素があり、"
        "BCPの最終見直しがスマート化変更の最新の見直しより前のときに発生する。要素は日付を持たないため、変更の日付は、きっかけが「スマート化による変更」の見直しの日とする。",
    ),
    check=_check,
    measures=("op-bcp-smartification-review",),
    why=text(
        "A plan reviewed before the systems, connections and partners of the smartification were added does not say how to stop, continue or recover them; the guideline asks that the BCP be reviewed and updated as they come in (3.1.1 (1)).",
        "スマート化で加わったシステム・接続・取引先より前に見直したBCPには、それらを止める・続ける・復旧する方法が書かれていない。ガイドラインはそれらが加わるたびにBCPを見直し更新するよう求める（3.1.1 (1)）。",
    ),
    false_positives=text(
        "The review may have happened without the date being recorded, or the change reviewed may not touch business continuity at all: record the date, or record a review that states why the plan stays as it is.",
        "見直しは行ったが日付を記録していないだけのことや、見直した変更が事業継続に関係しないことがある。日付を記録するか、計画を変えない理由を述べた見直しを記録する。",
    ),
)
