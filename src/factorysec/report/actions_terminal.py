"""The short action list, printed first by ``analyze``: at most about ten things to do, each with what it resolves (issue #23)."""

from __future__ import annotations

from rich.console import Console

from factorysec.analysis.assessment import Assessment
from factorysec.report.glossary import value
from factorysec.report.inert import terminal_text

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Actions first ({n}): what to do, who owns it, what it removes from the risk list",
        "none": "  no missing measure answers a finding",
        "owners": "owners",
        "zones": "zones",
        "lowers": "lowers",
        "level": "answers up to",
        "no_risk": "answers findings without a ranked risk",
    },
    "ja": {
        "title": "まず取り組むこと（{n} 件）：何を、どの部門が、リスク一覧から何が減るか",
        "none": "  指摘に対応する不足対策はない",
        "owners": "担当",
        "zones": "ゾーン",
        "lowers": "低減",
        "level": "対応するリスクの最高",
        "no_risk": "順位付けされたリスクのない指摘に対応",
    },
}


def render_actions(assessment: Assessment, console: Console, lang: str = "en") -> None:
    """Print the ranked actions of an assessment: one line each, then what it resolves and the risks it lowers."""
    label = LABELS[lang]
    actions = assessment.actions
    console.print(f"[bold underline]{label['title'].format(n=len(actions))}[/bold underline]", highlight=False)
    if not actions:
        console.print(label["none"])
    for action in actions:
        level = f"{label['level']} {value('level', action.level, lang)}" if action.level else label["no_risk"]
        console.print(
            f"  {action.rank}. [bold]{terminal_text(action.title.get(lang))}[/bold] [dim]({terminal_text(action.measure)}; {level})[/dim]",
            highlight=False,
        )
        console.print(f"     {terminal_text(action.summary.get(lang))}", highlight=False)
        details = [f"{label['owners']}: {terminal_text(', '.join(action.departments))}"]
        if action.zones:
            details.append(f"{label['zones']}: {terminal_text(', '.join(action.zones))}")
        console.print("     " + " · ".join(details), highlight=False)
        if action.removes:
            lowered = ", ".join(
                f"{r.finding} {value('level', r.before, lang)}→{value('level', r.after, lang)}" for r in action.removes
            )
            console.print(f"     {label['lowers']}: {terminal_text(lowered)}", highlight=False)
    console.print()
