"""Helpers shared by the Step 2 tests: the small fixture, and stand-in threat rules with chosen threat types."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, Subject, SubjectKind, text

FIXTURES = Path(__file__).parent / "fixtures" / "plan"
SMALL = FIXTURES / "small.yaml"


def threat_rule(
    rule_id: str, threat_type: str, subjects: list[tuple[SubjectKind, str]], measures: tuple[str, ...] = ()
) -> Rule:
    """A threat rule that fires on the given subjects, so tests do not depend on the real rule set."""

    def check(context: AnalysisContext) -> Iterator[Finding]:
        for kind, subject_id in subjects:
            yield rule.finding(
                Subject(kind=kind, id=subject_id), text(f"{rule_id} on {subject_id}", f"{subject_id} に {rule_id}")
            )

    rule = Rule(
        id=rule_id,
        category="threat",
        reference="test",
        title=text("t", "t"),
        summary=text("s", "s"),
        why=text("w", "w"),
        false_positives=text("f", "f"),
        check=check,
        threat_type=threat_type,
        measures=measures,
    )
    return rule
