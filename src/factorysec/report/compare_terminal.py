"""The comparison of two assessments as text for the terminal. Renders only; computes nothing."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console

from factorysec.analysis.compare import Comparison, FindingDelta, Progress, RiskDelta
from factorysec.report.compare_labels import LABELS, word
from factorysec.report.glossary import reference
from factorysec.report.inert import printable


def _finding_line(delta: FindingDelta, lang: str) -> str:
    parts = [f"{delta.id}", f"— {delta.title.get(lang)}", f"({reference(delta.reference, lang)})"]
    both = delta.state_before is not None and delta.state_after is not None
    if both and delta.level_before != delta.level_after:
        parts.append(f"[{LABELS[lang]['level']}: {word(lang, delta.level_before)} → {word(lang, delta.level_after)}]")
    elif level := (delta.level_after if delta.state_after is not None else delta.level_before):
        parts.append(f"[{LABELS[lang]['level']}: {word(lang, level)}]")
    if delta.state_before is not None and delta.state_after is not None and delta.state_before != delta.state_after:
        parts.append(f"[{LABELS[lang]['state']}: {word(lang, delta.state_before)} → {word(lang, delta.state_after)}]")
    return " ".join(parts)


def _risk_line(delta: RiskDelta, lang: str) -> str:
    labels = LABELS[lang]
    return (
        f"{delta.finding} ({reference(delta.reference, lang)}) {labels['level']}: {word(lang, delta.level_before)} → {word(lang, delta.level_after)}, "
        f"{labels['score']}: {delta.score_before:g} → {delta.score_after:g}, {labels['rank']}: {delta.rank_before} → {delta.rank_after}"
    )


def _progress_line(title: str, progress: Progress) -> str:
    sign = "+" if progress.change > 0 else ""
    return f"{title}: {progress.done_before:,}/{progress.total_before:,} → {progress.done_after:,}/{progress.total_after:,} ({sign}{progress.change:,})"


def render_comparison(comparison: Comparison, out: Console, lang: str, limit: int = 50) -> None:
    """Print the comparison; at most ``limit`` items per list (0 for all)."""
    labels = LABELS[lang]

    def line(text: str, style: str | None = None) -> None:
        out.print(printable(text), style=style, markup=False, highlight=False, emoji=False, soft_wrap=True)

    def section(title: str, items: Sequence[str]) -> None:
        line("")
        line(f"{title} ({len(items)})", "bold")
        shown = items if limit == 0 else items[:limit]
        for item in shown:
            line(f"  - {item}")
        if not items:
            line(f"  {labels['none']}")
        if len(shown) < len(items):
            line("  " + labels["more"].format(n=len(items) - len(shown)))

    line(f"{labels['title']}: {comparison.factory_name} ({comparison.factory_id})", "bold")
    if comparison.factory_id_before != comparison.factory_id:
        line(labels["other_factory"].format(before=comparison.factory_id_before))
    line(labels["digests"].format(before=comparison.model_digest_before, after=comparison.model_digest_after))
    line(
        labels["summary"].format(
            resolved=len(comparison.resolved),
            new=len(comparison.new),
            changed=len(comparison.changed),
            up=len(comparison.risks_up),
            down=len(comparison.risks_down),
            fb=comparison.findings_before,
            fa=comparison.findings_after,
        )
    )
    if comparison.unchanged:
        line(labels["nothing"])
    section(labels["resolved"], [_finding_line(d, lang) for d in comparison.resolved])
    section(labels["new"], [_finding_line(d, lang) for d in comparison.new])
    section(labels["changed"], [_finding_line(d, lang) for d in comparison.changed])
    section(labels["risks_up"], [_risk_line(d, lang) for d in comparison.risks_up])
    section(labels["risks_down"], [_risk_line(d, lang) for d in comparison.risks_down])
    line("")
    line(f"{labels['step3']} ({reference(comparison.reference, lang)})", "bold")
    line("  " + _progress_line(labels["checklists"], comparison.checklist_items_answered))
    line("  " + _progress_line(labels["ooda"], comparison.ooda_roles_filled))
    line(f"  {labels['maturity']}:")
    for area in comparison.maturity:
        before = area.level_before_title.get(lang) if area.level_before_title else word(lang, area.level_before)
        after = area.level_after_title.get(lang) if area.level_after_title else word(lang, area.level_after)
        line(f"    - {area.title.get(lang)}: {before} → {after} ({word(lang, area.direction)})")
