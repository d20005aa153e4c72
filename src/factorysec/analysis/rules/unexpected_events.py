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
    missing = [p for p in context.catalog.unexpected_event_practices.values() if not p.example_only and p.id not in recorded]
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
    title=text("No practices for unexpected events", "想定外の事象への取り組みがない"),
    summary=text(
        "Fires when new or changed elements exist and catalog practices for unexpected events (those the guideline does not give as a mere "
        "example of a tool) are missing from 'factory.unexpected_event_practices'.",
        "新規・変更の要素があり、想定外の事象への取り組み（ツールの例として挙げられたものを除く）が 'factory.unexpected_event_practices' にないときに発生する。",
    ),
    check=_check,
    measures=("op-pdca-structure",),
)
