"""S3-UNEXPECTED-EVENTS: smartification changes the factory, but practices for events nobody anticipated are not in place (Step 3 (1)(ii))."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._step1 import factory_subject, smartified_ids


def _check(context: AnalysisContext) -> Iterator[Finding]:
    model = context.model
    if not smartified_ids(context):
        return
    recorded = set(model.factory.unexpected_event_practices)
    missing = [
        p for p in context.catalog.unexpected_event_practices.values() if not p.example_only and p.id not in recorded
    ]
    if not missing:
        return
    yield RULE.finding(
        factory_subject(context),
        text(
            "Smartification changes the factory, so events the previous system never met are likely; these practices are not recorded under "
            "'factory.unexpected_event_practices': " + "; ".join(f"{p.title.en} ({p.id})" for p in missing),
            "スマート化で工場が変わり、従来のシステムでは想定できなかった事象が起きやすい。次の取り組みが 'factory.unexpected_event_practices' に記録されていない："
            + "；".join(f"{p.title.ja}（{p.id}）" for p in missing),
        ),
        related=[p.id for p in missing],
    )


RULE = Rule(
    id="S3-UNEXPECTED-EVENTS",
    category="lifecycle",
    reference="Appendix 3.3 Step 3 (1)(ii) (measures against unexpected events: learn from related incidents, estimate other incidents, learn from own cases)",
    title=text("Practices for unexpected events missing", "想定外の事象への取り組みが足りない"),
    summary=text(
        "Fires when new or changed elements exist and catalog practices for unexpected events (those the guideline does not give as a mere "
        "example of a tool) are missing from 'factory.unexpected_event_practices'.",
        "新規・変更の要素があり、想定外の事象への取り組み（ツールの例として挙げられたものを除く）が 'factory.unexpected_event_practices' にないときに発生する。",
    ),
    check=_check,
    measures=("op-pdca-structure",),
    why=text(
        "A changed factory meets events its earlier system never had; the guideline suggests preparing for them once existing measures are in place, by learning from related incidents and from the factory's own cases (3.3 (1)(ii)).",
        "変わった工場は、以前のシステムでは起きなかった事象に出会う。ガイドラインは、既存の対策を実施したうえで、関連するインシデントや自社の事例から学んで備えることを勧める（3.3 (1)(ii)）。",
    ),
    false_positives=text(
        "The guideline calls these measures suggestions, to take after the existing measures: a factory still closing basic gaps may rightly defer them; record a decision with a date.",
        "ガイドラインはこれらを既存の対策の後に取る提案としている。基本的な不足をまだ埋めている工場が先送りするのは妥当なことがある。期限付きで判断を記録する。",
    ),
)
