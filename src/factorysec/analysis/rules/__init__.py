"""The explicit registry of Step 1 rules.

Adding a rule: write one module here with a ``RULE`` (a :class:`~factorysec.analysis.findings.Rule`,
``why`` and ``false_positives`` filled), add its name to :data:`RULE_MODULES` (one line), and give it a
fixture folder ``tests/fixtures/rules/<RULE ID>/`` (see ``tests/analysis/test_rules.py``). A module may
declare several rules; they are taken in the order the module defines them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from factorysec.analysis.findings import Rule

RULE_MODULES: tuple[str, ...] = (
    "zoning_mixed_management",
    "zoning_mixed_control",
    "zoning_divisible",
    "zoning_importance_spread",
    "zoning_external_boundary",
    "zoning_mixed_location",
    "hygiene",
    "threat_built_in_computer",
    "threat_wireless",
    "threat_fa_oa_connection",
    "threat_fa_data_in_oa",
    "threat_external_network",
    "threat_external_equipment",
    "threat_external_system",
    "threat_external_data",
    "threat_incident_coordination",
    "threat_control_from_outside",
    "threat_inter_company",
    "threat_general_purpose_new",
    "purpose_none",
    "purpose_operation",
    "bcp_missing",
    "bcp_review_stale",
    "bcp_viewpoint_uncovered",
    "requirement_review_stale",
    "requirement_touched",
    "requirement_consequence",
    "governance_new_external",
    "incident_impact",
    "subcontract_open",
    "pdca_site_participation",
    "pdca_structure",
    "unexpected_events",
    "threat_different_requirements",
    "threat_auto_control",
    "threat_outside_origin_control",
    "threat_removable_media",
    "data_utilisation",
    "data_mixed_rights_holders",
    "physical_measures",
    "supply_sbom_vulnerability",
    "zoning_office_equipment",
    "zoning_safety_with_control",
    "zoning_shared_service",
)
"""The rule modules of this package, in the order their rules run and are listed."""


def rules_of(module: ModuleType) -> tuple[Rule, ...]:
    """The rules a module holds at its top level, in definition order."""
    return tuple(value for value in vars(module).values() if isinstance(value, Rule))


def _load() -> tuple[Rule, ...]:
    """The rules of :data:`RULE_MODULES`, each once (a rule a module imports from another is counted where it first appears)."""
    found: dict[int, Rule] = {}
    for name in RULE_MODULES:
        for rule in rules_of(importlib.import_module(f"{__name__}.{name}")):
            found.setdefault(id(rule), rule)
    return tuple(found.values())


RULES: tuple[Rule, ...] = _load()
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
