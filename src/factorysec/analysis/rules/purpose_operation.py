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
    why=text(
        "Step 1-2 identifies the operations needed for each purpose; a new operation tied to no declared purpose cannot have its importance reviewed against that purpose (3.1.2, 3.1.3).",
        "ステップ1-2は目的ごとに必要な業務を洗い出す。宣言した目的に結び付かない新しい業務は、その目的に照らして重要度を見直せない（3.1.2、3.1.3）。",
    ),
    false_positives=text(
        "An operation changed for a reason other than smartification (a repair, a regulatory change) has no smartification purpose: mark it 'existing' again once the change is done, or record a decision.",
        "スマート化以外の理由（修理、規制対応）で変わった業務にはスマート化の目的がない。変更が済んだら 'existing' に戻すか、判断を記録する。",
    ),
)
