"""Terminal rendering of Step 3 (lifecycle and supply chain) and of the checklists; shows, computes nothing."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from factorysec.analysis.lifecycle import (
    AREA_LABELS,
    ChecklistReport,
    LifecycleReport,
    ResponsibilityMatrix,
)
from factorysec.report.glossary import labels, reference, value
from factorysec.report.inert import terminal_text
from factorysec.report.listing import DEFAULT_LIMIT, first, print_more
from factorysec.report.view import AssessmentView

TOP_OPEN = 10


def _matrix_table(matrices: tuple[ResponsibilityMatrix, ...], lang: str) -> Table:
    label = labels("lifecycle", lang)
    table = Table(title=label["responsibility"], title_justify="left")
    table.add_column(label["subject"])
    for area in AREA_LABELS.values():
        table.add_column(area.get(lang))
    for matrix in matrices:
        cells = []
        for cell in matrix.cells:
            if cell.source == "missing":
                cells.append(f"[red]{label['nobody']}[/red]")
            else:
                who = terminal_text(", ".join(cell.responsible))
                cells.append(
                    who if cell.source == "declared" else f"{who} [dim]({value('source', cell.source, lang)})[/dim]"
                )
        table.add_row(f"{terminal_text(matrix.subject_name)} [dim]({terminal_text(matrix.subject)})[/dim]", *cells)
    return table


def render_lifecycle_view(view: AssessmentView, console: Console, limit: int = DEFAULT_LIMIT) -> None:
    """:func:`render_lifecycle` of the view's assessment."""
    render_lifecycle(view.assessment.lifecycle, console, view.lang, limit)


def render_lifecycle(report: LifecycleReport, console: Console, lang: str = "en", limit: int = DEFAULT_LIMIT) -> None:
    """Print the Step 3 section of the analysis report, at most ``limit`` rows or items per list (0: all)."""
    label = labels("lifecycle", lang)
    console.print(f"\n[bold underline]{label['step3']}[/bold underline]")
    open_items = report.checklists.open_items
    console.print(
        f"\n[bold]{label['checklists']}[/bold] "
        + label["checklist_summary"].format(n=len(report.checklists.checklists), o=len(open_items))
    )
    if open_items:
        console.print(f"  {label['top_open']}:")
    for item in open_items[:TOP_OPEN]:
        level = value("level", item.importance.value, lang) if item.importance else "-"
        console.print(
            f"  {item.rank:>3}. \\[{level}] {terminal_text(item.asset_name)} [dim]({terminal_text(item.asset)})[/dim] · {terminal_text(item.title.get(lang))} [dim]{terminal_text(item.item)}[/dim]",
            highlight=False,
        )
    if len(open_items) > TOP_OPEN:
        console.print("  " + label["more"].format(n=len(open_items) - TOP_OPEN))
    if report.responsibilities:
        console.print()
        console.print(_matrix_table(tuple(first(report.responsibilities, limit)), lang))
        print_more(console, len(report.responsibilities), limit, lang)
    ooda = Table(title=label["ooda"], title_justify="left")
    for column in ("stage", "phase", "lead", "deciders", "source"):
        ooda.add_column(label[column])
    for cell in report.ooda:
        deciders = terminal_text(", ".join(cell.decision_makers)) or f"[red]{label['nobody']}[/red]"
        ooda.add_row(
            value("ooda_stage", cell.stage, lang),
            value("ooda_phase", cell.phase, lang),
            terminal_text(", ".join(cell.lead)) or label["nobody"],
            deciders,
            value("source", cell.source, lang),
        )
    console.print()
    console.print(ooda)
    maturity = Table(title=label["maturity"], title_justify="left")
    for column in ("area", "level", "next"):
        maturity.add_column(label[column])
    for status in report.maturity:
        maturity.add_row(
            terminal_text(status.title.get(lang)),
            terminal_text(value("maturity_level", status.level or "", lang))
            or f"[yellow]{label['unassessed']}[/yellow]",
            terminal_text(status.next_step.get(lang)),
        )
    console.print()
    console.print(maturity)
    pdca = report.pdca
    if pdca.last_review is None:
        line = label["no_review"]
    else:
        line = label["last_review"].format(id=terminal_text(pdca.last_review), date=pdca.last_review_date)
        if pdca.days_since is not None:
            line += label["age"].format(days=pdca.days_since, interval=pdca.interval_days, due=pdca.due)
        if pdca.changed_since_review is None:
            line += label["digest_unknown"]
        else:
            line += label["digest_changed"] if pdca.changed_since_review else label["digest_same"]
        if pdca.earlier_scheme_reviews:
            ids = ", ".join(terminal_text(review) for review in pdca.earlier_scheme_reviews)
            line += label["digest_earlier"].format(ids=ids, digest=pdca.digest_current)
    console.print(f"\n[bold]{label['pdca']}[/bold]: {line}", highlight=False)
    console.print(f"\n[bold]{label['gaps']}[/bold] ({len(report.findings)})")
    if not report.findings:
        console.print(f"  {label['none']}")
    for finding in first(report.findings, limit):
        console.print(
            f"  [bold]{finding.rule}[/bold] [dim]{value('subject_kind', finding.subject.kind, lang)} {terminal_text(finding.subject.id)} · {terminal_text(reference(finding.reference, lang))}[/dim]\n    {terminal_text(finding.rationale.get(lang))}",
            highlight=False,
        )
    print_more(console, len(report.findings), limit, lang)


def render_checklists(report: ChecklistReport, console: Console, lang: str = "en") -> None:
    """Print each checklist with its answers, then the open items ranked by importance."""
    label = labels("lifecycle", lang)
    for checklist in report.checklists:
        level = value("level", checklist.importance.value, lang) if checklist.importance else "-"
        party = f" · {terminal_text(checklist.party)}" if checklist.party else ""
        console.print(
            f"\n[bold]{terminal_text(checklist.asset_name)}[/bold] [dim]({terminal_text(checklist.asset)}){party}[/dim] · {terminal_text(checklist.kind_title.get(lang))} [dim]{terminal_text(reference(checklist.reference, lang))}[/dim] · \\[{level}]",
            highlight=False,
        )
        console.print(f"  [dim]{label['why']}: {terminal_text(checklist.reason.get(lang))}[/dim]", highlight=False)
        for entry in checklist.entries:
            answer = value("answer", entry.answer, lang) if entry.answer else label["unanswered"]
            mark = "[red]✗[/red]" if entry.open else "[green]✓[/green]"
            extra = "".join(
                f" · {terminal_text(part)}"
                for part in (entry.note, entry.evidence, entry.date.isoformat() if entry.date else None)
                if part
            )
            console.print(
                f"  {mark} \\[{value('checklist_stage', entry.stage, lang)}] {terminal_text(entry.title.get(lang))} [dim]{terminal_text(entry.item)}[/dim] — {terminal_text(answer)}{extra}",
                highlight=False,
            )
        for note in checklist.notes:
            console.print(
                f"  [dim]({value('checklist_stage', note.stage, lang)}) {terminal_text(note.text.get(lang))}[/dim]",
                highlight=False,
            )
    console.print(f"\n[bold]{label['top_open']}[/bold] ({len(report.open_items)})")
    for item in report.open_items:
        level = value("level", item.importance.value, lang) if item.importance else "-"
        console.print(
            f"  {item.rank:>3}. \\[{level}] {terminal_text(item.asset_name)} [dim]({terminal_text(item.asset)})[/dim] · {terminal_text(item.title.get(lang))}"
            f" [dim]{terminal_text(item.item)}[/dim] — {terminal_text(value('answer', item.answer, lang) if item.answer else label['unanswered'])}",
            highlight=False,
        )
