"""Analysis: pure functions from a factory model and the catalog to an :class:`Assessment`. No I/O here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from factorysec import __version__
from factorysec.analysis._build import assemble
from factorysec.analysis.actions import Action, build_actions
from factorysec.analysis.assessment import SCHEMA_VERSION, Assessment
from factorysec.analysis.context import AnalysisContext, build_context
from factorysec.analysis.findings import Finding, Rule
from factorysec.analysis.lifecycle import LifecycleReport, assess_lifecycle
from factorysec.analysis.plan import plan_fields
from factorysec.analysis.purposes import purpose_footprints
from factorysec.analysis.requirements import SecurityRequirement, derive_requirements
from factorysec.analysis.rules import RULES
from factorysec.analysis.signal import fold_responsibility_gaps, merge_gaps
from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.model.loader import model_digest
from factorysec.model.planfiles import Decision, ScoringConfig
from factorysec.perf import paused_gc


class RuleError(Exception):
    """A rule raised: the run fails rather than silently dropping that rule's findings."""


def run_rules(context: AnalysisContext, rules: tuple[Rule, ...] = RULES) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        try:
            findings.extend(rule.check(context))
        except Exception as exc:
            raise RuleError(f"rule {rule.id} failed: {type(exc).__name__}: {exc}") from exc
    return sorted(findings, key=lambda f: (f.category != "zoning", f.subject.kind, f.subject.id, f.rule, f.id))


def analyze(
    model: FactoryModel,
    catalog: Catalog,
    today: dt.date | None = None,
    *,
    scoring: ScoringConfig | None = None,
    decisions: Sequence[Decision] = (),
    rules: tuple[Rule, ...] | None = None,
) -> Assessment:
    """Analyse a model: importance, Step 1 findings and requirements, the Step 2 plan, Step 3 lifecycle.

    ``today`` dates the PDCA checks and expires decisions past their ``review_by``; callers pass it in (the CLI passes the
    current date) so that the analysis itself stays deterministic. Without it
    the review's age is not judged. ``scoring`` and ``decisions`` (read by the
    CLI) steer the Step 2 plan; ``rules`` replaces the rule set (tests).
    """
    with paused_gc():
        return _analyze(model, catalog, today, scoring, decisions, RULES if rules is None else rules)


def _analyze(
    model: FactoryModel,
    catalog: Catalog,
    today: dt.date | None,
    scoring: ScoringConfig | None,
    decisions: Sequence[Decision],
    rules: tuple[Rule, ...],
) -> Assessment:
    context = build_context(model, catalog, today)
    findings = run_rules(context, rules)
    digest = model_digest(model)
    lifecycle = assess_lifecycle(model, catalog, context.importance, today, digest)
    findings, lifecycle = _one_finding_per_gap(findings, lifecycle, model.factory.id)
    requirements = derive_requirements(context, findings)
    plan = plan_fields(context, findings, requirements, scoring, decisions, today)
    # Every value is a validated model, or a tuple or mapping of the analysis's own objects: validating the assessment would only walk
    # hundreds of thousands of them again, so it is assembled (tests/analysis/test_build.py compares it with a validated one).
    values = {
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "factory_id": model.factory.id,
        "factory_name": model.factory.name,
        "model_digest": digest,
        "importance": context.importance,
        "findings": tuple(findings),
        "requirements": requirements.items,
        "lifecycle": lifecycle,
        "purposes": purpose_footprints(context, findings),
        "actions": _actions(context, findings, requirements.items, lifecycle, plan),
        **{name: _as_validated(plan[name]) for name in _PLAN_FIELDS},
        "vulnerabilities": (),  # filled by factorysec.vulnerability.findings when advisories are given
    }
    return assemble(Assessment, values, set(_ASSESSMENT_FIELDS_GIVEN))


def _actions(
    context: AnalysisContext,
    findings: Sequence[Finding],
    requirements: Sequence[SecurityRequirement],
    lifecycle: LifecycleReport,
    plan: dict[str, Any],
) -> tuple[Action, ...]:
    """The short action list (:mod:`factorysec.analysis.actions`) from the Step 1 to 3 results."""
    departments: dict[str, list[str]] = {}
    for department in context.model.departments:
        departments.setdefault(department.kind, []).append(department.id)
    zone_of = {asset_id: asset.zone for asset_id, asset in context.assets.items() if asset.zone}
    return build_actions(
        context.catalog,
        findings,
        plan["risks"],
        plan["gaps"],
        requirements,
        lifecycle.checklists,
        departments,
        zone_of,
        plan["scoring"],
    )


_FIELDS: tuple[str, ...] = tuple(Assessment.model_fields)
_PLAN_FIELDS: tuple[str, ...] = _FIELDS[_FIELDS.index("scoring") : _FIELDS.index("entry_routes") + 1]
"""The Step 2 fields (:func:`plan_fields`), in declaration order after the Step 1 and 3 ones."""
_ASSESSMENT_FIELDS_GIVEN = frozenset(_FIELDS) - {"schema_version", "tool_version", "vulnerabilities"}


def _as_validated(value: Any) -> Any:
    """A Step 2 value as validation would leave it: sequences as plain tuples, mappings as plain dicts of their own, models as they are."""
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if isinstance(value, dict):
        return dict(value)
    return value


__all__ = ["AnalysisContext", "Assessment", "Finding", "Rule", "RuleError", "analyze", "build_context", "run_rules"]


def _one_finding_per_gap(
    findings: list[Finding], lifecycle: LifecycleReport, factory_id: str
) -> tuple[list[Finding], LifecycleReport]:
    """One finding per gap (:mod:`factorysec.analysis.signal`): per-part findings merged, Step 3 responsibility gaps folded into the Step 1 threat."""
    merged, step3 = fold_responsibility_gaps(
        merge_gaps(findings, factory_id), merge_gaps(lifecycle.findings, factory_id)
    )
    merged.sort(key=lambda f: (f.category != "zoning", f.subject.kind, f.subject.id, f.rule, f.id))
    step3.sort(key=lambda f: (f.rule, f.id))
    return merged, lifecycle.model_copy(update={"findings": tuple(step3)})
