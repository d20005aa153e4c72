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
)
