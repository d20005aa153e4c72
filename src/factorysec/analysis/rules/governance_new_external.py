"""S1-GOVERNANCE-NEW-EXTERNAL: a new external service or connection with no IT/security department or no business owner who can commit (Step 1-1 (3))."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._step1 import (
    crosses_outside,
    factory_subject,
    listed,
    listed_ja,
    related,
    smartified_ids,
)

_ROLES = (
    ("security-it", frozenset({"security", "it"}), "an IT or security department", "IT・セキュリティ部門"),
    ("business-owner", frozenset({"business-owner"}), "a business owner who can commit", "コミットできる事業責任者"),
)


def _check(context: AnalysisContext) -> Iterator[Finding]:
    model = context.model
    assets, conduits = context.assets, context.conduits
    new_external: list[str] = []
    for element_id in smartified_ids(context):
        asset = assets.get(element_id)
        if asset is not None and context.is_external(asset):
            new_external.append(element_id)
            continue
        conduit = conduits.get(element_id)
        if conduit is not None and crosses_outside(context, conduit):
            new_external.append(element_id)
    new_external = list(dict.fromkeys(new_external))
    if not new_external:
        return
    kinds = {d.kind for d in model.departments}
    for key, wanted, role_en, role_ja in _ROLES:
        if kinds & wanted:
            continue
        yield RULE.finding(
            factory_subject(context),
            text(
                f"Smartification adds external services or connections ({listed(new_external)}) but no department of the model is {role_en} (kinds: {', '.join(sorted(wanted))}): name one and involve it in the change",
                f"スマート化で外部サービス・外部接続（{listed_ja(new_external)}）が加わるが、モデルに{role_ja}（種別：{'、'.join(sorted(wanted))}）がない。担当を定め、変更に関与させる",
            ),
            key=key,
            related=related(new_external),
        )


RULE = Rule(
    id="S1-GOVERNANCE-NEW-EXTERNAL",
    category="supply-chain",
    reference="Appendix 3.1.1 Step 1-1 (3) (review departments and governance as new services and external connections come in; business owners can commit)",
    title=text("New external service or connection without governance", "新たな外部サービス・接続に体制がない"),
    summary=text(
        "Fires when new or changed external services (external-service assets or assets run by a party) or conduits leaving the factory exist "
        "and the departments lack an IT/security department or a business owner; once per missing role.",
        "新規・変更の外部サービス（外部サービス型の資産や外部事業者が運用する資産）や工場外へ出るコンジットがあり、"
        "部門にIT・セキュリティ部門または事業責任者がないとき、欠けている役割ごとに発生する。",
    ),
    check=_check,
    measures=("op-stakeholder-governance",),
    why=text(
        "New external services and connections need departments that can exchange the information the factory needs and business owners who commit; otherwise nobody in particular answers for the new connection when something goes wrong (3.1.1 (3)).",
        "新しい外部サービスや接続には、工場が必要とする情報をやり取りできる部門と、関与を約束する事業責任者が要る。そうでなければ、問題が起きたときに新しい接続に責任を持つ者がいない（3.1.1 (3)）。",
    ),
    false_positives=text(
        "Governance may already have been reviewed in a record outside this model; record that review (trigger 'smartification-change', with the departments that took part) rather than repeat it.",
        "ガバナンスの見直しがこのモデル外の記録で済んでいることがある。繰り返す前に、その見直し（きっかけは「スマート化による変更」、参加部門を含む）を記録する。",
    ),
)
