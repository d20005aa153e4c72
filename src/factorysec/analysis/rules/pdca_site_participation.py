"""S3-PDCA-NO-SITE: a review of a smartification change held without anyone from the production site (Step 3 (1)(ii))."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._step1 import SMARTIFICATION_TRIGGER, factory_subject

SITE_KINDS = frozenset({"production-site", "factory-management"})


def _check(context: AnalysisContext) -> Iterator[Finding]:
    model = context.model
    site = {d.id for d in model.departments if d.kind in SITE_KINDS}
    for review in model.reviews:
        if review.trigger != SMARTIFICATION_TRIGGER or site.intersection(review.participants):
            continue
        who = ", ".join(review.participants) or "nobody recorded"
        yield RULE.finding(
            factory_subject(context),
            text(
                f"Review '{review.id}' of {review.date} looked at a smartification change without the production site (participants: {who}); include the site manager or another production-site department",
                f"見直し「{review.id}」（{review.date}）は製造現場の参加なしにスマート化の変更を扱った（参加者：{who}）。製造現場の責任者など現場の部門を加える",
            ),
            key=review.id,
            related=[review.id],
        )


RULE = Rule(
    id="S3-PDCA-NO-SITE",
    category="lifecycle",
    reference="Appendix 3.3 Step 3 (1)(ii) (include a production site manager and others relating to production in the PDCA cycle structure)",
    title=text("Change reviewed without the production site", "製造現場が参加していない変更の見直し"),
    summary=text(
        "Fires per review triggered by a smartification change whose participants include no department of kind production-site or factory-management.",
        "スマート化変更による見直しのうち、参加者に製造現場・工場管理者の部門を含まないものごとに発生する。",
    ),
    check=_check,
    measures=("op-pdca-structure",),
    why=text(
        "The people who see the line run notice the gaps between the smart system and the floor first; a review without them misses what changed in practice (3.3 (1)(ii)).",
        "ラインを見ている人が、スマートシステムと現場の食い違いに最初に気づく。その人たちがいない見直しは、実際に何が変わったかを見落とす（3.3 (1)(ii)）。",
    ),
    false_positives=text(
        "The production site may have taken part under a department the model does not mark as production-site or factory-management: give that department the right kind.",
        "製造現場が、モデル上 production-site や factory-management になっていない部門として参加していることがある。その部門の kind を正しく設定する。",
    ),
)
