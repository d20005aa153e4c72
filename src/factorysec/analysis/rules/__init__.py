"""The explicit registry of Step 1 rules. Adding a rule: write one module with a ``RULE`` and list it here."""

from __future__ import annotations

from factorysec.analysis.findings import Rule
from factorysec.analysis.rules import (
    hygiene,
    threat_built_in_computer,
    threat_control_from_outside,
    threat_external_data,
    threat_external_equipment,
    threat_external_network,
    threat_external_system,
    threat_fa_data_in_oa,
    threat_fa_oa_connection,
    threat_general_purpose_new,
    threat_incident_coordination,
    threat_inter_company,
    threat_wireless,
    zoning_divisible,
    zoning_external_boundary,
    zoning_importance_spread,
    zoning_mixed_control,
    zoning_mixed_management,
)

RULES: tuple[Rule, ...] = (
    zoning_mixed_management.RULE,
    zoning_mixed_control.RULE,
    zoning_divisible.RULE,
    zoning_importance_spread.RULE,
    zoning_external_boundary.RULE,
    hygiene.ZONE_NO_OPERATIONS,
    hygiene.OPERATION_NO_ASSETS,
    hygiene.ASSET_NO_IMPORTANCE,
    threat_built_in_computer.RULE,
    threat_wireless.RULE,
    threat_fa_oa_connection.RULE,
    threat_fa_data_in_oa.RULE,
    threat_external_network.RULE,
    threat_external_equipment.RULE,
    threat_external_system.RULE,
    threat_external_data.RULE,
    threat_incident_coordination.RULE,
    threat_control_from_outside.RULE,
    threat_inter_company.RULE,
    threat_general_purpose_new.RULE,
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
