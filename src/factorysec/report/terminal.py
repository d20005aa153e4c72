"""Readable terminal summary of an assessment, in English or Japanese."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Finding
from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.report.inert import terminal_text
from factorysec.report.lifecycle_terminal import render_lifecycle_view
from factorysec.report.listing import DEFAULT_LIMIT, first, print_more
from factorysec.report.plan_terminal import render_plan_view
from factorysec.report.view import AssessmentView


def finding_line(view: AssessmentView, finding: Finding) -> str:
    """A finding on two lines: rule, subject and reference, then its rationale."""
    label = view.labels("terminal")
    tag = f"{label['advisory']} " if finding.advisory else ""
    subject = f"{view.value('subject_kind', finding.subject.kind)} {terminal_text(finding.subject.id)}"
    name = (
        finding.rule
        if finding.id.startswith(finding.rule)
        else f"{terminal_text(finding.id)}[/bold] [dim]{finding.rule}[/dim][bold]"
    )
    return f"[bold]{name}[/bold] {tag}[dim]{subject} · {terminal_text(view.ref(finding.reference))}[/dim]\n    {terminal_text(finding.rationale.get(view.lang))}"


def _render_purposes(view: AssessmentView, console: Console, limit: int) -> None:
    assessment, lang, label = view.assessment, view.lang, view.labels("terminal")
    console.print(f"\n[bold underline]{label['purposes']}[/bold underline] ({len(assessment.purposes)})")
    if not assessment.purposes:
        console.print(f"  {label['none']}")
    for item in first(assessment.purposes, limit):
        flag = "" if item.declared else f" [yellow]{label['undeclared']}[/yellow]"
        counts = label["purpose_line"].format(
            o=len(item.operations), z=len(item.zones), c=len(item.conduits), f=len(item.findings)
        )
        measures = ", ".join(item.measures) or "-"
        console.print(
            f"  [bold]{item.title.get(lang)}[/bold] [dim]({item.purpose})[/dim]{flag}: {counts}\n    {label['measures']}: {measures}",
            highlight=False,
        )
    print_more(console, len(assessment.purposes), limit, lang)


def render_terminal(
    assessment: Assessment,
    model: FactoryModel,
    console: Console,
    lang: str = "en",
    limit: int = DEFAULT_LIMIT,
    *,
    catalog: Catalog | None = None,
) -> None:
    """Print the Step 1 summary (importance, zoning findings, threats, requirements), then Steps 2 and 3.

    Each list prints at most ``limit`` items (0: all), see :mod:`factorysec.report.listing`.
    ``catalog``: the catalog the analysis used, for its titles; without it ids are shown.
    """
    render_terminal_view(AssessmentView(assessment, model, catalog, lang), console, limit)


def render_terminal_view(view: AssessmentView, console: Console, limit: int = DEFAULT_LIMIT) -> None:
    """:func:`render_terminal` over an :class:`AssessmentView`."""
    assessment, model, lang, label = view.assessment, view.model, view.lang, view.labels("terminal")
    console.print(
        f"[bold]{terminal_text(assessment.factory_name)}[/bold] ({terminal_text(assessment.factory_id)}) · digest {assessment.model_digest}",
        highlight=False,
    )
    table = Table(title=label["importance"], title_justify="left")
    table.add_column(label["zone"])
    table.add_column(label["level"])
    table.add_column(label["why"])
    for zone in first(model.zones, limit):
        derived = assessment.importance.zones[zone.id].overall
        table.add_row(
            f"{terminal_text(zone.name)} [dim]({terminal_text(zone.id)})[/dim]",
            view.value("level", derived.level) or "-",
            terminal_text(derived.reason.get(lang)),
        )
    console.print(table)
    print_more(console, len(model.zones), limit, lang)
    sections = (
        ("requirement", label["organisation"]),
        ("supply-chain", label["stakeholders"]),
        ("zoning", label["zoning"]),
        ("threat", label["threats"]),
        ("hygiene", label["hygiene"]),
        ("lifecycle", label["pdca"]),
        *((("vulnerability", label["vulnerabilities"]),) if assessment.vulnerability_count() else ()),
    )
    for category, title in sections:
        # the first ``limit`` of each category; of the vulnerability findings only those are made (440k at 100k assets)
        items, total = assessment.first_findings_of(category, limit)
        console.print(f"\n[bold underline]{title}[/bold underline] ({total})")
        if not items:
            console.print(f"  {label['none']}")
        for finding in items:
            console.print("  " + finding_line(view, finding), highlight=False)
        print_more(console, total, limit, lang)
        if category == "supply-chain":
            _render_purposes(view, console, limit)
    console.print(f"\n[bold underline]{label['requirements']}[/bold underline] ({len(assessment.requirements)})")
    for requirement in first(assessment.requirements, limit):
        marker = f" [yellow]{label['new']}[/yellow]" if requirement.new else ""
        conduits = f" · {terminal_text(', '.join(requirement.conduits))}" if requirement.conduits else ""
        console.print(
            f"  [bold]{terminal_text(requirement.id)}[/bold]{marker} [dim]{terminal_text(view.viewpoint(requirement.viewpoint))}{conduits}[/dim]\n    {terminal_text(requirement.text.get(lang))}",
            highlight=False,
        )
    print_more(console, len(assessment.requirements), limit, lang)
    render_plan_view(view, console, limit)
    render_lifecycle_view(view, console, limit)
    console.print(
        "\n"
        + label["summary"].format(
            n=assessment.finding_count(),
            z=view.count("zoning"),
            t=view.count("threat"),
            h=view.count("hygiene"),
            s=view.other_count,
            r=len(assessment.requirements),
            k=len(assessment.risks),
            o=len(assessment.open_risks_at_or_above("high")),
            g=len(assessment.lifecycle.findings),
        )
    )
    if assessment.vulnerability_count():
        console.print(
            label["summary_vulnerabilities"].format(
                v=assessment.vulnerability_count(), o=assessment.count_open_vulnerabilities_at_or_above("high")[0]
            )
        )
