"""S1-REQUIREMENT-STALE: a law, standard or customer demand not checked within its review interval (Step 1-1 (2))."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text


def _check(context: AnalysisContext) -> Iterator[Finding]:
    model = context.model
    today = context.today
    for requirement in model.requirements:
        subject = new_subject("requirement", requirement.id)
        if requirement.last_reviewed is None:
            yield RULE.finding(
                subject,
                text(
                    f"'{requirement.title}' has no review date: check what it asks of the factory, especially for smartification, and record 'last_reviewed'",
                    f"「{requirement.title}」に確認日がない。工場に求める事項をスマート化の観点も含めて確認し、'last_reviewed' を記録する",
                ),
                key="never",
            )
            continue
        interval = requirement.review_interval_days or model.factory.review_interval_days
        if today is not None and (today - requirement.last_reviewed).days > interval:
            age = (today - requirement.last_reviewed).days
            yield RULE.finding(
                subject,
                text(
                    f"'{requirement.title}' was last checked on {requirement.last_reviewed}, {age:,} days ago, past its {interval:,}-day interval; standards and laws change, check for new demands",
                    f"「{requirement.title}」の最終確認は {requirement.last_reviewed}（{age:,} 日前）で、見直し間隔 {interval:,} 日を過ぎている。標準や法令は改訂されるため、新たな要求を確認する",
                ),
                key="interval",
            )


RULE = Rule(
    id="S1-REQUIREMENT-STALE",
    category="requirement",
    reference="Appendix 3.1.1 Step 1-1 (2) (review the standards and legal requirements regularly)",
    title=text("Requirement not reviewed recently", "要求事項が最近確認されていない"),
    summary=text(
        "Fires per requirement without 'last_reviewed', or whose last review is older than its interval (its own, else the factory's).",
        "'last_reviewed' がない、または最終確認が見直し間隔（指定がなければ工場の間隔）より古い要求事項ごとに発生する。",
    ),
    check=_check,
    measures=("op-requirements-register",),
    why=text(
        "Standards and laws change (the guideline names IEC 62443, the EU CRA and the Economic Security Promotion Act); a requirement not reviewed regularly may ask for more, or something else, than the factory does (3.1.1 (2)).",
        "規格や法令は変わる（ガイドラインはIEC 62443、EU CRA、経済安全保障推進法を挙げる）。定期的に見直さない要件は、工場が行っている以上のことや別のことを求めているかもしれない（3.1.1 (2)）。",
    ),
    false_positives=text(
        "The review may have been done by a legal or compliance department without the date reaching the model: record 'last_reviewed'.",
        "法務・コンプライアンス部門が見直していて、日付がモデルに反映されていないだけのことがある。'last_reviewed' を記録する。",
    ),
)
