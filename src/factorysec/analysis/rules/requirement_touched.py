"""S1-REQUIREMENT-TOUCHED: smartification adds or changes elements a requirement applies to, and the requirement was not rechecked since (Step 1-1 (2))."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._step1 import in_scope, latest_change_review, listed, listed_ja, related, smartified_ids


def _check(context: AnalysisContext) -> Iterator[Finding]:
    model = context.model
    if not model.requirements:
        return
    changed = smartified_ids(context)
    if not changed:
        return
    change_date = latest_change_review(model)
    for requirement in model.requirements:
        if (
            requirement.last_reviewed is not None
            and change_date is not None
            and requirement.last_reviewed >= change_date
        ):
            continue  # rechecked on or after the review of the change
        whole, scope = in_scope(context, requirement)
        touched = changed if whole else [c for c in changed if c in scope]
        if not touched:
            continue
        scope_en = "the whole factory, including elements" if whole else "elements"
        scope_ja = "工場全体に適用され、" if whole else ""
        when_en, when_ja = _when_reviewed(requirement.last_reviewed, change_date)
        yield RULE.finding(
            new_subject("requirement", requirement.id),
            text(
                f"'{requirement.title}' applies to {scope_en} that smartification adds or changes ({listed(touched)}): check whether it asks anything of them{when_en}",
                f"「{requirement.title}」は{scope_ja}スマート化で追加・変更される要素（{listed_ja(touched)}）に及ぶ。それらに求める事項がないか確認する{when_ja}",
            ),
            related=related(touched),
        )


def _when_reviewed(last_reviewed: dt.date | None, change_date: dt.date | None) -> tuple[str, str]:
    """Why a requirement reviewed at some date is still asked about: the model cannot tell whether that review saw the changes.

    A firm that answered its customer's checklist after the changes reads a bare 'check it' as a mistake; the sentence
    says what the model lacks (the date the changes were reviewed: no element carries the date it was added or
    changed) and what closes the finding.
    """
    if last_reviewed is None:
        return "", ""
    if change_date is None:
        return (
            f". It was last reviewed on {last_reviewed}, but the model records no review of the smartification changes "
            "(a review with trigger smartification-change), so it cannot tell whether that check took them into account; "
            "the finding closes once the requirement is reviewed on or after such a review",
            f"。最終確認は{last_reviewed}だが、スマート化による変更の見直し（trigger が smartification-change の review）が"
            "記録されていないため、その確認が変更を踏まえたかは判断できない。その見直しの日以降に要求事項を確認すれば指摘は閉じる",
        )
    return (
        f". It was last reviewed on {last_reviewed}, before the review of the smartification changes on {change_date}",
        f"。最終確認は{last_reviewed}で、スマート化による変更の見直し（{change_date}）より前である",
    )


RULE = Rule(
    id="S1-REQUIREMENT-TOUCHED",
    category="requirement",
    reference="Appendix 3.1.1 Step 1-1 (2) (check whether there are requirements to be followed from the perspective of smartification)",
    title=text("Requirement touched by smartification", "スマート化が要求事項の対象に及ぶ"),
    summary=text(
        "Fires per requirement whose scope ('applies_to', or the whole factory when empty; a zone brings its assets and conduits) holds new "
        "or changed elements, unless it was reviewed on or after the latest 'smartification-change' review.",
        "適用範囲（'applies_to'、空なら工場全体。ゾーンはその資産とコンジットを含む）に新規・変更の要素がある要求事項ごとに発生する。"
        "きっかけが「スマート化による変更」の最新の見直し以降に確認されていれば発生しない。",
    ),
    check=_check,
    measures=("op-requirements-register",),
    why=text(
        "When smartification changes what a requirement covers, the requirement may ask something new of the changed part (3.1.1 (2)); checking it after the change is too late for procurement and design.",
        "スマート化で要件の対象が変わると、要件が変わった部分に新たなことを求めることがある（3.1.1 (2)）。変更の後で確認したのでは調達にも設計にも間に合わない。",
    ),
    false_positives=text(
        "The change may fall outside what the requirement regulates (a monitoring display under a safety standard for the machine, say): once checked, record the smartification review so the finding closes.",
        "変更が要件の規制対象外のことがある（機械の安全規格の下にある監視表示など）。確認したらスマート化の見直しを記録し、指摘を閉じる。",
    ),
)
