"""The short action list, printed first by ``analyze``: at most about ten things to do, each with what it resolves (issue #23)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console

from factorysec.analysis.assessment import Assessment
from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.report.glossary import value
from factorysec.report.inert import terminal_text

LISTED = 20
"""Zones and lowered risks printed per action; the rest are counted (the action list stays short on a big plant)."""

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Actions first ({n}): what to do, who owns it, what it removes from the risk list",
        "none": "  no missing measure answers a finding",
        "owners": "owners",
        "zones": "zones",
        "lowers": "lowers",
        "level": "answers up to",
        "no_risk": "answers findings without a ranked risk",
        "more": "and {n} more",
    },
    "ja": {
        "title": "まず取り組むこと（{n} 件）：何を、どの部門が、リスク一覧から何が減るか",
        "none": "  指摘に対応する不足対策はない",
        "owners": "担当",
        "zones": "ゾーン",
        "lowers": "低減",
        "level": "対応するリスクの最高",
        "no_risk": "順位付けされたリスクのない指摘に対応",
        "more": "ほか {n} 件",
    },
}


def render_actions(
    assessment: Assessment,
    console: Console,
    lang: str = "en",
    model: FactoryModel | None = None,
    catalog: Catalog | None = None,
) -> None:
    """Print the ranked actions of an assessment: one line each, then what it resolves and the risks it lowers.

    Owners are named as ``report.md`` names them: the department's name from the model, else the title of the
    department kind (Table 1-1) in ``lang``, else the id; zones by name. At most :data:`LISTED` zones and lowered
    risks are printed per action, the rest counted.
    """
    label = LABELS[lang]
    actions = assessment.actions
    departments = {d.id: d.name for d in model.departments} if model is not None else {}
    zones = {z.id: z.name for z in model.zones} if model is not None else {}
    kinds = catalog.department_kinds if catalog is not None else {}
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
        owners = [departments.get(d) or (kinds[d].title.get(lang) if d in kinds else d) for d in action.departments]
        details = [f"{label['owners']}: {terminal_text(', '.join(owners))}"]
        if action.zones:
            details.append(
                f"{label['zones']}: {terminal_text(_listed([zones.get(z, z) for z in action.zones], label))}"
            )
        console.print("     " + " · ".join(details), highlight=False)
        if action.removes:
            lowered = [
                f"{r.finding} {value('level', r.before, lang)}→{value('level', r.after, lang)}" for r in action.removes
            ]
            console.print(f"     {label['lowers']}: {terminal_text(_listed(lowered, label))}", highlight=False)
    console.print()


def _listed(items: Sequence[str], label: Mapping[str, str]) -> str:
    """The first :data:`LISTED` items, then how many more there are."""
    shown = ", ".join(items[:LISTED])
    return shown if len(items) <= LISTED else f"{shown} {label['more'].format(n=f'{len(items) - LISTED:,}')}"
