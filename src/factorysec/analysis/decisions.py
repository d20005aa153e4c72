"""Decisions on findings (accepted, mitigated, false-positive, in-progress), matched on stable finding ids.

The decisions file is read by the CLI (:func:`factorysec.model.planfiles.read_decisions`)
and passed in as data. A decision whose finding no longer exists is *stale*:
reported so that someone removes or re-keys it, never silently dropped.
A decision past its ``review_by`` date is *expired*: it is still listed, under
its own rule id, but no longer closes its finding, so ``--fail-on`` counts the
risk again until someone reviews the decision and moves the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.findings import Finding
from factorysec.analysis.risk import LEVEL_RANK, Risk
from factorysec.model.planfiles import CLOSED_STATUSES, Decision, DecisionStatus

RULE = "DECISION"
RULE_STALE = "DECISION-STALE"
RULE_EXPIRED = "DECISION-EXPIRED"
REFERENCE = "Appendix 3.3 Step 3 (PDCA review of plans and measures)"


class AppliedDecision(BaseModel):
    """A decision that matches a current finding."""

    model_config = ConfigDict(frozen=True)
    rule: str = RULE
    reference: str = REFERENCE
    finding: str
    status: DecisionStatus
    justification: str
    owner: str
    date: str | None = None
    review_by: str | None = None
    expired: bool = False
    source: str


class StaleDecision(BaseModel):
    """A decision whose finding is gone (fixed in the model, or the id changed)."""

    model_config = ConfigDict(frozen=True)
    rule: str = RULE_STALE
    reference: str = REFERENCE
    finding: str
    status: DecisionStatus
    owner: str
    source: str


def _source(decision: Decision) -> str:
    return f"{decision.file}:{decision.line}" if decision.file else ""


def is_expired(decision: Decision, today: dt.date | None) -> bool:
    """Whether the decision's ``review_by`` date has passed (a decision is good through its review day)."""
    return today is not None and decision.review_by is not None and decision.review_by < today


def apply_decisions(
    findings: Iterable[Finding], decisions: Sequence[Decision], today: dt.date | None = None
) -> tuple[list[AppliedDecision], list[StaleDecision]]:
    """Split decisions into those that apply (in finding order) and the stale ones (in file order).

    With ``today``, a decision past its ``review_by`` date is marked expired
    (rule ``DECISION-EXPIRED``) and no longer closes its finding.
    """
    by_id = {d.finding: d for d in decisions}
    applied: list[AppliedDecision] = []
    matched: set[str] = set()
    for finding in findings:
        decision = by_id.get(finding.id)
        if decision is None:
            continue
        matched.add(finding.id)
        expired = is_expired(decision, today)
        applied.append(
            AppliedDecision(
                rule=RULE_EXPIRED if expired else RULE,
                expired=expired,
                finding=finding.id,
                status=decision.status,
                justification=decision.justification,
                owner=decision.owner,
                date=decision.date.isoformat() if decision.date else None,
                review_by=decision.review_by.isoformat() if decision.review_by else None,
                source=_source(decision),
            )
        )
    stale = [  # VULN-... decisions are VEX statements judged by 'factorysec vulns', which knows their findings
        StaleDecision(finding=d.finding, status=d.status, owner=d.owner, source=_source(d))
        for d in decisions
        if d.finding not in matched and not d.finding.startswith("VULN-")
    ]
    return applied, stale


def is_open(finding_id: str, decided: dict[str, AppliedDecision]) -> bool:
    """Open unless decided mitigated, accepted or false-positive (in-progress stays open) and not expired."""
    decision = decided.get(finding_id)
    return decision is None or decision.expired or decision.status not in CLOSED_STATUSES


def open_at_or_above(
    risks: Iterable[Risk], residual: Mapping[str, str], decisions: Iterable[AppliedDecision], level: str
) -> list[Risk]:
    """Open risks whose residual level (after measures in place) is at or above ``level``; inherent level where no residual exists."""
    threshold = LEVEL_RANK[level]
    decided = {d.finding: d for d in decisions}
    return [
        r for r in risks if is_open(r.finding, decided) and LEVEL_RANK[residual.get(r.finding, r.level)] >= threshold
    ]
