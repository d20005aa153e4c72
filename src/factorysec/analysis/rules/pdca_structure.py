"""S3-PDCA-STRUCTURE: the PDCA cycle lacks an owner, a manual or recent training (Step 3 (1)(ii))."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._step1 import factory_subject

_MANUALS = {
    "security-measures": ("security measures", "セキュリティ対策"),
    "incident-response": ("incident response", "インシデント対応"),
}


def _check(context: AnalysisContext) -> Iterator[Finding]:
    factory = context.model.factory
    subject = factory_subject(context)
    if factory.pdca_owner is None:
        yield RULE.finding(
            subject,
            text(
                "No department owns the PDCA cycle: name it under 'factory.pdca_owner'",
                "PDCAサイクルを担う部門が決まっていない。'factory.pdca_owner' に記録する",
            ),
            key="owner",
        )
    for manual, (en, ja) in _MANUALS.items():
        if manual not in factory.manuals:
            yield RULE.finding(
                subject,
                text(
                    f"No manual for {en} is recorded: compile one and list '{manual}' under 'factory.manuals'",
                    f"{ja}のマニュアルの記録がない。整備し、'factory.manuals' に '{manual}' を記録する",
                ),
                key=f"manual-{manual}",
            )
    today = context.today
    if factory.last_training is None:
        yield RULE.finding(
            subject,
            text(
                "No training of staff to respond to cybersecurity issues is recorded: train them and record 'factory.last_training'",
                "サイバーセキュリティに対応できる人材の育成の記録がない。育成を行い 'factory.last_training' を記録する",
            ),
            key="training",
        )
    elif today is not None and (today - factory.last_training).days > factory.review_interval_days:
        yield RULE.finding(
            subject,
            text(
                f"The last training ({factory.last_training}) is older than the {factory.review_interval_days}-day review interval: train again",
                f"最後の育成（{factory.last_training}）が見直し間隔 {factory.review_interval_days} 日より古い。改めて行う",
            ),
            key="training",
        )


RULE = Rule(
    id="S3-PDCA-STRUCTURE",
    category="lifecycle",
    reference="Appendix 3.3 Step 3 (1)(ii) (manuals for security measures and incident response, human resources, an organisation able to run the PDCA cycle)",
    title=text("PDCA cycle lacks an owner, manual or training", "PDCAサイクルの責任者・マニュアル・育成が欠けている"),
    summary=text(
        "Fires once per missing item: no 'pdca_owner', no manual for security measures or for incident response, no training recorded or "
        "the last one older than the factory's review interval.",
        "欠けている項目ごとに発生する：'pdca_owner' がない、セキュリティ対策またはインシデント対応のマニュアルがない、育成の記録がない、または最後の育成が工場の見直し間隔より古い。",
    ),
    check=_check,
    measures=("op-pdca-structure",),
    why=text(
        "A PDCA cycle that keeps up with frequent changes needs an owner, manuals for security measures and incident response, and trained people (3.3 (1)(ii)); without them each change is reviewed, if at all, by whoever happens to notice it.",
        "頻繁な変更に追いつくPDCAサイクルには、責任者、セキュリティ対策とインシデント対応のマニュアル、訓練された人が要る（3.3 (1)(ii)）。それがなければ、変更はたまたま気づいた人が見直すだけになる。",
    ),
    false_positives=text(
        "The manuals or training may exist at company level and only be missing from the model: record them in the factory section ('manuals', 'last_training') instead of writing new ones.",
        "マニュアルや訓練が全社単位で存在し、モデルに記録されていないだけのことがある。新たに作る前に factory の 'manuals'・'last_training' に記録する。",
    ),
)
