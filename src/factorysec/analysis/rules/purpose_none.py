"""S1-PURPOSE-NONE: no smartification purpose is recorded, so nothing says which measures the change calls for (Step 1-1 (1), Table 3-1)."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._step1 import factory_subject


def _check(context: AnalysisContext) -> Iterator[Finding]:
    if context.model.factory.purposes:
        return
    known = ", ".join(context.catalog.purposes)
    yield RULE.finding(
        factory_subject(context),
        text(
            f"The factory records no purpose of smartification: set them from the management goals under 'factory.purposes' ({known})",
            f"スマート化の目的が記録されていない。経営目標から目的を定め、'factory.purposes' に記録する（{known}）",
        ),
    )


RULE = Rule(
    id="S1-PURPOSE-NONE",
    category="requirement",
    reference="Appendix 3.1.1 Step 1-1 (1), Table 3-1 (the required security measures vary with the purpose of smartification)",
    title=text("No purpose of smartification", "スマート化の目的がない"),
    summary=text("Fires when 'factory.purposes' is empty.", "'factory.purposes' が空のときに発生する。"),
    check=_check,
    measures=("op-smartification-purposes",),
    why=text(
        "The measures a smartification needs depend on its purpose (Table 3-1): without one, new operations and zones cannot be judged against what the change is for, and the importance of new operations has no basis (3.1.1 (1), 3.1.3).",
        "スマート化に必要な対策はその目的で変わる（表3-1）。目的がなければ、新しい業務やゾーンを変更の目的に照らして判断できず、新しい業務の重要度にも根拠がない（3.1.1 (1)、3.1.3）。",
    ),
    false_positives=text(
        "A factory with no smartification under way has no purpose to state: the finding then only asks that one be recorded when a change starts.",
        "スマート化を進めていない工場には記すべき目的がない。その場合、この指摘は変更を始めるときに目的を記録するよう求めるだけである。",
    ),
)
