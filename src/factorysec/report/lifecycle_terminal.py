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
from factorysec.report.inert import terminal_text
from factorysec.report.listing import DEFAULT_LIMIT, first, print_more

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "step3": "Step 3: lifecycle and supply chain (Appendix 3.3)",
        "checklists": "Supply-chain checklists (Tables 3-10 to 3-12)",
        "checklist_summary": "{n} checklists, {o} open items",
        "top_open": "Open items, most important assets first",
        "responsibility": "Responsibility division (Step 1-1 (3), Step 3 (2))",
        "subject": "Subject",
        "ooda": "OODA role division (Tables 3-7, 3-8)",
        "stage": "Stage",
        "phase": "Phase",
        "lead": "Lead",
        "deciders": "Decides",
        "source": "Source",
        "maturity": "Maturity (Table 3-9)",
        "area": "Area",
        "level": "Level",
        "next": "Next step",
        "pdca": "PDCA review",
        "gaps": "Step 3 gaps",
        "none": "none",
        "nobody": "— nobody —",
        "unassessed": "unassessed",
        "no_review": "no review recorded",
        "last_review": "last review {id} on {date}",
        "age": ", {days} days ago (interval {interval}, due {due})",
        "digest_same": "; model unchanged since",
        "digest_changed": "; model changed since",
        "digest_unknown": "; review recorded no digest",
        "open": "open",
        "answered": "answered",
        "why": "why",
        "unanswered": "unanswered",
        "more": "... and {n} more (factorysec checklist)",
    },
    "ja": {
        "step3": "ステップ3：ライフサイクルとサプライチェーン（付録3.3）",
        "checklists": "サプライチェーンのチェック項目（表3-10〜3-12）",
        "checklist_summary": "チェックリスト {n} 件、未確認項目 {o} 件",
        "top_open": "未確認項目（重要な資産から順に）",
        "responsibility": "責任分界（ステップ1-1 (3)、ステップ3 (2)）",
        "subject": "対象",
        "ooda": "OODAの役割分担（表3-7、3-8）",
        "stage": "段階",
        "phase": "フェーズ",
        "lead": "主担当",
        "deciders": "判断者",
        "source": "出所",
        "maturity": "成熟度（表3-9）",
        "area": "領域",
        "level": "水準",
        "next": "次の一歩",
        "pdca": "PDCAの見直し",
        "gaps": "ステップ3の課題",
        "none": "なし",
        "nobody": "— 未定 —",
        "unassessed": "未評価",
        "no_review": "見直しの記録なし",
        "last_review": "最後の見直し {id}（{date}）",
        "age": "、{days} 日前（間隔 {interval} 日、期限 {due}）",
        "digest_same": "。以後モデルの変更なし",
        "digest_changed": "。以後モデルが変更されている",
        "digest_unknown": "。見直し時のダイジェストの記録なし",
        "open": "未確認",
        "answered": "回答",
        "why": "理由",
        "unanswered": "未回答",
        "more": "… ほか {n} 件（factorysec checklist）",
    },
}
SOURCES: dict[str, dict[str, str]] = {
    "en": {"declared": "declared", "inferred": "inferred", "missing": "missing", "proposed": "proposed"},
    "ja": {"declared": "宣言", "inferred": "推定", "missing": "未定", "proposed": "提案"},
}
TOP_OPEN = 10


def _matrix_table(matrices: tuple[ResponsibilityMatrix, ...], lang: str) -> Table:
    label = LABELS[lang]
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
                cells.append(who if cell.source == "declared" else f"{who} [dim]({SOURCES[lang][cell.source]})[/dim]")
        table.add_row(f"{terminal_text(matrix.subject_name)} [dim]({terminal_text(matrix.subject)})[/dim]", *cells)
    return table


def render_lifecycle(report: LifecycleReport, console: Console, lang: str = "en", limit: int = DEFAULT_LIMIT) -> None:
    """Print the Step 3 section of the analysis report, at most ``limit`` rows or items per list (0: all)."""
    label = LABELS[lang]
    console.print(f"\n[bold underline]{label['step3']}[/bold underline]")
    open_items = report.checklists.open_items
    console.print(f"\n[bold]{label['checklists']}[/bold] " + label["checklist_summary"].format(n=len(report.checklists.checklists), o=len(open_items)))
    if open_items:
        console.print(f"  {label['top_open']}:")
    for item in open_items[:TOP_OPEN]:
        level = item.importance.value if item.importance else "-"
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
        ooda.add_row(cell.stage, cell.phase, terminal_text(", ".join(cell.lead)) or label["nobody"], deciders, SOURCES[lang][cell.source])
    console.print()
    console.print(ooda)
    maturity = Table(title=label["maturity"], title_justify="left")
    for column in ("area", "level", "next"):
        maturity.add_column(label[column])
    for status in report.maturity:
        maturity.add_row(terminal_text(status.title.get(lang)), terminal_text(status.level or "") or f"[yellow]{label['unassessed']}[/yellow]", terminal_text(status.next_step.get(lang)))
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
    console.print(f"\n[bold]{label['pdca']}[/bold]: {line}", highlight=False)
    console.print(f"\n[bold]{label['gaps']}[/bold] ({len(report.findings)})")
    if not report.findings:
        console.print(f"  {label['none']}")
    for finding in first(report.findings, limit):
        console.print(
            f"  [bold]{finding.rule}[/bold] [dim]{finding.subject.kind} {terminal_text(finding.subject.id)} · {finding.reference}[/dim]\n    {terminal_text(finding.rationale.get(lang))}",
            highlight=False,
        )
    print_more(console, len(report.findings), limit, lang)


def render_checklists(report: ChecklistReport, console: Console, lang: str = "en") -> None:
    """Print each checklist with its answers, then the open items ranked by importance."""
    label = LABELS[lang]
    for checklist in report.checklists:
        level = checklist.importance.value if checklist.importance else "-"
        party = f" · {terminal_text(checklist.party)}" if checklist.party else ""
        console.print(
            f"\n[bold]{terminal_text(checklist.asset_name)}[/bold] [dim]({terminal_text(checklist.asset)}){party}[/dim] · {terminal_text(checklist.kind_title.get(lang))} [dim]{checklist.reference}[/dim] · \\[{level}]",
            highlight=False,
        )
        console.print(f"  [dim]{label['why']}: {terminal_text(checklist.reason.get(lang))}[/dim]", highlight=False)
        for entry in checklist.entries:
            answer = entry.answer or label["unanswered"]
            mark = "[red]✗[/red]" if entry.open else "[green]✓[/green]"
            extra = "".join(f" · {terminal_text(part)}" for part in (entry.note, entry.evidence, entry.date.isoformat() if entry.date else None) if part)
            console.print(f"  {mark} \\[{entry.stage}] {terminal_text(entry.title.get(lang))} [dim]{terminal_text(entry.item)}[/dim] — {terminal_text(answer)}{extra}", highlight=False)
        for note in checklist.notes:
            console.print(f"  [dim]({note.stage}) {terminal_text(note.text.get(lang))}[/dim]", highlight=False)
    console.print(f"\n[bold]{label['top_open']}[/bold] ({len(report.open_items)})")
    for item in report.open_items:
        level = item.importance.value if item.importance else "-"
        console.print(
            f"  {item.rank:>3}. \\[{level}] {terminal_text(item.asset_name)} [dim]({terminal_text(item.asset)})[/dim] · {terminal_text(item.title.get(lang))}"
            f" [dim]{terminal_text(item.item)}[/dim] — {terminal_text(item.answer or label['unanswered'])}",
            highlight=False,
        )
