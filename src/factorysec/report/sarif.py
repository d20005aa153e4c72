"""Findings as SARIF 2.1.0, for code scanning in CI: one run, every rule, one result per finding at its model element."""

from __future__ import annotations

import json
from typing import Any, Literal

from factorysec import __version__
from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Finding
from factorysec.analysis.lifecycle import LIFECYCLE_RULES
from factorysec.analysis.risk import RiskLevel
from factorysec.analysis.rules import RULES
from factorysec.catalog.vocabulary import reference
from factorysec.model.loader import LoadedModel
from factorysec.report.locations import SubjectPaths, place_of
from factorysec.report.view import AssessmentView
from factorysec.rulebook import RuleInfo

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "factorysecFindingId/v1"
SarifLevel = Literal["error", "warning", "note"]
LEVEL_OF_RISK: dict[RiskLevel, SarifLevel] = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
"""SARIF result level for each Step 2 risk level; a finding without a risk keeps its rule's default level."""
LANGUAGE_TAG = {"en": "en-US", "ja": "ja-JP"}
SECURITY_SEVERITY: dict[RiskLevel, str] = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
"""GitHub code scanning's ``security-severity`` of a rule (its bands: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium,
0.1-3.9 low), from the highest risk level among the rule's results; a rule with none ranked takes medium, low when
advisory. GitHub reads it only for a rule tagged ``security`` and only on the rule, never on a result: each result's
own ``level`` keeps its risk."""
HELP_LABELS = {
    "en": ("Why it matters", "Before acting on it", "Guideline"),
    "ja": ("なぜ重要か", "対応の前に確かめること", "ガイドライン"),
}


def rule_name(rule_id: str) -> str:
    """SARIF's readable rule name: ``ZONE-MIXED-MANAGEMENT`` becomes ``ZoneMixedManagement``."""
    return "".join(part.capitalize() for part in rule_id.replace("_", "-").split("-") if part)


def _default_level(advisory: bool) -> SarifLevel:
    return "note" if advisory else "warning"


def _rule(rule: RuleInfo, lang: str, highest: RiskLevel | None) -> dict[str, Any]:
    severity = highest or ("low" if rule.advisory else "medium")
    properties: dict[str, Any] = {
        "reference": rule.reference,
        "category": rule.category,
        "tags": ["security", rule.category],
        "security-severity": SECURITY_SEVERITY[severity],
        "precision": "high",
    }
    if rule.threat_type:
        properties["threatType"] = rule.threat_type
    if rule.viewpoint:
        properties["viewpoint"] = rule.viewpoint
    if rule.measures:
        properties["measures"] = list(rule.measures)
    return {
        "id": rule.id,
        "name": rule_name(rule.id),
        "shortDescription": {"text": rule.title.get(lang)},
        "fullDescription": {"text": rule.summary.get(lang)},
        "help": _help(rule, lang),
        "defaultConfiguration": {"level": _default_level(rule.advisory)},
        "properties": properties,
    }


def _help(rule: RuleInfo, lang: str) -> dict[str, str]:
    """The rule's help, which GitHub shows on each alert: why it matters, what to check first, the guideline's place."""
    why, before, guideline = HELP_LABELS[lang]
    parts = (
        (why, rule.why.get(lang)),
        (before, rule.false_positives.get(lang)),
        (guideline, reference(rule.reference, lang)),
    )
    return {
        "text": "\n\n".join(f"{label}: {body}" for label, body in parts),
        "markdown": "\n\n".join(f"**{label}**: {body}" for label, body in parts),
    }


def all_findings(assessment: Assessment) -> tuple[Finding, ...]:
    """Step 1 findings, then the Step 3 lifecycle findings."""
    return (*assessment.findings, *assessment.lifecycle.findings)


def result_level(finding: Finding, view: AssessmentView) -> SarifLevel:
    """The SARIF level of a finding: from its risk level when ranked, else its rule's default."""
    risk = view.risk_of(finding.id) or view.vulnerability_entries.get(finding.id)
    return LEVEL_OF_RISK[risk.level] if risk is not None else _default_level(finding.advisory)


def _suppression(finding: Finding, view: AssessmentView) -> dict[str, Any] | None:
    """A decision that closes the finding (accepted, mitigated, false-positive; not expired) as a SARIF suppression, kept outside the model."""
    decision = view.decision_of(finding.id)
    if decision is None or not view.closed(finding.id):
        return None
    return {
        "kind": "external",
        "status": "accepted",
        "justification": decision.justification,
        "properties": {"decision": decision.status, "owner": decision.owner, "source": decision.source},
    }


def _location(loaded: LoadedModel, finding: Finding, paths: SubjectPaths) -> dict[str, Any]:
    place = place_of(loaded, finding.subject, paths)
    physical: dict[str, Any] = {"artifactLocation": {"uri": place.uri}}
    location: dict[str, Any] = {"physicalLocation": physical}
    if place.place:
        location["message"] = {"text": place.place}
    else:
        physical["region"] = {"startLine": place.line, "startColumn": place.column}
    location["logicalLocations"] = [{"name": finding.subject.id, "kind": finding.subject.kind}]
    return location


def _result(
    finding: Finding, rule_index: dict[str, int], view: AssessmentView, loaded: LoadedModel, paths: SubjectPaths
) -> dict[str, Any]:
    level = result_level(finding, view)
    lang = view.lang
    risk = view.risk_of(finding.id)
    decision = view.decision_of(finding.id)
    properties: dict[str, Any] = {
        "reference": finding.reference,
        "category": finding.category,
        "subject": finding.subject.model_dump(),
    }
    if finding.threat_type:
        properties["threatType"] = finding.threat_type
    if risk is not None:
        properties["riskLevel"] = risk.level
    if decision is not None:
        properties["decision"] = decision.status
    if finding.related:
        properties["related"] = list(finding.related)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": level,
        "message": {"text": f"{finding.title.get(lang)}: {finding.rationale.get(lang)}"},
        "locations": [_location(loaded, finding, paths)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.id},
        "properties": properties,
    }
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    suppression = _suppression(finding, view)
    if suppression is not None:
        result["suppressions"] = [suppression]
    return result


def _vulnerability_rules(assessment: Assessment) -> tuple[RuleInfo, ...]:
    """The vulnerability rules, when the assessment holds vulnerability findings (``--advisories``)."""
    if not assessment.vulnerabilities:
        return ()
    from factorysec.vulnerability.explain_items import VULNERABILITY_RULES

    used = {entry.finding_rule for entry in assessment.vulnerabilities}
    return tuple(rule for rule in VULNERABILITY_RULES if rule.id in used)


def sarif_log(assessment: Assessment, loaded: LoadedModel, lang: str = "en") -> dict[str, Any]:
    """The SARIF log as a JSON-ready mapping."""
    rules: list[RuleInfo] = sorted((*RULES, *LIFECYCLE_RULES, *_vulnerability_rules(assessment)), key=lambda r: r.id)
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    view = AssessmentView(assessment, loaded.model, None, lang)
    paths = SubjectPaths(loaded.model)
    driver = {
        "name": "factorysec",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(rule, lang, view.highest_level_by_rule.get(rule.id)) for rule in rules],
    }
    run = {
        "tool": {"driver": driver},
        "language": LANGUAGE_TAG[lang],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, rule_index, view, loaded, paths) for f in all_findings(assessment)],
        "properties": {"factoryId": assessment.factory_id, "modelDigest": assessment.model_digest},
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def sarif_json(assessment: Assessment, loaded: LoadedModel, lang: str = "en") -> str:
    """The SARIF log as compact JSON text (an indent makes ``json`` use its pure-Python encoder: 7 s at 10k assets)."""
    return json.dumps(sarif_log(assessment, loaded, lang), ensure_ascii=False, separators=(",", ":")) + "\n"
