"""S1-PURPOSE-OPERATION: a new or changed operation serves no purpose of smartification, or one the factory does not pursue (Step 1-2)."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._step1 import is_smartified


def _check(context: AnalysisContext) -> Iterator[Finding]:
    declared = set(context.model.factory.purposes)
    for operation in context.model.operations:
        if not is_smartified(operation):
            continue
        subject = new_subject("operation", operation.id)
        if not operation.purposes:
            yield RULE.finding(
                subject,
                text(
                    f"Operation '{operation.name}' is {operation.status.value} but serves no purpose of smartification: name the Table 3-1 purposes it achieves, or question why it is added",
                    f"業務「{operation.name}」は{'新規' if operation.status.value == 'new' else '変更'}だが、スマート化のどの目的にも結び付いていない。達成する表3-1の目的を挙げるか、追加する理由を見直す",
                ),
                key="none",
            )
            continue
        undeclared = [p for p in operation.purposes if p not in declared]
        if declared and undeclared:
            yield RULE.finding(
                subject,
                text(
                    f"Operation '{operation.name}' serves {', '.join(undeclared)}, which the factory does not record among its purposes: add it to 'factory.purposes' or correct the operation",
                    f"業務「{operation.name}」は {'、'.join(undeclared)} に資するが、工場の目的に記録されていない。'factory.purposes' に加えるか業務を直す",
                ),
                key="undeclared",
                related=undeclared,
            )


RULE = Rule(
    id="S1-PURPOSE-OPERATION",
    category="requirement",
    reference="Appendix 3.1.2 Step 1-2 (identify the operations needed to achieve the purpose of smartification); 3.1.1 (1), Table 3-1",
    title=text("Smartified operation without a purpose", "目的のないスマート化業務"),
    summary=text(
        "Fires per new or changed operation that lists no purpose, or lists a purpose missing from 'factory.purposes'.",
        "目的を挙げていない、または 'factory.purposes' にない目的を挙げている新規・変更の業務ごとに発生する。",
    ),
    check=_check,
    measures=("op-smartification-purposes",),
)
