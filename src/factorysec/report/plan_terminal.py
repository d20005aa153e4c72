"""The Step 2 part of the terminal report: exposure, ranked risks, gaps, security levels, zone policies, decisions."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.exposure import AttackPath
from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.report.inert import terminal_text
from factorysec.report.listing import DEFAULT_LIMIT, first, joined, print_more
from factorysec.report.view import AssessmentView


def _heading(console: Console, title: str, count: int) -> None:
    console.print(f"\n[bold underline]{title}[/bold underline] ({count})")


def _path_line(path: AttackPath, label: Mapping[str, str]) -> str:
    parts = [f"{path.entry} ({path.entry_zone})"]
    for hop in path.hops:
        controls = ", ".join(hop.controls + tuple(f"{p}~" for p in hop.partial)) or "-"
        parts.append(f"─{hop.conduit} [{controls}]→ {hop.to_zone}")
    return (
        f"{label[path.kind]}: {len(path.hops)} {label['hops']}, {path.control_weight:g} {label['controls']}: "
        + " ".join(parts)
    )


def render_plan(
    assessment: Assessment,
    model: FactoryModel,
    console: Console,
    lang: str = "en",
    limit: int = DEFAULT_LIMIT,
    *,
    catalog: Catalog | None = None,
) -> None:
    """Print the Step 2 sections, at most ``limit`` items each (0: all); everything shown is computed in the assessment."""
    render_plan_view(AssessmentView(assessment, model, catalog, lang), console, limit)


def render_plan_view(view: AssessmentView, console: Console, limit: int = DEFAULT_LIMIT) -> None:
    """:func:`render_plan` over an :class:`AssessmentView`."""
    assessment, lang, label = view.assessment, view.lang, view.labels("plan")
    _heading(console, label["entries"], len(assessment.entry_points))
    for route in first(assessment.entry_routes, limit):
        console.print(f"  [bold]{terminal_text(route.reason.get(lang))}[/bold]", highlight=False)
    for entry in first(assessment.entry_points, limit):
        console.print(
            f"  [bold]{entry.rule}[/bold] [dim]{view.value('entry_kind', entry.kind)} · {view.ref(entry.reference)}[/dim]\n    {terminal_text(entry.reason.get(lang))}",
            highlight=False,
        )
    print_more(console, len(assessment.entry_points), limit, lang)
    _heading(console, label["paths"], len(assessment.paths))
    for path in first(assessment.paths, limit):
        console.print(
            f"  [bold]{path.rule}[/bold] [dim]{path.target} · {view.ref(path.reference)}[/dim]\n    {terminal_text(_path_line(path, label))}",
            highlight=False,
        )
    print_more(console, len(assessment.paths), limit, lang)
    _heading(console, label["risks"], len(assessment.risks))
    for risk in first(assessment.risks, limit):
        gap = view.gap_of(risk.finding)
        after = (
            f" → {label['residual']} {view.value('level', gap.residual_level)}" if gap and gap.residual_level else ""
        )
        decision = view.decision_of(risk.finding)
        state = (
            f" [cyan]\\[{view.value('decision', decision.status)}: {terminal_text(decision.owner)}][/cyan]"
            if decision
            else ""
        )
        console.print(
            f"  {risk.rank:>3}. [bold]{view.value('level', risk.level)}[/bold]{after}{state} [bold]{terminal_text(risk.finding)}[/bold]"
            f" [dim]{risk.rule} · {view.ref(risk.reference)}; {risk.finding_rule} · {view.ref(risk.finding_reference)}[/dim]\n"
            f"       {terminal_text(risk.reason.get(lang))}",
            highlight=False,
        )
    print_more(console, len(assessment.risks), limit, lang)
    open_gaps = [g for g in assessment.gaps if g.missing]  # in finding order, as the analysis gives them
    _heading(console, label["gaps"], len(open_gaps))
    for gap in first(open_gaps, limit):
        have = ", ".join(gap.implemented) or "-"
        partial = f"; {label['partial']}: {', '.join(gap.partial)}" if gap.partial else ""
        console.print(
            f"  [bold]{gap.rule}[/bold] [dim]{view.value('subject_kind', gap.subject.kind)} {terminal_text(gap.subject.id)} · {terminal_text(gap.finding)} · {view.ref(gap.reference)}[/dim]\n"
            f"    {label['missing']}: {', '.join(gap.missing)}; {label['in_place']}: {have}{partial}",
            highlight=False,
        )
    print_more(console, len(open_gaps), limit, lang)
    if assessment.security_levels:
        _heading(console, label["sl"], len(assessment.security_levels))
        for level in first(assessment.security_levels, limit):
            per_fr = " ".join(f"{f.fr}={f.achieved}" for f in level.per_fr)
            console.print(
                f"  [bold]{level.rule}[/bold] [dim]{terminal_text(level.zone)} · {view.ref(level.reference)}[/dim]\n    SL-T {level.target} / SL-A {level.achieved}: {per_fr}",
                highlight=False,
            )
        print_more(console, len(assessment.security_levels), limit, lang)
    _heading(console, label["policy"], len(assessment.policies))
    for policy in first(assessment.policies, limit):
        measures = (
            ", ".join(f"{m.measure} ({view.value('level', m.cost) or '-'})" for m in policy.measures_first)
            or label["none"]
        )
        console.print(
            f"  [bold]{policy.rule}[/bold] {label['priority']} {policy.priority} [dim]{terminal_text(policy.zone)} · {view.ref(policy.reference)}[/dim]\n"
            f"    {terminal_text(policy.statement.get(lang))}\n"
            f"    {label['threats']}: {joined(policy.top_threats, limit, label['none'])}\n"
            f"    {label['first']}: {measures}\n"
            f"    {label['reqs']}: {joined(policy.requirements, limit, label['none'])}",
            highlight=False,
        )
    print_more(console, len(assessment.policies), limit, lang)
    _heading(console, label["decisions"], len(assessment.decisions) + len(assessment.stale_decisions))
    for decision in first(assessment.decisions, limit):
        console.print(
            f"  [bold]{decision.rule}[/bold] {view.value('decision', decision.status)} [dim]{terminal_text(decision.finding)} · {terminal_text(decision.source)} · {view.ref(decision.reference)}[/dim]\n    {terminal_text(decision.owner)}: {terminal_text(decision.justification)}",
            highlight=False,
        )
    print_more(console, len(assessment.decisions), limit, lang)
    for stale in first(assessment.stale_decisions, limit):
        console.print(
            f"  [bold yellow]{stale.rule}[/bold yellow] [dim]{terminal_text(stale.finding)} · {terminal_text(stale.source)} · {view.ref(stale.reference)}[/dim]\n    {label['stale']}",
            highlight=False,
        )
    print_more(console, len(assessment.stale_decisions), limit, lang)
    console.print(
        "\n"
        + label["summary"].format(
            r=len(assessment.risks),
            c=view.risks_at("critical"),
            h=view.risks_at("high"),
            g=len(open_gaps),
            d=len(assessment.decisions),
            s=len(assessment.stale_decisions),
        )
    )
