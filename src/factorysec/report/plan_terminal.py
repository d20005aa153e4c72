"""The Step 2 part of the terminal report: exposure, ranked risks, gaps, security levels, zone policies, decisions."""

from __future__ import annotations

from rich.console import Console

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.exposure import AttackPath
from factorysec.model.entities import FactoryModel
from factorysec.report.inert import terminal_text
from factorysec.report.listing import DEFAULT_LIMIT, first, joined, print_more

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "entries": "Entry points (Step 2-1, 3.2.2 (1)(i))",
        "paths": "Attack paths to high-importance zones",
        "shortest": "shortest",
        "weakest": "weakest",
        "controls": "controls",
        "hops": "hop(s)",
        "risks": "Threats ranked, business interruption first (Step 2-1)",
        "residual": "residual",
        "gaps": "Measures missing per zone, conduit and asset (Step 2-2, Table 3-6)",
        "missing": "missing",
        "partial": "partial",
        "in_place": "in place",
        "sl": "IEC 62443 security levels (target / achieved per FR)",
        "policy": "Security policy per zone (Step 2-1)",
        "priority": "priority",
        "first": "measures first",
        "threats": "top threats",
        "reqs": "requirements",
        "decisions": "Decisions",
        "stale": "stale: finding no longer exists",
        "none": "none",
        "summary": "{r} risks ({c} critical, {h} high), {g} with missing measures, {d} decided, {s} stale decisions",
    },
    "ja": {
        "entries": "侵入口（ステップ2-1、3.2.2 (1)(i)）",
        "paths": "重要度の高いゾーンへの攻撃経路",
        "shortest": "最短",
        "weakest": "最弱",
        "controls": "対策",
        "hops": "ホップ",
        "risks": "脅威の優先順位（事業中断を優先、ステップ2-1）",
        "residual": "残存",
        "gaps": "ゾーン・コンジット・資産ごとの不足対策（ステップ2-2、表3-6）",
        "missing": "不足",
        "partial": "一部実施",
        "in_place": "実施済み",
        "sl": "IEC 62443 セキュリティレベル（目標 / FRごとの達成）",
        "policy": "ゾーンごとのセキュリティ対策方針（ステップ2-1）",
        "priority": "優先度",
        "first": "優先する対策",
        "threats": "主な脅威",
        "reqs": "要件",
        "decisions": "判断",
        "stale": "失効：該当する指摘がもうない",
        "none": "なし",
        "summary": "リスク {r} 件（critical {c}、high {h}）、不足対策あり {g} 件、判断済み {d} 件、失効した判断 {s} 件",
    },
}


def _heading(console: Console, title: str, count: int) -> None:
    console.print(f"\n[bold underline]{title}[/bold underline] ({count})")


def _path_line(path: AttackPath, label: dict[str, str]) -> str:
    parts = [f"{path.entry} ({path.entry_zone})"]
    for hop in path.hops:
        controls = ", ".join(hop.controls + tuple(f"{p}~" for p in hop.partial)) or "-"
        parts.append(f"─{hop.conduit} [{controls}]→ {hop.to_zone}")
    return f"{label[path.kind]}: {len(path.hops)} {label['hops']}, {path.control_weight:g} {label['controls']}: " + " ".join(parts)


def render_plan(assessment: Assessment, model: FactoryModel, console: Console, lang: str = "en", limit: int = DEFAULT_LIMIT) -> None:
    """Print the Step 2 sections, at most ``limit`` items each (0: all); everything shown is computed in the assessment."""
    label = LABELS[lang]
    _heading(console, label["entries"], len(assessment.entry_points))
    for entry in first(assessment.entry_points, limit):
        console.print(f"  [bold]{entry.rule}[/bold] [dim]{entry.kind} · {entry.reference}[/dim]\n    {terminal_text(entry.reason.get(lang))}", highlight=False)
    print_more(console, len(assessment.entry_points), limit, lang)
    _heading(console, label["paths"], len(assessment.paths))
    for path in first(assessment.paths, limit):
        console.print(f"  [bold]{path.rule}[/bold] [dim]{path.target} · {path.reference}[/dim]\n    {terminal_text(_path_line(path, label))}", highlight=False)
    print_more(console, len(assessment.paths), limit, lang)
    decided = {d.finding: d for d in assessment.decisions}
    residual = {g.finding: g for g in assessment.gaps}
    _heading(console, label["risks"], len(assessment.risks))
    for risk in first(assessment.risks, limit):
        gap = residual.get(risk.finding)
        after = f" → {label['residual']} {gap.residual_level}" if gap and gap.residual_level else ""
        decision = decided.get(risk.finding)
        state = f" [cyan]\\[{decision.status}: {terminal_text(decision.owner)}][/cyan]" if decision else ""
        console.print(
            f"  {risk.rank:>3}. [bold]{risk.level}[/bold]{after}{state} [bold]{terminal_text(risk.finding)}[/bold] [dim]{risk.rule} · {risk.reference}; {risk.finding_rule} · {risk.finding_reference}[/dim]\n"
            f"       {terminal_text(risk.reason.get(lang))}",
            highlight=False,
        )
    print_more(console, len(assessment.risks), limit, lang)
    open_gaps = [g for g in assessment.gaps if g.missing]
    _heading(console, label["gaps"], len(open_gaps))
    for gap in first(open_gaps, limit):
        have = ", ".join(gap.implemented) or "-"
        partial = f"; {label['partial']}: {', '.join(gap.partial)}" if gap.partial else ""
        console.print(
            f"  [bold]{gap.rule}[/bold] [dim]{gap.subject.kind} {terminal_text(gap.subject.id)} · {terminal_text(gap.finding)} · {gap.reference}[/dim]\n"
            f"    {label['missing']}: {', '.join(gap.missing)}; {label['in_place']}: {have}{partial}",
            highlight=False,
        )
    print_more(console, len(open_gaps), limit, lang)
    if assessment.security_levels:
        _heading(console, label["sl"], len(assessment.security_levels))
        for level in first(assessment.security_levels, limit):
            per_fr = " ".join(f"{f.fr}={f.achieved}" for f in level.per_fr)
            console.print(f"  [bold]{level.rule}[/bold] [dim]{terminal_text(level.zone)} · {level.reference}[/dim]\n    SL-T {level.target} / SL-A {level.achieved}: {per_fr}", highlight=False)
        print_more(console, len(assessment.security_levels), limit, lang)
    _heading(console, label["policy"], len(assessment.policies))
    for policy in first(assessment.policies, limit):
        measures = ", ".join(f"{m.measure} ({m.cost or '-'})" for m in policy.measures_first) or label["none"]
        console.print(
            f"  [bold]{policy.rule}[/bold] {label['priority']} {policy.priority} [dim]{terminal_text(policy.zone)} · {policy.reference}[/dim]\n"
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
            f"  [bold]{decision.rule}[/bold] {decision.status} [dim]{terminal_text(decision.finding)} · {terminal_text(decision.source)} · {decision.reference}[/dim]\n    {terminal_text(decision.owner)}: {terminal_text(decision.justification)}",
            highlight=False,
        )
    print_more(console, len(assessment.decisions), limit, lang)
    for stale in first(assessment.stale_decisions, limit):
        console.print(f"  [bold yellow]{stale.rule}[/bold yellow] [dim]{terminal_text(stale.finding)} · {terminal_text(stale.source)} · {stale.reference}[/dim]\n    {label['stale']}", highlight=False)
    print_more(console, len(assessment.stale_decisions), limit, lang)
    counts = {lv: sum(1 for r in assessment.risks if r.level == lv) for lv in ("critical", "high")}
    console.print(
        "\n"
        + label["summary"].format(
            r=len(assessment.risks), c=counts["critical"], h=counts["high"], g=len(open_gaps), d=len(assessment.decisions), s=len(assessment.stale_decisions)
        )
    )
