"""Readable terminal summary of an assessment, in English or Japanese."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Finding
from factorysec.model.entities import FactoryModel
from factorysec.report.inert import terminal_text
from factorysec.report.lifecycle_terminal import render_lifecycle
from factorysec.report.listing import DEFAULT_LIMIT, first, print_more
from factorysec.report.plan_terminal import render_plan

LABELS = {
    "en": {
        "importance": "Importance (Steps 1-3, 1-5)",
        "zone": "Zone",
        "level": "Importance",
        "why": "Why",
        "zoning": "Zoning review (Step 1-6)",
        "threats": "Threats (Step 1-7)",
        "hygiene": "Model hygiene",
        "organisation": "Purposes, BCP, laws and standards (Step 1-1 (1), (2))",
        "stakeholders": "Stakeholders and governance (Step 1-1 (3))",
        "pdca": "PDCA structure and unexpected events (Step 3 (1)(ii))",
        "purposes": "What each purpose of smartification brings (Table 3-1)",
        "purpose_line": "{o} operations, {z} zones, {c} data flows, {f} findings",
        "undeclared": "not in factory.purposes",
        "measures": "measures",
        "requirements": "Security requirements within and between zones (Table 3-4)",
        "none": "none",
        "summary": "{n} findings ({z} zoning, {t} threats, {h} hygiene, {s} Step 1-1 and PDCA), {r} requirements; {k} risks ({o} open at high or above); {g} Step 3 gaps",
    },
    "ja": {
        "importance": "重要度（ステップ1-3、1-5）",
        "zone": "ゾーン",
        "level": "重要度",
        "why": "根拠",
        "zoning": "ゾーニングの見直し（ステップ1-6）",
        "threats": "脅威（ステップ1-7）",
        "hygiene": "モデルの整備",
        "organisation": "目的・BCP・法令と標準（ステップ1-1 (1)、(2)）",
        "stakeholders": "関係者と体制（ステップ1-1 (3)）",
        "pdca": "PDCAの体制と想定外の事象（ステップ3 (1)(ii)）",
        "purposes": "スマート化の目的ごとにもたらされるもの（表3-1）",
        "purpose_line": "業務 {o} 件、ゾーン {z} 件、データフロー {c} 件、指摘 {f} 件",
        "undeclared": "factory.purposes にない",
        "measures": "対策",
        "requirements": "ゾーン内・ゾーン間のセキュリティ要件（表3-4）",
        "none": "なし",
        "summary": "指摘 {n} 件（ゾーニング {z}、脅威 {t}、整備 {h}、ステップ1-1とPDCA {s}）、要件 {r} 件、リスク {k} 件（high 以上で未対応 {o} 件）、ステップ3の不足 {g} 件",
    },
}


def _finding_line(finding: Finding, lang: str) -> str:
    tag = "advisory " if finding.advisory else ""
    return f"[bold]{finding.rule}[/bold] {tag}[dim]{finding.subject.kind} {terminal_text(finding.subject.id)} · {finding.reference}[/dim]\n    {terminal_text(finding.rationale.get(lang))}"


def _render_purposes(assessment: Assessment, console: Console, lang: str, limit: int) -> None:
    label = LABELS[lang]
    console.print(f"\n[bold underline]{label['purposes']}[/bold underline] ({len(assessment.purposes)})")
    if not assessment.purposes:
        console.print(f"  {label['none']}")
    for item in first(assessment.purposes, limit):
        flag = "" if item.declared else f" [yellow]{label['undeclared']}[/yellow]"
        counts = label["purpose_line"].format(o=len(item.operations), z=len(item.zones), c=len(item.conduits), f=len(item.findings))
        measures = ", ".join(item.measures) or "-"
        console.print(f"  [bold]{item.title.get(lang)}[/bold] [dim]({item.purpose})[/dim]{flag}: {counts}\n    {label['measures']}: {measures}", highlight=False)
    print_more(console, len(assessment.purposes), limit, lang)


def render_terminal(assessment: Assessment, model: FactoryModel, console: Console, lang: str = "en", limit: int = DEFAULT_LIMIT) -> None:
    """Print the Step 1 summary (importance, zoning findings, threats, requirements), then Steps 2 and 3.

    Each list prints at most ``limit`` items (0: all), see :mod:`factorysec.report.listing`.
    """
    label = LABELS[lang]
    console.print(f"[bold]{terminal_text(assessment.factory_name)}[/bold] ({terminal_text(assessment.factory_id)}) · digest {assessment.model_digest}", highlight=False)
    table = Table(title=label["importance"], title_justify="left")
    table.add_column(label["zone"])
    table.add_column(label["level"])
    table.add_column(label["why"])
    for zone in first(model.zones, limit):
        derived = assessment.importance.zones[zone.id].overall
        table.add_row(f"{terminal_text(zone.name)} [dim]({terminal_text(zone.id)})[/dim]", derived.level.value if derived.level else "-", terminal_text(derived.reason.get(lang)))
    console.print(table)
    print_more(console, len(model.zones), limit, lang)
    sections = (
        ("requirement", label["organisation"]), ("supply-chain", label["stakeholders"]), ("zoning", label["zoning"]),
        ("threat", label["threats"]), ("hygiene", label["hygiene"]), ("lifecycle", label["pdca"]),
    )
    for category, title in sections:
        items = [f for f in assessment.findings if f.category == category]
        console.print(f"\n[bold underline]{title}[/bold underline] ({len(items)})")
        if not items:
            console.print(f"  {label['none']}")
        for finding in first(items, limit):
            console.print("  " + _finding_line(finding, lang), highlight=False)
        print_more(console, len(items), limit, lang)
        if category == "supply-chain":
            _render_purposes(assessment, console, lang, limit)
    console.print(f"\n[bold underline]{label['requirements']}[/bold underline] ({len(assessment.requirements)})")
    for requirement in first(assessment.requirements, limit):
        marker = " [yellow]new[/yellow]" if requirement.new else ""
        conduits = f" · {terminal_text(', '.join(requirement.conduits))}" if requirement.conduits else ""
        console.print(f"  [bold]{terminal_text(requirement.id)}[/bold]{marker} [dim]{terminal_text(requirement.viewpoint)}{conduits}[/dim]\n    {terminal_text(requirement.text.get(lang))}", highlight=False)
    print_more(console, len(assessment.requirements), limit, lang)
    render_plan(assessment, model, console, lang, limit)
    render_lifecycle(assessment.lifecycle, console, lang, limit)
    counts = {c: sum(1 for f in assessment.findings if f.category == c) for c in ("zoning", "threat", "hygiene")}
    console.print(
        "\n" + label["summary"].format(
            n=len(assessment.findings),
            z=counts["zoning"],
            t=counts["threat"],
            h=counts["hygiene"],
            s=len(assessment.findings) - sum(counts.values()),
            r=len(assessment.requirements),
            k=len(assessment.risks),
            o=len(assessment.open_risks_at_or_above("high")),
            g=len(assessment.lifecycle.findings),
        )
    )
