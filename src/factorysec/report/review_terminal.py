"""The smartification review in the terminal and as JSON, in English or Japanese. Renders only; computes nothing."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from rich.console import Console

from factorysec.analysis.review import ChangeReview, ElementChange, FindingChange
from factorysec.report.glossary import labels, value
from factorysec.report.glossary import reference as glossary_reference
from factorysec.report.inert import terminal_text


def _links(findings: Sequence[str], label: Mapping[str, str]) -> str:
    return f"\n      [dim]{label['findings']}: {terminal_text(', '.join(findings))}[/dim]" if findings else ""


def _ref(reference: str, lang: str) -> str:
    return f"[dim]· {terminal_text(glossary_reference(reference, lang))}[/dim]"


def _element_line(element: ElementChange, lang: str, label: Mapping[str, str]) -> str:
    smart = (
        f" [cyan]{label['smart']} ({value('status', element.status or '-', lang)})[/cyan]"
        if element.smartification
        else ""
    )
    line = f"  [bold]{label[element.change]}[/bold] {value('subject_kind', element.kind, lang)} [bold]{terminal_text(element.id)}[/bold] {terminal_text(element.name)}{smart} {_ref(element.reference, lang)}"
    for field in element.fields:
        line += f"\n      {terminal_text(field.field)}: {terminal_text(json.dumps(field.before, ensure_ascii=False))} → {terminal_text(json.dumps(field.after, ensure_ascii=False))}"
    return line + _links(element.findings, label)


def _finding_line(change: FindingChange, lang: str, label: Mapping[str, str]) -> str:
    level = (
        f" ({value('level', change.level_before or '-', lang)} → {value('level', change.level_after or '-', lang)})"
        if change.change == "level-changed"
        else ""
    )
    return (
        f"  [bold]{label[change.change]}[/bold]{level} [bold]{terminal_text(change.id)}[/bold] {_ref(change.reference, lang)}\n"
        f"      {terminal_text(change.title.get(lang))}: {terminal_text(change.rationale.get(lang))}"
    )


def render_review(change_review: ChangeReview, console: Console, lang: str = "en") -> None:
    """Print the review in the order of the appendix's procedure."""
    label = labels("review", lang)
    title = f" — {terminal_text(change_review.title)}" if change_review.title else ""
    console.print(
        f"[bold]{label['title']}[/bold] {terminal_text(change_review.factory_id)}{title} [dim]({change_review.before_digest} → {change_review.after_digest})[/dim]"
    )
    if not change_review.has_changes:
        console.print(label["no_change"])
        return

    def heading(key: str, count: int) -> None:
        console.print(f"\n[bold underline]{label[key]}[/bold underline] ({count})")
        if not count:
            console.print(f"  {label['none']}")

    heading("elements", len(change_review.elements))
    for element in change_review.elements:
        console.print(_element_line(element, lang, label), highlight=False)

    heading("flows", len(change_review.data_flows))
    for flow in change_review.data_flows:
        marks = []
        if flow.within_zone:
            marks.append(label["within"])
        if flow.control_instructions:
            marks.append(label["control"])
        if flow.external_network != "none":
            marks.append(f"{label['external']}: {value('external_network', str(flow.external_network), lang)}")
        carried = ", ".join(flow.data) or flow.carries or "-"
        sensitive = (
            f" [red]{label['sensitive']}: {terminal_text(', '.join(flow.sensitive_data))}[/red]"
            if flow.sensitive_data
            else ""
        )
        console.print(
            f"  [bold]{label[flow.change]}[/bold] [bold]{terminal_text(flow.conduit)}[/bold] {terminal_text(flow.from_zone)} → {terminal_text(flow.to_zone)}"
            f" [{terminal_text(carried)}]{sensitive} {terminal_text('; '.join(marks))} {_ref(flow.reference, lang)}{_links(flow.findings, label)}",
            highlight=False,
        )

    zoning = change_review.zoning
    heading("zoning", len(zoning.new_zones) + len(zoning.splits) + len(zoning.zones_to_review) + len(zoning.findings))
    if zoning.new_zones:
        console.print(f"  {label['new_zones']}: {terminal_text(', '.join(zoning.new_zones))}", highlight=False)
    if zoning.removed_zones:
        console.print(f"  {label['removed_zones']}: {terminal_text(', '.join(zoning.removed_zones))}", highlight=False)
    for split in zoning.splits:
        how = f" {label['sub_zones']}" if split.sub_zones else ""
        moved = f"; {label['moved']}: {', '.join(split.moved_assets)}" if split.moved_assets else ""
        console.print(
            f"  {label['splits']}: [bold]{terminal_text(split.zone)}[/bold] {label['into']} {terminal_text(', '.join(split.into))}{how}{terminal_text(moved)} {_ref(split.reference, lang)}{_links(split.findings, label)}",
            highlight=False,
        )
    if zoning.zones_to_review:
        console.print(f"  [bold]{label['to_review']}[/bold]")
    for zone in zoning.zones_to_review:
        marker = f" [yellow]{label['new_zone']}[/yellow]" if zone.new else ""
        console.print(
            f"   • [bold]{terminal_text(zone.zone)}[/bold] {terminal_text(zone.name)}{marker}", highlight=False
        )
        for reason in zone.reasons:
            console.print(
                f"      - {terminal_text(reason.text.get(lang))} {_ref(reason.reference, lang)}{_links(reason.findings, label)}",
                highlight=False,
            )
    if zoning.findings:
        console.print(f"  [bold]{label['zoning_findings']}[/bold]")
    for finding in zoning.findings:
        console.print(_finding_line(finding, lang, label), highlight=False)

    heading("requirements", len(change_review.requirements))
    for requirement in change_review.requirements:
        console.print(
            f"  [bold]{label[requirement.change]}[/bold] [bold]{terminal_text(requirement.id)}[/bold] [dim]{value('scope', requirement.scope, lang)} · {terminal_text(requirement.viewpoint)}[/dim] {_ref(requirement.reference, lang)}",
            highlight=False,
        )
        if requirement.change == "changed" and requirement.text_before is not None:
            console.print(
                f"      {label['before']}: {terminal_text(requirement.text_before.get(lang))}", highlight=False
            )
        shown = requirement.text_after or requirement.text_before
        if shown is not None:
            prefix = f"{label['after']}: " if requirement.change == "changed" else ""
            console.print(
                f"      {prefix}{terminal_text(shown.get(lang))}{_links(requirement.findings, label)}", highlight=False
            )

    heading("threats", len(change_review.threats))
    for finding in change_review.threats:
        console.print(_finding_line(finding, lang, label), highlight=False)
    if change_review.measures:
        console.print(f"  [bold]{label['measures']}[/bold]")
    for measure in change_review.measures:
        state = label["in_place"] if measure.in_place else label["missing"]
        console.print(
            f"   • [bold]{terminal_text(measure.measure)}[/bold] {terminal_text(measure.title.get(lang))} ({state}) {_ref(measure.reference, lang)}{_links(measure.findings, label)}",
            highlight=False,
        )

    heading(
        "stakeholders",
        len(change_review.stakeholders) + len(change_review.checklists) + len(change_review.responsibilities),
    )
    for party in change_review.stakeholders:
        kind = party.kind_title.get(lang) if party.kind_title else party.kind
        console.print(
            f"  [bold]{label['new']}[/bold] [bold]{terminal_text(party.party)}[/bold] {terminal_text(party.name)} [dim]({terminal_text(kind)})[/dim] {_ref(party.reference, lang)}\n"
            f"      {label['brings']}: {terminal_text(', '.join(party.brings) or '-')}; {label['checklists']}: {terminal_text(', '.join(party.checklists) or '-')}{_links(party.findings, label)}",
            highlight=False,
        )
    if change_review.checklists:
        console.print(f"  [bold]{label['checklists']}[/bold]")
    for checklist in change_review.checklists:
        progress = label["answered"].format(a=checklist.answered, n=len(checklist.items))
        console.print(
            f"   • [bold]{terminal_text(checklist.title.get(lang))}[/bold] — {terminal_text(checklist.subject)}: {terminal_text(checklist.reason.get(lang))} ({progress}) {_ref(checklist.reference, lang)}{_links(checklist.findings, label)}",
            highlight=False,
        )
    if change_review.responsibilities:
        console.print(f"  [bold]{label['responsibilities']}[/bold]")
    for boundary in change_review.responsibilities:
        settled = (
            f"{label['settled']}: {', '.join(boundary.settled_areas)}" if boundary.settled_areas else label["unsettled"]
        )
        console.print(
            f"   • [bold]{terminal_text(boundary.subject)}[/bold] {terminal_text(boundary.reason.get(lang))} ({terminal_text(settled)}) {_ref(boundary.reference, lang)}{_links(boundary.findings, label)}",
            highlight=False,
        )

    heading("bcp", len(change_review.bcp))
    for item in change_review.bcp:
        state = f"[green]{label['covered']}[/green]" if item.covered else f"[yellow]{label['not_covered']}[/yellow]"
        console.print(
            f"  [bold]{terminal_text(item.viewpoint)}[/bold] {terminal_text(item.title.get(lang))} — {state} {_ref(item.reference, lang)}\n      {terminal_text(item.reason.get(lang))}{_links(item.findings, label)}",
            highlight=False,
        )

    zones = len(zoning.zones_to_review)
    flows = sum(1 for f in change_review.data_flows if f.change == "added")
    console.print(
        "\n"
        + label["summary"].format(
            e=len(change_review.elements),
            f=flows,
            z=zones,
            r=len(change_review.requirements),
            t=len(change_review.threats) + len(zoning.findings),
            b=len(change_review.bcp),
        ),
        highlight=False,
    )


def review_json(change_review: ChangeReview) -> str:
    """The review as pretty JSON (the ``ChangeReview`` model dumped), stable key order."""
    return json.dumps(change_review.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
