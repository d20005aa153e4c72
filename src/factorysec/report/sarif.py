"""Findings as SARIF 2.1.0, for code scanning in CI: one run, every rule, one result per finding at its model element."""

from __future__ import annotations

import json
from typing import Any, Literal

from factorysec import __version__
from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Finding, FindingRule
from factorysec.analysis.lifecycle import LIFECYCLE_RULES
from factorysec.analysis.risk import RiskLevel
from factorysec.analysis.rules import RULES
from factorysec.model.loader import LoadedModel
from factorysec.report.locations import SubjectPaths, place_of

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "factorysecFindingId/v1"
SarifLevel = Literal["error", "warning", "note"]
LEVEL_OF_RISK: dict[RiskLevel, SarifLevel] = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
"""SARIF result level for each Step 2 risk level; a finding without a risk keeps its rule's default level."""
LANGUAGE_TAG = {"en": "en-US", "ja": "ja-JP"}


def rule_name(rule_id: str) -> str:
    """SARIF's readable rule name: ``ZONE-MIXED-MANAGEMENT`` becomes ``ZoneMixedManagement``."""
    return "".join(part.capitalize() for part in rule_id.replace("_", "-").split("-") if part)


def _default_level(advisory: bool) -> SarifLevel:
    return "note" if advisory else "warning"


def _rule(rule: FindingRule, lang: str) -> dict[str, Any]:
    properties: dict[str, Any] = {"reference": rule.reference, "category": rule.category, "tags": [rule.category]}
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
        "defaultConfiguration": {"level": _default_level(rule.advisory)},
        "properties": properties,
    }


def all_findings(assessment: Assessment) -> tuple[Finding, ...]:
    """Step 1 findings, then the Step 3 lifecycle findings."""
    return (*assessment.findings, *assessment.lifecycle.findings)


def _risk_levels(assessment: Assessment) -> dict[str, RiskLevel]:
    """Finding id to its Step 2 risk level."""
    return {risk.finding: risk.level for risk in assessment.risks}


def result_level(finding: Finding, levels: dict[str, RiskLevel]) -> SarifLevel:
    """The SARIF level of a finding: from its risk level when ranked, else its rule's default."""
    risk = levels.get(finding.id)
    return LEVEL_OF_RISK[risk] if risk is not None else _default_level(finding.advisory)


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


def _result(finding: Finding, rule_index: dict[str, int], levels: dict[str, RiskLevel], loaded: LoadedModel, paths: SubjectPaths, lang: str) -> dict[str, Any]:
    level = result_level(finding, levels)
    properties: dict[str, Any] = {"reference": finding.reference, "category": finding.category, "subject": finding.subject.model_dump()}
    if finding.threat_type:
        properties["threatType"] = finding.threat_type
    if finding.id in levels:
        properties["riskLevel"] = levels[finding.id]
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
    return result


def sarif_log(assessment: Assessment, loaded: LoadedModel, lang: str = "en") -> dict[str, Any]:
    """The SARIF log as a JSON-ready mapping."""
    rules = sorted((*RULES, *LIFECYCLE_RULES), key=lambda r: r.id)
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    levels = _risk_levels(assessment)
    paths = SubjectPaths(loaded.model)
    driver = {
        "name": "factorysec",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(rule, lang) for rule in rules],
    }
    run = {
        "tool": {"driver": driver},
        "language": LANGUAGE_TAG[lang],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, rule_index, levels, loaded, paths, lang) for f in all_findings(assessment)],
        "properties": {"factoryId": assessment.factory_id, "modelDigest": assessment.model_digest},
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def sarif_json(assessment: Assessment, loaded: LoadedModel, lang: str = "en") -> str:
    """The SARIF log as pretty JSON text."""
    return json.dumps(sarif_log(assessment, loaded, lang), indent=2, ensure_ascii=False) + "\n"
