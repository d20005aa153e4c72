"""Job 2 of the review: findings, requirements and measures new, gone or changed between the two assessments (Step 1-7, Table 3-4, Step 2)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Finding
from factorysec.analysis.requirements import SecurityRequirement
from factorysec.analysis.review.model import FindingChange, MeasureRequired, RequirementChange
from factorysec.catalog import Catalog
from factorysec.catalog.models import Text
from factorysec.model.entities import FactoryModel


class FindingIndex:
    """Findings of one assessment, by id and by the element ids they concern.

    A factory-wide finding (such as a PDCA review pending for the whole change)
    is linked to the factory only, not to every element it lists.
    """

    def __init__(self, assessment: Assessment) -> None:
        findings = all_findings(assessment)
        self.by_id: dict[str, Finding] = {f.id: f for f in findings}
        self.about: dict[str, list[str]] = {}
        for finding in findings:
            related = () if finding.subject.kind == "factory" else finding.related
            for element_id in dict.fromkeys((finding.subject.id, *related)):
                self.about.setdefault(element_id, []).append(finding.id)

    def concerning(self, ids: Iterable[str]) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for element_id in ids:
            found.update(dict.fromkeys(self.about.get(element_id, [])))
        return tuple(found)


def all_findings(assessment: Assessment) -> tuple[Finding, ...]:
    """Every finding of an assessment: Step 1 rules and the Step 3 lifecycle gaps."""
    return (*assessment.findings, *assessment.lifecycle.findings)


def risk_levels(assessment: Assessment) -> dict[str, str]:
    """The risk level (Step 2-1) of each threat finding that has one, by finding id."""
    return {risk.finding: risk.level for risk in assessment.risks}


def diff_findings(before: Assessment, after: Assessment) -> tuple[FindingChange, ...]:
    """Findings new, resolved, or with a changed risk level or text, by stable id, in AFTER then BEFORE order.

    A finding in both versions whose risk level (from each assessment's
    ``risks``) differs is ``level-changed``, with both levels: a zone that
    becomes exposed to an external network raises the risk of the threats
    already found in it. Levels are given only for such changes.
    """
    old = {f.id: f for f in all_findings(before)}
    new = {f.id: f for f in all_findings(after)}
    old_levels, new_levels = risk_levels(before), risk_levels(after)
    changes: list[FindingChange] = []

    def entry(
        finding: Finding,
        change: Literal["new", "resolved", "level-changed", "updated"],
        level_before: str | None = None,
        level_after: str | None = None,
    ) -> FindingChange:
        return FindingChange(
            id=finding.id,
            rule=finding.rule,
            category=finding.category,
            change=change,
            subject=finding.subject,
            title=finding.title,
            rationale=finding.rationale,
            reference=finding.reference,
            level_before=level_before,
            level_after=level_after,
            findings=(finding.id,),
        )

    for finding_id, finding in new.items():
        if finding_id not in old:
            changes.append(entry(finding, "new"))
            continue
        previous = old[finding_id]
        level_before, level_after = old_levels.get(finding_id), new_levels.get(finding_id)
        if level_before != level_after:
            changes.append(entry(finding, "level-changed", level_before, level_after))
        elif previous.rationale != finding.rationale or previous.title != finding.title:
            changes.append(entry(finding, "updated"))
    for finding_id, finding in old.items():
        if finding_id not in new:
            changes.append(entry(finding, "resolved"))
    return tuple(changes)


def diff_requirements(before: Assessment, after: Assessment) -> tuple[RequirementChange, ...]:
    """Requirements (Table 3-4) new, removed or with a changed text, by id."""
    old = {r.id: r for r in before.requirements}
    new = {r.id: r for r in after.requirements}
    changes: list[RequirementChange] = []

    def entry(
        req: SecurityRequirement,
        change: Literal["new", "removed", "changed"],
        before_text: Text | None,
        after_text: Text | None,
    ) -> RequirementChange:
        return RequirementChange(
            id=req.id,
            change=change,
            scope=req.scope,
            subject=req.subject,
            viewpoint=req.viewpoint,
            text_before=before_text,
            text_after=after_text,
            reference=req.reference,
            findings=req.because,
            to_zone=req.to_zone,
            conduits=req.conduits,
        )

    for req_id, req in new.items():
        if req_id not in old:
            changes.append(entry(req, "new", None, req.text))
        elif old[req_id].text != req.text:
            changes.append(entry(req, "changed", old[req_id].text, req.text))
    for req_id, req in old.items():
        if req_id not in new:
            changes.append(entry(req, "removed", req.text, None))
    return tuple(changes)


def required_measures(
    before: Assessment, after: Assessment, after_model: FactoryModel, catalog: Catalog
) -> tuple[MeasureRequired, ...]:
    old = {m for f in all_findings(before) for m in f.measures}
    in_place = {m.measure for m in after_model.measures} | {
        c for conduit in after_model.conduits for c in conduit.controls
    }
    wanted: dict[str, list[str]] = {}
    for finding in all_findings(after):
        for measure in finding.measures:
            if measure not in old:
                wanted.setdefault(measure, []).append(finding.id)
    result = []
    for measure, findings in wanted.items():
        entry = catalog.measures.get(measure)
        title = entry.title if entry else Text(en=measure, ja=measure)
        result.append(
            MeasureRequired(measure=measure, title=title, in_place=measure in in_place, findings=tuple(findings))
        )
    return tuple(result)
