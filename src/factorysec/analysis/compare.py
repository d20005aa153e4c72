"""What changed between two assessments of one factory: the evidence of Step 3's PDCA check.

The guideline's Step 3 asks a factory to check, at each review, whether the
measures decided last time took effect (Appendix 3.3 Step 3, the PDCA cycle of Figure 3-4) and
how the organisation's maturity moved (Table 3-9). :func:`compare_assessments`
sets two :class:`~factorysec.analysis.assessment.Assessment` objects side by
side: findings resolved, new and changed in level or decision, risks whose
score went up or down, and Step 3 progress (checklist items answered, OODA
roles filled, maturity per area). It reads no file and prints nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Finding, Subject
from factorysec.analysis.risk import LEVEL_RANK, Risk
from factorysec.catalog.models import MaturityLevel, Text

COMPARISON_VERSION = "1"
PDCA_REFERENCE = "Appendix 3.3 Step 3; Figure 3-4 (PDCA cycle); Table 3-9 (maturity)"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class FindingDelta(_Frozen):
    """A finding present in one assessment or both, with its risk level and decision state on each side (None: not there)."""

    id: str
    rule: str
    reference: str
    title: Text
    subject: Subject
    level_before: str | None = None
    level_after: str | None = None
    state_before: str | None = None
    """``open`` or the decision's status (``accepted``, ``mitigated``, ...); None when the finding is absent on that side."""
    state_after: str | None = None


class RiskDelta(_Frozen):
    """A ranked risk in both assessments whose score moved."""

    finding: str
    rule: str
    reference: str
    subject: Subject
    level_before: str
    level_after: str
    score_before: float
    score_after: float
    rank_before: int
    rank_after: int


class Progress(_Frozen):
    """How many of a Step 3 item are done, before and after."""

    done_before: int
    total_before: int
    done_after: int
    total_after: int

    @property
    def change(self) -> int:
        return self.done_after - self.done_before


class MaturityDelta(_Frozen):
    """One maturity area (Table 3-9) before and after; ``direction`` compares the catalog ranks of the two levels."""

    area: str
    title: Text
    reference: str
    level_before: str | None
    level_after: str | None
    level_before_title: Text | None = None
    level_after_title: Text | None = None
    direction: Literal["up", "down", "same"]


class Comparison(_Frozen):
    """Two assessments of one factory side by side, findings and risks in the newer assessment's order (resolved ones in the older's)."""

    comparison_version: str = COMPARISON_VERSION
    reference: str = PDCA_REFERENCE
    factory_id: str
    factory_name: str
    factory_id_before: str
    model_digest_before: str
    model_digest_after: str
    findings_before: int
    findings_after: int
    resolved: tuple[FindingDelta, ...]
    new: tuple[FindingDelta, ...]
    changed: tuple[FindingDelta, ...]
    """Findings in both whose risk level or decision state differs."""
    risks_up: tuple[RiskDelta, ...]
    risks_down: tuple[RiskDelta, ...]
    checklist_items_answered: Progress
    ooda_roles_filled: Progress
    maturity: tuple[MaturityDelta, ...]

    @property
    def unchanged(self) -> bool:
        return (
            not (self.resolved or self.new or self.changed or self.risks_up or self.risks_down)
            and all(m.direction == "same" for m in self.maturity)
            and self.checklist_items_answered.change == 0
            and self.ooda_roles_filled.change == 0
        )


def _all_findings(assessment: Assessment) -> dict[str, Finding]:
    return {finding.id: finding for finding in (*assessment.findings, *assessment.lifecycle.findings)}


def _states(assessment: Assessment) -> dict[str, str]:
    """The decision state of each decided finding; an expired decision no longer closes its finding, so it counts as open."""
    return {d.finding: ("open" if d.expired else d.status) for d in assessment.decisions}


def _delta(
    finding: Finding,
    levels_before: Mapping[str, str],
    levels_after: Mapping[str, str],
    states_before: Mapping[str, str] | None,
    states_after: Mapping[str, str] | None,
) -> FindingDelta:
    return FindingDelta(
        id=finding.id,
        rule=finding.rule,
        reference=finding.reference,
        title=finding.title,
        subject=finding.subject,
        level_before=levels_before.get(finding.id),
        level_after=levels_after.get(finding.id),
        state_before=None if states_before is None else states_before.get(finding.id, "open"),
        state_after=None if states_after is None else states_after.get(finding.id, "open"),
    )


def _risk_delta(before: Risk, after: Risk) -> RiskDelta:
    return RiskDelta(
        finding=after.finding,
        rule=after.finding_rule,
        reference=after.finding_reference,
        subject=after.subject,
        level_before=before.level,
        level_after=after.level,
        score_before=before.score,
        score_after=after.score,
        rank_before=before.rank,
        rank_after=after.rank,
    )


def _checklist_progress(assessment: Assessment) -> tuple[int, int]:
    entries = [entry for checklist in assessment.lifecycle.checklists.checklists for entry in checklist.entries]
    return sum(1 for entry in entries if entry.answer is not None), len(entries)


def _ooda_progress(assessment: Assessment) -> tuple[int, int]:
    cells = assessment.lifecycle.ooda
    return sum(1 for cell in cells if cell.source == "declared"), len(cells)


def _progress(before: tuple[int, int], after: tuple[int, int]) -> Progress:
    return Progress(done_before=before[0], total_before=before[1], done_after=after[0], total_after=after[1])


def _maturity(before: Assessment, after: Assessment, levels: Mapping[str, MaturityLevel]) -> tuple[MaturityDelta, ...]:
    old = {status.area: status for status in before.lifecycle.maturity}
    deltas: list[MaturityDelta] = []
    for status in after.lifecycle.maturity:
        previous = old.get(status.area)
        level_before = previous.level if previous else None
        entry_before, entry_after = levels.get(level_before or ""), levels.get(status.level or "")
        rank_before = entry_before.rank if entry_before else 0
        rank_after = entry_after.rank if entry_after else 0
        direction: Literal["up", "down", "same"] = (
            "up" if rank_after > rank_before else "down" if rank_after < rank_before else "same"
        )
        deltas.append(
            MaturityDelta(
                area=status.area,
                title=status.title,
                reference=status.reference,
                level_before=level_before,
                level_after=status.level,
                level_before_title=entry_before.title if entry_before else None,
                level_after_title=entry_after.title if entry_after else None,
                direction=direction,
            )
        )
    return tuple(deltas)


def _in_order(findings: Iterable[Finding], wanted: set[str]) -> list[Finding]:
    return [finding for finding in findings if finding.id in wanted]


def compare_assessments(
    before: Assessment, after: Assessment, maturity_levels: Mapping[str, MaturityLevel]
) -> Comparison:
    """Set ``before`` and ``after`` side by side; ``maturity_levels`` (the catalog's) orders and names the maturity levels."""
    old, new = _all_findings(before), _all_findings(after)
    levels_before = {risk.finding: risk.level for risk in before.risks}
    levels_after = {risk.finding: risk.level for risk in after.risks}
    states_before, states_after = _states(before), _states(after)
    resolved = [
        _delta(f, levels_before, levels_after, states_before, None)
        for f in _in_order(old.values(), set(old) - set(new))
    ]
    added = [
        _delta(f, levels_before, levels_after, None, states_after) for f in _in_order(new.values(), set(new) - set(old))
    ]
    changed = []
    for finding in _in_order(new.values(), set(new) & set(old)):
        delta = _delta(finding, levels_before, levels_after, states_before, states_after)
        if delta.level_before != delta.level_after or delta.state_before != delta.state_after:
            changed.append(delta)
    risks_before = {risk.finding: risk for risk in before.risks}
    up: list[RiskDelta] = []
    down: list[RiskDelta] = []
    for risk in after.risks:
        previous = risks_before.get(risk.finding)
        if previous is None:
            continue
        moved = (LEVEL_RANK[risk.level], risk.score) > (LEVEL_RANK[previous.level], previous.score)
        fell = (LEVEL_RANK[risk.level], risk.score) < (LEVEL_RANK[previous.level], previous.score)
        if moved:
            up.append(_risk_delta(previous, risk))
        elif fell:
            down.append(_risk_delta(previous, risk))
    return Comparison(
        factory_id=after.factory_id,
        factory_name=after.factory_name,
        factory_id_before=before.factory_id,
        model_digest_before=before.model_digest,
        model_digest_after=after.model_digest,
        findings_before=len(old),
        findings_after=len(new),
        resolved=tuple(resolved),
        new=tuple(added),
        changed=tuple(changed),
        risks_up=tuple(up),
        risks_down=tuple(down),
        checklist_items_answered=_progress(_checklist_progress(before), _checklist_progress(after)),
        ooda_roles_filled=_progress(_ooda_progress(before), _ooda_progress(after)),
        maturity=_maturity(before, after, maturity_levels),
    )


__all__ = ["Comparison", "FindingDelta", "MaturityDelta", "Progress", "RiskDelta", "compare_assessments"]
